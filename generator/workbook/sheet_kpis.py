"""KPIs: one row per KPI grouped by category, 12 months, quarters, year-to-date, target and status.

Values are coloured against the target by the status rules; the status cell holds 1, 0 or -1
and a number format prints the words, so formulas and charts stay language-free.
"""

from __future__ import annotations

from generator.catalog.model import Better, Kpi
from generator.layout import HEADER_ROW, KPI_GRID, KPI_STATUS_COL, KPI_TARGET_COL, MONTHS, cell
from generator.sheet_formulas import kpi_formulas, kpi_status_formula, kpi_target_formula, status_expression
from generator.workbook.context import Context
from generator.workbook.sheet_inputs import period_headers
from generator.workbook.styles import AT_RISK, OFF_TRACK, ON_TRACK, category_colour


def status_format(ctx: Context) -> str:
    """Number format that shows 1 / -1 / 0 as the locale's status words."""
    _ = ctx._

    def word(text: str) -> str:
        return '"' + text.replace('"', "") + '"'

    return f"[=1]{word('● ' + _('On track'))};[=-1]{word('● ' + _('Off track'))};{word('● ' + _('At risk'))}"


def write_kpis(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["kpis"]
    style = ctx.styles
    layout = ctx.layout
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 2)
    sheet.set_column(1, 1, 5)
    sheet.set_column(2, 2, 38)
    sheet.set_column(3, 3, 9)
    sheet.set_column(KPI_GRID.month(0), KPI_GRID.month(MONTHS - 1), 10)
    sheet.set_column(KPI_GRID.quarter(0), KPI_GRID.ytd, 11)
    sheet.set_column(KPI_TARGET_COL, KPI_TARGET_COL, 11)
    sheet.set_column(KPI_STATUS_COL, KPI_STATUS_COL, 14)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("KPI results"))
    sheet.write_string(
        2,
        1,
        _(
            "Calculated from the monthly inputs; nothing to type here. Colours compare each "
            "value with its target; the status judges the year to date."
        ),
        style("subtitle"),
    )

    sheet.set_row(HEADER_ROW, 30)
    sheet.write_string(HEADER_ROW, 1, _("No."), style("header"))
    sheet.write_string(HEADER_ROW, 2, _("KPI"), style("header_left"))
    sheet.write_string(HEADER_ROW, 3, _("Unit"), style("header"))
    for m in range(MONTHS):
        sheet.write_formula(HEADER_ROW, KPI_GRID.month(m), "=" + layout.month_label_cell(m), style("header"))
    for i, label in enumerate(period_headers(ctx)):
        sheet.write_string(HEADER_ROW, KPI_GRID.quarter(0) + i, label, style("header"))
    sheet.write_string(HEADER_ROW, KPI_TARGET_COL, _("Monthly target"), style("header"))
    sheet.write_string(HEADER_ROW, KPI_STATUS_COL, _("Status (year)"), style("header"))

    for index, (category_id, row) in enumerate(layout.kpi_group_rows.items()):
        colour = category_colour(index)
        sheet.set_row(row, 20)
        for col in range(1, KPI_STATUS_COL + 1):
            sheet.write_blank(row, col, None, style("group", colour=colour))
        name = ctx.texts.pick(ctx.catalog.categories[category_id].name)
        sheet.write_string(row, 1, ctx.texts.upper(name), style("group", colour=colour))

    words = status_format(ctx)
    for kpi_id, row in layout.kpi_rows.items():
        kpi = ctx.catalog.kpis[kpi_id]
        number_format = ctx.kpi_format(kpi)
        sheet.write_number(row, 1, kpi.number, style("unit"))
        sheet.write_url(
            row,
            2,
            ctx.link(layout.sheets.definitions, f"B{definition_row(ctx, kpi_id) + 1}"),
            style("label"),
            string=ctx.texts.kpi(kpi).name,
            tip=_("Definition of this KPI"),
        )
        sheet.write_string(row, 3, ctx.unit_label(kpi.unit), style("unit"))
        for col, formula in kpi_formulas(ctx.catalog, layout, kpi_id).items():
            bold = col == KPI_GRID.ytd
            sheet.write_formula(row, col, formula, style("formula_bold" if bold else "formula", number_format))
        if kpi.better is Better.INFO:
            sheet.write_string(row, KPI_TARGET_COL, "", style("formula"))
            sheet.write_string(row, KPI_STATUS_COL, _("for comparison"), style("unit"))
            continue
        sheet.write_formula(row, KPI_TARGET_COL, kpi_target_formula(layout, kpi_id), style("formula", number_format))
        sheet.write_formula(
            row, KPI_STATUS_COL, kpi_status_formula(ctx.catalog, layout, kpi_id), style("status", words)
        )
        _colour_against_target(ctx, kpi, row)

    last_row = max(layout.kpi_rows.values(), default=HEADER_ROW)
    ctx.colour_status(sheet, HEADER_ROW + 1, KPI_STATUS_COL, last_row, KPI_STATUS_COL)
    sheet.freeze_panes(HEADER_ROW + 1, KPI_GRID.month(0))
    sheet.print_area(0, 0, last_row, KPI_STATUS_COL)
    ctx.page_setup(sheet, repeat_rows=(HEADER_ROW, HEADER_ROW))
    ctx.protect(sheet)


def definition_row(ctx: Context, kpi_id: str) -> int:
    """Row of a KPI on the Definitions sheet (its order in the catalogue, below the header)."""
    from generator.workbook.sheet_definitions import FIRST_ROW

    return FIRST_ROW + list(ctx.catalog.kpis).index(kpi_id)


def _colour_against_target(ctx: Context, kpi: Kpi, row: int) -> None:
    """Green, amber or red fill for each month, quarter and the year against the target."""
    sheet = ctx.sheets["kpis"]
    tolerance = ctx.layout.tolerance_cell(kpi.id)
    target = cell(row, KPI_TARGET_COL, absolute=True)
    additive = ctx.catalog.additive[kpi.id]
    groups: list[tuple[int, int, str]] = [(KPI_GRID.month(0), KPI_GRID.month(MONTHS - 1), target)]
    if additive:
        for q in range(4):
            first, last = KPI_GRID.quarter_months(q)
            months = f"COUNT({cell(row, first, absolute=True)}:{cell(row, last, absolute=True)})"
            groups.append((KPI_GRID.quarter(q), KPI_GRID.quarter(q), f"({target}*{months})"))
        all_months = (
            f"COUNT({cell(row, KPI_GRID.month(0), absolute=True)}:{cell(row, KPI_GRID.month(11), absolute=True)})"
        )
        groups.append((KPI_GRID.ytd, KPI_GRID.ytd, f"({target}*{all_months})"))
    else:
        groups.append((KPI_GRID.quarter(0), KPI_GRID.ytd, target))
    for first, last, goal in groups:
        here = cell(row, first)
        expression = status_expression(here, goal, tolerance, kpi.better)
        for value, (fill, font) in ((1, ON_TRACK), (0, AT_RISK), (-1, OFF_TRACK)):
            sheet.conditional_format(
                row,
                first,
                row,
                last,
                {
                    "type": "formula",
                    "criteria": f"={expression}={value}",
                    "format": ctx.styles.conditional(fill, font),
                },
            )
