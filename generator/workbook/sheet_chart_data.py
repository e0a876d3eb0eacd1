"""A hidden sheet of chart-ready rows and the locale's month lists.

Charts and sparklines plot an empty-string formula result as zero; here a blank month
becomes #N/A, which every engine leaves out of a line, so a half-filled year draws honestly.
"""

from __future__ import annotations

from generator.catalog.model import Better
from generator.layout import INPUT_GRID, KPI_GRID, MONTHS, Layout, cell, quote_sheet
from generator.workbook.context import Context

LIST_COL = MONTHS + 2
"""Column of the full month names; the short names are in the next one."""
LABEL_ROW = 1
HAS_DATA_ROW = 0


def value_range(layout: Layout, kpi_id: str, target: bool = False) -> str:
    """The chart-data row of a KPI's 12 monthly values (or its target line)."""
    row = layout.chart_rows[kpi_id] + (1 if target else 0)
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


def write_chart_data(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["chart_data"]
    layout = ctx.layout
    workbook = ctx.workbook
    sheet.hide()
    sheet.set_column(0, 0, 30)
    sheet.write_string(HAS_DATA_ROW, 0, _("Helper data for the dashboard's charts; do not edit."))
    rows = list(layout.input_rows.values())
    first_row, last_row = (min(rows), max(rows)) if rows else (0, 0)
    for m in range(MONTHS):
        col = INPUT_GRID.month(m)
        span = quote_sheet(layout.sheets.inputs) + cell(first_row, col) + ":" + cell(last_row, col)
        sheet.write_formula(HAS_DATA_ROW, 1 + m, f"=IF(COUNT({span})>0,{m + 1},0)")
        sheet.write_formula(LABEL_ROW, 1 + m, "=" + layout.month_label_cell(m))
    for kpi_id, row in layout.chart_rows.items():
        kpi = ctx.catalog.kpis[kpi_id]
        sheet.write_string(row, 0, ctx.texts.kpi(kpi).name)
        for m in range(MONTHS):
            source = layout.kpi_cell(kpi_id, KPI_GRID.month(m))
            sheet.write_formula(row, 1 + m, f"=IF(ISNUMBER({source}),{source},NA())")
        if kpi.better is not Better.INFO:
            sheet.write_string(row + 1, 0, _("Target"))
            target = layout.target_cell(kpi_id)
            for m in range(MONTHS):
                sheet.write_formula(row + 1, 1 + m, f"=IF(ISNUMBER({target}),{target},NA())")
    full, short = ctx.texts.months("wide"), ctx.texts.months("abbreviated")
    for m in range(MONTHS):
        sheet.write_string(1 + m, LIST_COL, full[m])
        sheet.write_string(1 + m, LIST_COL + 1, short[m])
    prefix = quote_sheet(layout.sheets.chart_data)
    workbook.define_name(
        "list_months", "=" + prefix + cell(1, LIST_COL, absolute=True) + ":" + cell(MONTHS, LIST_COL, absolute=True)
    )
    workbook.define_name(
        "list_months_short",
        "=" + prefix + cell(1, LIST_COL + 1, absolute=True) + ":" + cell(MONTHS, LIST_COL + 1, absolute=True),
    )
    ctx.protect(sheet)
