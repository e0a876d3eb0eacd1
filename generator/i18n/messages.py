"""Interface strings from gettext catalogues under ``locales/``, read directly from the .po files.

Reading the .po rather than compiled .mo files keeps the translator's file the only artefact:
edit, save, rebuild. ``generator.i18n.pofile`` reads them as Babel's reader does, without
importing Babel's catalogue machinery for the plain files this project writes. Completeness is
checked against ``locales/messages.pot`` so a missing translation is found before a workbook is
written half in English.

A translation counts when its msgstr is non-empty, not marked fuzzy, and keeps the msgid's
``{placeholders}``; anything else is missing. A build refuses a locale with missing strings
unless a fallback is allowed, and then lists each one (see ``Texts.warnings``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generator.errors import ExitCode, UnreadableInput, UserError
from generator.i18n.pofile import read_entries
from generator.paths import LOCALES_DIR

SOURCE_LOCALE = "en"
"""The language the msgids are written in: complete by definition."""
DOMAIN = "messages"
GUIDE = "docs/translating.md"

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


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


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields of a message, sorted (``{{`` escapes are not fields)."""
    return sorted(_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


@dataclass(frozen=True)
class PoFile:
    """What one .po file offers: usable translations, and those refused for a broken placeholder."""

    table: dict[str, str]
    broken: frozenset[str]


def read_catalog(path: Path) -> PoFile:
    """The .po file's translations (cached while the file is unchanged)."""
    stat = path.stat()
    return _read(path.resolve(), stat.st_mtime_ns, stat.st_size)


@cache
def _read(path: Path, mtime_ns: int, size: int) -> PoFile:
    try:
        entries = read_entries(path.read_bytes())
    except (OSError, ValueError) as exc:  # a PoError or UnicodeDecodeError is a ValueError
        raise UnreadableInput(f"{path}: cannot read this gettext catalogue: {exc}; see {GUIDE}") from None
    table: dict[str, str] = {}
    broken: set[str] = set()
    for m in entries:
        if not (m.string and not m.fuzzy):
            continue
        if placeholders(m.id) != placeholders(m.string):
            broken.add(m.id)
            continue
        table[m.id] = m.string
    return PoFile(table, frozenset(broken))


def template_ids(root: Path = LOCALES_DIR) -> frozenset[str]:
    """Every msgid the code uses, as last extracted into the .pot."""
    path = pot_path(root)
    if not path.is_file():
        return frozenset()
    stat = path.stat()
    return _template(path.resolve(), stat.st_mtime_ns, stat.st_size)


@cache
def _template(path: Path, mtime_ns: int, size: int) -> frozenset[str]:
    return frozenset(m.id for m in read_entries(path.read_bytes(), abort_invalid=False))


def find_po(locale: str, root: Path = LOCALES_DIR) -> Path:
    """The locale's .po, or its language's (tr_TR uses tr) as gettext does; the exact path if neither."""
    exact = po_path(locale, root)
    language = po_path(locale.split("_")[0], root)
    return exact if exact.is_file() or not language.is_file() else language


@dataclass
class Messages:
    """Translations for one locale; ``missing`` lists what fell back to another language."""

    locale: str
    table: dict[str, str]
    missing: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, locale: str, fallback: str | None = None, root: Path = LOCALES_DIR) -> Messages:
        """The locale's strings; refuse an incomplete locale unless a fallback is allowed.

        The fallback's own .po (when it is not the source language) fills the gaps first;
        whatever is still missing shows the English msgid.
        """
        path = find_po(locale, root)
        if locale.split("_")[0] == SOURCE_LOCALE:
            return cls(locale, dict(read_catalog(path).table) if path.is_file() else {})
        if not path.is_file():
            if fallback is None:
                raise MissingTranslation(
                    f"no interface translation for locale '{locale}' ({path} is missing); "
                    f"create it as {GUIDE} explains, or pass --fallback {SOURCE_LOCALE}"
                )
            own = PoFile({}, frozenset())
        else:
            own = read_catalog(path)
        if own.broken and fallback is None:
            first = sorted(own.broken)[0]
            raise BrokenTranslation(
                f"{path}: {len(own.broken)} translations change the {{placeholders}} of their msgid "
                f"(first: {first!r} needs {', '.join('{' + p + '}' for p in placeholders(first))}); "
                f"fix them or pass --fallback {SOURCE_LOCALE}"
            )
        table = dict(own.table)
        missing = (set(template_ids(root)) - table.keys()) | own.broken
        if missing and fallback is None:
            raise MissingTranslation(
                f"{path}: {len(missing)} interface strings are not translated "
                f"(first: {sorted(missing)[0]!r}); translate them or pass --fallback {SOURCE_LOCALE}"
            )
        if fallback is not None and fallback.split("_")[0] != SOURCE_LOCALE:
            other = find_po(fallback, root)
            if other.is_file():
                for message, text in read_catalog(other).table.items():
                    table.setdefault(message, text)
        return cls(locale, table, missing)

    def gettext(self, message: str) -> str:
        text = self.table.get(message)
        if text is None:
            if self.locale.split("_")[0] != SOURCE_LOCALE:
                self.missing.add(message)
            return message
        return text
