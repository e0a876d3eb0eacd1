"""What each bundled catalogue file declares (id, version), remembered between runs by the bytes' hash.

One JSON file, ``bundled-heads.json``, in the user's cache folder: ``$KPIGEN_CACHE_DIR`` if set
(empty: remember nothing), else ``$XDG_CACHE_HOME/kpigen`` or ``~/.cache/kpigen`` (on Windows
``%LOCALAPPDATA%\\kpigen``). Nothing is written anywhere else. An entry is found only for the
same bytes (SHA-256) read with the same rules and the same PyYAML install, so an edited file,
another kpigen or another PyYAML parses afresh. A cache folder that cannot be made or written
(a read-only home), or a file that cannot be read or makes no sense, is the same as no cache:
the files are parsed, as they were before there was one.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

Head = tuple[str, str] | None
"""A file's (id, version), or None for a file that is not a catalogue."""

RULES = 1
"""Raise when what a head means changes (``bundled._parse_head``): older entries are then ignored."""
FILE_NAME = "bundled-heads.json"
KEEP = 256
"""Entries kept in the file, the most recently learnt: old versions of edited files fall out."""

_known: dict[str, Head] | None = None
_dirty = False
_stamp_text: str | None = None


def cache_dir() -> Path | None:
    """The per-user cache folder, or None when caching is off or no home is known."""
    override = os.environ.get("KPIGEN_CACHE_DIR")
    if override is not None:
        return Path(override) if override else None
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "kpigen"
    base = os.environ.get("XDG_CACHE_HOME")
    if base and os.path.isabs(base):
        return Path(base) / "kpigen"
    try:
        return Path.home() / ".cache" / "kpigen"
    except (RuntimeError, KeyError):  # no home directory
        return None


def _stamp() -> str:
    """What else a head depends on: these rules, this kpigen, the PyYAML install that parses."""
    global _stamp_text
    if _stamp_text is None:
        _stamp_text = _make_stamp()
    return _stamp_text


def _make_stamp() -> str:
    from importlib.util import find_spec

    from generator import __version__

    parts = [f"rules {RULES}", f"kpigen {__version__}"]
    try:
        spec = find_spec("yaml")
        origin = spec.origin if spec is not None else None
        if origin:
            stat = os.stat(origin)
            parts.append(f"yaml {origin} {stat.st_mtime_ns} {stat.st_size}")
    except (ImportError, ValueError, OSError):
        parts.append("yaml unknown")
    return "; ".join(parts)


def _load() -> dict[str, Head]:
    global _known
    if _known is None:
        _known = {}
        folder = cache_dir()
        if folder is not None:
            try:
                import json

                stored = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
                if isinstance(stored, dict) and stored.get("stamp") == _stamp():
                    _known = {key: _valid(value) for key, value in stored["heads"].items()}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                _known = {}
    return _known


def _valid(value: object) -> Head:
    if value is None:
        return None
    if isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value):
        return value[0], value[1]
    raise ValueError("not a head")


def lookup(data: bytes, parse: Callable[[bytes], Head]) -> Head:
    """The head of a file with these bytes: remembered, or ``parse(data)`` (then remembered)."""
    global _dirty
    known = _load()
    key = hashlib.sha256(data).hexdigest()
    if key not in known:
        known[key] = parse(data)
        _dirty = True
    return known[key]


def save() -> None:
    """Write what was learnt since the last save; any failure leaves the cache as it was."""
    global _dirty
    folder = cache_dir()
    if not _dirty or folder is None or _known is None:
        return
    _dirty = False
    import json

    kept = list(_known.items())[-KEEP:]
    text = json.dumps({"stamp": _stamp(), "heads": {key: list(head) if head else None for key, head in kept}})
    temporary = folder / f".{FILE_NAME}.{os.getpid()}.{id(text)}.tmp"
    created = False
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        created = True
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, folder / FILE_NAME)
    except OSError:
        if created:  # never another writer's file
            with suppress(OSError):
                temporary.unlink()


def forget() -> None:
    """Drop what this process holds (tests; the file itself is left)."""
    global _known, _dirty, _stamp_text
    _known, _dirty, _stamp_text = None, False, None
