"""Open an untrusted .xlsx safely: check the container before any XML is parsed.

Filled workbooks come back from people and tools we do not control, so a file may be the wrong
kind (.xls, CSV, encrypted), damaged, or hostile (zip bomb, XML entity tricks, absurd sheet
sizes). Every refusal is an ``UnreadableWorkbook`` with one line that starts with the file name,
says what is wrong and what to do; nothing else escapes except ``MemoryError`` and
``KeyboardInterrupt``.

``open_package`` checks the file and the zip directory (size, kind, encryption, zip bombs), refuses
any part whose prolog declares a DTD, finds the workbook part, and hands the open zip to the
reader (``reader``), which then streams the few parts it needs under the same limits. What a
non-zip file is lives in ``file_kind``, the index parts in ``package``, the wording in ``refusals``.
"""

from __future__ import annotations

import codecs
import os
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn

from generator.errors import UnreadableWorkbook
from generator.validate.file_kind import (
    CFB_MAGIC,
    HEAD,
    ZIP_MAGICS,
    member_head,
    open_regular,
    refuse_cfb,
    refuse_not_zip,
)
from generator.validate.package import CONTENT_TYPES, content_types
from generator.validate.refusals import (
    MIB,
    RESAVE,
    RESAVE_AGAIN,
    ReadLimits,
    clean,
    entity_refusal,
    human_size,
    over_limit,
    refuse,
    unreadable,
)
from generator.validate.xml_stream import Budget

__all__ = ["Package", "ReadLimits", "open_package"]

DEFAULT_LIMITS = ReadLimits()


_RATIO_MIN_BYTES = MIB  # members smaller than this cannot hurt, whatever their ratio
_MAX_PROLOG = 64 * 1024  # an XML prolog (declaration, comments) longer than this is not an Office file

_WORKBOOK_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.%s.main+xml"
_WORKBOOK_MACRO = "application/vnd.ms-excel.%s.macroEnabled.main+xml"
# Same order openpyxl searches in, so we find the part it will read.
_WORKBOOK_TYPES = (
    _WORKBOOK_MACRO % "template",
    _WORKBOOK_MAIN % "template",
    _WORKBOOK_MACRO % "sheet",
    _WORKBOOK_MAIN % "sheet",
)
_OTHER_PACKAGES = {
    "xl/workbook.bin": "is a binary Excel workbook (.xlsb), which cannot be read; " + RESAVE,
    "word/document.xml": "is a Word document, not an Excel workbook; give the .xlsx file instead",
    "ppt/presentation.xml": "is a PowerPoint file, not an Excel workbook; give the .xlsx file instead",
}


# --------------------------------------------------------------------------------------------- zip checks


