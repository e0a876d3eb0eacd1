"""Which catalogues the server offers: the newest version of each id, the default first."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.paths import CATALOG_DIR
from generator.server.catalogs import Catalogs


def copy_with_version(target: Path, version: str) -> None:
    target.mkdir(parents=True)
    text = (CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8")
    published = re.search(r'^version: "([^"]+)"', text, re.MULTILINE)
    assert published is not None
    old = f'version: "{published.group(1)}"'
    (target / "crm.yaml").write_text(text.replace(old, f'version: "{version}"', 1), encoding="utf-8")
    shutil.copy(CATALOG_DIR / "crm.sample.csv", target / "crm.sample.csv")


def test_newest_version_of_each_id_is_offered(tmp_path: Path) -> None:
    copy_with_version(tmp_path / "a", "1.10.0")
    copy_with_version(tmp_path / "b", "1.9.0")
    shutil.copy(CATALOG_DIR / "schema.json", tmp_path / "schema.json")
    found = Catalogs.load(tmp_path)
    assert found.ids() == ["crm"]
    catalog = found.get("crm")
    assert catalog is not None
    assert catalog.version == "1.10.0"


def test_bundled_catalogues_default_first() -> None:
    assert Catalogs.load(CATALOG_DIR).ids() == ["crm", "bsc"]
