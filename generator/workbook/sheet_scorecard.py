"""Scorecard: for catalogues that define one, each goal with its KPIs, value, target, status, owner."""

from __future__ import annotations

from generator.catalog.model import Better
from generator.template.scorecard_formulas import (
    HEADER,
    LATEST_COL,
    STATUS_COL,
    TARGET_COL,
    YTD_COL,
    scorecard_formulas,
    scorecard_rows,
)
from generator.workbook.context import Context
from generator.workbook.sheet_kpis import status_format

__all__ = ["HEADER", "write_scorecard"]


def write_scorecard(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["scorecard"]
    style = ctx.styles
    catalog = ctx.catalog
    sheet.hide_gridlines(2)
    widths = [2, 18, 30, 34, 14, 14, 14, 14, 24, 12, 26]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("Balanced scorecard"))
    sheet.write_string(
        2,
        1,
        _("Each goal with the KPIs that measure it; the status judges the latest month with data."),
        style("subtitle"),
    )
    headers = [
        _("Perspective"),
        _("Goal"),
        _("KPI"),
        _("Latest month"),
        _("Monthly target"),
        _("Status"),
        _("Year to date"),
        _("Data source"),
        _("Tracked"),
        _("Owner"),
    ]
    for col, text in enumerate(headers, start=1):
        sheet.write_string(HEADER, col, text, style("header"))
    sheet.set_row(HEADER, 30)
    periods = {"daily": _("daily"), "weekly": _("weekly"), "monthly": _("monthly"), "quarterly": _("quarterly")}
    words = status_format(ctx)
    row = HEADER + 1
    for goal, lines in zip(catalog.scorecard, scorecard_rows(catalog), strict=True):
        first = row
        for row, kpi_id in lines:
            kpi = catalog.kpis[kpi_id]
            number_format = ctx.kpi_format(kpi)
            formulas = scorecard_formulas(catalog, ctx.layout, kpi_id, row)
            sheet.write_string(row, 3, ctx.texts.kpi(kpi).name, style("label"))
            sheet.write_formula(row, LATEST_COL, formulas[(row, LATEST_COL)], style("formula", number_format))
            sheet.write_formula(row, YTD_COL, formulas[(row, YTD_COL)], style("formula", number_format))
            if kpi.better is Better.INFO:
                sheet.write_string(row, TARGET_COL, "", style("formula"))
                sheet.write_string(row, STATUS_COL, "", style("formula"))
            else:
                target, status = formulas[(row, TARGET_COL)], formulas[(row, STATUS_COL)]
                sheet.write_formula(row, TARGET_COL, target, style("formula", number_format))
                sheet.write_formula(row, STATUS_COL, status, style("status", words))
        row = first + len(lines)
        last = row - 1
        cells = [
            (1, ctx.texts.pick(catalog.perspectives[goal.perspective].name)),
            (2, ctx.texts.pick(goal.goal)),
            (8, ctx.texts.pick(goal.data_source)),
            (9, periods[goal.period]),
            (10, ctx.texts.pick(goal.owner)),
        ]
        for col, text in cells:
            if last > first:
                sheet.merge_range(first, col, last, col, text, style("wrap"))
            else:
                sheet.write_string(first, col, text, style("wrap"))
        for r in range(first, last + 1):
            sheet.set_row(r, 30)
    ctx.colour_status(sheet, HEADER + 1, 6, max(row - 1, HEADER + 1), 6)
    sheet.freeze_panes(HEADER + 1, 0)
    sheet.print_area(0, 0, row, len(widths) - 1)
    ctx.page_setup(sheet)
    ctx.protect(sheet)
