"""Dashboard: a month selector, a card per KPI (value, target, change, status, sparkline) and a
chart per category of its headline KPI against target.

Sparklines are columns: LibreOffice (7.4) draws column sparklines but not line ones, and a
template must look right wherever it is opened.
"""

from __future__ import annotations

from generator.catalog import Catalog
from generator.catalog.model import Better, Kpi, Unit
from generator.formula.address import cell
from generator.template.dashboard_formulas import (
    CARD_COLS,
    CARD_ROWS,
    CARDS_PER_ROW,
    CHART_COL,
    COMPANY,
    FIRST_CARD_ROW,
    HINT,
    INDEX,
    INDEX_CELL,
    INDEX_COL,
    SELECTOR_ROW,
    SHOWN,
    CardGroup,
    DashboardTexts,
    card_cell,
    card_formulas,
    dashboard_texts,
    header_formulas,
    no_data,
    plan_cards,
)
from generator.template.sheet_formulas import in_points
from generator.workbook.context import Context, short_title
from generator.workbook.sheet_chart_data import labels_range, prior_range, value_range
from generator.workbook.sheet_kpis import status_format
from generator.workbook.styles import MUTED, NAVY, OFF_TRACK, ON_TRACK, RULE, category_colour

__all__ = [
    "CARDS_PER_ROW",
    "CARD_COLS",
    "CARD_ROWS",
    "CHART_COL",
    "FIRST_CARD_ROW",
    "INDEX_CELL",
    "INDEX_COL",
    "SELECTOR_ROW",
    "CardGroup",
    "dashboard_texts",
    "plan_cards",
    "sparkline_axis",
    "write_dashboard",
]
CATEGORIES_PER_PAGE = 2
PRIOR_YEAR = "#BFBFBF"
"""The prior year's columns: grey, so this year's category colour stays the eye's first stop."""


def write_dashboard(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["dashboard"]
    style = ctx.styles
    layout = ctx.layout
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 2)
    for k in range(CARDS_PER_ROW):
        sheet.set_column(1 + k * CARD_COLS, 1 + k * CARD_COLS, 17)
        sheet.set_column(2 + k * CARD_COLS, 2 + k * CARD_COLS, 13)
        sheet.set_column(3 + k * CARD_COLS, 3 + k * CARD_COLS, 2)
    sheet.set_column(CHART_COL - 1, CHART_COL - 1, 2)
    sheet.set_column(CHART_COL, CHART_COL + 8, 9)
    sheet.set_column(INDEX_COL, INDEX_COL, None, None, {"hidden": True})
    ctx.back_link(sheet, 0, 1)
    title = ctx.texts.pick(ctx.catalog.title)
    ctx.title(sheet, title)
    texts = dashboard_texts(ctx._, layout.sheets.inputs, ctx.catalog, ctx.texts.numbers)
    header = header_formulas(layout, texts)
    sheet.write_formula(*COMPANY, header[COMPANY], style("subtitle"))

    sheet.set_row(SELECTOR_ROW, 26)
    sheet.merge_range(SELECTOR_ROW, 1, SELECTOR_ROW, 2, _("Month") + " ▸", style("selector_label"))
    sheet.merge_range(SELECTOR_ROW, 3, SELECTOR_ROW, 4, "", style("selector"))
    sheet.data_validation(
        SELECTOR_ROW,
        3,
        SELECTOR_ROW,
        3,
        {
            "validate": "list",
            "source": "=month_labels",
            "input_title": short_title(_("Month")),
            "input_message": _("Pick the month the cards show, or empty the cell for the latest month with data."),
            "error_title": short_title(_("Invalid month")),
            "error_message": _("Pick a month from the list."),
        },
    )
    sheet.write_formula(*INDEX, header[INDEX])
    sheet.merge_range(SELECTOR_ROW, 5, SELECTOR_ROW, 6, "", style("selector_shown"))
    sheet.write_formula(*SHOWN, header[SHOWN], style("selector_shown"))
    _where_to_start(ctx, texts, header[HINT])

    words = status_format(ctx)
    groups, end = plan_cards(ctx.catalog)
    for index, group in enumerate(groups):
        colour = category_colour(index)
        name = ctx.texts.upper(ctx.texts.pick(ctx.catalog.categories[group.category].name))
        sheet.merge_range(group.row, 1, group.row, CARDS_PER_ROW * CARD_COLS - 1, name, style("group", colour=colour))
        sheet.set_row(group.row, 22)
        _chart(ctx, group.category, colour, group.row)
        for kpi_id, (top, left) in group.cards.items():
            _card(ctx, ctx.catalog.kpis[kpi_id], top, left, colour, words, texts)
    sheet.set_h_pagebreaks([g.row for i, g in enumerate(groups) if i and i % CATEGORIES_PER_PAGE == 0])
    sheet.print_area(0, 0, end, CHART_COL + 8)
    ctx.page_setup(sheet)
    ctx.protect(sheet)


