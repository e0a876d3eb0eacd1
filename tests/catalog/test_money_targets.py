"""A money KPI's targets are given per currency; a plain target on it, or a made-up currency code,
is reported at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog import load_catalog
from generator.errors import CatalogError
from generator.paths import CATALOG_DIR


def test_money_targets_by_currency(tmp_path: Path) -> None:
    text = (CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    targets: {USD: 350, EUR: 320, GBP: 280, TRY: 14000, JPY: 52000}", "    target: 350", 1
    ).replace("    targets: {USD: 25, EUR: 22, GBP: 20, TRY: 1000, JPY: 3800}", "    targets: {USD: 25, XYZ: 3}", 1)
    path = tmp_path / "crm.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "crm.sample.csv").write_text("month,input,value\n", encoding="utf-8")
    lines = text.splitlines()
    cac = next(i for i, line in enumerate(lines, 1) if line == "    target: 350")
    cpl = next(i for i, line in enumerate(lines, 1) if "XYZ: 3" in line)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    message = str(caught.value)
    assert f"crm.yaml:{cac}:" in message and "a money KPI's target depends on the currency" in message
    assert f"crm.yaml:{cpl}:" in message and "unknown currency 'XYZ'" in message
