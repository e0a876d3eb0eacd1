"""Checked catalogues remembered between runs, so a build does not parse and check YAML every time.

One JSON file per catalogue, ``parsed/<sha256 of the file's bytes>.json`` in the user's cache
folder (``heads.cache_dir``: ``$KPIGEN_CACHE_DIR`` if set, empty for none; the server sets it
empty and so writes nothing). An entry holds the decoded file (msgspec JSON, never pickle), the
warnings the checks gave, the path it was read from and a stamp of this kpigen: its version and
the size and time of every module of ``generator/catalog`` and ``generator/formula`` and of
PyYAML, Babel and msgspec, so another kpigen, an edited rule or another parser parses afresh.
Only a catalogue that loaded without problems and imports or extends nothing is remembered (an
import's or a base's bytes would be a second key). A cache that cannot be read, written or decoded is the same as
none: the file is parsed as before.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from pathlib import Path

import msgspec

from generator.cache_file import write_cache_file
from generator.catalog import heads
from generator.catalog.catalog import Catalog
from generator.catalog.model import CatalogFile
from generator.errors import UnreadableInput
from generator.user_file import read_user_bytes

RULES = 1
"""Raise when what an entry means changes: older entries are then ignored."""
FOLDER = "parsed"
KEEP = 64
"""Entries kept in the folder; the oldest are removed past this (edited files leave old bytes)."""

_stamp_text: str | None = None


class Entry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    stamp: str
    path: str
    file: CatalogFile
    missing_texts: dict[str, tuple[str, ...]]
    shortened: tuple[str, ...]


def stamp() -> str:
    """This kpigen and what parses a catalogue: version, rules, each module's size and time."""
    global _stamp_text
    if _stamp_text is None:
        from importlib.util import find_spec

        from generator import __version__

        parts = [f"rules {RULES}", f"kpigen {__version__}"]
        sources = [Path(__file__).parent, Path(__file__).parent.parent / "formula"]  # the checks parse formulas
        for package in ("yaml", "babel", "msgspec"):
            with suppress(ImportError, ValueError):
                spec = find_spec(package)
                if spec is not None and spec.origin:
                    sources.append(Path(spec.origin).parent)
        for folder in sources:
            try:
                found = sorted((e.name, e.stat()) for e in os.scandir(folder) if e.name.endswith(".py"))
            except OSError:
                found = []
            parts += [f"{folder}/{name} {st.st_mtime_ns} {st.st_size}" for name, st in found]
        _stamp_text = "; ".join(parts)
    return _stamp_text


def load_catalog(path: Path | str) -> Catalog:
    """The checked catalogue at ``path`` (remembered, or parsed and checked, then remembered);
    raises CatalogError listing every problem. YAML, Babel and the checks are imported on a miss."""
    path = Path(path)
    try:
        data = read_user_bytes(path, "catalogue")
    except UnreadableInput:
        data = None  # the parser gives the error
    if data is not None and (found := recall(path, data)) is not None:
        return found
    from generator.catalog.load import load_with_file

    catalog, file = load_with_file(path)
    if data is not None:
        with suppress(UnreadableInput):
            if read_user_bytes(path, "catalogue") == data:  # the bytes parsed are the bytes hashed
                remember(path, data, file, catalog)
    return catalog


def _entry_path(data: bytes) -> Path | None:
    folder = heads.cache_dir()
    if folder is None:
        return None
    return folder / FOLDER / f"{hashlib.sha256(data).hexdigest()}.json"


def recall(path: Path, data: bytes) -> Catalog | None:
    """The catalogue checked earlier from these bytes at this path, or None."""
    where = _entry_path(data)
    if where is None:
        return None
    try:
        entry = msgspec.json.decode(where.read_bytes(), type=Entry)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    if entry.stamp != stamp() or entry.path != str(path) or entry.file.imports or entry.file.extends:
        return None
    catalog = Catalog.assemble(entry.file, [], path)
    if entry.missing_texts or entry.shortened:
        from dataclasses import replace

        catalog = replace(catalog, missing_texts=entry.missing_texts, shortened=entry.shortened)
    return catalog


def remember(path: Path, data: bytes, file: CatalogFile, catalog: Catalog) -> None:
    """Keep a catalogue that loaded without problems; any failure leaves the cache as it was."""
    where = _entry_path(data)
    if where is None or file.imports or file.extends:  # a base, like an import, is a second key
        return
    entry = Entry(stamp(), str(path), file, catalog.missing_texts, catalog.shortened)
    write_cache_file(where, msgspec.json.encode(entry), keep=KEEP)


def forget() -> None:
    """Drop the stamp this process computed (tests)."""
    global _stamp_text
    _stamp_text = None
