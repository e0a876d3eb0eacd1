"""A build's formula splits remembered between runs, beside the parsed catalogue.

Every formula cell's cached value is computed by the engine, which first cuts each distinct formula
into its shape and references (``generator.engine.reference.split_shape``): about 2,500 formulas
and 20-30 ms of every fresh ``kpigen build`` of the CRM catalogue, the same each time. So a build
keeps them: one file per catalogue, ``splits/<sha256 of the catalogue file's bytes>.json`` in the
user's cache folder (``heads.cache_dir``; empty ``KPIGEN_CACHE_DIR`` for none), msgspec JSON
(never pickle: a planted file cannot run code) holding a stamp (this kpigen's version and the size
and time of the splitting module), the shapes, and each formula's text with its shape's number and
its references. Each split is found by its formula's own text, so a file shared by locales, years
or selections can only miss, never answer for another formula, and a split that does not put back
together into its formula is not used; an entry with another stamp, or that cannot be read or
decoded, is the same as none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec

from generator import __version__
from generator.cache_file import write_cache_file
from generator.catalog import heads
from generator.engine import reference
from generator.engine.spreadsheet import known_splits, seed_splits

FOLDER = "splits"
KEEP = 16
"""Files kept in the folder; the oldest are removed past this (an edited catalogue leaves its old bytes)."""
MOST = 20_000
"""Formulas kept in one file, at most (the CRM catalogue in both locales: about 5,000)."""

References = list[tuple[str | None, str]]


class Entry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    stamp: str
    shapes: list[str]
    formulas: list[tuple[str, int, References]]


def stamp() -> str:
    """What a split depends on: this kpigen and the splitting module's size and time."""
    path = Path(reference.__file__)
    try:
        found = path.stat()
    except OSError:
        return ""
    return f"kpigen {__version__}; {path} {found.st_mtime_ns} {found.st_size}"


def entry_path(catalog_path: Path) -> Path | None:
    """Where the splits of builds from this catalogue file are kept, or None (no cache, unreadable)."""
    folder = heads.cache_dir()
    if folder is None:
        return None
    try:
        data = catalog_path.read_bytes()
    except OSError:
        return None
    return folder / FOLDER / f"{hashlib.sha256(data).hexdigest()}.json"


def recall(where: Path) -> int:
    """Seed the engine with the splits kept at ``where``; how many (0 for none or a stale file)."""
    try:
        entry = msgspec.json.decode(where.read_bytes(), type=Entry)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return 0
    if entry.stamp != stamp() or not entry.stamp:
        return 0
    shapes = entry.shapes
    try:
        splits = [(text, (shapes[number], tuple(refs))) for text, number, refs in entry.formulas]
    except IndexError:
        return 0
    kept = [(text, split) for text, split in splits if _whole(text, split)]
    seed_splits(kept)
    return len(kept)


def _whole(text: str, split: tuple[str, tuple[tuple[str | None, str], ...]]) -> bool:
    """The split puts back together into its formula (references into the shape's marks): a file
    edited by hand or by another program cannot make the engine read other cells."""
    shape, refs = split
    pieces = shape.split(reference.REF_MARK)
    if len(pieces) != len(refs) + 1:
        return False
    joined = [pieces[0]]
    for (prefix, address), piece in zip(refs, pieces[1:], strict=True):
        joined += (prefix or "", address, piece)
    return "".join(joined) == text.removeprefix("=")


def remember(where: Path) -> None:
    """Write every split this process knows to ``where``; any failure leaves the cache as it was."""
    known = list(known_splits().items())[-MOST:]
    numbers: dict[str, int] = {}
    formulas = [(text, numbers.setdefault(shape, len(numbers)), list(refs)) for text, (shape, refs) in known]
    write_cache_file(where, msgspec.json.encode(Entry(stamp(), list(numbers), formulas)), keep=KEEP)


@contextmanager
def kept_splits(catalog_path: Path) -> Iterator[None]:
    """Builds inside the block start from the splits kept for ``catalog_path``; when they split a
    formula not kept yet, the file is rewritten with every split known afterwards."""
    where = entry_path(catalog_path)
    seeded = recall(where) if where is not None else 0
    yield
    if where is not None and len(known_splits()) > seeded:
        remember(where)
