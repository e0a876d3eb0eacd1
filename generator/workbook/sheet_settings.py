"""Settings: company, fiscal year, first month, currency, and every KPI's target and tolerance."""

from __future__ import annotations

from generator.catalog.model import Better
from generator.template.layout import SETTINGS_TARGET_HEADER, SETTINGS_TOLERANCE_COL, SETTINGS_VALUE_COL
from generator.template.options import YEAR_MAX, YEAR_MIN
from generator.workbook.context import Context, short_title


def write_settings(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["settings"]
    style = ctx.styles
    layout = ctx.layout
    options = ctx.options
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 2)
    sheet.set_column(1, 1, 6)
    sheet.set_column(2, 2, 42)
    sheet.set_column(3, 4, 16)
    sheet.set_column(5, 6, 14)
    sheet.set_column(7, 7, 60)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("Settings"))
    sheet.write_string(
        2,
        1,
        _("Type in the yellow cells. Targets are monthly; the last column says how a quarter and the year are judged."),
        style("subtitle"),
    )

    rows = layout.settings_rows
    labels = {
        "company": _("Company name"),
        "year": _("Fiscal year (the year of the first month)"),
        "first_month": _("First month of the fiscal year"),
        "currency": _("Currency"),
    }
    for name, label in labels.items():
        sheet.merge_range(rows[name], 1, rows[name], 2, label, style("label_bold"))
    sheet.merge_range(
        rows["company"],
        SETTINGS_VALUE_COL,
        rows["company"],
        SETTINGS_TOLERANCE_COL,
        options.company,
        style("input_text"),
    )
    sheet.write_number(rows["year"], SETTINGS_VALUE_COL, options.year, style("input", "0"))
    sheet.data_validation(
        rows["year"],
        SETTINGS_VALUE_COL,
        rows["year"],
        SETTINGS_VALUE_COL,
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": YEAR_MIN,
            "maximum": YEAR_MAX,
            "input_title": short_title(_("Fiscal year")),
            "input_message": _("The calendar year in which the fiscal year starts."),
            "error_title": short_title(_("Invalid year")),
            "error_message": _("Type a year such as 2026."),
        },
    )
    months = ctx.texts.months("wide")
    sheet.write_string(rows["first_month"], SETTINGS_VALUE_COL, months[options.first_month - 1], style("input_text"))
    sheet.data_validation(
        rows["first_month"],
        SETTINGS_VALUE_COL,
        rows["first_month"],
        SETTINGS_VALUE_COL,
        {
            "validate": "list",
            "source": "=list_months",
            "input_title": short_title(_("First month")),
            "input_message": _("Pick the month your fiscal year starts with."),
            "error_title": short_title(_("Invalid month")),
            "error_message": _("Pick a month from the list."),
        },
    )
    sheet.write_string(rows["currency"], SETTINGS_VALUE_COL, options.currency, style("formula"))
    sheet.merge_range(
        rows["currency"],
        SETTINGS_TOLERANCE_COL + 1,
        rows["currency"],
        SETTINGS_TOLERANCE_COL + 3,
        _("Money is formatted in this currency; build the template again to change it."),
        style("muted"),
    )
    sheet.set_row(rows["currency"], 30)

    header = SETTINGS_TARGET_HEADER
    sheet.write_string(header - 1, 1, ctx.texts.upper(_("Targets")), style("heading"))
    for col, text in enumerate(
        [
            _("No."),
            _("KPI"),
            _("Monthly target"),
            _("Tolerance"),
            _("Unit"),
            _("Better when"),
            _("What the target means"),
        ],
        start=1,
    ):
        sheet.write_string(header, col, text, style("header" if col != 2 else "header_left"))
    sheet.set_row(header, 30)
    direction = {Better.HIGHER: _("higher"), Better.LOWER: _("lower")}
    for kpi_id, row in layout.target_rows.items():
        kpi = ctx.catalog.kpis[kpi_id]
        kpi_text = ctx.texts.kpi(kpi)
        sheet.write_number(row, 1, kpi.number, style("label"))
        sheet.write_string(row, 2, kpi_text.name, style("label"))
        target = ctx.target(kpi)
        if target is not None:
            sheet.write_number(row, SETTINGS_VALUE_COL, target, style("input", ctx.kpi_format(kpi)))
        else:
            sheet.write_blank(row, SETTINGS_VALUE_COL, None, style("input", ctx.kpi_format(kpi)))
        tolerance = ctx.tolerance(kpi)
        sheet.write_number(row, SETTINGS_TOLERANCE_COL, tolerance, style("input", ctx.tolerance_format(kpi)))
        if ctx.catalog.points(kpi_id):
            sheet.data_validation(
                row,
                SETTINGS_TOLERANCE_COL,
                row,
                SETTINGS_TOLERANCE_COL,
                {
                    "validate": "decimal",
                    "criteria": ">=",
                    "value": 0,
                    "input_title": short_title(_("Tolerance")),
                    "input_message": _("Points on this KPI's scale that still count as at risk rather than off track."),
                    "error_title": short_title(_("Invalid tolerance")),
                    "error_message": _("Type a number of points, 0 or more."),
                },
            )
        sheet.write_string(row, 5, ctx.unit_label(kpi.unit), style("unit"))
        sheet.write_string(row, 6, direction[kpi.better], style("unit"))
        degree = ctx.catalog.time_degree[kpi_id]
        if degree == 1:
            meaning = _("Per month; a quarter or the year is judged against the target times its months with data.")
        elif degree == 0:
            meaning = _("Per month, quarter and year alike.")
        else:
            meaning = _("Per month only; a quarter or a year of this KPI cannot be judged by a monthly target.")
        if target is None and kpi.targets:
            note = _("The catalogue has no target in {currency}: type your own.")
            meaning = note.format(currency=options.currency) + " " + meaning
        sheet.write_string(row, 7, meaning, style("muted"))
    if layout.target_rows:
        first, last = min(layout.target_rows.values()), max(layout.target_rows.values())
        sheet.data_validation(
            first,
            SETTINGS_VALUE_COL,
            last,
            SETTINGS_VALUE_COL,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": -1e12,
                "maximum": 1e12,
                "input_title": short_title(_("Monthly target")),
                "input_message": _("The value this KPI should reach each month. Leave empty for no status."),
                "error_title": short_title(_("Not a number")),
                "error_message": _("Type a number, or leave the cell empty."),
            },
        )
        for start, end in _runs([r for k, r in layout.target_rows.items() if not ctx.catalog.points(k)]):
            _percent_tolerance(ctx, start, end)
        sheet.freeze_panes(header + 1, 0)
    ctx.page_setup(sheet)
    ctx.protect(sheet)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive rows as (first, last) runs, so a validation skips the rows that need another."""
    runs: list[tuple[int, int]] = []
    for row in sorted(rows):
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _percent_tolerance(ctx: Context, first: int, last: int) -> None:
    _ = ctx._
    ctx.sheets["settings"].data_validation(
        first,
        SETTINGS_TOLERANCE_COL,
        last,
        SETTINGS_TOLERANCE_COL,
        {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 10,
            "input_title": short_title(_("Tolerance")),
            "input_message": _("How far from the target still counts as at risk rather than off track."),
            "error_title": short_title(_("Invalid tolerance")),
            "error_message": _("Type a percentage between 0% and 1000%."),
        },
    )
