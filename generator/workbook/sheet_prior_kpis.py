"""Prior-year KPIs: each KPI computed from the prior year's inputs, and below, its change against it.

The rows and columns are the KPI sheet's, so the same formulas serve both years (read from the
"Prior year" inputs instead). A change is in points for percentages and relative otherwise
(``sheet_formulas.change_formula``); green means better, red worse, by the KPI's direction.
"""

from __future__ import annotations

from generator.catalog.model import Better, Unit
from generator.formula.address import cell
from generator.template.layout import HEADER_ROW, KPI_GRID, KPI_LATEST_COL, MONTHS, change_header_row
from generator.template.sheet_formulas import (
    change_decimals,
    change_formulas,
    in_points,
    kpi_formulas,
    month_label_formula,
)
from generator.workbook.context import Context
from generator.workbook.sheet_inputs import period_headers
from generator.workbook.styles import OFF_TRACK, ON_TRACK, category_colour


def write_prior_kpis(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["prior_kpis"]
    style = ctx.styles
    layout = ctx.layout
    prior = layout.prior()
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 2)
    sheet.set_column(1, 1, 5)
    sheet.set_column(2, 2, 38)
    sheet.set_column(3, 3, 9)
    sheet.set_column(KPI_GRID.month(0), KPI_GRID.month(MONTHS - 1), 10)
    sheet.set_column(KPI_GRID.quarter(0), KPI_LATEST_COL, 11)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("Prior-year KPIs"))
    sheet.write_string(
        2,
        1,
        _(
            "Each KPI from the prior year's inputs, then its change this year: in points for "
            "percentages, as a share of last year's value otherwise. Green is better, red worse."
        ),
        style("subtitle"),
    )
    change_header = change_header_row(prior.kpi_rows)
    for header, years_back in ((HEADER_ROW, 1), (change_header, 0)):
        sheet.set_row(header, 30)
        sheet.write_string(header, 1, _("No."), style("header"))
        title = _("KPI, prior year") if years_back else _("Change against the prior year")
        sheet.write_string(header, 2, title, style("header_left"))
        sheet.write_string(header, 3, _("Unit"), style("header"))
        for m in range(MONTHS):
            label = month_label_formula(layout, m, years_back=years_back)
            sheet.write_formula(header, KPI_GRID.month(m), label, style("header"))
        for i, label in enumerate(period_headers(ctx)):
            sheet.write_string(header, KPI_GRID.quarter(0) + i, label, style("header"))
    sheet.write_string(HEADER_ROW, KPI_LATEST_COL, _("Latest month"), style("header"))

    shift = change_header - HEADER_ROW
    for index, (category_id, row) in enumerate(layout.kpi_group_rows.items()):
        colour = category_colour(index)
        name = ctx.texts.upper(ctx.texts.pick(ctx.catalog.categories[category_id].name))
        group = style("group", colour=colour)  # looked up once for the rows' cells
        for at, last in ((row, KPI_LATEST_COL), (row + shift, KPI_GRID.ytd)):
            sheet.set_row(at, 20)
            for col in range(1, last + 1):
                sheet.write_blank(at, col, None, group)
            sheet.write_string(at, 1, name, group)

    for kpi_id, row in prior.kpi_rows.items():
        kpi = ctx.catalog.kpis[kpi_id]
        number_format = ctx.kpi_format(kpi)
        change_row = layout.change_rows[kpi_id]
        for at in (row, change_row):
            sheet.write_number(at, 1, kpi.number, style("unit"))
            sheet.write_string(at, 2, ctx.texts.kpi(kpi).name, style("label"))
        sheet.write_string(row, 3, ctx.unit_label(kpi.unit), style("unit"))
        plain, bold = style("formula", number_format), style("formula_bold", number_format)  # the year in bold
        for col, formula in kpi_formulas(ctx.catalog, prior, kpi_id).items():
            sheet.write_formula(row, col, formula, bold if col == KPI_GRID.ytd else plain)
        points = in_points(kpi.unit)
        decimals = change_decimals(kpi.decimals)
        shown = ctx.number_format(kpi.unit, decimals) if points else ctx.number_format(Unit.PERCENT, 1)
        sheet.write_string(change_row, 3, _("points") if points else "%", style("unit"))
        signed = style("formula", _signed(shown))
        for col, formula in change_formulas(ctx.catalog, layout, kpi_id).items():
            sheet.write_formula(change_row, col, formula, signed)
        if kpi.better is not Better.INFO:
            _colour_by_direction(ctx, change_row, kpi.better)

    last_row = max(layout.change_rows.values(), default=HEADER_ROW)
    sheet.freeze_panes(HEADER_ROW + 1, KPI_GRID.month(0))
    sheet.print_area(0, 0, last_row, KPI_LATEST_COL)
    ctx.page_setup(sheet)  # no repeated header: the change block below has its own
    ctx.protect(sheet)


def _signed(number_format: str) -> str:
    """A change shows its sign: +2.5 / -2.5 / 0."""
    positive = number_format.split(";")[0]
    return f"+{positive};-{positive};{positive}"


def _colour_by_direction(ctx: Context, row: int, better: Better) -> None:
    """Green where the KPI moved the better way against the prior year, red where it moved the worse."""
    sheet = ctx.sheets["prior_kpis"]
    first, last = KPI_GRID.month(0), KPI_GRID.ytd
    here = cell(row, first)
    up, down = (ON_TRACK, OFF_TRACK) if better is Better.HIGHER else (OFF_TRACK, ON_TRACK)
    for sign, (fill, font) in ((">", up), ("<", down)):
        sheet.conditional_format(
            row,
            first,
            row,
            last,
            {
                "type": "formula",
                "criteria": f"=AND(ISNUMBER({here}),{here}{sign}0)",
                "format": ctx.styles.conditional(fill, font),
            },
        )
