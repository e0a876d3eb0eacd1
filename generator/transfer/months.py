"""Which month of the fiscal year a table's month cell means.

A cell may hold a date (ISO text, or a date the spreadsheet stored), a calendar month number
(4 is April), or a month name in the workbook's language or in English, abbreviated or wide,
with or without a year ("Oca", "Ocak 2026", "Jan", "January"). Names come from Babel's CLDR
data, never from a hand-made list, so a new locale reads its own month names.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from babel.dates import get_month_names

from generator.i18n.formats import parse_locale

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T].*)?$")
_NAME_YEAR = re.compile(r"^(.*?)[\s\-/.']*(\d{4})$")
MAX_KNOWN = 10_000
"""Distinct month spellings remembered; a table of more is read without the memory."""


def fold(text: str) -> str:
    """Text compared without case, accents or Turkish dotted/dotless i ("ŞUBAT" == "subat")."""
    text = text.replace("İ", "i").replace("I", "i").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip().rstrip(".")


def month_name_index(locales: list[str]) -> dict[str, int]:
    """Folded month name -> calendar month 1-12, the first locale winning where two disagree."""
    names: dict[str, int] = {}
    for code in locales:
        locale = parse_locale(code)
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context=context, locale=locale).items():
                    names.setdefault(fold(str(name)), int(month))
    return names


@dataclass
class FiscalMonths:
    """Turns month cells into positions 0-11 of the fiscal year starting ``first_month`` of ``year``."""

    locale: str
    year: int
    first_month: int
    names: dict[str, int] = field(init=False)
    known: dict[str, int | str] = field(init=False, default_factory=dict)
    """Text cells already read: position, or the message of the ValueError (a long table repeats its
    few month spellings a million times; issue 24)."""

    def __post_init__(self) -> None:
        self.names = month_name_index([self.locale, "en"])

    def position(self, cell: Any) -> int:
        """The fiscal position: 0-11 in this year, -12..-1 in the prior year; raises ValueError saying why
        the cell is neither. A month without a year is one of this year."""
        if not isinstance(cell, str):
            return self._position(cell)
        known = self.known.get(cell)
        if known is None:
            try:
                known = self._position(cell)
            except ValueError as exc:
                known = str(exc)
            if len(self.known) < MAX_KNOWN:
                self.known[cell] = known
        if isinstance(known, str):
            raise ValueError(known)
        return known

    def _position(self, cell: Any) -> int:
        year, month = calendar_month(cell, self.names)
        if year is None:
            return (month - self.first_month) % 12
        offset = (year * 12 + month) - (self.year * 12 + self.first_month)
        if not -12 <= offset < 12:  # -12..-1: the prior year, which a workbook holds too
            first = dt.date(self.year, self.first_month, 1)
            raise ValueError(
                f"{year}-{month:02d} is outside the fiscal year starting {first:%Y-%m} and the year before it "
                "(choose it with --year and --first-month)"
            )
        return offset


def calendar_month(cell: Any, names: dict[str, int]) -> tuple[int | None, int]:
    """(year or None, month 1-12) of a cell; raises ValueError for anything else."""
    if isinstance(cell, dt.date):  # datetime and pandas' Timestamp are dates too
        return cell.year, cell.month
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a month")
    if isinstance(cell, int | float):
        if float(cell).is_integer() and 1 <= cell <= 12:
            return None, int(cell)
        raise ValueError(f"{cell!r} is not a month number 1-12")
    text = str(cell).strip()
    if not text:
        raise ValueError("the month is empty")
    found = _ISO.match(text)
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if 1 <= month <= 12:
            return year, month
        raise ValueError(f"{text!r} has no month {month}")
    if text.isdigit():
        return calendar_month(int(text), names)
    year_given = None
    with_year = _NAME_YEAR.match(text)
    if with_year and with_year.group(1):
        text, year_given = with_year.group(1), int(with_year.group(2))
    named = names.get(fold(text))
    if named is None:
        raise ValueError(
            f"{str(cell).strip()!r} is not a month (a date such as 2026-04, a number 1-12 or a month name)"
        )
    return year_given, named


def _fiscal_year_of(cell: Any, names: dict[str, int], first: int) -> int | None:
    """The fiscal year (by its first calendar year) a dated cell falls in; None for no date."""
    try:
        year, month = calendar_month(cell, names)
    except ValueError:
        return None
    return None if year is None else year if month >= first else year - 1


def fiscal_start(cells: Iterable[Any], locale: str, first_month: int | None) -> tuple[int, int] | None:
    """(year, first month) of the fiscal year most dated cells fall in; the first month is the one
    given, or January. A stray month of another year does not move the year; of two years as full
    as each other the later one is the year (the earlier its prior year); None when no cell carries
    a year."""
    names = month_name_index([locale, "en"])
    first = first_month or 1
    years: Counter[int] = Counter()
    known: dict[str, int | None] = {}  # text -> its fiscal year or None: a table repeats a few spellings
    for cell in cells:
        fiscal = known.get(cell, -1) if isinstance(cell, str) else -1
        if fiscal == -1:
            fiscal = _fiscal_year_of(cell, names, first)
            if isinstance(cell, str) and len(known) < MAX_KNOWN:
                known[cell] = fiscal
        if fiscal is not None:
            years[fiscal] += 1
    if not years:
        return None
    most = max(years.values())
    return max(y for y, n in years.items() if n == most), first
