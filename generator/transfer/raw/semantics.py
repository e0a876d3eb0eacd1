"""What a raw cell means, written once for both engines (pandas and SQL) to follow.

- A cell is trimmed of spaces; an empty one is missing (NULL).
- A number is plain: ``-1234.5``, ``1e3``; anything else in a number column is a problem.
- A date is tried in the table's formats, then in ISO forms; a UTC column is moved to the
  profile's time zone; the month is the local month.
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


def date_formats(declared: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*declared, *ISO_FORMATS)))


def month_bounds(year: int, first_month: int) -> list[dt.datetime]:
    """The 13 local midnights that start each month of the fiscal year and end the last."""
    bounds = []
    for i in range(13):
        index = first_month - 1 + i
        bounds.append(dt.datetime(year + index // 12, index % 12 + 1, 1))
    return bounds
