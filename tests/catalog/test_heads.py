"""The remembered heads of bundled catalogues: the same answers as parsing, never a stale one.

Expected values come from parsing the files (``bundled._parse_head``, PyYAML) and from the
files as written here; the cache may only spare the parse.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.catalog import bundled as bundled_module
from generator.catalog import heads
from generator.catalog.bundled import bundled


def _write(path: Path, catalog_id: str, version: str) -> Path:
    path.write_text(f'id: {catalog_id}\nversion: "{version}"\n', encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KPIGEN_CACHE_DIR", str(folder))
    heads.forget()
    bundled_module._read_head.cache_clear()
    yield folder
    heads.forget()
    bundled_module._read_head.cache_clear()


def _fresh_process() -> None:
    """What a new kpigen process starts with: nothing in memory, only the file."""
    heads.forget()
    bundled_module._read_head.cache_clear()


def _found(folder: Path) -> list[tuple[str, str, str]]:
    return [(entry.id, entry.version, entry.path.name) for entry in bundled(folder)]


def test_a_second_run_answers_from_the_cache_without_parsing(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    _write(shelf / "crm.yaml", "crm", "1.1.0")
    (shelf / "notes.yaml").write_text("- just a list\n", encoding="utf-8")
    first = _found(shelf)
    assert first == [("crm", "1.1.0", "crm.yaml")]
    assert (cache / heads.FILE_NAME).is_file()
    _fresh_process()

    def no_parsing(data: bytes) -> None:
        raise AssertionError("parsed although remembered")

    monkeypatch.setattr(bundled_module, "_parse_head", no_parsing)
    assert _found(shelf) == first  # the list that is not a catalogue is remembered as such too


def test_an_edited_file_is_parsed_again_even_with_the_same_size_and_time(cache: Path, tmp_path: Path) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    path = _write(shelf / "crm.yaml", "crm", "1.1.0")
    stat = path.stat()
    assert _found(shelf) == [("crm", "1.1.0", "crm.yaml")]
    _fresh_process()
    _write(path, "crm", "1.2.0")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert _found(shelf) == [("crm", "1.2.0", "crm.yaml")]


def test_the_bundled_catalogues_read_the_same_with_and_without_the_cache(cache: Path) -> None:
    cold = _found(bundled_module.paths.CATALOG_DIR)
    _fresh_process()
    warm = _found(bundled_module.paths.CATALOG_DIR)
    parsed = [
        (head[0], head[1], path.name)
        for path in sorted(bundled_module.paths.CATALOG_DIR.rglob("*"))
        if bundled_module._is_catalogue(path) and (head := bundled_module._parse_head(path.read_bytes()))
    ]
    assert cold == warm
    assert sorted(cold) == sorted(parsed)
    assert ("crm", "1.1.0", "crm.yaml") in cold


def test_crlf_files_read_as_read_text_reads_them(cache: Path, tmp_path: Path) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    (shelf / "a.yaml").write_bytes(b'id: a\r\nversion: "1.0"\r\n')
    (shelf / "b.yaml").write_bytes(b"id: b\rversion: 2.0\r")
    assert _found(shelf) == [("a", "1.0", "a.yaml"), ("b", "2.0", "b.yaml")]


def test_a_read_only_or_broken_cache_is_no_cache(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    _write(shelf / "crm.yaml", "crm", "1.1.0")
    cache.write_text("a file where the folder should be", encoding="utf-8")  # cannot be made: nothing written
    assert _found(shelf) == [("crm", "1.1.0", "crm.yaml")]
    assert cache.read_text(encoding="utf-8") == "a file where the folder should be"
    cache.unlink()
    cache.mkdir()
    (cache / heads.FILE_NAME).write_text('{"stamp": "x", "heads": ', encoding="utf-8")
    _fresh_process()
    assert _found(shelf) == [("crm", "1.1.0", "crm.yaml")]
    stored = json.loads((cache / heads.FILE_NAME).read_text(encoding="utf-8"))  # replaced by a good one
    assert list(stored["heads"].values()) == [["crm", "1.1.0"]]


def test_an_entry_of_another_stamp_or_shape_is_ignored(cache: Path, tmp_path: Path) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    path = _write(shelf / "crm.yaml", "crm", "1.1.0")
    assert _found(shelf)
    stored = json.loads((cache / heads.FILE_NAME).read_text(encoding="utf-8"))
    (key,) = stored["heads"]
    for bad in ({"stamp": "rules 0", "heads": {key: ["crm", "9.9.9"]}}, {**stored, "heads": {key: ["crm", 9]}}):
        (cache / heads.FILE_NAME).write_text(json.dumps(bad), encoding="utf-8")
        _fresh_process()
        assert _found(shelf) == [("crm", "1.1.0", path.name)]


def test_an_empty_cache_setting_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPIGEN_CACHE_DIR", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _fresh_process()
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    _write(shelf / "crm.yaml", "crm", "1.1.0")
    assert _found(shelf) == [("crm", "1.1.0", "crm.yaml")]
    assert not (tmp_path / "home").exists() and not (tmp_path / "xdg").exists()
    _fresh_process()


def test_the_cache_folder_follows_xdg_and_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KPIGEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert heads.cache_dir() == tmp_path / "xdg" / "kpigen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert heads.cache_dir() == tmp_path / "home" / ".cache" / "kpigen"


def test_a_failed_write_leaves_no_temporary_file(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    _write(shelf / "crm.yaml", "crm", "1.1.0")

    def full_disk(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(heads.os, "replace", full_disk)
    assert _found(shelf) == [("crm", "1.1.0", "crm.yaml")]
    assert list(cache.iterdir()) == []
