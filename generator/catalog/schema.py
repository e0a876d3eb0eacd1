"""The catalogue JSON Schema, generated from the typed models so editors and the loader agree."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from generator.catalog.model import CatalogFile


def schema() -> dict[str, Any]:
    generated = msgspec.json.schema(CatalogFile)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "KPI catalogue",
        "description": "A catalogue of KPIs, their inputs and texts per locale, for kpi-template-generator.",
        **generated,
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
