"""Locale data from Babel (CLDR) turned into what a workbook needs: Excel number format codes,
month names and casing.

An .xlsx stores number formats in one neutral notation (``,`` groups, ``.`` decimals) and each
spreadsheet shows them with the reader's own separators, so what a locale decides here is the
rest: where the currency symbol and percent sign go, unit words, and the decimals per KPI.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal

from generator.catalog.model import Unit
from generator.i18n.answers import answer
from generator.i18n.locales import parse_spelling

if TYPE_CHECKING:
    from babel import Locale

_UNIT_NAMES = {Unit.MINUTES: "duration-minute", Unit.DAYS: "duration-day", Unit.YEARS: "duration-year"}
_DOTLESS_I_LANGUAGES = {"tr", "az"}
MonthWidth = Literal["abbreviated", "narrow", "wide"]


def parse_locale(code: str) -> Locale:
    """Babel's locale for any spelling (``tr-TR``, ``tr_TR.UTF-8``); unknown ones are a usage error."""
    return parse_spelling(code)


def default_currency(code: str) -> str:
    """The currency of the locale's most likely country (en -> USD, tr -> TRY, de -> EUR)."""
    return answer(f"default_currency|{code}", lambda: _default_currency(code))


def _default_currency(code: str) -> str:
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    locale = parse_locale(code)
    territory = locale.territory
    if territory is None:
        likely = get_global("likely_subtags").get(locale.language, "")
        territory = likely.split("_")[-1] if likely else None
    currencies = get_territory_currencies(territory) if territory else []
    return currencies[0] if currencies else "USD"


def month_names(code: str, width: MonthWidth = "wide") -> list[str]:
    """The 12 stand-alone month names, January first ("Ocak", "Oca" in Turkish)."""
    return list(_month_names(code, width))


@lru_cache(maxsize=64)
def _month_names(code: str, width: MonthWidth) -> tuple[str, ...]:
    def ask() -> list[str]:
        from babel.dates import get_month_names

        names = get_month_names(width, context="stand-alone", locale=parse_locale(code))
        return [str(names[m]) for m in range(1, 13)]

    return tuple(answer(f"month_names|{code}|{width}", ask))


def format_number(value: float, code: str) -> str:
    """A number as text in the locale's style, all its decimals kept (1234.5 -> "1.234,5" in Turkish)."""

    def ask() -> str:
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=parse_locale(code), decimal_quantization=False))

    return answer(f"format_decimal|{code}|{type(value).__name__}|{value!r}", ask)


def format_percent(value: float, code: str) -> str:
    """A fraction as a percentage in the locale's style (0.25 -> "%25" in Turkish, "25%" in English)."""

    def ask() -> str:
        from babel.numbers import format_percent as babel_percent

        return str(babel_percent(value, locale=parse_locale(code), decimal_quantization=False))

    return answer(f"format_percent|{code}|{type(value).__name__}|{value!r}", ask)


def currency_precision(currency: str) -> int:
    """The CLDR digits of a currency (JPY 0, USD 2)."""

    def ask() -> int:
        from babel.numbers import get_currency_precision

        return int(get_currency_precision(currency))

    return answer(f"currency_precision|{currency}", ask)


def upper(text: str, code: str) -> str:
    """Upper-case by the language's rules: Turkish i becomes İ and ı becomes I."""
    if code.split("_")[0] in _DOTLESS_I_LANGUAGES:
        text = text.replace("i", "İ").replace("ı", "I")
    return text.upper()


def _literal(text: str) -> str:
    """Text inside an Excel number format code, quoted so no character is read as a code."""
    return '"' + text.replace('"', "") + '"' if text else ""


def _digits(decimals: int, grouping: bool = True) -> str:
    base = "#,##0" if grouping else "0"
    return base + ("." + "0" * decimals if decimals else "")


@dataclass(frozen=True)
class NumberFormats:
    """Excel number format codes for one locale and currency."""

    locale: str
    currency: str

    def decimals(self, unit: Unit, decimals: int) -> int:
        """Decimals a value shows: money never more than its currency's CLDR digits (JPY 0, USD 2)."""
        if unit is Unit.CURRENCY:
            return min(decimals, currency_precision(self.currency))
        return decimals

    def smallest_shown(self, unit: Unit, decimals: int) -> float:
        """Half a unit of the last decimal shown: a value closer to 0 than this shows as 0 (or "-0")."""
        places = self.decimals(unit, decimals) + (2 if unit in (Unit.PERCENT, Unit.RATIO) else 0)
        return 0.5 / 10.0**places

    @cache  # noqa: B019 - a handful of instances live for one build
    def for_unit(self, unit: Unit, decimals: int) -> str:
        """The Excel number format code of a unit with ``decimals`` decimals in this locale and currency."""
        question = f"for_unit|{self.locale}|{self.currency}|{unit.name}|{decimals}"
        return answer(question, lambda: self._for_unit(unit, decimals))

    def _for_unit(self, unit: Unit, decimals: int) -> str:
        from babel.numbers import get_currency_symbol
        from babel.units import get_unit_name

        locale = parse_locale(self.locale)
        decimals = self.decimals(unit, decimals)
        if unit is Unit.CURRENCY:
            pattern = locale.currency_formats["standard"].pattern.split(";")[0]
            symbol = get_currency_symbol(self.currency, locale=locale)
            return self._place(pattern, "¤", _literal(symbol), decimals, symbol).replace('""', "")
        if unit in (Unit.PERCENT, Unit.RATIO):
            pattern = locale.percent_formats[None].pattern.split(";")[0]
            return self._place(pattern, "%", "%", decimals).replace('""', "")
        if unit in _UNIT_NAMES:
            name = get_unit_name(_UNIT_NAMES[unit], length="short", locale=locale) or ""
            return _digits(decimals) + _literal(" " + name)
        if unit is Unit.SCORE:
            return _digits(decimals, grouping=False)
        return _digits(decimals)

    @staticmethod
    def _place(pattern: str, marker: str, replacement: str, decimals: int, symbol: str = "") -> str:
        """Keep the CLDR pattern's order and spacing around the number; set the decimals.

        A currency ``symbol`` that meets the digits with a letter (TRY, CHF) gets CLDR's
        currency spacing, a no-break space, where the pattern has none: TRY 1,234 not TRY1,234.
        """
        pattern = pattern.replace("\u200f", "").replace("\u200e", "")
        bare = symbol.replace("\u200f", "").replace("\u200e", "")
        before, _, after = pattern.partition(marker)
        number_first = not before.strip(" \u00a0") or "#" in before or "0" in before
        if number_first and "#" not in after and "0" not in after:
            gap = before[len(before.rstrip(" \u00a0")) :] or (_CURRENCY_SPACE if _needs_space(bare[:1]) else "")
            return _digits(decimals) + (_literal(gap) if gap else "") + replacement
        gap = after[: len(after) - len(after.lstrip(" \u00a0"))] or (_CURRENCY_SPACE if _needs_space(bare[-1:]) else "")
        return replacement + (_literal(gap) if gap else "") + _digits(decimals)


_CURRENCY_SPACE = "\u00a0"


def _needs_space(char: str) -> bool:
    """CLDR currencySpacing: a symbol character that is neither a symbol (S*) nor a space (Z*)."""
    return bool(char) and unicodedata.category(char)[0] not in "SZ"
