"""Start: what the workbook is, how to use it in three steps, the colour legend, and navigation."""

from __future__ import annotations

from generator.workbook.context import Context


def description(ctx: Context) -> str:
    """The catalogue's description; for a selection a sentence saying so instead, since the
    catalogue's own ("Tracks 26 ... KPIs") would promise KPIs the workbook does not hold."""
    _, catalog = ctx._, ctx.catalog
    if catalog.selection:
        sentence = _(
            "Your own selection of {count} of this catalogue's {total} KPIs; the {sheet} sheet describes each."
        )
        total = max(catalog.whole_kpis, len(catalog.selection))
        return sentence.format(count=len(catalog.selection), total=total, sheet=ctx.layout.sheets.definitions)
    return ctx.texts.pick(catalog.description) if catalog.description else ""


def write_start(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["start"]
    style = ctx.styles
    names = ctx.layout.sheets
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 2)
    sheet.set_column(1, 1, 5)
    sheet.set_column(2, 2, 28)
    sheet.set_column(3, 3, 70)
    ctx.title(sheet, ctx.texts.pick(ctx.catalog.title))
    sheet.write_formula(2, 1, "=" + ctx.layout.setting_cell("company"), style("subtitle"))
    if description(ctx):
        sheet.merge_range(3, 1, 3, 3, description(ctx), style("wrap"))
        sheet.set_row(3, 32)

    sheet.write_string(5, 1, ctx.texts.upper(_("How to use this workbook")), style("heading"))
    sheet.write_blank(5, 2, None, style("heading"))
    sheet.write_blank(5, 3, None, style("heading"))
    steps = [
        (names.settings, _("Type your company name, fiscal year and first month; adjust the targets.")),
        (names.inputs, _("Each month, type the figures in the yellow cells. Leave future months empty.")),
        (names.kpis, _("Read every KPI by month, quarter and year, coloured against its target.")),
        (names.dashboard, _("Pick a month to see its KPI cards, trends and charts.")),
        (names.prior_inputs, _("Optional: type the year before's figures in the same way.")),
        (names.prior_kpis, _("Compare every KPI with the year before: its value and how much it changed.")),
        (names.definitions, _("Look up what a KPI means, how it is calculated and how to read it.")),
    ]
    if ctx.catalog.scorecard:
        steps.insert(4, (names.scorecard, _("See each goal with its KPIs, owner and status.")))
    row = 6
    for number, (sheet_name, text) in enumerate(steps, start=1):
        sheet.set_row(row, 22)
        sheet.write_number(row, 1, number, style("step"))
        sheet.write_url(row, 2, ctx.link(sheet_name), style("nav"), string=sheet_name, tip=_("Go to this sheet"))
        sheet.write_string(row, 3, text, style("label"))
        row += 1

    row += 1
    sheet.write_string(row, 1, ctx.texts.upper(_("Colour legend")), style("heading"))
    sheet.write_blank(row, 2, None, style("heading"))
    sheet.write_blank(row, 3, None, style("heading"))
    legend = [
        ("legend_input", _("Input"), _("A cell you type in. Every other cell is protected.")),
        ("legend_formula", _("Formula"), _("Calculated for you; the sheet protection has no password.")),
        ("legend_on", _("On track"), _("The value meets its target.")),
        ("legend_risk", _("At risk"), _("Short of the target, but within its tolerance.")),
        ("legend_off", _("Off track"), _("Beyond the tolerance: needs attention.")),
    ]
    for style_name, label, text in legend:
        row += 1
        sheet.write_string(row, 2, label, style(style_name))
        sheet.write_string(row, 3, text, style("label"))

    row += 2
    sheet.merge_range(
        row,
        1,
        row + 1,
        3,
        _(
            "Blank months stay blank: a KPI shows a value only when all its "
            "inputs for the period are typed, and never divides by zero."
        ),
        style("muted"),
    )
    meta = f"{ctx.catalog.id} {ctx.catalog.version} · {ctx.options.locale}"
    sheet.merge_range(row + 3, 1, row + 3, 3, meta, style("muted"))
    sheet.activate()
    ctx.page_setup(sheet)
    ctx.protect(sheet)
