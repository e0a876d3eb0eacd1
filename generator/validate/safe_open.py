"""Open an untrusted .xlsx safely: check the container before openpyxl parses it, and while it does.

Filled workbooks come back from people and tools we do not control, so a file may be the wrong
kind (.xls, CSV, encrypted), damaged, or hostile (zip bomb, XML entity tricks, absurd sheet
sizes). Every refusal is an ``UnreadableWorkbook`` with one line that starts with the file name,
says what is wrong and what to do; nothing else escapes except ``MemoryError`` and
``KeyboardInterrupt``.

Checks made before openpyxl sees the file use only the zip directory, bounded streamed reads of
members, and ``defusedxml`` parses of the small index parts (content types, workbook, its rels).
openpyxl is imported lazily so that the CLI's ``--help`` stays fast. What a non-zip file is lives
in ``file_kind``, the row and column scans in ``sheet_size``, the wording in ``refusals``.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import posixpath
import struct
import zipfile
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, NoReturn

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
from generator.validate.sheet_size import check_dimension, refuse_size, scan_sheet

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import openpyxl

__all__ = ["ReadLimits", "inspect_file", "open_workbook"]

DEFAULT_LIMITS = ReadLimits()


_RATIO_MIN_BYTES = MIB  # members smaller than this cannot hurt, whatever their ratio
_MAX_PROLOG = 64 * 1024  # an XML prolog (declaration, comments) longer than this is not an Office file
_MAX_INDEX_PART = 16 * MIB  # content types, workbook.xml and its rels are parsed whole: keep them bounded


_CONTENT_TYPES = "[Content_Types].xml"
_WORKBOOK_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.%s.main+xml"
_WORKBOOK_MACRO = "application/vnd.ms-excel.%s.macroEnabled.main+xml"
# Same order openpyxl searches in, so we find the part it will read.
_WORKBOOK_TYPES = (
    _WORKBOOK_MACRO % "template",
    _WORKBOOK_MAIN % "template",
    _WORKBOOK_MACRO % "sheet",
    _WORKBOOK_MAIN % "sheet",
)
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
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


def _parse_index_part(zf: zipfile.ZipFile, member: str, name: str) -> Element:
    """Parse a small package index part with defusedxml, DTDs forbidden."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    size = zf.getinfo(member).file_size
    if size > _MAX_INDEX_PART:
        refuse(name, f"could not be read: part {clean(member, 80)} is implausibly large ({human_size(size)})")
    try:
        root: Element = fromstring(zf.read(member), forbid_dtd=True)
        return root
    except DefusedXmlException:
        entity_refusal(name, f"part {clean(member, 80)} ")
    except ParseError as exc:
        part, reason = clean(member, 80), clean(str(exc))
        refuse(name, f"could not be read: part {part} is not well-formed XML ({reason})")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _content_types(zf: zipfile.ZipFile, name: str) -> tuple[dict[str, str], dict[str, str]]:
    """Overrides (part name -> type) and defaults (extension -> type) from [Content_Types].xml."""
    root = _parse_index_part(zf, _CONTENT_TYPES, name)
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for node in root:
        if _local(node.tag) == "Override" and node.get("PartName"):
            overrides[node.get("PartName", "").lstrip("/")] = node.get("ContentType", "")
        elif _local(node.tag) == "Default" and node.get("Extension"):
            defaults[node.get("Extension", "").lower()] = node.get("ContentType", "")
    return overrides, defaults


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


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a zip member name, normalised the way openpyxl does it."""
    return target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _worksheet_parts(zf: zipfile.ZipFile, workbook: str, names: set[str], name: str) -> dict[str, str]:
    """Worksheet part -> label, from the workbook's sheets and rels (as openpyxl resolves them).

    Parts under xl/worksheets/ are added too, so a sheet cannot dodge the size scan by
    being missing from the index.
    """
    folder, base = posixpath.split(workbook)
    rels_part = posixpath.join(folder, "_rels", f"{base}.rels")
    targets: dict[str, tuple[str, str]] = {}
    if rels_part in names:
        for rel in _parse_index_part(zf, rels_part, name):
            if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
                continue
            targets[rel.get("Id", "")] = (rel.get("Type", ""), _resolve(folder, rel.get("Target", "")))
    parts: dict[str, str] = {}
    for node in _parse_index_part(zf, workbook, name).iter():
        if _local(node.tag) != "sheet":
            continue
        rel_type, target = targets.get(node.get(f"{{{_REL_NS}}}id", ""), ("", ""))
        if target in names and "chartsheet" not in rel_type:
            parts[target] = f"sheet '{clean(node.get('name', ''), 40)}'"
    for part in sorted(names):
        if part.startswith("xl/worksheets/") and part.endswith(".xml") and part.count("/") == 2:
            parts.setdefault(part, f"part {clean(part, 80)}")
    return parts


def _inspect_zip(fh: IO[bytes], size: int, name: str, limits: ReadLimits) -> str:
    """All checks on a zip container; returns "xlsx" or "xlsm"."""
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
    with zf:
        infos = zf.infolist()
        _check_entries(infos, name, limits)
        names = {info.filename for info in infos}
        if _CONTENT_TYPES not in names:
            _refuse_not_workbook(zf, names, name)
        _check_prologs(zf, infos, name)
        overrides, defaults = _content_types(zf, name)
        workbook = _workbook_part(overrides, defaults, names)
        if workbook is None:
            _refuse_not_workbook(zf, names, name)
        macro = any(n.lower().endswith("vbaproject.bin") for n in names) or any(
            "macroenabled" in t.lower() for t in (*overrides.values(), *defaults.values())
        )
        for part, label in _worksheet_parts(zf, workbook, names, name).items():
            check_dimension(zf, part, label, name, limits)
            scan_sheet(zf, part, label, name, limits)
    return "xlsm" if macro else "xlsx"


def _inspect(fh: IO[bytes], path: Path, name: str, limits: ReadLimits) -> str:
    """Check an open file: size, kind, and (for zips) everything _inspect_zip checks."""
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
    try:
        magic = fh.read(8)
        if magic == CFB_MAGIC:
            refuse_cfb(fh, name)
        if not magic.startswith(ZIP_MAGICS):
            refuse_not_zip(fh, name, path)
        return _inspect_zip(fh, size, name, limits)
    except (UnreadableWorkbook, MemoryError):
        raise
    except Exception as exc:  # read, zip or decompression errors while streaming members
        unreadable(name, exc)


# --------------------------------------------------------------------------------------------- public API


def inspect_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Check the container before any XML is parsed; return the kind: "xlsx" or "xlsm".

    Raise UnreadableWorkbook otherwise.

    Only the zip directory, bounded streamed reads of members and defused parses of the package's
    small index parts happen here, so a hostile file is refused before openpyxl spends memory on it.
    """
    name = str(path)
    with open_regular(Path(path), clean(name, 300)) as fh:
        return _inspect(fh, Path(path), clean(name, 300), limits)


