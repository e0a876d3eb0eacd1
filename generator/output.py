"""Writing files without ever leaving half a file or clobbering one the user did not offer up.

The bytes go to a temporary file beside the target, are flushed to disk, then linked or
renamed into place in one step: a crash leaves the old file (or nothing), never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from generator.errors import OutputError, OutputExists


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; refuse an existing file unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputExists(f"{path}: already exists; pass --force to replace it")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise OutputExists(f"{path}: already exists; pass --force to replace it") from None
            except OSError:
                if path.exists():
                    raise OutputExists(f"{path}: already exists; pass --force to replace it") from None
                os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
