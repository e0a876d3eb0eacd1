"""Recompute every KPI in Python (``generator.template.periods``) and compare with the values the file shows.

The file's numbers were computed by whatever spreadsheet saved it; the catalogue's formula
evaluated here is the reference. A file that holds no calculated values (saved by a library)
is reported once (``calculated``) instead of as hundreds of differences.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.catalog.model import Better
from generator.formula.expr import refs
from generator.template.layout import INPUT_GRID, KPI_GRID, KPI_LATEST_COL, KPI_STATUS_COL, KPI_TARGET_COL, MONTHS
from generator.template.periods import PERIODS, kpi_status, latest, period_kpi_values
from generator.validate.context import Check
from generator.validate.findings import Code, Severity, brief, plain
from generator.validate.inputs import ERRORS, Typed
from generator.validate.sheet_cells import COLUMN_BITS

Value = float | None
_PERIOD_COLUMNS = [*(KPI_GRID.month(m) for m in range(MONTHS)), *(KPI_GRID.quarter(q) for q in range(4)), KPI_GRID.ytd]
_INPUT_PERIOD_COLUMNS = [*(INPUT_GRID.quarter(q) for q in range(4)), INPUT_GRID.ytd]


@dataclass(frozen=True)
class KpiResult:
    """A KPI as Python computes it from the file's inputs: 17 period values and the year's status."""

    values: list[Value]
    status: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "months": self.values[:MONTHS],
            "quarters": self.values[MONTHS : MONTHS + 4],
            "ytd": self.values[PERIODS - 1],
            "status": self.status,
        }


def recompute(check: Check, typed: Typed) -> dict[str, KpiResult]:
    values = period_kpi_values(check.catalog, typed.periods)
    results = {}
    for kpi_id, row in values.items():
        status = None
        if kpi_id not in typed.no_status and check.catalog.kpis[kpi_id].better is not Better.INFO:
            status = kpi_status(check.catalog, kpi_id, row, typed.targets.get(kpi_id), typed.tolerances.get(kpi_id))
        results[kpi_id] = KpiResult(row, status)
    return results


def _cached(value: Any) -> tuple[bool, Value]:
    """(readable, number): blank ("" or None) is (True, None); text or an error is (False, None)."""
    if value is None or (isinstance(value, str) and value == ""):
        return True, None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return True, float(value)
    return False, None


def _same(actual: Any, expected: Value) -> bool:
    readable, number = _cached(actual)
    if not readable:
        return False
    if number is None or expected is None:
        return number is None and expected is None
    return math.isclose(number, expected, rel_tol=1e-9, abs_tol=1e-9)


def _agrees(actual: Any, expected: Value) -> bool:
    """What ``_same`` says, with a quick answer for the usual cell (this runs for every compared cell).

    A finite float close to the number expected is what ``_same`` accepts (most KPI cells: a ratio a
    spreadsheet computed in another order, or LibreOffice wrote to 15 digits). LibreOffice stores whole
    numbers as ints: an int equal to the float expected is that float exactly. Anything else (blanks,
    text, errors, bools, ints that differ) takes ``_same``.
    """
    if expected is not None:
        cls = actual.__class__
        if cls is float:
            if math.isfinite(actual) and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9):
                return True
        elif cls is int and actual == expected:
            return True
    return _same(actual, expected)


def report_never_calculated(check: Check) -> None:
    _ = check.gettext
    check.add(
        Severity.ERROR,
        Code.NOT_RECALCULATED,
        _(
            "The file holds no calculated results (it was saved by a program that does not calculate, such as "
            "a script), so the KPI values cannot be compared. Open and save it in Excel or LibreOffice, or pass "
            "--recalc."
        ),
        sheet=check.layout.sheets.kpis or None,
    )


def compare(check: Check, typed: Typed, results: dict[str, KpiResult]) -> tuple[int, int]:
    """Compare input aggregates, KPI values, targets and statuses with the file; returns (KPIs, cells) compared."""
    _ = check.gettext
    layout, catalog = check.layout, check.catalog
    labels = check.periods()
    cells = 0
    periods = typed.periods
    _report_overflows(check, typed, periods, labels)
    out = typed.out_of_range  # nearly always empty: then no KPI's inputs need listing
    skipped = {k for k, expr in catalog.formulas.items() if out & set(refs(expr))} if out else set()
    for input_id, row_values in periods.items():
        if input_id not in check.located.inputs or input_id in typed.out_of_range:
            continue
        cells += _compare_row(
            check,
            layout.sheets.inputs,
            layout.input_rows[input_id],
            zip(_INPUT_PERIOD_COLUMNS, row_values[MONTHS:], labels[MONTHS:], strict=True),
            input_id=input_id,
        )
    kpis = 0
    latest_label, target_label = _("Latest month"), _("Monthly target")
    for kpi_id, result in results.items():
        if not check.located.kpi_located(catalog, kpi_id) or kpi_id in skipped:
            continue
        kpis += 1
        row = layout.kpi_rows[kpi_id]
        compared = [*zip(_PERIOD_COLUMNS, result.values, labels, strict=True)]
        compared.append((KPI_LATEST_COL, latest(result.values), latest_label))
        targeted = catalog.kpis[kpi_id].better is not Better.INFO and kpi_id in check.located.targets
        if targeted:
            compared.append((KPI_TARGET_COL, typed.targets.get(kpi_id), target_label))
        cells += _compare_row(check, layout.sheets.kpis, row, compared, kpi_id=kpi_id)
        if not targeted:
            continue
        if kpi_id not in typed.no_status:
            cells += _compare_status(check, row, kpi_id, result.status)
    return kpis, cells


def _report_overflows(check: Check, typed: Typed, periods: dict[str, list[Value]], labels: list[str]) -> None:
    """A quarter or year whose months add up beyond a double (the spreadsheet shows #NUM!): one finding
    at its cell, and the input joins those whose totals and KPIs are not compared."""
    _ = check.gettext
    for input_id, values in periods.items():
        if input_id not in check.located.inputs or input_id in typed.out_of_range:
            continue
        index = next((i for i, v in enumerate(values[MONTHS:]) if v is not None and not math.isfinite(v)), None)
        if index is None:
            continue
        typed.out_of_range.add(input_id)
        check.add(
            Severity.ERROR,
            Code.OUT_OF_RANGE,
            _(
                "{name}: the months of {period} add up beyond the largest number a spreadsheet holds, so it shows "
                "#NUM!; look for a huge or mistyped figure. The totals and KPIs that use it are not compared."
            ).format(name=check.input_name(input_id), period=labels[MONTHS + index]),
            sheet=check.layout.sheets.inputs,
            row=check.layout.input_rows[input_id],
            col=_INPUT_PERIOD_COLUMNS[index],
            input=input_id,
            month=labels[MONTHS + index],
        )


def _compare_row(
    check: Check,
    sheet: str,
    row: int,
    compared: Iterable[tuple[int, Value, str]],
    input_id: str | None = None,
    kpi_id: str | None = None,
) -> int:
    """Compare (column, expected, label) cells of one row; returns how many were compared (a cell already
    reported as a wrong formula is not). The sheet's values are read by key, as ``Book.value`` reads them."""
    shown = check.book.stored(sheet).values
    key, flagged, count = row << COLUMN_BITS, check.flagged, 0
    for col, expected, label in compared:
        if flagged and (sheet, row, col) in flagged:
            continue
        count += 1
        actual = shown.get(key | col)
        if not _agrees(actual, expected):
            _report_mismatch(check, sheet, row, col, actual, expected, label, input_id, kpi_id)
    return count


def _report_mismatch(
    check: Check,
    sheet: str,
    row: int,
    col: int,
    actual: Any,
    expected: Value,
    label: str,
    input_id: str | None,
    kpi_id: str | None,
) -> None:
    """A value that differs from the catalogue's: an error value is one recalculating would show again."""
    _ = check.gettext
    what = check.kpi_name(kpi_id) if kpi_id else check.input_name(input_id or "")
    if isinstance(actual, str) and actual.strip() in ERRORS:  # recalculating would show it again
        message = _(
            "{what}: the file shows the error {value}, but the catalogue's formula gives {expected}; look for "
            "a huge or mistyped figure among the inputs of this column."
        ).format(what=what, value=actual.strip(), expected=_shown(check, expected))
    else:
        message = _(
            "{what}: the file shows {value}, but the catalogue's formula gives {expected}; recalculate the "
            "workbook (open and save it) or look for a changed formula or input."
        ).format(what=what, value=_shown(check, actual), expected=_shown(check, expected))
    check.add(
        Severity.ERROR,
        Code.VALUE_MISMATCH,
        message,
        sheet=sheet,
        row=row,
        col=col,
        input=input_id,
        kpi=kpi_id,
        month=label,
        value=plain(actual),
        expected=expected,
    )


def _compare_status(check: Check, row: int, kpi_id: str, expected: int | None) -> int:
    sheet = check.layout.sheets.kpis
    if (sheet, row, KPI_STATUS_COL) in check.flagged:
        return 0
    actual = check.book.value(sheet, row, KPI_STATUS_COL)
    if not _same(actual, None if expected is None else float(expected)):
        _ = check.gettext
        words = {1: _("On track"), 0: _("At risk"), -1: _("Off track")}
        readable, number = _cached(actual)
        shown = words.get(int(number), check.show(number)) if readable and number is not None else _shown(check, actual)
        message = _(
            "{what}: the file shows the status {value}, but the latest month and the target give {expected}."
        ).format(
            what=check.kpi_name(kpi_id),
            value=shown,
            expected=words.get(expected, _("no status")) if expected is not None else _("no status"),
        )
        check.add(
            Severity.ERROR,
            Code.STATUS_MISMATCH,
            message,
            sheet=sheet,
            row=row,
            col=KPI_STATUS_COL,
            kpi=kpi_id,
            month=_("Status (latest month)"),
            value=plain(actual),
            expected=expected,
        )
    return 1


def _shown(check: Check, value: Any) -> str:
    readable, number = _cached(value)
    if readable and number is None:
        return check.gettext("an empty cell")
    if readable:
        return check.show(number)
    return f'"{brief(value)}"'
