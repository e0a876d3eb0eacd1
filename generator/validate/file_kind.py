"""What a file is before it is a zip: only regular files are opened, and a file that is not a zip
is named (an old .xls, an encrypted workbook, a CSV or HTML file) so the user knows what to do.
"""

from __future__ import annotations

import codecs
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NoReturn

from generator.validate.refusals import MIB, RESAVE, clean, refuse

CHUNK = MIB  # streamed read size
HEAD = 4096  # bytes read from a member to look at its start
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTION_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def cannot_open(name: str, exc: OSError) -> NoReturn:
    refuse(name, f"cannot be opened ({clean(exc.strerror or str(exc))}); check the path and permissions")


def open_regular(path: Path, name: str) -> IO[bytes]:
    """Open path for reading only if it is a regular file (a FIFO or device could block or never end)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        refuse(name, "does not exist; check the path and the file name")
    except OSError as exc:
        cannot_open(name, exc)
    if stat.S_ISDIR(st.st_mode):
        refuse(name, "is a directory, not a workbook file; give the path of the .xlsx file")
    if not stat.S_ISREG(st.st_mode):
        refuse(name, "is not a regular file; give the path of a saved .xlsx file")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        cannot_open(name, exc)
    fh = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between stat and open
        fh.close()
        refuse(name, "is not a regular file; give the path of a saved .xlsx file")
    return fh


def member_head(zf: zipfile.ZipFile, member: str, size: int) -> bytes:
    """The first bytes of a zip member, streamed: never more than asked for is decompressed."""
    with zf.open(member) as fh:
        return fh.read(size)


def chunks(fh: IO[bytes], size: int = CHUNK) -> Iterator[bytes]:
    while chunk := fh.read(size):
        yield chunk


def contains_any(fh: IO[bytes], needles: tuple[bytes, ...]) -> bool:
    """Stream the whole file looking for any needle, keeping an overlap so none is split across reads."""
    overlap = max(len(n) for n in needles) - 1
    fh.seek(0)
    tail = b""
    for chunk in chunks(fh):
        window = tail + chunk
        if any(n in window for n in needles):
            return True
        tail = window[-overlap:]
    return False


def refuse_cfb(fh: IO[bytes], name: str) -> NoReturn:
    """OLE2/CFB container: an encrypted OOXML package (Excel's password protection) or an old .xls."""
    if contains_any(fh, ENCRYPTION_STREAMS):
        refuse(
            name,
            "is a password-protected (encrypted) workbook; remove the password in Excel: "
            "File > Info > Protect Workbook, then save",
        )
    refuse(name, f"is an old binary Excel file (.xls); {RESAVE}")


def looks_like_text(sample: bytes) -> str | None:
    """Decode a sample if it is mostly printable text; None for binary data."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = sample[: len(sample) // 2 * 2].decode("utf-16", errors="replace")
    elif b"\x00" in sample:
        return None
    else:
        text = sample.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
        if text.count("\ufffd") > len(text) // 100:
            text = sample.decode("cp1252", errors="replace")
    if not text:
        return None
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n")
    return text if printable >= 0.95 * len(text) else None


def refuse_not_zip(fh: IO[bytes], name: str, path: Path) -> NoReturn:
    """Name what the file probably is, so the user knows how to get a real .xlsx."""
    fh.seek(0)
    text = looks_like_text(fh.read(64 * 1024))
    if text is not None:
        if text.lstrip("\ufeff \t\r\n").startswith("<"):
            refuse(name, f"is an HTML or XML file (an 'Excel 2003 XML' export?), not an .xlsx; {RESAVE}")
        renamed = f"renamed to {clean(path.suffix, 20)}" if path.suffix else "without an extension"
        refuse(name, f"is a text/CSV file {renamed}, not an Excel workbook; {RESAVE}")
    refuse(name, "is not an Excel workbook (.xlsx); check that you picked the right file")
