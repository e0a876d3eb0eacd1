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
        except Exception:  # noqa: BLE001 - an unfinished translation is simply not offered
            continue
        usable.append(code)
    return tuple(usable)


@cache
def _messages(locale: str) -> Messages:
    return Messages.load(locale)


@dataclass(frozen=True)
class Language:
    code: str

    @property
    def gettext(self) -> Callable[[str], str]:
        return _messages(self.code).gettext


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
