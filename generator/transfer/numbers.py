"""Numbers as a table holds them: machine numbers, or text in the locale's own format.

Text is parsed with Babel's strict rules, so in Turkish "1.234,5" is 1234.5 and "1234.5" is
refused (it could be 1.2345 or 12.345) rather than guessed. A percent sign makes a fraction,
as the workbook stores percentages ("%12,5" is 0.125).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

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
        locale = parse_locale(self.locale)
        group = get_group_symbol(locale)
        spaced = group in _SPACES
        text = "".join((group if spaced else "") if ch in _SPACES else ch for ch in str(cell).strip())
        if not text:
            return None
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


def _finite(number: float, cell: Any) -> float:
    if not math.isfinite(number):
        raise ValueError(f"{cell!r} is not a finite number")
    return number
