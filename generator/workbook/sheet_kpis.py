"""KPIs: one row per KPI grouped by category, 12 months, quarters, year-to-date, target and status.

Values are coloured against the target by the status rules; the status cell holds 1, 0 or -1
and a number format prints the words, so formulas and charts stay language-free.
"""

from __future__ import annotations

from generator.catalog.model import Better, Kpi
from generator.formula.address import cell
from generator.template.layout import (
    HEADER_ROW,
    KPI_GRID,
    KPI_LATEST_COL,
    KPI_STATUS_COL,
    KPI_TARGET_COL,
    KPI_TOLERANCE_COL,
    MONTHS,
)
from generator.template.sheet_formulas import (
    kpi_formulas,
    kpi_target_formulas,
    period_target,
    status_expression,
)
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
    sheet.set_column(KPI_LATEST_COL, KPI_TARGET_COL, 11)
    sheet.set_column(KPI_TOLERANCE_COL, KPI_TOLERANCE_COL, 9)
    sheet.set_column(KPI_STATUS_COL, KPI_STATUS_COL, 14)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("KPI results"))
    sheet.write_string(
        2,
        1,
        _(
            "Calculated from the monthly inputs; nothing to type here. Colours compare each "
            "value with its target; the status judges the latest month with data."
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
    sheet.write_string(HEADER_ROW, KPI_LATEST_COL, _("Latest month"), style("header"))
    sheet.write_string(HEADER_ROW, KPI_TARGET_COL, _("Monthly target"), style("header"))
    sheet.write_string(HEADER_ROW, KPI_TOLERANCE_COL, _("Tolerance"), style("header"))
    sheet.write_string(HEADER_ROW, KPI_STATUS_COL, _("Status (latest month)"), style("header"))

    for index, (category_id, row) in enumerate(layout.kpi_group_rows.items()):
        colour = category_colour(index)
        sheet.set_row(row, 20)
        group = style("group", colour=colour)  # looked up once for the row's cells
        for col in range(1, KPI_STATUS_COL + 1):
            sheet.write_blank(row, col, None, group)
        name = ctx.texts.pick(ctx.catalog.categories[category_id].name)
        sheet.write_string(row, 1, ctx.texts.upper(name), group)

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
        plain, bold = style("formula", number_format), style("formula_bold", number_format)  # the year in bold
        for col, formula in kpi_formulas(ctx.catalog, layout, kpi_id).items():
            sheet.write_formula(row, col, formula, bold if col == KPI_GRID.ytd else plain)
        if kpi.better is Better.INFO:
            sheet.write_string(row, KPI_TARGET_COL, "", style("formula"))
            sheet.write_string(row, KPI_TOLERANCE_COL, "", style("formula"))
            sheet.write_string(row, KPI_STATUS_COL, _("for comparison"), style("unit"))
            continue
        formats = {
            KPI_TARGET_COL: style("formula", number_format),
            KPI_TOLERANCE_COL: style("formula", ctx.tolerance_format(kpi)),
            KPI_STATUS_COL: style("status", words),
        }
        for col, formula in kpi_target_formulas(ctx.catalog, layout, kpi_id).items():
            sheet.write_formula(row, col, formula, formats[col])
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
    """Green, amber or red fill for each month against the target, and for each quarter and the
    year against its period target where one applies (``Catalog.time_degree``)."""
    sheet = ctx.sheets["kpis"]
    tolerance = cell(row, KPI_TOLERANCE_COL, absolute=True)
    target = cell(row, KPI_TARGET_COL, absolute=True)
    groups: list[tuple[int, int, str]] = [(KPI_GRID.month(0), KPI_GRID.month(MONTHS - 1), target)]
    spans = [KPI_GRID.quarter_months(q) for q in range(4)] + [(KPI_GRID.month(0), KPI_GRID.month(MONTHS - 1))]
    columns = [KPI_GRID.quarter(q) for q in range(4)] + [KPI_GRID.ytd]
    for col, (first, last) in zip(columns, spans, strict=True):
        months = f"{cell(row, first, absolute=True)}:{cell(row, last, absolute=True)}"
        goal = period_target(ctx.catalog, kpi.id, target, months)
        if goal is not None:
            groups.append((col, col, goal))
    for first, last, goal in groups:
        expression = status_expression(cell(row, first), goal, tolerance, kpi.better, points=ctx.catalog.points(kpi.id))
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
