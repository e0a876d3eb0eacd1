"""Carried over: values a regenerated workbook has no place for, kept where the user can see them.

A removed input, a target for a KPI the new catalogue no longer has, a cell that held text
instead of a number: regeneration never drops what a user typed, it lists it here. The table
is named ``carried_over`` so the next regeneration reads it and carries it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.workbook.context import Context

HEADER = 4
FIRST_ROW = HEADER + 1
FIRST_COL = 1
COLUMNS = 6
"""What, id, name, month, value, why."""
NAME = "carried_over"


@dataclass(frozen=True)
class CarriedRow:
    """One value without a place: ``why`` is a reason code the sheet words in its language, or text kept as is."""

    kind: str
    """"input", "target" or "tolerance"."""
    id: str
    name: str
    month: str
    """The calendar month as YYYY-MM for an input's month, else ""."""
    value: float | str | None
    why: str


def reason_texts(_: Callable[[str], str]) -> dict[str, str]:
    """Each reason code as the sheet words it; a reader maps the words back to the code."""
    return {
        "removed": _("This version of the catalogue has no such input or KPI."),
        "not-a-number": _("The cell held something other than a number; type it again as a number."),
        "no-target": _("This KPI takes no target in this version of the catalogue."),
        "tolerance-unit": _(
            "This version measures the tolerance differently (in points, not a percentage); type it again."
        ),
        "history": _(
            "From two years before this workbook's year: kept here, as a workbook holds its year and the one before."
        ),
        "not-selected": _(
            "This workbook's selection of KPIs leaves it out; regenerate with it selected to restore it."
        ),
    }


def kind_texts(_: Callable[[str], str]) -> dict[str, str]:
    """Each kind of value as the sheet words it."""
    return {
        "input": _("Input"),
        "prior-input": _("Prior-year input"),
        "target": _("Monthly target"),
        "tolerance": _("Tolerance"),
    }


def write_carried(ctx: Context) -> None:
    _ = ctx._
    sheet = ctx.sheets["carried"]
    style = ctx.styles
    sheet.hide_gridlines(2)
    for col, width in enumerate([2, 11, 26, 36, 10, 16, 60]):
        sheet.set_column(col, col, width)
    ctx.back_link(sheet, 0, 1)
    ctx.title(sheet, _("Carried over"))
    sheet.write_string(
        2,
        1,
        _("Values from the previous workbook that this version has no place for. Nothing was dropped."),
        style("subtitle"),
    )
    reasons = reason_texts(_)
    kinds = kind_texts(_)
    headers = [_("What"), _("Id"), _("Name"), _("Month"), _("Value"), _("Why")]
    for col, text in enumerate(headers, start=FIRST_COL):
        sheet.write_string(HEADER, col, text, style("header"))
    for offset, item in enumerate(ctx.carried):
        row = FIRST_ROW + offset
        sheet.write_string(row, FIRST_COL, kinds.get(item.kind, item.kind), style("label"))
        sheet.write_string(row, FIRST_COL + 1, item.id, style("label"))
        sheet.write_string(row, FIRST_COL + 2, item.name, style("label"))
        sheet.write_string(row, FIRST_COL + 3, item.month, style("label"))
        if isinstance(item.value, float):
            sheet.write_number(row, FIRST_COL + 4, item.value, style("label"))
        elif item.value is not None:
            sheet.write_string(row, FIRST_COL + 4, item.value, style("label"))
        sheet.write_string(row, FIRST_COL + 5, reasons.get(item.why, item.why), style("muted"))
    sheet.freeze_panes(FIRST_ROW, 0)
    ctx.page_setup(sheet, repeat_rows=(HEADER, HEADER))
