"""Locales as people write them (``tr``, ``TR``, ``tr-TR``, ``tr_TR.UTF-8``, ``en-GB``), resolved once.

A spelling gives two things. Its *code* (``tr_TR``, ``en_GB``: language and region, parsed by
Babel) sets the CLDR formats: number grouping in texts, currency symbol and default currency,
month names. Its *language* is the catalogue locale whose texts and translations are used,
chosen by Babel's ``negotiate_locale`` among the locales the catalogue carries (``tr_TR`` ->
``tr``, ``en-GB`` -> ``en``); None when the catalogue has no texts in that language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from generator.errors import OptionError
from generator.i18n.answers import answer

if TYPE_CHECKING:
    from babel import Locale


class UnknownLocale(OptionError):
    """A spelling Babel cannot read as a locale: a usage error that lists what is available."""

    def __init__(self, message: str, field: str = "locale") -> None:
        super().__init__(field, "unknown-locale", message)


@dataclass(frozen=True)
class ResolvedLocale:
    code: str
    """Canonical ``language[_TERRITORY]``: the workbook's locale, its formats and its file name."""
    language: str | None
    """The catalogue locale whose texts are used, or None when the catalogue has none in this language."""


@lru_cache(maxsize=64)  # a build asks for the same few locales thousands of times; a server sees any text
def parse_spelling(spelling: str) -> Locale:
    """Babel's locale for a spelling; encodings (``.UTF-8``) and modifiers (``@euro``) are ignored.

    The same ``Locale`` object is returned for the same spelling (cached): treat it as read-only.
    """
    from babel import Locale, UnknownLocaleError

    base = spelling.strip().split(".")[0].split("@")[0]
    try:
        return Locale.parse(base, sep="-" if "-" in base else "_")
    except (UnknownLocaleError, ValueError, TypeError):
        raise UnknownLocale(f"unknown locale '{spelling}'") from None


def canonical(spelling: str) -> str:
    """``tr_TR.UTF-8`` -> ``tr_TR``, ``EN-gb`` -> ``en_GB``, ``TR`` -> ``tr``; C and POSIX -> ``en_US``."""

    def ask() -> str:
        locale = parse_spelling(spelling)
        return str(locale.language) + (f"_{locale.territory}" if locale.territory else "")

    return answer(f"canonical|{spelling}", ask)


def resolve_locale(spelling: str, available: Sequence[str]) -> ResolvedLocale:
    """The code and the catalogue language of ``spelling``; an unknown one lists ``available``."""
    try:
        code = canonical(spelling)
    except UnknownLocale:
        examples = ", ".join(_with_region(code) for code in available)
        raise UnknownLocale(
            f"unknown locale '{spelling}'; available: {', '.join(available)} (a region may follow: {examples})"
        ) from None
    language = code.split("_")[0]

    def ask() -> str:
        from babel import negotiate_locale

        return negotiate_locale([code, language], list(available), sep="_") or ""  # "": none

    chosen = answer(f"negotiate_locale|{code}|{','.join(available)}", ask)
    return ResolvedLocale(code, chosen or None)


def _with_region(code: str) -> str:
    """``en`` -> ``en-US``: the language with its most likely region (CLDR likely subtags)."""
    if "_" in code:
        return code.replace("_", "-")
    from babel.core import get_global

    likely = str(get_global("likely_subtags").get(code, ""))
    region = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return f"{code}-{region}" if region.isupper() and region.isalpha() else code
