"""Writing one file of the user's cache folder (``parsed/``, ``splits/``, ``babel.json``).

A cache file is only ever a shortcut, so a failure to write it must never fail a command: any
``OSError`` leaves the cache as it was. It is written whole or not at all (a temporary file,
then one rename), readable by its owner alone (0600 in a 0700 folder: it may name the user's
catalogue paths), and a temporary file is removed only when this process created it, never
another writer's.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path


def write_cache_file(where: Path, data: bytes, *, keep: int | None = None) -> None:
    """Write ``data`` to ``where``; with ``keep``, only the ``keep`` newest ``.json`` files of its
    folder remain afterwards (a folder of entries keyed by content, which would otherwise grow)."""
    temporary = where.with_name(f".{where.name}.{os.getpid()}.tmp")
    created = False
    try:
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        created = True
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, where)
        created = False
        if keep is not None:
            _trim(where.parent, keep)
    except OSError:
        if created:
            with suppress(OSError):
                temporary.unlink()


def _trim(folder: Path, keep: int) -> None:
    entries = sorted((e.stat().st_mtime_ns, e.path) for e in os.scandir(folder) if e.name.endswith(".json"))
    for _, old in entries[:-keep]:
        with suppress(OSError):
            os.unlink(old)
