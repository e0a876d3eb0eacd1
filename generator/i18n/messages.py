"""Interface strings from gettext catalogues under ``locales/``, read directly from the .po files.

Reading the .po (with Babel) rather than compiled .mo files keeps the translator's file the
only artefact: edit, save, rebuild. Completeness is checked against ``locales/messages.pot``
so a missing translation is found before a workbook is written half in English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generator.errors import UserError
from generator.paths import LOCALES_DIR

SOURCE_LOCALE = "en"
"""The language the msgids are written in: complete by definition."""
DOMAIN = "messages"


class MissingTranslation(UserError):
    """A locale without interface strings, or with some missing, and no fallback allowed."""


def po_path(locale: str, root: Path = LOCALES_DIR) -> Path:
    return root / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_locales(root: Path = LOCALES_DIR) -> list[str]:
    """Locales with a .po file, plus the source language."""
    found = {p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(found | {SOURCE_LOCALE})


@cache
def _read(path: Path) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy
    }


@cache
def template_ids(root: Path = LOCALES_DIR) -> frozenset[str]:
    """Every msgid the code uses, as last extracted into the .pot."""
    path = root / f"{DOMAIN}.pot"
    if not path.is_file():
        return frozenset()
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return frozenset(str(m.id) for m in read_po(handle) if m.id and isinstance(m.id, str))


@dataclass
class Messages:
    """Translations for one locale; ``missing`` lists what fell back to English."""

    locale: str
    table: dict[str, str]
    missing: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, locale: str, fallback: str | None = None, root: Path = LOCALES_DIR) -> Messages:
        """The locale's strings; refuse an incomplete locale unless a fallback is allowed."""
        path = po_path(locale, root)
        if locale == SOURCE_LOCALE:
            return cls(locale, _read(path) if path.is_file() else {})
        if not path.is_file():
            if fallback is None:
                raise MissingTranslation(
                    f"no interface translation for locale '{locale}' ({path} is missing); "
                    f"add it (see README, Translating) or pass --fallback {SOURCE_LOCALE}"
                )
            return cls(locale, {}, set(template_ids(root)))
        table = _read(path)
        missing = set(template_ids(root)) - table.keys()
        if missing and fallback is None:
            raise MissingTranslation(
                f"{path}: {len(missing)} interface strings are not translated "
                f"(first: {sorted(missing)[0]!r}); translate them or pass --fallback {SOURCE_LOCALE}"
            )
        return cls(locale, table, missing)

    def gettext(self, message: str) -> str:
        text = self.table.get(message)
        if text is None:
            if self.locale != SOURCE_LOCALE:
                self.missing.add(message)
            return message
        return text
