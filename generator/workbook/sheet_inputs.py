"""Inputs: one row per input grouped by category, 12 typed months, then quarters and the year.

The quarter and year-to-date columns aggregate each input by its kind (sum, first, last,
average), so the KPI sheet applies one formula to any period.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from generator.catalog.limits import MAX_MESSAGE_TEXT
from generator.catalog.model import InputSpec, Unit
from generator.formula.address import cell
from generator.formula.excel import render
from generator.formula.expr import refs
from generator.template.layout import HEADER_ROW, INPUT_GRID, INPUT_HELP_COL, MONTHS, Layout
from generator.template.sheet_formulas import input_period_formulas, month_label_formula
from generator.workbook.context import Context, short_title
from generator.workbook.styles import AT_RISK, OFF_TRACK, category_colour

Values = dict[str, list[float | None]]
LIMIT = 1e15
"""Largest magnitude a typed value may have: beyond it Excel loses whole-number precision."""


def period_headers(ctx: Context) -> list[str]:
    _ = ctx._
    return [_("Q1"), _("Q2"), _("Q3"), _("Q4"), _("Year to date")]


def write_inputs(ctx: Context, *, prior: bool = False) -> None:
    """The Inputs sheet, or with ``prior`` the prior year's: the same rows, columns, validation,
    help and protection, its months labelled a year earlier, optional to fill."""
    _ = ctx._
    sheet = ctx.sheets["prior_inputs" if prior else "inputs"]
    style = ctx.styles
    layout = ctx.layout.prior() if prior else ctx.layout
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 2)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 2, 9)
    sheet.set_column(INPUT_GRID.month(0), INPUT_GRID.month(MONTHS - 1), 13)
    sheet.set_column(INPUT_GRID.quarter(0), INPUT_GRID.ytd, 15)
    sheet.set_column(INPUT_HELP_COL, INPUT_HELP_COL, 70)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("Prior-year inputs") if prior else _("Monthly inputs"))
    subtitle = (
        _(
            "Optional: the same figures for the year before, to compare each KPI with it. "
            "Leave empty what you do not have."
        )
        if prior
        else _(
            "Type each month's figures in the yellow cells; leave a month empty until "
            "its data is in. Grey columns add the months up by quarter and year."
        )
    )
    sheet.write_string(2, 1, subtitle, style("subtitle"))

    sheet.set_row(HEADER_ROW, 30)
    sheet.write_string(HEADER_ROW, 1, _("Input"), style("header_left"))
    sheet.write_string(HEADER_ROW, 2, _("Unit"), style("header"))
    for m in range(MONTHS):
        label = month_label_formula(layout, m, years_back=1 if prior else 0)
        sheet.write_formula(HEADER_ROW, INPUT_GRID.month(m), label, style("header"))
    for i, label in enumerate(period_headers(ctx)):
        sheet.write_string(HEADER_ROW, INPUT_GRID.quarter(0) + i, label, style("header"))
    sheet.write_string(HEADER_ROW, INPUT_HELP_COL, _("What to type"), style("header_left"))

    for index, (category_id, row) in enumerate(layout.input_group_rows.items()):
        colour = category_colour(index)
        name = ctx.texts.pick(ctx.catalog.categories[category_id].name)
        sheet.set_row(row, 20)
        group = style("group", colour=colour)  # looked up once for the row's cells
        for col in range(1, INPUT_HELP_COL + 1):
            sheet.write_blank(row, col, None, group)
        sheet.write_string(row, 1, ctx.texts.upper(name), group)

    values = ctx.prior_values if prior else ctx.values
    for input_id, row in layout.input_rows.items():
        spec = ctx.catalog.inputs[input_id]
        _write_input_row(ctx, spec, row, sheet, layout, values)

    _flag_rule_breaks(ctx, sheet, layout)
    last_row = max(layout.input_rows.values(), default=HEADER_ROW)
    sheet.freeze_panes(HEADER_ROW + 1, INPUT_GRID.month(0))
    sheet.print_area(0, 0, last_row, INPUT_GRID.ytd)
    ctx.page_setup(sheet, repeat_rows=(HEADER_ROW, HEADER_ROW))
    ctx.protect(sheet)


def _write_input_row(
    ctx: Context, spec: InputSpec, row: int, sheet: Worksheet, layout: Layout, values_by_id: Values | None
) -> None:
    style = ctx.styles
    number_format = ctx.number_format(spec.unit, input_decimals(spec))
    help_text = ctx.texts.pick(spec.help, f"input {spec.id} help")
    sheet.write_string(row, 1, ctx.texts.pick(spec.name, f"input {spec.id}"), style("label"))
    sheet.write_string(row, 2, ctx.unit_label(spec.unit), style("unit"))
    values = values_by_id.get(spec.id) if values_by_id else None
    cell_format = style("input", number_format)
    for m in range(MONTHS):
        value = values[m] if values else None
        if value is None:
            sheet.write_blank(row, INPUT_GRID.month(m), None, cell_format)
        else:
            sheet.write_number(row, INPUT_GRID.month(m), value, cell_format)
    rules = ctx.input_validations.get(spec.id)
    if rules is None:  # the same for both years: Babel writes its bounds once a build
        rules = ctx.input_validations[spec.id] = validation(ctx, spec, help_text)
    sheet.data_validation(row, INPUT_GRID.month(0), row, INPUT_GRID.month(MONTHS - 1), rules)
    period_format = style("formula", number_format)
    for col, formula in input_period_formulas(ctx.catalog, layout, spec.id).items():
        sheet.write_formula(row, col, formula, period_format)
    sheet.write_string(row, INPUT_HELP_COL, help_text, style("muted"))


def _flag_rule_breaks(ctx: Context, sheet: Worksheet, layout: Layout) -> None:
    """Colour a month's cell when a cross-input rule fails (clicks above emails sent, ...).

    Data validation checks one cell against fixed bounds; a rule between two inputs can only
    be shown, so the first input the rule names turns red (error) or amber (warning).
    """
    first = INPUT_GRID.month(0)
    for rule_id, check in ctx.catalog.rule_checks.items():
        names = refs(check)
        row = layout.input_rows[names[0]]
        cells = ",".join(cell(layout.input_rows[n], first) for n in names)
        broken = f"=AND(COUNT({cells})={len(names)},NOT({render(check, lambda n: cell(layout.input_rows[n], first))}))"
        fill, font = OFF_TRACK if ctx.catalog.rules[rule_id].severity == "error" else AT_RISK
        sheet.conditional_format(
            row,
            first,
            row,
            INPUT_GRID.month(MONTHS - 1),
            {
                "type": "formula",
                "criteria": broken,
                "format": ctx.styles.conditional(fill, font),
            },
        )


def input_decimals(spec: InputSpec) -> int:
    """Decimals an input shows: none for whole numbers, one for percents and durations, two for money."""
    if spec.integer:
        return 0
    return 2 if spec.unit in (Unit.CURRENCY, Unit.NUMBER, Unit.YEARS) else 1


def validation(ctx: Context, spec: InputSpec, help_text: str) -> dict[str, Any]:
    """Excel data validation from the input's bounds, with the help as the input message."""
    _ = ctx._
    low = -LIMIT if spec.min is None else spec.min
    high = LIMIT if spec.max is None else spec.max
    kind = "integer" if spec.integer else "decimal"
    if spec.integer and spec.min is not None and spec.max is None:
        rule = _("Type a whole number of {low} or more.")
    elif spec.integer:
        rule = _("Type a whole number between {low} and {high}.")
    elif spec.unit is Unit.PERCENT:
        rule = _("Type a percentage between {low} and {high}.")
    elif spec.min is not None and spec.max is None:
        rule = _("Type a number of {low} or more.")
    elif spec.min is None and spec.max is None:
        rule = _("Type a number (it may be negative).")
    else:
        rule = _("Type a number between {low} and {high}.")
    shown = ctx.texts.percent if spec.unit is Unit.PERCENT else ctx.texts.number
    shown_low, shown_high = shown(low), shown(high)
    message = rule.format(low=shown_low, high=shown_high)
    name = ctx.texts.pick(spec.name)
    return {
        "validate": kind,
        "criteria": "between",
        "minimum": low,
        "maximum": high,
        "input_title": short_title(name),
        "input_message": short_title(help_text, MAX_MESSAGE_TEXT),
        "error_title": short_title(_("Invalid value")),
        "error_message": short_title(name + ": " + message, MAX_MESSAGE_TEXT),
        "ignore_blank": True,
    }
