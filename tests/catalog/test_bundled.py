"""Bundled catalogues: found by id and version, named by --catalog, listed by `kpigen catalog list`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import paths
from generator.catalog.bundled import bundled, find_bundled, resolve_catalog
from generator.cli import main
from generator.errors import UserError


def _catalogue(folder: Path, name: str, catalog_id: str, version: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'id: {catalog_id}\nversion: "{version}"\n', encoding="utf-8")
    return path


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """One id in three versions under any file names (one in a sub-folder), another id, a schema and junk."""
    _catalogue(tmp_path, "crm.yaml", "crm", "1.1.0")
    _catalogue(tmp_path, "old/crm-1.0.0.yaml", "crm", "1.0.0")
    _catalogue(tmp_path, "crm-1.9.yml", "crm", "1.9.0")
    _catalogue(tmp_path, "bsc.json", "bsc", "2.0")
    (tmp_path / "schema.json").write_text('{"id": "not a catalogue"}', encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("- just a list\n", encoding="utf-8")
    (tmp_path / "crm.sample.csv").write_text("month,input,value\n", encoding="utf-8")
    return tmp_path


def test_every_version_of_every_id_newest_first(shelf: Path) -> None:
    found = [(entry.id, entry.version, entry.path.relative_to(shelf).as_posix()) for entry in bundled(shelf)]
    assert found == [
        ("bsc", "2.0", "bsc.json"),
        ("crm", "1.9.0", "crm-1.9.yml"),
        ("crm", "1.1.0", "crm.yaml"),
        ("crm", "1.0.0", "old/crm-1.0.0.yaml"),
    ]


def test_a_workbook_gets_its_own_version_else_the_newest(shelf: Path) -> None:
    assert find_bundled("crm", "1.0.0", shelf).path == shelf / "old" / "crm-1.0.0.yaml"  # type: ignore[union-attr]
    assert find_bundled("crm", "1.1.0", shelf).path == shelf / "crm.yaml"  # type: ignore[union-attr]
    assert find_bundled("crm", "0.9.0", shelf).version == "1.9.0"  # type: ignore[union-attr]
    assert find_bundled("crm", None, shelf).version == "1.9.0"  # type: ignore[union-attr]
    assert find_bundled("nosuch", None, shelf) is None


def test_versions_compare_as_numbers() -> None:
    from generator.catalog.bundled import Bundled

    versions = ["1.9.0", "1.10.0", "1.2", "2.0.0-rc1", "2.0.0"]
    ordered = sorted((Bundled("x", v, Path("x")) for v in versions), key=lambda entry: entry.version_key)
    assert [entry.version for entry in ordered] == ["1.2", "1.9.0", "1.10.0", "2.0.0", "2.0.0-rc1"]


def test_catalog_option_takes_an_id_or_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_catalog("crm").resolve() == (paths.CATALOG_DIR / "crm.yaml").resolve()
    assert resolve_catalog("bsc").resolve() == (paths.CATALOG_DIR / "bsc.yaml").resolve()
    monkeypatch.chdir(tmp_path)
    own = _catalogue(tmp_path, "crm", "crm", "9.9.9")  # a file in the folder wins over the bundled id
    assert resolve_catalog("crm") == Path("crm") and own.is_file()
    assert resolve_catalog("missing.yaml") == Path("missing.yaml")  # loading it says "file not found" (3)
    with pytest.raises(UserError, match=r"'nosuch' is neither a file nor a bundled catalogue \(bundled: bsc, crm"):
        resolve_catalog("nosuch")


def test_cli_lists_the_bundled_catalogues() -> None:
    result = CliRunner().invoke(main, ["catalog", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "version", "locales", "KPIs", "file"]
    rows = {tuple(line.split()[:2]): line.split() for line in lines[1:]}
    assert rows[("crm", "1.1.0")][2:] == ["en,", "tr", "26", "crm.yaml"]  # 26 KPIs: kpi-reference.md
    assert rows[("crm", "1.0.0")][2:] == ["en,", "tr", "26", "crm-1.0.0.yaml"]  # kept for its workbooks
    assert rows[("bsc", "1.1.0")][-1] == "bsc.yaml" and rows[("bsc", "1.1.0")][-2] == "11"  # 8 imported + 3 own


def test_cli_builds_and_checks_by_id(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--catalog", "bsc", "--out", str(tmp_path / "b.xlsx")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["catalog", "check", "crm", "bsc"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["build", "--catalog", "nosuch", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "bundled: bsc, crm" in result.output


def test_the_files_listed_are_those_rglob_finds(shelf: Path) -> None:
    """``_catalogue_files`` against pathlib's documented walk: every ``.yaml``/``.yml``/``.json`` file but the
    schema and hidden files, in sub-folders too (a hidden one included), not through a symlinked folder,
    through a symlinked file, never a broken link or a folder named like a file."""
    from generator.catalog import bundled as bundled_module

    _catalogue(shelf, ".hidden/deep/kpi.yaml", "kpi", "1.0")
    _catalogue(shelf, "a/b/c/more.json", "more", "1.0")
    (shelf / ".secret.yaml").write_text("id: x\n", encoding="utf-8")
    (shelf / "folder.yaml").mkdir()
    outside = _catalogue(shelf.parent / f"{shelf.name}-outside", "away.yaml", "away", "1.0")
    (shelf / "linked").symlink_to(outside.parent, target_is_directory=True)
    (shelf / "link.yaml").symlink_to(outside)
    (shelf / "broken.yaml").symlink_to(shelf / "nowhere.yaml")
    expected = sorted(p for p in shelf.rglob("*") if bundled_module._is_catalogue(p))
    names = [p.relative_to(shelf).as_posix() for p in expected]
    assert names == [
        ".hidden/deep/kpi.yaml",
        "a/b/c/more.json",
        "bsc.json",
        "crm-1.9.yml",
        "crm.yaml",
        "link.yaml",
        "notes.yaml",
        "old/crm-1.0.0.yaml",
    ]
    assert sorted(bundled_module._catalogue_files(shelf)) == expected
    assert bundled_module._catalogue_files(shelf / "missing") == []
