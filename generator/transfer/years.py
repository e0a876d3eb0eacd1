"""Two fiscal years on one line of months: moving a workbook's data to another year or first month.

A workbook holds its year and the year before (the "Prior year" sheet). Old month ``m`` of the
current year sits at ``m``, the prior year's at ``m - 12``; a new workbook starting ``shift``
months later takes each value at ``m - shift``: 0..11 is its year, -12..-1 its prior year.
Rolling into the next year (``shift`` 12) makes this year's inputs the new prior year; the old
prior year, two years back, falls off the line and is listed on "Carried over" as history.
A month of the current year holding data that would fall off is refused, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.catalog import Catalog
from generator.errors import UserError
from generator.template.layout import MONTHS
from generator.transfer.filled import Filled
from generator.workbook.sheet_carried import CarriedRow

Value = float | None


def month_label(filled: Filled, index: int) -> str:
    """A fiscal month of the old workbook as YYYY-MM (negative: its prior year), or "month N" when
    its year is unknown."""
    if filled.settings.year is None:
        return f"month {index + 1}" if index >= 0 else f"prior month {index + 13}"
    position = filled.settings.year * 12 + (filled.settings.first_month or 1) - 1 + index
    return f"{position // 12:04d}-{position % 12 + 1:02d}"


def shift_months(filled: Filled, year: int, first: int) -> int:
    """Months between the old fiscal year's start and the new one's; refuse when a month of the old
    year holding data would fall outside the new year and its prior year."""
    old_year = filled.settings.year
    if old_year is None:
        return 0
    shift = (year * 12 + first - 1) - (old_year * 12 + (filled.settings.first_month or 1) - 1)
    if shift == 0:
        return 0
    used = sorted(
        {m for row in filled.inputs.values() for m, v in enumerate(row) if v is not None}
        | {s.month for s in filled.strays if s.month is not None and s.kind == "input"}
    )
    lost = [m for m in used if not -MONTHS <= m - shift < MONTHS]
    if lost:
        months = ", ".join(month_label(filled, m) for m in lost)
        raise UserError(
            f"{filled.path}: the fiscal year {year} starting in month {first} leaves out months that hold data "
            f"({months}); choose a year and first month that cover them"
        )
    return shift


def empty_months(filled: Filled) -> list[str]:
    """The old year's months without any input value (YYYY-MM), in order."""
    return [
        month_label(filled, m)
        for m in range(MONTHS)
        if all(row[m] is None for row in filled.inputs.values())
        and not any(s.month == m for s in filled.strays if s.kind == "input")
    ]


@dataclass
class Moved:
    """The new workbook's inputs, by the new catalogue's ids, and what found no month there."""

    values: dict[str, list[Value]] = field(default_factory=dict)
    prior: dict[str, list[Value]] = field(default_factory=dict)
    carried: list[CarriedRow] = field(default_factory=list)


def move_inputs(
    filled: Filled, catalog: Catalog, shift: int, name: Callable[[str], str], selected_out: Callable[[str], bool]
) -> Moved:
    """Both old years' inputs placed in the new workbook's two years (renamed ids followed through
    ``replaces``); an input the new catalogue lacks is carried as "removed" (or "not-selected" when
    ``selected_out`` says the user's selection left it out), a month before the new prior year as
    "history"."""
    moved = Moved()
    used: set[str] = set()
    for input_id, spec in catalog.inputs.items():
        sources = [i for i in (input_id, *spec.replaces) if i in filled.inputs or i in filled.prior_inputs]
        if not sources:
            continue
        source = sources[0]
        used.add(source)
        now = moved.values.setdefault(input_id, [None] * MONTHS)
        before: list[Value] = [None] * MONTHS
        for old_index, value in _timeline(filled, source):
            new = old_index - shift
            if 0 <= new < MONTHS:
                now[new] = value
            elif -MONTHS <= new < 0:
                before[new + MONTHS] = value
            else:
                row = CarriedRow("input", source, name(source), month_label(filled, old_index), value, "history")
                moved.carried.append(row)
        if any(v is not None for v in before):
            moved.prior[input_id] = before
    for source in [*filled.inputs, *(i for i in filled.prior_inputs if i not in filled.inputs)]:
        if source in used:
            continue
        why = "not-selected" if selected_out(source) else "removed"
        for old_index, value in _timeline(filled, source):
            moved.carried.append(CarriedRow("input", source, name(source), month_label(filled, old_index), value, why))
    return moved


def _timeline(filled: Filled, input_id: str) -> list[tuple[int, float]]:
    """An old input's values with their place on the line of months (prior year first)."""
    before = filled.prior_inputs.get(input_id, [None] * MONTHS)
    now = filled.inputs.get(input_id, [None] * MONTHS)
    placed = [(m - MONTHS, v) for m, v in enumerate(before)] + list(enumerate(now))
    return [(m, v) for m, v in placed if v is not None]