def _where_to_start(ctx: Context, texts: DashboardTexts, formula: str) -> None:
    """Beside the selector: while no month has data, a highlighted hint linking to the Inputs
    sheet (an empty template's cards are blank, which alone says nothing); then how the selector works."""
    _ = ctx._
    sheet = ctx.sheets["dashboard"]
    muted = ctx.styles("muted")
    sheet.merge_range(SELECTOR_ROW, 7, SELECTOR_ROW, 12, "", muted)
    sheet.write_url(*HINT, ctx.link(ctx.layout.sheets.inputs), muted, string=texts.usage, tip=_("Go to the inputs"))
    sheet.write_formula(*HINT, formula, ctx.styles("muted"))
    sheet.conditional_format(
        SELECTOR_ROW,
        7,
        SELECTOR_ROW,
        12,
        {"type": "formula", "criteria": "=" + no_data(ctx.layout), "format": ctx.styles.highlight()},
    )


def sparkline_axis(catalog: Catalog, kpi: Kpi) -> dict[str, float]:
    """The bars' axis starts at 0 (or the bottom of a score's scale), so the smallest month still
    shows a bar; a KPI that can turn negative keeps the automatic axis, which shows its sign."""
    if kpi.range is not None:
        return {"min": min(kpi.range[0], 0.0)}
    return {"min": 0.0} if catalog.never_negative[kpi.id] else {}


def _card(ctx: Context, kpi: Kpi, top: int, left: int, colour: str, words: str, texts: DashboardTexts) -> None:
    """Rows: title, the month's value, target, change on the previous month, change against the same
    month of the prior year, year to date, status, sparkline (``CARD_SHAPE``)."""
    _ = ctx._
    sheet = ctx.sheets["dashboard"]
    style = ctx.styles
    number_format = ctx.kpi_format(kpi)
    right = left + 1
    formulas = card_formulas(ctx.catalog, ctx.layout, kpi.id, top, left, texts)
    status_row, spark_row = card_cell(top, left, "status")[0], card_cell(top, left, "status")[0] + 1
    sheet.set_row(top, 30)
    sheet.set_row(top + 1, 32)
    sheet.set_row(spark_row, 30)
    sheet.set_row(spark_row + 1, 8)
    sheet.merge_range(top, left, top, right, ctx.texts.kpi(kpi).name, style("card_title", colour=colour))
    sheet.merge_range(top + 1, left, top + 1, right, "", style("card_value", number_format))
    value = card_cell(top, left, "value")
    sheet.write_formula(*value, formulas[value], style("card_value", number_format))
    labels = {
        "target": _("Target"),
        "change": _("vs previous month"),
        "prior": _("vs prior year"),
        "ytd": _("Year to date"),
    }
    for part, label in labels.items():
        sheet.write_string(card_cell(top, left, part)[0], left, label, style("card_label"))
    prior_format = number_format if in_points(kpi.unit) else ctx.number_format(Unit.PERCENT, 1)
    for part, shown_format in (("change", number_format), ("prior", prior_format)):
        at = card_cell(top, left, part)
        signed = f"+{shown_format};-{shown_format};{shown_format}"
        sheet.write_formula(*at, formulas[at], style("card_number", signed))
    ytd = card_cell(top, left, "ytd")
    sheet.write_formula(*ytd, formulas[ytd], style("card_number", number_format))
    if kpi.better is Better.INFO:
        sheet.write_string(*card_cell(top, left, "target"), "—", style("card_number"))
        sheet.merge_range(status_row, left, status_row, right, _("for comparison"), style("card_status"))
    else:
        target = card_cell(top, left, "target")
        sheet.write_formula(*target, formulas[target], style("card_number", number_format))
        status = card_cell(top, left, "status")
        sheet.merge_range(status_row, left, status_row, right, "", style("card_status", words))
        sheet.write_formula(*status, formulas[status], style("card_status", words))
        ctx.colour_status(sheet, status_row, left, status_row, right)
        _colour_changes(ctx, kpi, [card_cell(top, left, "change"), card_cell(top, left, "prior")])
    sheet.merge_range(spark_row, left, spark_row, right, "", style("card_spark"))
    sheet.add_sparkline(
        spark_row,
        left,
        {
            **sparkline_axis(ctx.catalog, kpi),
            "range": value_range(ctx.layout, kpi.id),
            "type": "column",
            "high_point": True,
            "last_point": True,
            "negative_points": True,
            "series_color": colour,
            "high_color": NAVY,
            "last_color": NAVY,
            "negative_color": OFF_TRACK[1],
            "empty_cells": "gaps",
        },
    )


