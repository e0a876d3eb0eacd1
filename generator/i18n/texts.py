"""One locale's view of a build: interface strings, catalogue texts and formats, passed explicitly.

Nothing reads a global "current language": the writer gets a ``Texts`` and asks it, so two
workbooks in two languages can be built side by side in one process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.catalog import Catalog
from generator.catalog.catalog import in_locale
from generator.catalog.model import Kpi, KpiTexts
from generator.errors import OptionError, UserError
from generator.i18n.formats import (
    MonthWidth,
    NumberFormats,
    format_number,
    format_percent,
    month_names,
    upper,
)
from generator.i18n.locales import UnknownLocale, resolve_locale
from generator.i18n.messages import Messages
from generator.paths import LOCALES_DIR


@dataclass
class Texts:
    locale: str
    """Canonical code (``tr_TR``, ``en_GB``): formats come from it."""
    catalog: Catalog
    messages: Messages
    numbers: NumberFormats
    fallback: str | None = None
    missing_catalog_texts: list[str] = field(default_factory=list)
    language: str | None = None
    """The catalogue locale whose texts are used (``tr`` for ``tr_TR``); None: every text falls back."""

    @classmethod
    def for_build(
        cls, catalog: Catalog, locale: str, currency: str, fallback: str | None = None, locales_dir: Path | None = None
    ) -> Texts:
        """Resolve ``locale`` as people write it (``tr-TR``, ``TR``, ``en-GB``) against the catalogue's
        locales; refuse one it has no texts for, or lacks some in, unless a fallback locale is given."""
        resolved = resolve_locale(locale, catalog.locales)
        fallback_language = None
        if fallback is not None:
            try:
                fallback_language = resolve_locale(fallback, catalog.locales).language
            except UnknownLocale as error:
                raise UnknownLocale(error.message, "fallback") from None
            if fallback_language is None:
                raise OptionError(
                    "fallback",
                    "unknown-fallback",
                    f"fallback locale '{fallback}' is not in catalogue '{catalog.id}' "
                    f"(it carries {', '.join(catalog.locales)})",
                )
        if resolved.language is None and fallback is None:
            carried = ", ".join(catalog.locales)
            raise OptionError(
                "locale",
                "no-texts",
                f"catalogue '{catalog.id}' has no '{resolved.code}' texts (it carries {carried}); "
                f"add them or pass --fallback {catalog.default_locale}",
            )
        gaps = catalog.missing_texts.get(resolved.language or "", ())
        if gaps and fallback is None:
            raise UserError(
                f"catalogue '{catalog.id}' lacks {len(gaps)} '{resolved.language}' texts (first: {gaps[0]}); "
                f"add them ('kpigen catalog check' lists them) or pass --fallback {catalog.default_locale}"
            )
        messages = Messages.load(resolved.code, fallback_language, locales_dir or LOCALES_DIR)
        return cls(
            resolved.code,
            catalog,
            messages,
            NumberFormats(resolved.code, currency),
            fallback_language,
            language=resolved.language,
        )

    def gettext(self, message: str) -> str:
        return self.messages.gettext(message)

    def pick(self, text: dict[str, str], what: str = "") -> str:
        """A catalogue text in this locale's language, or in the fallback (noted as missing)."""
        own = in_locale(text, self.language)
        if own is not None:
            return own
        found = in_locale(text, self.fallback, self.catalog.default_locale)
        if found is None:
            return next(iter(text.values()), "")
        self.missing_catalog_texts.append(what or next(iter(text.values()), ""))
        return found

    def kpi(self, kpi: Kpi) -> KpiTexts:
        own = in_locale(kpi.texts, self.language)
        if own is not None:
            return own
        self.missing_catalog_texts.append(f"KPI {kpi.id}")
        return in_locale(kpi.texts, self.fallback, self.catalog.default_locale) or next(iter(kpi.texts.values()))

    def months(self, width: MonthWidth = "abbreviated") -> list[str]:
        return month_names(self.locale, width)

    def upper(self, text: str) -> str:
        return upper(text, self.locale)

    def number(self, value: float) -> str:
        """A number inside a sentence (a validation message), in this locale's style."""
        return format_number(value, self.locale)

    def percent(self, value: float) -> str:
        """A fraction as a percentage inside a sentence: "%25" in Turkish, "25%" in English."""
        return format_percent(value, self.locale)

    def missing_texts(self) -> list[str]:
        """The catalogue texts missing in this language: for a language the catalogue declares, the
        very list ``catalog check`` gives (so the two count alike: 147 and 169 for one German draft
        before); for one it does not carry at all, each text the build had to fall back for."""
        declared = self.catalog.missing_texts.get(self.language or "")
        if declared is not None or self.language is not None:
            return list(declared or ())
        return list(dict.fromkeys(self.missing_catalog_texts))

    def warnings(self) -> list[str]:
        """Each text that fell back to another language, for the CLI to list."""
        notes = [f"interface string not translated to {self.locale}: {m!r}" for m in sorted(self.messages.missing)]
        notes += [f"catalogue text missing in {self.locale}: {m}" for m in self.missing_texts()]
        return notes

    def fallback_summary(self) -> str | None:
        """One line for a build that fell back: how many texts, in which language, how to list them."""
        strings, texts = len(self.messages.missing), len(self.missing_texts())
        if not strings and not texts:
            return None
        shown = self.fallback or self.catalog.default_locale
        return (
            f"{strings} interface strings and {texts} catalogue texts are missing in {self.locale} "
            f"and shown in {shown}; --list-missing lists them"
        )
