"""A hidden sheet of chart-ready rows and the locale's month lists.

Charts and sparklines plot an empty-string formula result as zero; here a blank month
becomes #N/A, which every engine leaves out of a line, so a half-filled year draws honestly.
"""

from __future__ import annotations

from generator.catalog.model import Better
from generator.formula.address import cell, quote_sheet
from generator.template.chart_data_formulas import (
    HAS_DATA_ROW,
    LABEL_ROW,
    LIST_COL,
    has_data_formulas,
    kpi_prior_formulas,
    kpi_target_formulas,
    kpi_value_formulas,
    label_formulas,
    labels_range,
    latest_month,
    prior_range,
    value_range,
)
from generator.template.layout import MONTHS
from generator.workbook.context import Context

__all__ = [
    "HAS_DATA_ROW",
    "LABEL_ROW",
    "LIST_COL",
    "labels_range",
    "latest_month",
    "prior_range",
    "value_range",
    "write_chart_data",
]


def write_chart_data(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["chart_data"]
    layout = ctx.layout
    workbook = ctx.workbook
    sheet.hide()
    sheet.set_column(0, 0, 30)
    sheet.write_string(HAS_DATA_ROW, 0, _("Helper data for the dashboard's charts; do not edit."))
    for (row, col), formula in (has_data_formulas(layout) | label_formulas(layout)).items():
        sheet.write_formula(row, col, formula)
    for kpi_id, row in layout.chart_rows.items():
        kpi = ctx.catalog.kpis[kpi_id]
        sheet.write_string(row, 0, ctx.texts.kpi(kpi).name)
        if kpi.better is not Better.INFO:
            sheet.write_string(row + 1, 0, _("Target"))
        formulas = kpi_value_formulas(layout, kpi_id) | kpi_target_formulas(ctx.catalog, layout, kpi_id)
        for (formula_row, col), formula in formulas.items():
            sheet.write_formula(formula_row, col, formula)
    for kpi_id, row in layout.py_chart_rows.items():
        sheet.write_string(row, 0, ctx.texts.kpi(ctx.catalog.kpis[kpi_id]).name + " · " + _("Prior year"))
        for (formula_row, col), formula in kpi_prior_formulas(layout, kpi_id).items():
            sheet.write_formula(formula_row, col, formula)
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
