"""The bundled catalogues, loaded once at start-up and chosen by id: no request names a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.catalog import Catalog, load_catalog
from generator.catalog.catalog import in_locale
from generator.paths import DEFAULT_CATALOG


@dataclass(frozen=True)
class Catalogs:
    by_id: dict[str, Catalog]

    @classmethod
    def load(cls, folder: Path) -> Catalogs:
        """Every catalogue in ``folder``, by id (its newest version), the default (crm) first; a broken
        one stops the start-up (CatalogError)."""
        from generator.catalog.bundled import bundled

        found: dict[str, Catalog] = {}
        for entry in sorted(bundled(folder), key=lambda entry: entry.id != DEFAULT_CATALOG):
            if entry.id not in found:
                found[entry.id] = load_catalog(entry.path)
        return cls(found)

    def ids(self) -> list[str]:
        return list(self.by_id)

    def get(self, catalog_id: str) -> Catalog | None:
        return self.by_id.get(catalog_id)

    def locales(self) -> list[str]:
        """Every workbook language some catalogue carries, in first-seen order."""
        return list(dict.fromkeys(code for catalog in self.by_id.values() for code in catalog.locales))


def text(texts: dict[str, str], locale: str, catalog: Catalog) -> str:
    return in_locale(texts, locale, catalog.default_locale) or next(iter(texts.values()), "")


def summary(catalog: Catalog, locale: str) -> dict[str, Any]:
    """A catalogue as the page and ``GET /api/catalogs`` show it: KPIs grouped by category, in ``locale``."""
    groups: list[dict[str, Any]] = []
    for category in catalog.categories.values():
        kpis = [
            {
                "id": kpi.id,
                "number": kpi.number,
                "name": (in_locale(kpi.texts, locale, catalog.default_locale) or next(iter(kpi.texts.values()))).name,
                "unit": str(kpi.unit),
            }
            for kpi in catalog.kpis.values()
            if kpi.category == category.id
        ]
        if kpis:
            groups.append({"id": category.id, "name": text(category.name, locale, catalog), "kpis": kpis})
    return {
        "id": catalog.id,
        "version": catalog.version,
        "title": text(catalog.title, locale, catalog),
        "description": text(catalog.description, locale, catalog) if catalog.description else "",
        "locales": list(catalog.locales),
        "default_locale": catalog.default_locale,
        "kpi_count": len(catalog.kpis),
        "categories": groups,
        "sample": catalog.sample is not None,
        "category_subset": True,
    }
