"""The formulas a generated workbook carries, built from the catalogue and the layout.

The writer writes these; the validator rebuilds them from the layout it finds in a filled
file and compares, so a formula a user overwrote is found by simple text comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from generator.catalog import Catalog
from generator.catalog.model import Aggregation, Better, Unit
from generator.engine.kept import Kept
from generator.formula import to_excel
from generator.formula.address import cell, column_letter, quote_sheet
from generator.formula.expr import Expr
from generator.template.layout import (
    INPUT_GRID,
    KPI_GRID,
    KPI_LATEST_COL,
    KPI_STATUS_COL,
    KPI_TARGET_COL,
    KPI_TOLERANCE_COL,
    MONTHS,
    Layout,
)


def aggregate_formula(kind: Aggregation, row: int, first: int, last: int) -> str:
    """An input over months ``first..last`` of its row (same sheet), blank when no month has data."""
    number = str(row + 1)  # each cell spelled as ``cell`` spells it, the row once
    span = f"{column_letter(first)}{number}:{column_letter(last)}{number}"
    if kind is Aggregation.FLOW:
        return f'=IF(COUNT({span})=0,"",SUM({span}))'
    if kind in (Aggregation.LEVEL, Aggregation.DISTINCT):  # DISTINCT: the average month, never a sum
        return f'=IF(COUNT({span})=0,"",AVERAGE({span}))'
    cols = list(range(first, last + 1))
    if kind is Aggregation.CLOSING:
        cols.reverse()
    body = '""'
    for col in reversed(cols):
        ref = column_letter(col) + number
        body = f"IF(ISNUMBER({ref}),{ref},{body})"
    return "=" + body


def input_period_formulas(catalog: Catalog, layout: Layout, input_id: str) -> dict[int, str]:
    """Column -> formula for an input's four quarters and year-to-date (kept per process, ``_kept``)."""
    kind = catalog.inputs[input_id].aggregation
    row = layout.input_rows[input_id]
    return _kept(("input", kind, row), lambda: _input_row(kind, row))


def _input_row(kind: Aggregation, row: int) -> dict[int, str]:
    formulas = {}
    for q in range(4):
        first, last = INPUT_GRID.quarter_months(q)
        formulas[INPUT_GRID.quarter(q)] = aggregate_formula(kind, row, first, last)
    formulas[INPUT_GRID.ytd] = aggregate_formula(kind, row, INPUT_GRID.month(0), INPUT_GRID.month(MONTHS - 1))
    return formulas


_KEPT: Kept[tuple[object, ...], dict[int, str]] = Kept(4_096)
"""Rows of formulas kept per process, at most 4,096 (a CRM workbook has about 150)."""


def _kept(key: tuple[object, ...], make: Callable[[], dict[int, str]]) -> dict[int, str]:
    """A row's formulas (column -> text), kept per process by everything they are built from: a server,
    a batch or a benchmark building the same catalogue again spells each row once. A copy each time,
    so a caller may change what it gets."""
    return dict(_KEPT.made(key, make))


def kpi_formulas(catalog: Catalog, layout: Layout, kpi_id: str) -> dict[int, str]:
    """Column -> formula for a KPI's 12 months, four quarters, year-to-date and latest month.

    Every column applies the same compiled formula; only the input column changes, since the
    Inputs sheet already aggregates each input by its kind for quarters and the year. Each input
    cell is spelled as ``Layout.input_cell`` spells it (quoted sheet, column, row): the sheet and
    the rows once per KPI, the columns once per period, the formula text by one ``str.format``;
    the row is kept per process (``_kept``) by the formula, the sheet and the rows it reads.
    """
    template, input_ids = _kpi_template(_excel_parts(catalog.formulas[kpi_id]))
    rows = layout.input_rows
    row_texts = tuple(str(rows[input_id] + 1) for input_id in input_ids)
    sheet = quote_sheet(layout.sheets.inputs)
    row = layout.kpi_rows[kpi_id]
    return _kept(("kpi", template, sheet, row_texts, row), lambda: _kpi_row(template, sheet, row_texts, row))


def _kpi_row(template: str, sheet: str, row_texts: tuple[str, ...], row: int) -> dict[int, str]:
    fill = template.format
    formulas = {kcol: fill(sheet + column_letter(icol), *row_texts) for kcol, icol in _KPI_PERIOD_COLUMNS}
    formulas[KPI_LATEST_COL] = latest_formula(row, KPI_GRID.month(0), KPI_GRID.month(MONTHS - 1))
    return formulas


