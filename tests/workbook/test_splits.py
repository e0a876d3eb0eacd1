"""The formula splits a build keeps between runs: the splitter's own results, never another's.

Expected values come from the splitter itself (``split_shape`` run on each formula) and from a
build that splits every formula afresh: a kept split may only spare the work.
"""

from __future__ import annotations

import io
import json
import shutil
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import load_catalog
from generator.cli import main
from generator.engine import spreadsheet
from generator.engine.kept import Kept
from generator.engine.reference import split_shape
from generator.paths import CATALOG_DIR
from generator.workbook import splits
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions

OPTIONS = BuildOptions(locale="en", sample=True, year=2026)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KPIGEN_CACHE_DIR", str(folder))
    _fresh_engine(monkeypatch)
    yield folder


def _fresh_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty per-process formula tables, as in a new process."""
    for table in ("_SHAPES", "_FORMULAS", "_RESOLVED", "_SPLITS"):
        monkeypatch.setattr(spreadsheet, table, Kept())


def _catalog(tmp_path: Path) -> Path:
    shelf = tmp_path / "shelf"
    shelf.mkdir(exist_ok=True)
    shutil.copy(CATALOG_DIR / "crm.sample.csv", shelf / "crm.sample.csv")  # the demo year
    return Path(shutil.copy(CATALOG_DIR / "crm.yaml", shelf / "crm.yaml"))


def _parts(data: bytes) -> dict[str, bytes]:
    """A workbook's parts but its creation time (docProps/core.xml), which differs between builds."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def _build(path: Path, locale: str = "en") -> bytes:
    catalog = load_catalog(path)
    with splits.kept_splits(path):
        return build_workbook(catalog, BuildOptions(locale=locale, sample=True, year=2026)).data


def test_every_kept_split_is_what_the_splitter_gives(cache: Path, tmp_path: Path) -> None:
    path = _catalog(tmp_path)
    _build(path, "en")
    _build(path, "tr")  # a second locale's sheet names: its formulas join the same file
    files = list((cache / splits.FOLDER).glob("*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    kept = json.loads(files[0].read_text(encoding="utf-8"))  # plain JSON
    formulas = kept["formulas"]
    assert len(formulas) > 4_000  # about 2,500 distinct formulas a locale
    assert any("'Veri Girişi'!" in text for text, _, _ in formulas)
    for text, number, refs in formulas:
        shape, expected = split_shape(text)
        assert (kept["shapes"][number], [tuple(ref) for ref in refs]) == (shape, expected), text


def test_a_build_from_kept_splits_is_the_build_that_splits_everything(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _catalog(tmp_path)
    fresh = _build(path)
    _fresh_engine(monkeypatch)

    def refuse(formula: str) -> None:
        raise AssertionError(f"split {formula!r} although kept")

    monkeypatch.setattr(spreadsheet, "split_shape", refuse)
    assert _parts(_build(path)) == _parts(fresh)


@pytest.mark.parametrize(
    "planted",
    [
        b"not json",
        b'{"stamp": "kpigen 0.0.1", "shapes": ["\\u0000+1"], "formulas": [["=A1+1", 0, [[null, "A1"]]]]}',
        b'{"stamp": "STAMP", "shapes": [], "formulas": [["=A1+1", 3, [[null, "A1"]]]]}',
        b'{"stamp": "STAMP", "shapes": ["x"], "formulas": [["=A1+1", 0, "A1"]]}',
        b'{"stamp": "STAMP", "shapes": ["\\u0000+2"], "formulas": [["=A1+1", 0, [[null, "A1"]]]]}',
        b'{"stamp": "STAMP", "shapes": ["\\u0000+1"], "formulas": [["=A1+1", 0, [[null, "B1"]]]]}',
    ],
    ids=[
        "not JSON",
        "another kpigen",
        "a shape that is not there",
        "references of the wrong type",
        "a shape edited",
        "a reference edited",
    ],
)
def test_a_stale_or_broken_file_is_the_same_as_none(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planted: bytes
) -> None:
    path = _catalog(tmp_path)
    where = splits.entry_path(path)
    assert where is not None
    where.parent.mkdir(parents=True)
    where.write_bytes(planted.replace(b"STAMP", splits.stamp().encode()))
    assert splits.recall(where) == 0
    assert spreadsheet.known_splits() == {}
    expected = _build(path)  # splits afresh, then replaces the file with a good one
    assert splits.recall(where) > 2_000
    _fresh_engine(monkeypatch)
    assert _parts(_build(path)) == _parts(expected)


def test_another_catalogue_file_has_its_own_entry(cache: Path, tmp_path: Path) -> None:
    path = _catalog(tmp_path)
    _build(path)
    path.write_bytes(path.read_bytes() + b"\n# edited\n")
    assert splits.recall(splits.entry_path(path) or Path("/")) == 0


def test_an_empty_cache_setting_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPIGEN_CACHE_DIR", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    _fresh_engine(monkeypatch)
    path = _catalog(tmp_path)
    assert splits.entry_path(path) is None
    _build(path)
    assert not (tmp_path / "home").exists()


def test_kpigen_build_keeps_the_splits_of_its_catalogue(cache: Path, tmp_path: Path) -> None:
    path = _catalog(tmp_path)
    out = tmp_path / "out.xlsx"
    args = ["build", "--catalog", str(path), "--sample", "--year", "2026", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    where = splits.entry_path(path)
    assert where is not None and where.is_file()
    assert splits.recall(where) > 2_000
