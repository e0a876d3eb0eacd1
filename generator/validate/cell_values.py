"""A cell's stored text as the value a spreadsheet shows: numbers, dates, booleans, errors.

The rules are openpyxl's (which the validator used before it read files itself), so a report
does not change with the reader: a number is an ``int`` unless it has a point or an exponent; a
number in a date or time style is a ``datetime`` (``timedelta`` for ``[h]:mm``-like formats), so
a date typed into an input is reported as a date, not as its serial number.
"""

from __future__ import annotations

import datetime as dt
import re

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
_SECONDS_PER_DAY = 86400

DATE_BUILTINS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
"""Excel's built-in number formats that show a date or a time (ECMA-376 18.8.30)."""
TIMEDELTA_BUILTINS = frozenset({46})  # [h]:mm:ss

_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA_CODE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)


def is_date_format(code: str) -> bool:
    """True if a number format code shows a date or time (quoted text and [colours] ignored)."""
    first = _LITERALS.sub("", code.split(";")[0])
    return _DATE_CODE.search(first) is not None


def is_timedelta_format(code: str) -> bool:
    return _TIMEDELTA_CODE.search(code.split(";")[0]) is not None


def number(text: str) -> int | float:
    """Stored number text to int or float; ValueError when it is not a number.

    Spreadsheets hold doubles: an integer past 2**53 is read as the double a spreadsheet would
    keep (infinite when it has hundreds of digits), so no later step meets a Python int too large
    for a float.
    """
    if "." in text or "E" in text or "e" in text:
        return float(text)
    try:
        whole = int(text)
    except ValueError:
        if text.lstrip("+-").isdecimal():  # more digits than int() converts (4,300): a double holds inf
            return float(text)
        raise
    return whole if abs(whole) <= 2**53 else float(text)


def from_serial(value: float, epoch: dt.datetime, timedelta: bool = False) -> dt.datetime | dt.time | dt.timedelta:
    """A date serial number as Python sees it (Excel's 1900 leap-year bug kept); OverflowError/ValueError if absurd."""
    if timedelta:
        delta = dt.timedelta(days=value)
        if delta.microseconds:
            delta = dt.timedelta(seconds=delta.total_seconds() // 1, microseconds=round(delta.microseconds, -3))
        return delta
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * _SECONDS_PER_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


def to_serial(value: dt.datetime | dt.date | dt.time | dt.timedelta, epoch: dt.datetime = WINDOWS_EPOCH) -> float:
    """The serial number a spreadsheet computes with for a date, time or duration."""
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / _SECONDS_PER_DAY
    if isinstance(value, dt.time):
        return _day_fraction(value)
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    days = (moment - epoch).days
    if 0 < days <= 60 and epoch == WINDOWS_EPOCH:
        days -= 1
    return days + _day_fraction(moment)


def _day_fraction(value: dt.time | dt.datetime) -> float:
    return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 10**6) / _SECONDS_PER_DAY


def from_iso(text: str) -> dt.datetime | dt.date | dt.time | str:
    """A ``t="d"`` cell's ISO 8601 text; kept as text when it is not one."""
    for parse in (dt.datetime.fromisoformat, dt.time.fromisoformat):
        try:
            found = parse(text.rstrip("Z"))
        except ValueError:
            continue
        if isinstance(found, dt.datetime) and "T" not in text and " " not in text:
            return found.date()
        return found
    return text
