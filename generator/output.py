"""Writing files as every other tool does, without ever leaving half a file or clobbering one.

The bytes go to a temporary file beside the target, are flushed to disk, then linked or
renamed into place in one step: a crash leaves the old file (or nothing), never a torn one.
The new file gets the mode the process umask gives (``mkstemp`` alone makes 0600); one that
replaces a file under ``--force`` keeps that file's mode. Only regular files are replaced:
``--out /dev/full`` is refused rather than swapped for a file, even as root. A ``kill -9``
in the write window leaves the hidden temporary file behind; the next write to the same folder
removes it (``remove_stale``), and only such files of ours.

``plan_output`` is the one ``--out`` rule for every command that writes workbooks.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OutputError, OutputExists, UserError

SUFFIX = ".xlsx"


def _exists_message(path: Path) -> str:
    return f"{path}: already exists; pass --force to replace it"


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _status(path: Path) -> os.stat_result | None:
    """``path``'s status, or None if nothing is there; a folder the user may not enter (a parent
    of mode 700 owned by someone else) is an output that cannot be written, not a crash."""
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here: {exc.strerror}") from None


def check_target(path: Path, *, force: bool = False) -> None:
    """Refuse before any work: an existing file without ``force``, or anything but a regular file."""
    status = _status(path)
    if status is None:
        return
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{path}: is a directory")
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(f"{path}: is not a regular file; kpigen writes only regular files")
    if not force:
        raise OutputExists(_exists_message(path))


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; refuse an existing file unless ``force``."""
    path = Path(path)
    check_target(path, force=force)
    status = _status(path)
    mode = stat.S_IMODE(status.st_mode) if status is not None else _new_file_mode()
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        remove_stale(directory)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.kpigen-{os.getpid()}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise OutputExists(_exists_message(path)) from None
            except OSError:
                if path.exists():
                    raise OutputExists(_exists_message(path)) from None
                os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


@dataclass(frozen=True)
class OutputPlan:
    """Where ``--out`` sends workbooks: one named file, or a folder that receives default names."""

    file: Path | None = None
    folder: Path | None = None

    def target(self, default_name: str) -> Path:
        if self.file is not None:
            return self.file
        assert self.folder is not None
        return self.folder / default_name


def plan_output(out: str, *, several: bool = False, folder: bool = False) -> OutputPlan:
    """The ``--out`` rule: a name ending in .xlsx is a file (its folders are created); an existing
    folder, or a name ending in a slash, receives default names; anything else is refused with
    the reason, never turned into a folder of that name. ``folder``: the command always writes
    into a folder (``build --batch``), so a new name is one."""
    path = Path(out)
    status = _status(path)
    is_dir = status is not None and stat.S_ISDIR(status.st_mode)
    if folder and not out.lower().endswith(SUFFIX) and (status is None or is_dir):
        return OutputPlan(folder=path)
    if out.lower().endswith(SUFFIX) and not is_dir:
        if several:
            raise UserError(f"--out {out} names one file, but this builds several workbooks; give a folder")
        return OutputPlan(file=path)
    if is_dir or out.endswith(("/", os.sep)):
        return OutputPlan(folder=path)
    if status is not None:
        raise OutputError(
            f"--out {out}: exists and is neither a folder nor a {SUFFIX} file; kpigen will not write to it"
        )
    why = (
        f"kpigen writes {SUFFIX} workbooks (no macros, no legacy .xls)"
        if path.suffix
        else "it is not an existing folder (end it with / to create one)"
    )
    raise UserError(f"--out {out}: {why}; give a name ending in {SUFFIX}, or a folder")


def plan_workbook_output(out: str | Path, *, force: bool, reads: Sequence[Path] = ()) -> OutputPlan:
    """``plan_output`` for a command that writes one workbook built from files it reads (regenerate,
    import, consolidate), refusing before any work what can be refused then: a file ``--out`` that
    is one of those files, or that exists without ``force``."""
    plan = plan_output(str(out))
    if plan.file is not None:
        _refuse_overwriting(plan.file, reads)
        check_target(plan.file, force=force)
    return plan


def write_planned(plan: OutputPlan, default_name: str, data: bytes, *, force: bool, reads: Sequence[Path] = ()) -> Path:
    """Write a built workbook where ``plan`` says (a folder receives ``default_name``); returns the path."""
    target = plan.target(default_name)
    _refuse_overwriting(target, reads)
    write_atomic(target, data, force=force)
    return target


def _refuse_overwriting(target: Path, reads: Sequence[Path]) -> None:
    for source in reads:
        with contextlib.suppress(OSError):
            if target.exists() and os.path.samefile(source, target):
                raise UserError(
                    f"--out {target}: is {source}, which this command reads and never changes; write to another file"
                )


STALE_SECONDS = 15 * 60
"""A temporary file this old is no write in progress: a build writes one in well under a second."""
_TEMPORARY = re.compile(r"^\.(?P<name>.+?)(?:\.kpigen-(?P<pid>[0-9]{1,10}))?\.[a-z0-9_]{8}\.tmp$")
"""What ``write_atomic`` names its temporary files: ``.NAME.kpigen-PID.random.tmp`` (releases before
this one wrote ``.NAME.random.tmp``: those are removed only once older than ``STALE_SECONDS``)."""


def remove_stale(directory: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files a killed ``write_atomic`` left in ``directory``; returns what was removed.

    Only files named as ours, owned by this user, and either written by a process that is gone
    or older than ``STALE_SECONDS``: a write in progress, or a user's file, is never touched.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        found = _TEMPORARY.match(entry.name)
        if found is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            continue
        pid = found.group("pid")
        if now - info.st_mtime < STALE_SECONDS and (pid is None or _alive(int(pid))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (ours or another user's)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    return True
