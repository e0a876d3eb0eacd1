"""The catalogues that ship with kpigen, found by id (and version), and what ``--catalog`` names.

Every ``.yaml``/``.yml``/``.json`` file under the catalogue folder (``generator.paths.CATALOG_DIR``)
except the schema is a bundled catalogue, whatever its file name: one id may ship in several
versions (``crm`` 1.0.0 and 1.1.0), so a workbook is checked against the version it was built
from when that version is bundled, and against the newest otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from generator import paths
from generator.errors import UserError

_SUFFIXES = (".yaml", ".yml", ".json")
_SCHEMA = "schema.json"
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


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
    found = [_head(path) for path in sorted(root.rglob("*")) if _is_catalogue(path)]
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
    """The file ``--catalog`` names: an existing path, or a bundled id (``crm``, ``bsc``).

    A bare word that is neither is refused listing the bundled ids (a usage error); anything that
    looks like a file name is returned as it is, so loading it reports a missing file (exit 3).
    """
    path = Path(spec)
    if path.exists():
        return path
    text = str(spec)
    if _ID.match(text):
        entry = find_bundled(text)
        if entry is not None:
            return entry.path
        if not path.suffix:
            ids = ", ".join(dict.fromkeys(entry.id for entry in bundled()))
            raise UserError(f"--catalog '{text}' is neither a file nor a bundled catalogue (bundled: {ids})")
    return path


def _is_catalogue(path: Path) -> bool:
    return path.suffix in _SUFFIXES and path.name != _SCHEMA and path.is_file() and not path.name.startswith(".")


def _head(path: Path) -> Bundled | None:
    stat = path.stat()
    return _read_head(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_head(path: Path, mtime_ns: int, size: int) -> Bundled | None:
    """The id and version a catalogue file declares; None for a file that is not one."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    return Bundled(data["id"], str(data.get("version", "")), path)
