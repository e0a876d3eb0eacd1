"""The catalogues that ship with kpigen, found by id (and version), and what ``--catalog`` names.

Every ``.yaml``/``.yml``/``.json`` file under the catalogue folder (``generator.paths.CATALOG_DIR``)
except the schema is a bundled catalogue, whatever its file name: one id may ship in several
versions (``crm`` 1.0.0 and 1.1.0), so a workbook is checked against the version it was built
from when that version is bundled, and against the newest otherwise.

Finding ``crm`` means knowing the id and version of every bundled file, which a YAML parse of
each gives: a fifth of a whole ``kpigen catalog check crm``. So what a file's bytes declare is
remembered by ``generator.catalog.heads`` (a small JSON file in the user's cache folder, keyed
by the SHA-256 of the bytes, so an edited file is parsed afresh).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator import paths
from generator.catalog import heads
from generator.errors import UserError

_SUFFIXES = (".yaml", ".yml", ".json")
_SCHEMA = "schema.json"
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ID_VERSION = re.compile(r"^([a-z][a-z0-9_]{0,39})-(\d+\.\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class Bundled:
    """One bundled catalogue file: its id and version as written at its top."""

    id: str
    version: str
    path: Path

    @property
    def version_key(self) -> tuple[tuple[int, int | str], ...]:
        """Orders 1.10.0 after 1.9.0: numeric parts by value, others after them as text."""
        return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.\-+]", self.version))


def bundled(folder: Path | None = None) -> list[Bundled]:
    """Every bundled catalogue, by id then newest version first."""
    root = folder or paths.CATALOG_DIR
    found = [_head(path) for path in sorted(_catalogue_files(root))]
    heads.save()
    catalogues = [entry for entry in found if entry is not None]
    catalogues.sort(key=lambda entry: entry.version_key, reverse=True)
    catalogues.sort(key=lambda entry: entry.id)
    return catalogues


def find_bundled(catalog_id: str, version: str | None = None, folder: Path | None = None) -> Bundled | None:
    """The bundled catalogue ``catalog_id`` in ``version`` if shipped, else its newest version."""
    versions = [entry for entry in bundled(folder) if entry.id == catalog_id]
    exact = [entry for entry in versions if entry.version == version]
    chosen = exact or versions
    return chosen[0] if chosen else None


def resolve_catalog(spec: str | Path) -> Path:
    """The file ``--catalog`` names: an existing path, a bundled id (``crm``, ``bsc``: the newest
    version), or a bundled id and version as ``catalog list`` shows them (``crm-1.0.0``).

    A bare word that is neither is refused listing the bundled ids (a usage error); anything that
    looks like a file name is returned as it is, so loading it reports a missing file (exit 3).
    """
    path = Path(spec)
    if path.exists():
        return path
    text = str(spec)
    versioned = _ID_VERSION.match(text)
    if versioned:
        versions = [entry for entry in bundled() if entry.id == versioned[1]]
        exact = [entry for entry in versions if entry.version == versioned[2]]
        if exact:
            return exact[0].path
        if versions:
            shipped = ", ".join(f"{entry.id}-{entry.version}" for entry in versions)
            raise UserError(f"--catalog '{text}': no such version is bundled (bundled: {shipped})")
    if _ID.match(text):
        entry = find_bundled(text)
        if entry is not None:
            return entry.path
        if not path.suffix:
            ids = ", ".join(dict.fromkeys(entry.id for entry in bundled()))
            raise UserError(f"--catalog '{text}' is neither a file nor a bundled catalogue (bundled: {ids})")
    return path


def _catalogue_files(folder: Path) -> list[Path]:
    """The catalogue files under ``folder`` (``rglob`` filtered by ``_is_catalogue``, in no order), from one
    ``scandir`` per folder: the entries know whether they are files, and a Path is made only for a
    catalogue (every validation looks its catalogue up; rglob made and tested one per entry). Like rglob,
    symlinked folders are not entered, and a folder that cannot be read is passed over."""
    found: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError:
        return found
    for entry in listed:
        name = entry.name
        if name.endswith(_SUFFIXES) and name != _SCHEMA and not name.startswith(".") and _is_file(entry):
            found.append(folder / name)
        elif _is_folder(entry):
            found += _catalogue_files(folder / name)
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir() and not entry.is_symlink()
    except OSError:
        return False


def _is_catalogue(path: Path) -> bool:
    return path.suffix in _SUFFIXES and path.name != _SCHEMA and path.is_file() and not path.name.startswith(".")


def _head(path: Path) -> Bundled | None:
    stat = path.stat()
    return _read_head(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_head(path: Path, mtime_ns: int, size: int) -> Bundled | None:
    """The id and version a catalogue file declares; None for a file that is not one."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = heads.lookup(data, _parse_head)
    return None if head is None else Bundled(head[0], head[1], path)


def _parse_head(data: bytes) -> tuple[str, str] | None:
    """What ``yaml.load`` gives for ``id`` and ``version``, the bytes read as ``Path.read_text``
    reads them (UTF-8, universal newlines)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        loaded = yaml.load(text, Loader=loader)
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("id"), str):
        return None
    return loaded["id"], str(loaded.get("version", ""))
