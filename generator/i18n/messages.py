"""Interface strings from gettext catalogues under ``locales/``, read by the standard library's gettext.

The translator's ``.po`` stays the only file to edit: the wheel carries ``.mo`` files compiled
when it is built, and a checkout compiles a changed ``.po`` on first use
(``generator.i18n.compiled``). Completeness is checked against ``locales/messages.pot`` so a
missing translation is found before a workbook is written half in English.

A translation counts when its msgstr is non-empty, not marked fuzzy, and keeps the msgid's
``{placeholders}``; anything else is missing. A build refuses a locale with missing strings
unless a fallback is allowed, and then lists each one (see ``Texts.warnings``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ExitCode, UnreadableInput, UserError
from generator.i18n.compiled import Compiled, load, placeholders
from generator.paths import LOCALES_DIR

SOURCE_LOCALE = "en"
"""The language the msgids are written in: complete by definition."""
DOMAIN = "messages"
GUIDE = "docs/translating.md"


class MissingTranslation(UserError):
    """A locale without interface strings, or with some missing, and no fallback allowed."""


class BrokenTranslation(MissingTranslation):
    """A .po whose translations rename a ``{placeholder}``: the translation was read and has
    problems, so exit 1 (README, "Exit codes": build's 1 column), not a bad option."""

    exit_code = ExitCode.PROBLEMS


def po_path(locale: str, root: Path = LOCALES_DIR) -> Path:
    return root / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def pot_path(root: Path = LOCALES_DIR) -> Path:
    """The template of every msgid; a translation folder without one is checked against the project's."""
    own = root / f"{DOMAIN}.pot"
    return own if own.is_file() else LOCALES_DIR / f"{DOMAIN}.pot"


def available_locales(root: Path = LOCALES_DIR) -> list[str]:
    """Locales with a .po file, plus the source language."""
    found = {p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(found | {SOURCE_LOCALE})


def compiled(path: Path, root: Path = LOCALES_DIR, fallback: Compiled | None = None) -> Compiled:
    """The locale's .po (absent: nothing translated) as gettext reads it, checked against the .pot."""
    try:
        return load(path, pot_path(root), fallback)
    except (OSError, ValueError) as exc:  # Babel's PoFileError and UnicodeDecodeError arrive as ValueError
        raise UnreadableInput(f"{path}: cannot read this gettext catalogue: {exc}; see {GUIDE}") from None


def find_po(locale: str, root: Path = LOCALES_DIR) -> Path:
    """The locale's .po, or its language's (tr_TR uses tr) as gettext does; the exact path if neither."""
    exact = po_path(locale, root)
    language = po_path(locale.split("_")[0], root)
    return exact if exact.is_file() or not language.is_file() else language


@dataclass
class Messages:
    """Translations for one locale; ``missing`` lists what fell back to another language.

    ``compiled`` is the gettext catalogue (with its fallback's behind it); ``table`` serves a
    Messages made by hand (tests, the English of an unknown file).
    """

    locale: str
    table: Mapping[str, str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    compiled: Compiled | None = None

    @classmethod
    def load(cls, locale: str, fallback: str | None = None, root: Path = LOCALES_DIR) -> Messages:
        """The locale's strings; refuse an incomplete locale unless a fallback is allowed.

        The fallback's own .po (when it is not the source language) fills the gaps first;
        whatever is still missing shows the English msgid.
        """
        path = find_po(locale, root)
        if locale.split("_")[0] == SOURCE_LOCALE:
            return cls(locale, compiled=compiled(path, root) if path.is_file() else None)
        if not path.is_file() and fallback is None:
            raise MissingTranslation(
                f"no interface translation for locale '{locale}' ({path} is missing); "
                f"create it as {GUIDE} explains, or pass --fallback {SOURCE_LOCALE}"
            )
        behind = None
        if fallback is not None and fallback.split("_")[0] != SOURCE_LOCALE:
            other = find_po(fallback, root)
            behind = compiled(other, root) if other.is_file() else None
        own = compiled(path, root, behind)
        if own.broken and fallback is None:
            first = sorted(own.broken)[0]
            raise BrokenTranslation(
                f"{path}: {len(own.broken)} translations change the {{placeholders}} of their msgid "
                f"(first: {first!r} needs {', '.join('{' + p + '}' for p in placeholders(first))}); "
                f"fix them or pass --fallback {SOURCE_LOCALE}"
            )
        missing = set(own.missing | own.broken)
        if missing and fallback is None:
            raise MissingTranslation(
                f"{path}: {len(missing)} interface strings are not translated "
                f"(first: {sorted(missing)[0]!r}); translate them or pass --fallback {SOURCE_LOCALE}"
            )
        return cls(locale, missing=missing, compiled=own)

    def gettext(self, message: str) -> str:
        text = self.compiled.lookup(message) if self.compiled is not None else self.table.get(message)
        if text is None:
            if self.locale.split("_")[0] != SOURCE_LOCALE:
                self.missing.add(message)
            return message
        return text