def _declared_entries(fh: IO[bytes], size: int) -> tuple[int, int] | None:
    """Entry count and directory size from the end record, read before zipfile builds its index.

    zipfile holds an object per directory entry, so a small file claiming a million entries
    would cost memory before any limit could be checked.
    """
    tail_len = min(size, 22 + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    entries, cd_size = struct.unpack_from("<HI", tail, at + 10)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        locator = at - 20
        if locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
            return None
        (record_at,) = struct.unpack_from("<Q", tail, locator + 8)
        if record_at >= size:
            return None
        fh.seek(record_at)
        record = fh.read(56)
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            return None
        entries, cd_size = struct.unpack_from("<QQ", record, 32)
    return entries, cd_size


def _too_many_members(entries: int, limits: ReadLimits) -> str:
    return over_limit(
        "max_members",
        f"has {entries} zip entries, more than the limit of {limits.max_members} (possible zip bomb)",
    )


def _check_entries(infos: list[zipfile.ZipInfo], name: str, limits: ReadLimits) -> None:
    """Zip-bomb and container checks from the directory alone: nothing is decompressed yet."""
    if len(infos) > limits.max_members:
        refuse(name, _too_many_members(len(infos), limits))
    total = 0
    for info in infos:
        member = clean(info.filename, 80)
        if info.flag_bits & 0x1:
            refuse(name, f"has encrypted zip entries ({member}); save it again without encryption as .xlsx")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            refuse(name, f"uses a zip compression Excel never writes (entry {member}); {RESAVE_AGAIN}")
        total += info.file_size
        if info.file_size > _RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_member_ratio:
                refuse(
                    name,
                    over_limit(
                        "max_member_ratio",
                        f"entry {member} expands {ratio:.0f} times ({human_size(info.file_size)}), more than the "
                        f"limit of {limits.max_member_ratio:g} (possible zip bomb)",
                    ),
                )
    if total > limits.max_uncompressed_bytes:
        refuse(
            name,
            over_limit(
                "max_uncompressed_bytes",
                f"would unpack to {human_size(total)}, more than the limit of "
                f"{human_size(limits.max_uncompressed_bytes)} (possible zip bomb)",
            ),
        )


def _xml_text(head: bytes) -> str:
    """Decode enough of an XML part's start to read its prolog (UTF-16 or an ASCII-compatible encoding)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    if head.startswith(b"<\x00"):
        return head[: len(head) // 2 * 2].decode("utf-16-le", errors="replace")
    if head.startswith(b"\x00<"):
        return head[: len(head) // 2 * 2].decode("utf-16-be", errors="replace")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _prolog_has_declarations(text: str) -> bool | None:
    """True if a DOCTYPE (or other ``<!`` declaration) precedes the root element; None if undecided.

    Office parts never carry a DTD, and without one there are no entities to expand or fetch, so
    refusing here stops billion-laughs and external-entity files whatever parser openpyxl uses.
    """
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= n or (text[i] == "<" and n - i < 4):
            return None
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
        else:
            return text.startswith("<!", i)
        if end < 0:
            return None
        i = end + 2 + (text[end] == "-")


def _check_prologs(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse any member whose XML prolog declares a DTD; binary members start with other bytes."""
    for info in infos:
        if info.is_dir():
            continue
        with zf.open(info) as fh:
            head = b""
            while len(head) < _MAX_PROLOG:
                chunk = fh.read(HEAD)
                head += chunk
                verdict = _prolog_has_declarations(_xml_text(head))
                if verdict is not None or not chunk:
                    break
            else:
                verdict = None
        if verdict:
            entity_refusal(name, f"part {clean(info.filename, 80)} ")
        if verdict is None and len(head) >= _MAX_PROLOG:
            refuse(
                name,
                f"could not be read: part {clean(info.filename, 80)} has an XML prolog over "
                f"{_MAX_PROLOG // 1024} KiB; {RESAVE_AGAIN}",
            )


def _refuse_not_workbook(zf: zipfile.ZipFile, names: set[str], name: str) -> NoReturn:
    """A zip without a workbook part: say what it is when we can tell."""
    if "mimetype" in names and member_head(zf, "mimetype", 200).startswith(b"application/vnd.oasis.opendocument"):
        refuse(name, f"is an OpenDocument file (.ods), not an Excel workbook; {RESAVE}")
    for part, text in _OTHER_PACKAGES.items():
        if part in names:
            refuse(name, text)
    refuse(name, "is a zip file but not an Excel workbook; check that you picked the right file")


def _workbook_part(overrides: dict[str, str], defaults: dict[str, str], names: set[str]) -> str | None:
    """The workbook part openpyxl will read, found the way it finds it."""
    for content_type in _WORKBOOK_TYPES:
        for part, declared in overrides.items():
            if declared == content_type:
                return part if part in names else None
    if set(defaults.values()) & set(_WORKBOOK_TYPES) and "xl/workbook.xml" in names:
        return "xl/workbook.xml"
    return None


@dataclass
class Package:
    """A checked zip, open for the reader: its members, kind, workbook part and reading budget."""

    zf: zipfile.ZipFile
    names: set[str]
    kind: str
    """"xlsx", or "xlsm" when it carries macros (never run or kept)."""
    workbook: str
    budget: Budget


def _inspect_zip(fh: IO[bytes], size: int, name: str, limits: ReadLimits) -> zipfile.ZipFile:
    """The zip directory's checks, before anything is decompressed; returns the open zip."""
    declared = _declared_entries(fh, size)
    if declared is not None:
        entries, directory_bytes = declared
        if entries > limits.max_members:
            refuse(name, _too_many_members(entries, limits))
        if directory_bytes > limits.max_members * 1024:
            refuse(
                name,
                over_limit(
                    "max_members",
                    f"has a zip directory of {human_size(directory_bytes)}, too big for the limit of "
                    f"{limits.max_members} entries (possible zip bomb)",
                ),
            )
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error):
        refuse(
            name,
            "is a damaged or truncated zip file, not a readable Excel workbook; "
            "get a fresh copy or save it again from Excel as .xlsx",
        )
    _check_entries(zf.infolist(), name, limits)
    return zf


def _package(zf: zipfile.ZipFile, name: str, limits: ReadLimits) -> Package:
    """Prologs, content types and the workbook part of a zip whose directory passed."""
    infos = zf.infolist()
    names = {info.filename for info in infos}
    if CONTENT_TYPES not in names:
        _refuse_not_workbook(zf, names, name)
    _check_prologs(zf, infos, name)
    budget = Budget(name, limits)
    overrides, defaults = content_types(zf, budget)
    workbook = _workbook_part(overrides, defaults, names)
    if workbook is None:
        _refuse_not_workbook(zf, names, name)
    macro = any(n.lower().endswith("vbaproject.bin") for n in names) or any(
        "macroenabled" in t.lower() for t in (*overrides.values(), *defaults.values())
    )
    return Package(zf, names, "xlsm" if macro else "xlsx", workbook, budget)


def _check_file(fh: IO[bytes], path: Path, name: str, limits: ReadLimits) -> int:
    """Size and kind of an open file; returns its size once it is known to be a zip."""
    size = os.fstat(fh.fileno()).st_size
    if size == 0:
        refuse(name, "is empty (0 bytes); save the workbook again from Excel or LibreOffice")
    if size > limits.max_file_bytes:
        refuse(
            name,
            over_limit(
                "max_file_bytes",
                f"is {human_size(size)}, more than the limit of {human_size(limits.max_file_bytes)}",
            ),
        )
    magic = fh.read(8)
    if magic == CFB_MAGIC:
        refuse_cfb(fh, name)
    if not magic.startswith(ZIP_MAGICS):
        refuse_not_zip(fh, name, path)
    return size


# --------------------------------------------------------------------------------------------- public API


@contextmanager
def open_package(path: Path | str, limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[Package]:
    """Open ``path`` once, check it, and yield the package for reading; refusals raise UnreadableWorkbook.

    The same handle is checked and read, so the file cannot be swapped in between. Read, zip and
    decompression errors met while the caller reads (inside the ``with``) become refusals too;
    only ``MemoryError`` and ``KeyboardInterrupt`` pass through.
    """
    name = clean(str(path), 300)
    with open_regular(Path(path), name) as fh:
        try:
            size = _check_file(fh, Path(path), name, limits)
            with _inspect_zip(fh, size, name, limits) as zf:
                yield _package(zf, name, limits)
        except (UnreadableWorkbook, MemoryError):
            raise
        except Exception as exc:  # read, zip or decompression errors while streaming members
            unreadable(name, exc)
