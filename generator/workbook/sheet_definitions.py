"""Definitions: every KPI with its group, perspective, unit, direction, formula and guidance."""

from __future__ import annotations

from generator.catalog.model import Better
from generator.workbook.context import Context
from generator.workbook.sheet_start import description

HEADER = 4
FIRST_ROW = HEADER + 1


def write_definitions(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["definitions"]
    style = ctx.styles
    catalog = ctx.catalog
    sheet.hide_gridlines(2)
    widths = [2, 5, 30, 18, 16, 9, 11, 30, 48, 48]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("KPI definitions"))
    sheet.write_string(2, 1, description(ctx), style("subtitle"))
    headers = [
        _("No."),
        _("KPI"),
        _("Category"),
        _("Perspective"),
        _("Unit"),
        _("Better when"),
        _("Formula"),
        _("What it measures"),
        _("How to read it"),
    ]
    for col, text in enumerate(headers, start=1):
        sheet.write_string(HEADER, col, text, style("header"))
    sheet.set_row(HEADER, 30)
    direction = {Better.HIGHER: _("higher"), Better.LOWER: _("lower"), Better.INFO: _("for comparison")}
    for offset, kpi in enumerate(catalog.kpis.values()):
        row = FIRST_ROW + offset
        kpi_text = ctx.texts.kpi(kpi)
        cells = [
            kpi_text.name,
            ctx.texts.pick(catalog.categories[kpi.category].name),
            ctx.texts.pick(catalog.perspectives[kpi.perspective].name),
            ctx.unit_label(kpi.unit),
            direction[kpi.better],
            kpi_text.formula,
            kpi_text.description,
            kpi_text.reading,
        ]
        sheet.write_number(row, 1, kpi.number, style("wrap"))
        for col, value in enumerate(cells, start=2):
            sheet.write_string(row, col, value, style("wrap_bold" if col == 2 else "wrap"))
        lines = -(-max(len(kpi_text.description), len(kpi_text.reading)) // 56)  # about 56 characters a line
        sheet.set_row(row, max(30, 15 * lines + 3))
    last = FIRST_ROW + len(catalog.kpis) - 1
    sheet.freeze_panes(FIRST_ROW, 3)
    sheet.print_area(0, 0, last, len(widths) - 1)
    ctx.page_setup(sheet, repeat_rows=(HEADER, HEADER))
    ctx.protect(sheet)
