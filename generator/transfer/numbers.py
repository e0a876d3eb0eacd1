"""Numbers as a table holds them: machine numbers, or text in the locale's own format.

Text is parsed with Babel's strict rules, so in Turkish "1.234,5" is 1234.5 and "1234.5" is
refused (it could be 1.2345 or 12.345) rather than guessed. A percent sign makes a fraction,
as the workbook stores percentages ("%12,5" is 0.125).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import (
    NumberFormatError,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    parse_decimal,
)

from generator.i18n.formats import parse_locale

_SPACES = {" ", "\u00a0", "\u202f", "\u2009"}


@dataclass(frozen=True)
class NumberReader:
    locale: str
    plain: bool = False
    """Text uses a dot for decimals and no grouping (a machine export), whatever the locale."""

    def read(self, cell: Any) -> float | None:
        """The number in a cell, None when empty; ValueError saying why when it is not a number."""
        if cell is None or (isinstance(cell, float) and math.isnan(cell)):
            return None
        if isinstance(cell, bool):
            raise ValueError(f"{cell!r} is not a number")
        if isinstance(cell, int | float | Decimal):
            return _finite(float(cell), cell)
        group, decimal, simple = _symbols(self.locale)
        if self.plain:
            decimal, simple = ".", _PLAIN
        text = str(cell).strip()
        if simple.match(text):  # digits and the decimal sign only: what Babel would give, without its cost
            return _finite(float(text.replace(decimal, ".")), cell)
        spaced = group in _SPACES
        text = "".join((group if spaced else "") if ch in _SPACES else ch for ch in text)
        if not text:
            return None
        return self._babel(text, cell)

    def _babel(self, text: str, cell: Any) -> float:
        locale = parse_locale(self.locale)
        scale = 1.0
        if text.startswith("%") or text.endswith("%"):
            text, scale = text.strip("%").strip(), 0.01
        try:
            number = float(text) if self.plain else float(parse_decimal(text, locale=locale, strict=True))
        except (NumberFormatError, ValueError):
            raise ValueError(f"{str(cell).strip()!r} is not a number {self.example()}") from None
        return _finite(number * scale, cell)

    def example(self) -> str:
        if self.plain:
            return "(write it as 1234.5)"
        locale = parse_locale(self.locale)
        return f"in {self.locale} format (such as 1{get_group_symbol(locale)}234{get_decimal_symbol(locale)}5)"


Symbols = tuple[str, str, "re.Pattern[str]"]
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")


@lru_cache(maxsize=16)
def _symbols(code: str) -> Symbols:
    """The locale's group and decimal signs, and the simple spelling (ASCII digits, the decimal sign,
    a leading minus) that Babel's strict parse reads as Python's float does, checked without Babel:
    a million-row import spent most of its time in Babel (issue 24: 475 s at the 50 MB cap)."""
    locale = parse_locale(code)
    decimal = get_decimal_symbol(locale)
    minus = "-?" if get_minus_sign_symbol(locale) == "-" else ""
    simple = re.compile(rf"{minus}[0-9]+(?:{re.escape(decimal)}[0-9]+)?\Z")
    return get_group_symbol(locale), decimal, simple


def _finite(number: float, cell: Any) -> float:
    if not math.isfinite(number):
        raise ValueError(f"{cell!r} is not a finite number")
    return number
