"""Figures that are valid numbers and still not what was meant: a decimal read as a date.

In a spreadsheet whose language writes decimals with a comma (Turkish, German), "12.5" typed into
a count is read as the 12th of May and stored as its serial number, 46154: a whole number above
0, so data validation and the range checks accept it. Where an input counts things or holds
money and the other months are far smaller, such a number is a warning at its cell that says
which date it is and which figure was probably meant (issue 24).

The spreadsheet also gives such a cell a date format, so the file says it outright: a month cell
whose number format is a date shows a whole day, whatever the input's unit. That is the same
warning, with the figure the day and month spell (12 May: "12.5", or "12,5" in a Turkish file),
not a "not a number" error: the number is there, as the date's serial, and the formulas use it.
"""

from __future__ import annotations

import datetime as _dt
import statistics

from generator.catalog.model import Unit
from generator.template.layout import MONTHS
from generator.validate.cell_values import WINDOWS_EPOCH, from_serial
from generator.validate.context import Check
from generator.validate.findings import Code, Severity

Value = float | None
DATE_SERIALS = (36_526.0, 73_050.0)
"""The serial numbers of 2000-01-01 and 2099-12-31: the dates a typed day and month become."""
FAR_SMALLER = 20
"""The other months' median must be at least this many times smaller for a date to stand out."""
_UNITS = frozenset({Unit.COUNT, Unit.CURRENCY})


def _decimal(check: Check) -> str:
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(check.messages.locale.replace("-", "_")))


def check_date_cell(check: Check, input_id: str, month: int, shown: object, serial: Value) -> bool:
    """A warning when a month cell formatted as a date holds a whole day (what "12.5" typed in a
    comma-decimal spreadsheet becomes); False, and nothing reported, for a time or a date with one."""
    if isinstance(shown, _dt.datetime):
        if shown.time() != _dt.time(0):
            return False
        shown = shown.date()
    if not isinstance(shown, _dt.date) or serial is None:
        return False
    _ = check.gettext
    guess = f"{shown.day}{_decimal(check)}{shown.month}"
    message = _(
        "{name}: the cell looks like a date ({date}); was {guess} meant? A spreadsheet that writes decimals "
        "with a comma reads a figure typed with a point as a day and month and formats the cell as a date: "
        "type the figure again and set the cell's format back to a number."
    ).format(name=check.input_name(input_id), date=shown.isoformat(), guess=guess)
    check.add_input(Severity.WARNING, Code.LOOKS_LIKE_DATE, message, input_id, month, serial, guess)
    return True


def check_date_serials(check: Check, months: dict[str, list[Value]], said: frozenset[tuple[str, int]]) -> None:
    """A warning at each month cell of a count or money input that looks like a date serial (but for
    the cells ``said``: formatted as dates, already warned about)."""
    _ = check.gettext
    decimal = _decimal(check)
    low, high = DATE_SERIALS
    for input_id, values in months.items():
        if check.catalog.inputs[input_id].unit not in _UNITS:
            continue
        if not any(v is not None and low <= v <= high for v in values):
            continue  # no month in the date range: what ``_date`` says of each (it runs for every month cell)
        for month in range(MONTHS):
            day = _date(values, month)
            if day is None or (input_id, month) in said:
                continue
            value = values[month]
            guess = f"{day.day}{decimal}{day.month}"
            message = _(
                "{name}: {value} looks like a date ({date}), far larger than the other months; was {guess} "
                "meant? A spreadsheet that writes decimals with a comma reads a figure typed with a point as a "
                "day and month."
            ).format(name=check.input_name(input_id), value=check.show(value), date=day.isoformat(), guess=guess)
            check.add_input(Severity.WARNING, Code.LOOKS_LIKE_DATE, message, input_id, month, value, guess)


def _date(values: list[Value], month: int) -> _dt.date | None:
    """The date ``values[month]`` is the serial of, when it is one and the other months are far smaller."""
    value = values[month]
    if value is None or not value.is_integer() or not DATE_SERIALS[0] <= value <= DATE_SERIALS[1]:
        return None
    others = [abs(v) for i, v in enumerate(values) if i != month and v is not None]
    if not others or statistics.median(others) * FAR_SMALLER > value:
        return None
    found = from_serial(value, WINDOWS_EPOCH)
    return found.date() if isinstance(found, _dt.datetime) else None
