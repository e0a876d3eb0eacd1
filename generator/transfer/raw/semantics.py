"""What a raw cell means, written once for both engines (pandas and SQL) to follow.

- A cell is trimmed of spaces; an empty one is missing (NULL).
- A number is plain: ``-1234.5``, ``1e3``; anything else in a number column is a problem.
- A date is tried in the table's formats, then in ISO forms, each only where the text matches
  the format's pattern; a UTC column loses a trailing "Z" before that and is moved to the
  profile's time zone after; the month is the local month.
- Text compares without case. An atom of a filter on a missing cell is false.
- A month after the last month any row of the table is dated in (any of its date columns)
  stays empty: the export ends there. Before that, a month without rows is 0; an
  average of no rows is empty.
"""

from __future__ import annotations

import datetime as dt

NUMBER_PATTERN = r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$"
ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
"""Tried after a table's own formats: how a spreadsheet's date cells and Parquet timestamps read."""


_FIELDS = {
    "Y": "[0-9]{4}",
    "m": "[0-9]{1,2}",
    "d": "[0-9]{1,2}",
    "H": "[0-9]{1,2}",
    "I": "[0-9]{1,2}",
    "M": "[0-9]{2}",
    "S": "[0-9]{2}",
    "f": "[0-9]{1,6}",
    "p": "(AM|PM|am|pm)",
}

DIRECTIVES = tuple(_FIELDS)


def format_pattern(fmt: str) -> str:
    """A regular expression only text in ``fmt`` matches: a date is parsed only where it matches,
    since some warehouses' parsers (Postgres, Spark) stop the query on a cell that does not fit."""
    out = ["^"]
    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt) and fmt[i + 1] in _FIELDS:
            out.append(_FIELDS[fmt[i + 1]])
            i += 2
            continue
        char = fmt[i]
        out.append(char if char.isalnum() or char == " " else f"[{char}]" if char not in "\\^]" else "\\" + char)
        i += 1
    return "".join(out) + "$"


def date_formats(declared: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*declared, *ISO_FORMATS)))


def month_bounds(year: int, first_month: int) -> list[dt.datetime]:
    """The 13 local midnights that start each month of the fiscal year and end the last."""
    bounds = []
    for i in range(13):
        index = first_month - 1 + i
        bounds.append(dt.datetime(year + index // 12, index % 12 + 1, 1))
    return bounds
