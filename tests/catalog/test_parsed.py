"""The remembered parsed catalogues: the same catalogue as parsing, never a stale or foreign one.

Expected values come from parsing the files (``load.load_catalog``, PyYAML and the checks); the
cache may only spare the parse.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.catalog import load as load_module
from generator.catalog import parsed
from generator.catalog.catalog import Catalog
from generator.errors import CatalogError
from generator.paths import CATALOG_DIR


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KPIGEN_CACHE_DIR", str(folder))
    parsed.forget()
    yield folder
    parsed.forget()


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path) -> None:
        raise AssertionError(f"parsed {path} although remembered")

    monkeypatch.setattr(load_module, "load_with_file", refuse)


def _same(a: Catalog, b: Catalog) -> None:
    for name in Catalog.__dataclass_fields__:
        assert getattr(a, name) == getattr(b, name), name


def _copy(tmp_path: Path, name: str = "crm.yaml") -> Path:
    shelf = tmp_path / "shelf"
    shelf.mkdir(exist_ok=True)
    return Path(shutil.copy(CATALOG_DIR / "crm.yaml", shelf / name))


def test_a_second_load_answers_from_the_cache_with_the_parsed_catalogue(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(tmp_path)
    expected = load_module.load_catalog(path)
    parsed.load_catalog(path)
    entries = list((cache / parsed.FOLDER).glob("*.json"))
    assert len(entries) == 1
    json.loads(entries[0].read_text(encoding="utf-8"))  # plain JSON, readable by anything
    parsed.forget()
    _no_parsing(monkeypatch)
    _same(parsed.load_catalog(path), expected)


def test_warnings_of_the_checks_are_remembered(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("locales: [en, tr]", "locales: [en, tr, de]"), encoding="utf-8")
    expected = load_module.load_catalog(path)
    assert expected.missing_texts["de"]  # German is declared and has no text: a warning, not a problem
    parsed.load_catalog(path)
    _no_parsing(monkeypatch)
    _same(parsed.load_catalog(path), expected)


def test_an_edited_file_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    path = _copy(tmp_path)
    parsed.load_catalog(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version:", "version: '9.9.9'\nold_version:", 1), encoding="utf-8")
    with pytest.raises(CatalogError):  # the unknown field is found: not the remembered catalogue
        parsed.load_catalog(path)


def test_the_same_bytes_at_another_path_name_that_path(cache: Path, tmp_path: Path) -> None:
    first = _copy(tmp_path, "crm.yaml")
    second = _copy(tmp_path, "other.yaml")
    assert parsed.load_catalog(first).source == first
    assert parsed.load_catalog(second).source == second


def test_a_catalogue_with_problems_is_not_remembered(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nversion: '1.0'\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogError):
            parsed.load_catalog(path)
    assert not list(cache.glob("**/*.json"))


def test_another_program_stamp_or_a_damaged_entry_parses_afresh(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(tmp_path)
    expected = load_module.load_catalog(path)
    parsed.load_catalog(path)
    (entry,) = (cache / parsed.FOLDER).glob("*.json")
    stored = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**stored, "stamp": "kpigen 0.0.0"}), encoding="utf-8")
    calls: list[Path] = []
    real = load_module.load_with_file

    def counting(where: Path) -> tuple[Catalog, object]:
        calls.append(where)
        return real(where)

    monkeypatch.setattr(load_module, "load_with_file", counting)
    _same(parsed.load_catalog(path), expected)
    entry.write_bytes(b"\x80 not json")
    _same(parsed.load_catalog(path), expected)
    assert calls == [path, path]


def test_no_cache_folder_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPIGEN_CACHE_DIR", "")  # as the server runs
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = _copy(tmp_path)
    _same(parsed.load_catalog(path), load_module.load_catalog(path))
    assert not (tmp_path / "home").exists() and not (tmp_path / "xdg").exists()


def test_a_catalogue_that_imports_is_not_remembered(cache: Path) -> None:
    parsed.load_catalog(CATALOG_DIR / "bsc.yaml")
    assert not list(cache.glob("**/*.json"))


def test_a_remembered_catalogue_loads_without_pyyaml_or_the_checks(tmp_path: Path) -> None:
    """What a second ``kpigen build`` saves: a fresh process imports neither PyYAML nor the loader."""
    import os
    import subprocess
    import sys

    path = _copy(tmp_path)
    code = (
        "import sys; from generator.catalog import load_catalog; c = load_catalog(sys.argv[1]); "
        "print(len(c.kpis), 'yaml' in sys.modules, 'generator.catalog.load' in sys.modules)"
    )
    env = dict(os.environ, KPIGEN_CACHE_DIR=str(tmp_path / "cache"))
    runs = [
        subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert [run.stdout.split() for run in runs] == [["26", "True", "True"], ["26", "False", "False"]]
