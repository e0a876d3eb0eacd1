"""Sources: each consolidated workbook's KPI values for the year, side by side with the total.

Written only by ``kpigen consolidate``. A source's values are numbers computed when the
workbooks were combined (its inputs are not in this workbook); the total column is a formula
on this workbook's KPI sheet, so it follows any later change to the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.formula.address import cell, quote_sheet
from generator.template.layout import KPI_GRID
from generator.template.periods import kpi_values
from generator.workbook.context import Context

HEADER = 4
FIRST_ROW = HEADER + 1
FIRST_SOURCE_COL = 3


@dataclass(frozen=True)
class SourceKpis:
    """One consolidated workbook: its label (file name and company) and each KPI's year value."""

    label: str
    year: dict[str, float | None]


def write_sources(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["sources"]
    style = ctx.styles
    sources = ctx.sources
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 2)
    sheet.set_column(1, 1, 5)
    sheet.set_column(2, 2, 36)
    sheet.set_column(FIRST_SOURCE_COL, FIRST_SOURCE_COL + len(sources), 16)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("Sources"))
    sheet.write_string(
        2,
        1,
        _("Year-to-date KPI values of each consolidated workbook, and the total this workbook computes."),
        style("subtitle"),
    )
    sheet.write_string(HEADER, 1, _("No."), style("header"))
    sheet.write_string(HEADER, 2, _("KPI"), style("header_left"))
    for offset, source in enumerate(sources):
        sheet.write_string(HEADER, FIRST_SOURCE_COL + offset, source.label, style("header"))
    total_col = FIRST_SOURCE_COL + len(sources)
    sheet.write_string(HEADER, total_col, _("Total"), style("header"))
    sheet.set_row(HEADER, 45)
    kpis_sheet = quote_sheet(ctx.layout.sheets.kpis)
    totals = kpi_values(ctx.catalog, ctx.values or {})
    for offset, kpi in enumerate(ctx.catalog.kpis.values()):
        row = FIRST_ROW + offset
        number_format = ctx.kpi_format(kpi)
        sheet.write_number(row, 1, kpi.number, style("label"))
        sheet.write_string(row, 2, ctx.texts.kpi(kpi).name, style("label_bold"))
        for col, source in enumerate(sources, start=FIRST_SOURCE_COL):
            value = source.year.get(kpi.id)
            if value is None:
                sheet.write_blank(row, col, None, style("formula", number_format))
            else:
                sheet.write_number(row, col, value, style("formula", number_format))
        ytd = cell(ctx.layout.kpi_rows[kpi.id], KPI_GRID.ytd)
        total = totals[kpi.id][-1]
        sheet.write_formula(
            row, total_col, f"={kpis_sheet}{ytd}", style("formula_bold", number_format), "" if total is None else total
        )
    last = FIRST_ROW + len(ctx.catalog.kpis) - 1
    sheet.freeze_panes(FIRST_ROW, FIRST_SOURCE_COL)
    sheet.print_area(0, 0, last, total_col)
    ctx.page_setup(sheet, repeat_rows=(HEADER, HEADER))
    ctx.protect(sheet)
