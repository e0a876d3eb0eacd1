"""Reading a file a user named: bounded, checked, and refused in one line when it is not a plain file.

Every path the tool reads on a user's word (a catalogue, the catalogues it imports, a sample or
import CSV) goes through here, so a named pipe cannot hang a command, ``/dev/zero`` cannot eat
the memory, a folder or a device gets a sentence instead of a traceback, and text that is not
UTF-8 is pointed at by line and column.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import UnreadableInput

MIB = 1024 * 1024
MAX_TEXT_BYTES = 8 * MIB
"""Largest catalogue or CSV read; the bundled CRM catalogue is 60 KB, its sample 12 KB."""


def read_user_bytes(path: Path, what: str, max_bytes: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; UnreadableInput (exit 3) for anything else.

    The file is opened without blocking (a FIFO with no writer would otherwise wait forever), its
    kind is judged on the open descriptor (no race with a rename), and at most ``max_bytes`` + 1
    bytes are ever read (a device or a growing file cannot exhaust memory).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnreadableInput(f"{path}: file not found") from None
    except IsADirectoryError:
        raise UnreadableInput(f"{path}: is a directory, not a {what} file") from None
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read the {what}: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableInput(f"{path}: is {_kind(mode)}, not a {what} file")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 * MIB, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except IsADirectoryError:
        raise UnreadableInput(f"{path}: is a directory, not a {what} file") from None
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read the {what}: {exc.strerror}") from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise UnreadableInput(f"{path}: is larger than {max_bytes // MIB} MB, too large for a {what}")
    return b"".join(chunks)


def read_user_text(path: Path, what: str, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped); the first bad byte by line and column."""
    raw = read_user_bytes(path, what, max_bytes)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        raise UnreadableInput(
            f"{path}:{line}:{column}: not UTF-8 text (byte {exc.start}); save the {what} as UTF-8"
        ) from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"