def _colour_changes(ctx: Context, kpi: Kpi, cells: list[tuple[int, int]]) -> None:
    """Green where a change is the better way for the KPI, red where it is the worse; 0 or blank stays plain."""
    better, worse = (">", "<") if kpi.better is Better.HIGHER else ("<", ">")
    for row, col in cells:
        shown = cell(row, col)
        for sign, colour_pair in ((better, ON_TRACK), (worse, OFF_TRACK)):
            ctx.sheets["dashboard"].conditional_format(
                row,
                col,
                row,
                col,
                {
                    "type": "formula",
                    "criteria": f"=AND(ISNUMBER({shown}),{shown}{sign}0)",
                    "format": ctx.styles.conditional("", colour_pair[1]),
                },
            )


def _chart(ctx: Context, category_id: str, colour: str, row: int) -> None:
    """The category's headline KPI by month as columns beside the prior year's (grey), with its target as
    a dashed line.

    Columns, not a line: a month without data holds #N/A, which Excel leaves out of either, but
    LibreOffice plots as 0, so a line would fall to zero after the last month typed, while a
    column of height 0 is simply not there.
    """
    _ = ctx._
    kpi = ctx.catalog.headline(category_id)
    if kpi is None:
        return
    chart = ctx.workbook.add_chart({"type": "column"})
    name = ctx.texts.kpi(kpi).name
    chart.add_series(
        {
            "name": name,
            "categories": "=" + labels_range(ctx.layout),
            "values": "=" + value_range(ctx.layout, kpi.id),
            "fill": {"color": colour},
            "border": {"none": True},
            "gap": 60,
        }
    )
    if kpi.id in ctx.layout.py_chart_rows:
        chart.add_series(
            {
                "name": _("Prior year"),
                "categories": "=" + labels_range(ctx.layout),
                "values": "=" + prior_range(ctx.layout, kpi.id),
                "fill": {"color": PRIOR_YEAR},
                "border": {"none": True},
            }
        )
    if kpi.better is not Better.INFO:
        target = ctx.workbook.add_chart({"type": "line"})
        target.add_series(
            {
                "name": _("Target"),
                "categories": "=" + labels_range(ctx.layout),
                "values": "=" + value_range(ctx.layout, kpi.id, target=True),
                "line": {"color": MUTED, "width": 1.5, "dash_type": "dash"},
                "marker": {"type": "none"},
            }
        )
        chart.combine(target)
    chart.set_title({"name": name, "name_font": {"size": 11, "bold": True, "color": NAVY}})
    number_format = ctx.kpi_format(kpi)
    axis: dict[str, object] = {
        "num_format": number_format,
        "major_gridlines": {"visible": True, "line": {"color": RULE}},
        "num_font": {"size": 8},
    }
    if kpi.range is not None:
        axis.update({"min": kpi.range[0], "max": kpi.range[1]})
    chart.set_y_axis(axis)
    chart.set_x_axis({"num_font": {"size": 8, "rotation": -45}, "label_position": "low"})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.show_blanks_as("gap")
    chart.show_na_as_empty_cell()
    chart.set_chartarea({"border": {"color": RULE}})
    chart.set_size({"width": 600, "height": 280})
    ctx.sheets["dashboard"].insert_chart(row, CHART_COL, chart, {"x_offset": 4, "y_offset": 2})
