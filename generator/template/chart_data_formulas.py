"""Where the hidden chart-data sheet's cells are, and the formulas they carry.

Row 1 says which months have any input typed, row 2 holds the month labels, then each KPI has a
row of its monthly values and (unless informational) a row of its target, with #N/A for a blank
month so charts leave it out; below them, each KPI's prior-year months (``Layout.py_chart_rows``),
#N/A likewise, so an empty prior year draws nothing rather than a line of zeros. The writer writes
these; the validator compares a filled file's sheet with them. The rows come from
``Layout.chart_rows`` (``plan_chart_rows``).
"""

from __future__ import annotations

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.formula.address import cell, quote_sheet
from generator.template.layout import INPUT_GRID, KPI_GRID, MONTHS, Layout

Cell = tuple[int, int]
"""A 0-based (row, column) on the chart-data sheet."""

LIST_COL = MONTHS + 2
"""Column of the full month names; the short names are in the next one."""
LABEL_ROW = 1
HAS_DATA_ROW = 0


def month_col(index: int) -> int:
    """Column of a fiscal month (0-11): B..M."""
    return 1 + index


def value_range(layout: Layout, kpi_id: str, target: bool = False) -> str:
    """The chart-data row of a KPI's 12 monthly values (or its target line)."""
    row = layout.chart_rows[kpi_id] + (1 if target else 0)
    return quote_sheet(layout.sheets.chart_data) + cell(row, 1, absolute=True) + ":" + cell(row, MONTHS, absolute=True)


def prior_range(layout: Layout, kpi_id: str) -> str:
    """The chart-data row of a KPI's 12 prior-year months."""
    row = layout.py_chart_rows[kpi_id]
    return quote_sheet(layout.sheets.chart_data) + cell(row, 1, absolute=True) + ":" + cell(row, MONTHS, absolute=True)


def labels_range(layout: Layout) -> str:
    return (
        quote_sheet(layout.sheets.chart_data)
        + cell(LABEL_ROW, 1, absolute=True)
        + ":"
        + cell(LABEL_ROW, MONTHS, absolute=True)
    )


def latest_month(layout: Layout) -> str:
    """Index (1-12) of the last month with any input typed, 0 when none."""
    first = quote_sheet(layout.sheets.chart_data) + cell(HAS_DATA_ROW, 1, absolute=True)
    last = cell(HAS_DATA_ROW, MONTHS, absolute=True)
    return f"MAX({first}:{last})"


def has_data_formulas(layout: Layout) -> dict[Cell, str]:
    """Each month's position (1-12) when any input of that month is typed, else 0: over the input rows'
    span on the Inputs sheet (every input row must be known)."""
    rows = list(layout.input_rows.values())
    first_row, last_row = (min(rows), max(rows)) if rows else (0, 0)
    formulas = {}
    for m in range(MONTHS):
        col = INPUT_GRID.month(m)
        span = quote_sheet(layout.sheets.inputs) + cell(first_row, col) + ":" + cell(last_row, col)
        formulas[(HAS_DATA_ROW, month_col(m))] = f"=IF(COUNT({span})>0,{m + 1},0)"
    return formulas


def label_formulas(layout: Layout) -> dict[Cell, str]:
    """The month labels, read from the Inputs sheet's header (``Layout.labels_row``)."""
    return {(LABEL_ROW, month_col(m)): "=" + layout.month_label_cell(m) for m in range(MONTHS)}


def kpi_value_formulas(layout: Layout, kpi_id: str) -> dict[Cell, str]:
    """A KPI's twelve months from the KPI sheet, #N/A where blank; none when the KPI's row is unknown."""
    if kpi_id not in layout.kpi_rows:
        return {}
    row = layout.chart_rows[kpi_id]
    formulas = {}
    for m in range(MONTHS):
        source = layout.kpi_cell(kpi_id, KPI_GRID.month(m))
        formulas[(row, month_col(m))] = f"=IF(ISNUMBER({source}),{source},NA())"
    return formulas


def kpi_prior_formulas(layout: Layout, kpi_id: str) -> dict[Cell, str]:
    """A KPI's twelve prior-year months from the Prior-year KPIs sheet, #N/A where blank; none when that
    sheet, the KPI's row on it or its chart-data row is unknown (a workbook of layout 1 or 2)."""
    if not layout.sheets.prior_kpis or kpi_id not in layout.py_kpi_rows or kpi_id not in layout.py_chart_rows:
        return {}
    row = layout.py_chart_rows[kpi_id]
    prior = layout.prior()
    formulas = {}
    for m in range(MONTHS):
        source = prior.kpi_cell(kpi_id, KPI_GRID.month(m))
        formulas[(row, month_col(m))] = f"=IF(ISNUMBER({source}),{source},NA())"
    return formulas


def kpi_target_formulas(catalog: Catalog, layout: Layout, kpi_id: str) -> dict[Cell, str]:
    """A KPI's target line: the Settings target in every month, #N/A when cleared; none for an informational
    KPI or when its target row is unknown."""
    if catalog.kpis[kpi_id].better is Better.INFO or kpi_id not in layout.target_rows:
        return {}
    row = layout.chart_rows[kpi_id] + 1
    target = layout.target_cell(kpi_id)
    return {(row, month_col(m)): f"=IF(ISNUMBER({target}),{target},NA())" for m in range(MONTHS)}
