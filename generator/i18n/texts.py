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
from generator.errors import UserError
from generator.i18n.formats import (
    MonthWidth,
    NumberFormats,
    format_number,
    format_percent,
    month_names,
    parse_locale,
    upper,
)
from generator.i18n.messages import Messages
from generator.paths import LOCALES_DIR


@dataclass
class Texts:
    locale: str
    catalog: Catalog
    messages: Messages
    numbers: NumberFormats
    fallback: str | None = None
    missing_catalog_texts: list[str] = field(default_factory=list)

    @classmethod
    def for_build(
        cls, catalog: Catalog, locale: str, currency: str, fallback: str | None = None, locales_dir: Path | None = None
    ) -> Texts:
        """Refuse a locale the catalogue has no texts for, unless a fallback locale is given."""
        parse_locale(locale)
        if fallback is not None:
            parse_locale(fallback)
        if locale not in catalog.locales and fallback is None:
            carried = ", ".join(catalog.locales)
            raise UserError(
                f"catalogue '{catalog.id}' has no '{locale}' texts (it carries {carried}); "
                f"add them or pass --fallback {catalog.default_locale}"
            )
        if fallback is not None and fallback not in catalog.locales:
            raise UserError(f"fallback locale '{fallback}' is not in catalogue '{catalog.id}'")
        messages = Messages.load(locale, fallback, locales_dir or LOCALES_DIR)
        return cls(locale, catalog, messages, NumberFormats(locale, currency), fallback)

    def gettext(self, message: str) -> str:
        return self.messages.gettext(message)

    def pick(self, text: dict[str, str], what: str = "") -> str:
        """A catalogue text in this locale, or in the fallback (noted as missing)."""
        if self.locale in text:
            return text[self.locale]
        found = in_locale(text, self.fallback, self.catalog.default_locale)
        if found is None:
            return next(iter(text.values()), "")
        self.missing_catalog_texts.append(what or next(iter(text.values()), ""))
        return found

    def kpi(self, kpi: Kpi) -> KpiTexts:
        if self.locale in kpi.texts:
            return kpi.texts[self.locale]
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

    def warnings(self) -> list[str]:
        """Each text that fell back to another language, for the CLI to list."""
        notes = [f"interface string not translated to {self.locale}: {m!r}" for m in sorted(self.messages.missing)]
        notes += [f"catalogue text missing in {self.locale}: {m}" for m in dict.fromkeys(self.missing_catalog_texts)]
        return notes