def _openpyxl(name: str) -> ModuleType:
    """Import openpyxl lazily and insist that it parses with defusedxml."""
    import openpyxl

    if openpyxl.DEFUSEDXML is not True:
        refuse(
            name,
            "cannot be read safely because openpyxl is not using defusedxml; install it "
            "(pip install defusedxml) and make sure OPENPYXL_DEFUSEDXML is not set to False",
        )
    module: ModuleType = openpyxl
    return module


def open_workbook(path: Path, *, formulas: bool, limits: ReadLimits = DEFAULT_LIMITS) -> openpyxl.Workbook:
    """inspect_file, then openpyxl.load_workbook(path, data_only=not formulas, keep_vba=False,
    keep_links=False, rich_text=False); read_only False.

    openpyxl must parse with defusedxml: if openpyxl.DEFUSEDXML is not True, refuse and say to
    install it. The file is opened once and the same handle is inspected and loaded, so it cannot
    be swapped in between; passing a handle also stops openpyxl refusing names without an .xlsx
    extension. Macros are never run or kept, external links are dropped. Any error while openpyxl
    parses becomes an UnreadableWorkbook; only MemoryError and KeyboardInterrupt pass through.
    """
    name = clean(str(path), 300)
    with open_regular(Path(path), name) as fh:
        _inspect(fh, Path(path), name, limits)
        library = _openpyxl(name)
        fh.seek(0)
        try:
            # openpyxl prints some complaints about bad styles; keep them off our stdout (reports go there).
            with contextlib.redirect_stdout(io.StringIO()):
                workbook = library.load_workbook(
                    fh,
                    read_only=False,
                    data_only=not formulas,
                    keep_vba=False,
                    keep_links=False,
                    rich_text=False,
                )
        except (UnreadableWorkbook, MemoryError):
            raise
        except Exception as exc:  # openpyxl raises many types on bad input; all mean "unreadable"
            unreadable(name, exc)
    for sheet in workbook.worksheets:
        rows, columns = sheet.max_row, sheet.max_column
        if rows > limits.max_rows or columns > limits.max_columns:
            refuse_size(name, f"sheet '{clean(sheet.title, 40)}'", "uses", rows, columns, limits)
    return workbook
