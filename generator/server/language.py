"""The interface language of a page: the switch (``?lang=``), then the cookie it sets, then Accept-Language.

Interface strings come from the same gettext catalogues as the workbooks (``locales/``); a
language is offered when its ``.po`` file is complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from generator.i18n import Messages, available_locales
from generator.i18n.messages import SOURCE_LOCALE

COOKIE = "lang"


@cache
def interface_locales() -> tuple[str, ...]:
    """Locales whose interface strings are complete (an incomplete one is not offered)."""
    usable = []
    for code in available_locales():
        try:
            Messages.load(code)
        except Exception:
            continue
        usable.append(code)
    return tuple(usable)


@cache
def messages(locale: str) -> Messages:
    """A locale's interface strings, read once per process (the .po files ship with the package)."""
    return Messages.load(locale, fallback=SOURCE_LOCALE)


@dataclass(frozen=True)
class Language:
    code: str

    @property
    def gettext(self) -> Callable[[str], str]:
        return messages(self.code).gettext


def from_accept_language(header: str, offered: tuple[str, ...]) -> str | None:
    """The best offered language in an ``Accept-Language`` header (``tr-TR,tr;q=0.9,en;q=0.8`` -> ``tr``)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _quality, _position, tag in sorted(ranked):
        language = tag.replace("_", "-").split("-")[0]
        if language == "*":
            return None
        for code in offered:
            if code.lower() == language:
                return code
    return None


def choose(query: str | None, cookie: str | None, accept: str | None) -> Language:
    offered = interface_locales()
    for candidate in (query, cookie):
        if candidate and candidate in offered:
            return Language(candidate)
    found = from_accept_language(accept or "", offered)
    return Language(found or SOURCE_LOCALE)


def language_name(code: str, in_language: str) -> str:
    """``tr`` as ``Türkçe`` (in Turkish) or ``Turkish`` (in English), from CLDR."""
    from babel import Locale

    name = Locale.parse(code).get_display_name(in_language) or code
    return name[:1].upper() + name[1:]