_KPI_PERIOD_COLUMNS = (
    [(KPI_GRID.month(m), INPUT_GRID.month(m)) for m in range(MONTHS)]
    + [(KPI_GRID.quarter(q), INPUT_GRID.quarter(q)) for q in range(4)]
    + [(KPI_GRID.ytd, INPUT_GRID.ytd)]
)
"""(KPI sheet column, Inputs sheet column) of each period a KPI row computes, in the row's order."""


@lru_cache(maxsize=4096)
def _kpi_template(parts: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """``_excel_parts`` as a ``str.format`` template, ``{0}`` the input cells' sheet and column, ``{1}``...
    each distinct input's row, and those inputs in order."""
    input_ids = tuple(dict.fromkeys(parts[1::2]))
    pieces = [
        f"{{0}}{{{input_ids.index(part) + 1}}}" if i % 2 else part.replace("{", "{{").replace("}", "}}")
        for i, part in enumerate(parts)
    ]
    return "".join(pieces), input_ids


def latest_formula(row: int, first: int, last: int) -> str:
    """The last month with a value: the "closing" rule applied to a KPI's own months.

    Nested IFs rather than LOOKUP(9.99E+307, ...): LibreOffice's LOOKUP stops at a trailing
    empty-string result, and an array formula would not compute alike everywhere.
    """
    return aggregate_formula(Aggregation.CLOSING, row, first, last)


@lru_cache(maxsize=4096)
def _excel_parts(expr: Expr) -> tuple[str, ...]:
    """``to_excel`` of a KPI formula once, split around its inputs (odd items are input ids): the 17
    period columns differ only in the input cells, and the writer and the validator both need them."""
    return tuple(to_excel(expr, lambda name: f"\x00{name}\x00").split("\x00"))


def status_expression(value: str, target: str, tolerance: str, better: Better, *, points: bool = False) -> str:
    """1 on track, 0 at risk, -1 off track, "" without a value or target (kpi-reference status rules);
    with ``points`` the tolerance is a distance on the KPI's scale, not a fraction of the target."""
    margin = tolerance if points else f"{tolerance}*ABS({target})"
    if better is Better.HIGHER:
        on, risk = f"{value}>={target}", f"{value}>={target}-{margin}"
    else:
        on, risk = f"{value}<={target}", f"{value}<={target}+{margin}"
    return f'IF(OR(NOT(ISNUMBER({value})),NOT(ISNUMBER({target}))),"",IF({on},1,IF({risk},0,-1)))'


def period_target(catalog: Catalog, kpi_id: str, target: str, months: str) -> str | None:
    """The target a quarter or the year is judged by (``Catalog.time_degree``), or None when none applies."""
    degree = catalog.time_degree[kpi_id]
    if degree == 1:
        return f'IF(ISNUMBER({target}),{target}*COUNT({months}),"")'
    return target if degree == 0 else None


def kpi_status_formula(catalog: Catalog, layout: Layout, kpi_id: str) -> str:
    """The KPI sheet's status cell: the latest month with a value against the monthly target."""
    kpi = catalog.kpis[kpi_id]
    row = layout.kpi_rows[kpi_id]
    latest, target, tolerance = (cell(row, col) for col in (KPI_LATEST_COL, KPI_TARGET_COL, KPI_TOLERANCE_COL))
    return "=" + status_expression(latest, target, tolerance, kpi.better, points=catalog.points(kpi_id))


def kpi_target_formula(layout: Layout, kpi_id: str) -> str:
    """The KPI sheet shows the settings target, blank when the user cleared it."""
    target = layout.target_cell(kpi_id)
    return f'=IF(ISNUMBER({target}),{target},"")'


def kpi_tolerance_formula(layout: Layout, kpi_id: str) -> str:
    """The KPI sheet shows the settings tolerance; a cleared one counts as none (0)."""
    tolerance = layout.tolerance_cell(kpi_id)
    return f"=IF(ISNUMBER({tolerance}),{tolerance},0)"


def kpi_target_formulas(catalog: Catalog, layout: Layout, kpi_id: str) -> dict[int, str]:
    """Column -> formula for a KPI's target, tolerance and status cells; none for an informational KPI."""
    if catalog.kpis[kpi_id].better is Better.INFO:
        return {}
    return {
        KPI_TARGET_COL: kpi_target_formula(layout, kpi_id),
        KPI_TOLERANCE_COL: kpi_tolerance_formula(layout, kpi_id),
        KPI_STATUS_COL: kpi_status_formula(catalog, layout, kpi_id),
    }


def month_label_formula(layout: Layout, index: int, years_back: int = 0) -> str:
    """A month column's label, e.g. "Apr 2026", from the fiscal year and first month settings
    (``years_back``: the same month of an earlier year, for the prior year's sheets).

    The month names are the locale's (CLDR), kept in the workbook as the named lists
    ``list_months`` (chosen in settings) and ``list_months_short`` (shown as labels).
    """
    first = layout.setting_cell("first_month")
    year = layout.setting_cell("year")
    position = f"MATCH({first},list_months,0)-1+{index}"
    year_text = f"{year}-{years_back}" if years_back else year
    return f'=IFERROR(INDEX(list_months_short,MOD({position},12)+1)&" "&({year_text}+INT(({position})/12)),"")'


def in_points(unit: Unit) -> bool:
    """Whether a change against the prior year is a difference in points (percentages, ratios) rather
    than a relative change (counts, money, times, scores)."""
    return unit in (Unit.PERCENT, Unit.RATIO)


RATIO_SMALLEST = 0.0005
"""Half of the last decimal a relative change shows (+12.3%): a smaller one shows as 0, never "-0.0%"."""


def change_formula(unit: Unit, now: str, before: str, smallest: float | None) -> str:
    """The change of a KPI against the prior year: ``now - before`` in points for a percentage, else
    ``(now - before) / |before|``; blank when either is missing, or when ``before`` is 0. A change
    closer to 0 than ``smallest`` (half the last decimal a point change shows) is 0, so it never
    reads "-0.0"; ``None`` is the unguarded formula of layout 2, which the validator still reads."""
    return _change_text(in_points(unit), now, before, _smallest_text(unit, smallest))


def _smallest_text(unit: Unit, smallest: float | None) -> str | None:
    """``change_formula``'s threshold as its formula spells it, or None for the unguarded formula."""
    if smallest is None:
        return None
    return f"{(smallest if in_points(unit) else RATIO_SMALLEST):.12f}".rstrip("0")


def _change_text(points: bool, now: str, before: str, half: str | None) -> str:
    """``change_formula`` with the unit's kind and the threshold's spelling worked out (once per row)."""
    difference = f"{now}-{before}" if points else f"({now}-{before})/ABS({before})"
    shown = difference if half is None else f"IF(ABS({difference})<{half},0,{difference})"
    if not points:
        shown = f'IF({before}=0,"",{shown})'
    return f'=IF(AND(ISNUMBER({now}),ISNUMBER({before})),{shown},"")'


def change_decimals(decimals: int) -> int:
    """Decimals of a point change on the Prior-year KPIs sheet: at least one, so +0.4 points shows."""
    return max(decimals, 1)


def change_formulas(catalog: Catalog, layout: Layout, kpi_id: str, *, guarded: bool = True) -> dict[int, str]:
    """Column -> formula for a KPI's 17 period changes against the prior year (on the prior-year sheet),
    kept per process (``_kept``) by the KPI's unit and decimals, the KPI sheet and the two rows."""
    kpi = catalog.kpis[kpi_id]
    now_sheet = quote_sheet(layout.sheets.kpis)
    rows = layout.kpi_rows[kpi_id], layout.py_kpi_rows[kpi_id]
    key = ("change", kpi.unit, kpi.decimals, now_sheet, *rows, guarded)
    return _kept(key, lambda: _change_row(kpi.unit, kpi.decimals, now_sheet, *rows, guarded=guarded))


def _change_row(unit: Unit, decimals: int, now_sheet: str, now: int, before: int, *, guarded: bool) -> dict[int, str]:
    now_row, before_row = str(now + 1), str(before + 1)
    points = 0.5 / 10.0 ** (change_decimals(decimals) + 2)  # half the last decimal shown
    half = _smallest_text(unit, points if guarded else None)
    kind = in_points(unit)
    formulas = {}
    for col in _CHANGE_COLUMNS:
        letters = column_letter(col)  # cell(row, col), spelled once per row
        formulas[col] = _change_text(kind, now_sheet + letters + now_row, letters + before_row, half)
    return formulas


_CHANGE_COLUMNS = tuple(
    [KPI_GRID.month(m) for m in range(MONTHS)] + [KPI_GRID.quarter(q) for q in range(4)] + [KPI_GRID.ytd]
)
