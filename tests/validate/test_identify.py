"""Bundled catalogues are read once per process while their file is unchanged, and again when it changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.paths import CATALOG_DIR
from generator.validate.identify import load_bundled


def test_a_bundled_catalogue_is_read_once_until_its_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "crm.yaml"
    shutil.copyfile(CATALOG_DIR / "crm.yaml", path)
    first = load_bundled(path)
    assert load_bundled(path) is first
    text = path.read_text(encoding="utf-8").replace('version: "1.1.0"', 'version: "1.1.1"', 1)
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    changed = load_bundled(path)
    assert changed is not first and (first.version, changed.version) == ("1.1.0", "1.1.1")
