"""The settings every label and period depends on: the fiscal year and its first month.

A year typed as text or out of range, or a first month that is not one of the list's month
names, leaves the month labels empty (their formulas fall back to ""), so the problem is
reported at the setting's cell by name, where the user can fix it, rather than as a file that
was never calculated.
"""

from __future__ import annotations

from generator.formula.reference import parse_target
from generator.template.layout import SETTINGS_VALUE_COL
from generator.template.options import YEAR_MAX, YEAR_MIN
from generator.validate.context import Check
from generator.validate.findings import Code, Severity, brief, plain

YEARS = (YEAR_MIN, YEAR_MAX)


def check_settings(check: Check) -> bool:
    """Report a bad year or first month; False when either is bad or the settings cannot be read."""
    _ = check.gettext
    layout, book = check.layout, check.book
    sheet = layout.sheets.settings
    if not sheet or not book.has_sheet(sheet):
        return False  # the missing sheet or its names are reported where the template is located
    good = True
    row = layout.settings_rows.get("year")
    if row is not None:
        year = book.value(sheet, row, SETTINGS_VALUE_COL)
        number = isinstance(year, int | float) and not isinstance(year, bool)
        if not (number and float(year).is_integer() and YEARS[0] <= year <= YEARS[1]):
            good = False
            message = _("{setting}: {value} is not a year; type a year between {low} and {high}, such as 2026.")
            _add(check, row, message, _("Fiscal year"), year, _("a year, {low} to {high}"))
    row = layout.settings_rows.get("first_month")
    months = _month_names(check)
    if row is not None and months:
        first = book.value(sheet, row, SETTINGS_VALUE_COL)
        if not (isinstance(first, str) and first.casefold() in {m.casefold() for m in months}):
            good = False
            message = _("{setting}: {value} is not a month name; pick one from the list ({first} to {last}).")
            _add(check, row, message, _("First month"), first, _("a month name"), months)
    return good


def _add(
    check: Check, row: int, message: str, setting: str, value: object, expected: str, months: list[str] | None = None
) -> None:
    shown = f'"{brief(value)}"' if value is not None else check.gettext("an empty cell")
    names = {"first": months[0], "last": months[-1]} if months else {}
    check.add(
        Severity.ERROR,
        Code.BAD_SETTING,
        message.format(setting=setting, value=shown, low=YEARS[0], high=YEARS[1], **names),
        sheet=check.layout.sheets.settings,
        row=row,
        col=SETTINGS_VALUE_COL,
        value=plain(value),
        expected=expected.format(low=YEARS[0], high=YEARS[1]),
    )


def _month_names(check: Check) -> list[str]:
    """The twelve month names the first-month list offers (the ``list_months`` name), or []."""
    found = parse_target(check.book.defined_names().get("list_months", ""))
    if found is None or not check.book.has_sheet(found.sheet):
        return []
    names = [check.book.value(found.sheet, row, col) for row, col in found.cells()]
    return [n for n in names if isinstance(n, str)] if len(names) == 12 else []
