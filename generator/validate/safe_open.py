"""Open an untrusted .xlsx safely: check the container before openpyxl parses it, and while it does.

Filled workbooks come back from people and tools we do not control, so a file may be the wrong
kind (.xls, CSV, encrypted), damaged, or hostile (zip bomb, XML entity tricks, absurd sheet
sizes). Every refusal is an ``UnreadableWorkbook`` with one line that starts with the file name,
says what is wrong and what to do; nothing else escapes except ``MemoryError`` and
``KeyboardInterrupt``.

Checks made before openpyxl sees the file use only the zip directory, bounded streamed reads of
members, and ``defusedxml`` parses of the small index parts (content types, workbook, its rels).
openpyxl is imported lazily so that the CLI's ``--help`` stays fast.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import posixpath
import re
import stat
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, NoReturn

from generator.errors import UnreadableWorkbook

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import openpyxl

__all__ = ["ReadLimits", "inspect_file", "open_workbook"]

_MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Limits on untrusted workbooks; each adjustable by a CLI option later."""

    max_file_bytes: int = 50 * 1024 * 1024  # size on disk
    max_uncompressed_bytes: int = 200 * 1024 * 1024  # sum of uncompressed member sizes (zip directory)
    max_member_ratio: float = 200.0  # uncompressed/compressed of any member bigger than 1 MiB uncompressed
    max_members: int = 2000
    max_rows: int = 10_000  # per sheet, from each sheet's <dimension ref> or actual rows
    max_columns: int = 1_000


# The CLI options that raise each limit; named in messages so a user who trusts a file knows what to do.
_OPTION = {
    "max_file_bytes": "--max-file-mb",
    "max_uncompressed_bytes": "--max-uncompressed-mb",
    "max_member_ratio": "--max-ratio",
    "max_members": "--max-members",
    "max_rows": "--max-rows",
    "max_columns": "--max-columns",
}

_RESAVE = "open it in Excel or LibreOffice and save it as .xlsx"
_RESAVE_AGAIN = "open it in Excel or LibreOffice and save it again as .xlsx"
_ENTITY_TEXT = "contains XML entity declarations or external references, which are refused as unsafe"
_RATIO_MIN_BYTES = _MIB  # members smaller than this cannot hurt, whatever their ratio
_CHUNK = _MIB  # streamed read size
_HEAD = 4096  # bytes read from a member to look at its start
_MAX_PROLOG = 64 * 1024  # an XML prolog (declaration, comments) longer than this is not an Office file
_MAX_INDEX_PART = 16 * _MIB  # content types, workbook.xml and its rels are parsed whole: keep them bounded
_MAX_REASON = 160

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTION_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

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
    "xl/workbook.bin": "is a binary Excel workbook (.xlsb), which cannot be read; " + _RESAVE,
    "word/document.xml": "is a Word document, not an Excel workbook; give the .xlsx file instead",
    "ppt/presentation.xml": "is a PowerPoint file, not an Excel workbook; give the .xlsx file instead",
}

_PREFIX = rb"<(?:[A-Za-z_][\w.\-]*:)?"
_DIMENSION = re.compile(_PREFIX + rb"dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_ROW_TAG = re.compile(_PREFIX + rb"row(?=[\s/>])([^>]*)")
_ROW_NUMBER = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\s*([0-9]{1,15})")
_CELL_COLUMN = re.compile(_PREFIX + rb"c\s(?:[^>]*?\s)?r\s*=\s*[\"']\s*\$?([A-Za-z]{1,10})")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,10})\$?([0-9]{1,15})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# --------------------------------------------------------------------------------------------- messages


def _clean(text: str, limit: int = _MAX_REASON) -> str:
    """Make text from the file (member names, sheet names, errors) safe to print on one line."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refuse(name: str, text: str) -> NoReturn:
    """Raise the one-line refusal every check ends in."""
    raise UnreadableWorkbook(f"{name}: {text}")


def _size(n: float) -> str:
    """Bytes for messages, in MB like the options, in KB when smaller than one MB."""
    if n < _MIB:
        return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n:.0f} bytes"
    value = n / _MIB
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def _over_limit(field: str, what: str) -> str:
    """The tail of a limit refusal: what to do if the user trusts the file."""
    return f"{what}; if you trust the file, raise the limit with {_OPTION[field]}"


def _over_limits(fields: list[str], what: str) -> str:
    options = " and ".join(_OPTION[field] for field in fields)
    return f"{what}; if you trust the file, raise the limit{'s' if len(fields) > 1 else ''} with {options}"


def _short_reason(exc: BaseException) -> str:
    """The innermost cause of an error, as a short one-line phrase (openpyxl wraps errors in ValueError)."""
    inner = exc
    for _ in range(20):  # bounded: a cause chain could be made circular
        if inner.__cause__ is None:
            break
        inner = inner.__cause__
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    kind = type(inner).__name__
    return _clean(f"{kind}: {lines[0]}" if lines else kind)


def _is_entity_error(exc: BaseException) -> bool:
    """True if defusedxml refused a DTD, entity or external reference anywhere in the cause chain."""
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is required; checked before loading
        return False
    seen: BaseException | None = exc
    for _ in range(20):  # bounded: a cause chain could be made circular
        if seen is None:
            return False
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _entity_refusal(name: str, where: str = "") -> NoReturn:
    _refuse(
        name,
        f"{where}{_ENTITY_TEXT}; {_RESAVE_AGAIN}",
    )


def _unreadable(name: str, exc: BaseException) -> NoReturn:
    """Turn any parse or zip error into a refusal; entity errors get their own message."""
    if _is_entity_error(exc):
        _entity_refusal(name)
    _refuse(name, f"could not be read: {_short_reason(exc)}; {_RESAVE_AGAIN}")


# --------------------------------------------------------------------------------------------- opening


def _cannot_open(name: str, exc: OSError) -> NoReturn:
    _refuse(name, f"cannot be opened ({_clean(exc.strerror or str(exc))}); check the path and permissions")


def _open_regular(path: Path, name: str) -> IO[bytes]:
    """Open path for reading only if it is a regular file (a FIFO or device could block or never end)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        _refuse(name, "does not exist; check the path and the file name")
    except OSError as exc:
        _cannot_open(name, exc)
    if stat.S_ISDIR(st.st_mode):
        _refuse(name, "is a directory, not a workbook file; give the path of the .xlsx file")
    if not stat.S_ISREG(st.st_mode):
        _refuse(name, "is not a regular file; give the path of a saved .xlsx file")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        _cannot_open(name, exc)
    fh = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between stat and open
        fh.close()
        _refuse(name, "is not a regular file; give the path of a saved .xlsx file")
    return fh


def _chunks(fh: IO[bytes], size: int = _CHUNK) -> Iterator[bytes]:
    while chunk := fh.read(size):
        yield chunk


# --------------------------------------------------------------------------------------------- not a zip


def _contains_any(fh: IO[bytes], needles: tuple[bytes, ...]) -> bool:
    """Stream the whole file looking for any needle, keeping an overlap so none is split across reads."""
    overlap = max(len(n) for n in needles) - 1
    fh.seek(0)
    tail = b""
    for chunk in _chunks(fh):
        window = tail + chunk
        if any(n in window for n in needles):
            return True
        tail = window[-overlap:]
    return False


def _refuse_cfb(fh: IO[bytes], name: str) -> NoReturn:
    """OLE2/CFB container: an encrypted OOXML package (Excel's password protection) or an old .xls."""
    if _contains_any(fh, _ENCRYPTION_STREAMS):
        _refuse(
            name,
            "is a password-protected (encrypted) workbook; remove the password in Excel: "
            "File > Info > Protect Workbook, then save",
        )
    _refuse(name, f"is an old binary Excel file (.xls); {_RESAVE}")


def _looks_like_text(sample: bytes) -> str | None:
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


def _refuse_not_zip(fh: IO[bytes], name: str, path: Path) -> NoReturn:
    """Name what the file probably is, so the user knows how to get a real .xlsx."""
    fh.seek(0)
    text = _looks_like_text(fh.read(64 * 1024))
    if text is not None:
        if text.lstrip("\ufeff \t\r\n").startswith("<"):
            _refuse(name, f"is an HTML or XML file (an 'Excel 2003 XML' export?), not an .xlsx; {_RESAVE}")
        renamed = f"renamed to {_clean(path.suffix, 20)}" if path.suffix else "without an extension"
        _refuse(name, f"is a text/CSV file {renamed}, not an Excel workbook; {_RESAVE}")
    _refuse(name, "is not an Excel workbook (.xlsx); check that you picked the right file")


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
    return _over_limit(
        "max_members",
        f"has {entries} zip entries, more than the limit of {limits.max_members} (possible zip bomb)",
    )


def _check_entries(infos: list[zipfile.ZipInfo], name: str, limits: ReadLimits) -> None:
    """Zip-bomb and container checks from the directory alone: nothing is decompressed yet."""
    if len(infos) > limits.max_members:
        _refuse(name, _too_many_members(len(infos), limits))
    total = 0
    for info in infos:
        member = _clean(info.filename, 80)
        if info.flag_bits & 0x1:
            _refuse(name, f"has encrypted zip entries ({member}); save it again without encryption as .xlsx")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            _refuse(name, f"uses a zip compression Excel never writes (entry {member}); {_RESAVE_AGAIN}")
        total += info.file_size
        if info.file_size > _RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_member_ratio:
                _refuse(
                    name,
                    _over_limit(
                        "max_member_ratio",
                        f"entry {member} expands {ratio:.0f} times ({_size(info.file_size)}), more than the "
                        f"limit of {limits.max_member_ratio:g} (possible zip bomb)",
                    ),
                )
    if total > limits.max_uncompressed_bytes:
        _refuse(
            name,
            _over_limit(
                "max_uncompressed_bytes",
                f"would unpack to {_size(total)}, more than the limit of "
                f"{_size(limits.max_uncompressed_bytes)} (possible zip bomb)",
            ),
        )


def _head(zf: zipfile.ZipFile, member: str, size: int) -> bytes:
    """The first bytes of a member, streamed: never more than asked for is decompressed."""
    with zf.open(member) as fh:
        return fh.read(size)


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
                chunk = fh.read(_HEAD)
                head += chunk
                verdict = _prolog_has_declarations(_xml_text(head))
                if verdict is not None or not chunk:
                    break
            else:
                verdict = None
        if verdict:
            _entity_refusal(name, f"part {_clean(info.filename, 80)} ")
        if verdict is None and len(head) >= _MAX_PROLOG:
            _refuse(
                name,
                f"could not be read: part {_clean(info.filename, 80)} has an XML prolog over "
                f"{_MAX_PROLOG // 1024} KiB; {_RESAVE_AGAIN}",
            )


def _parse_index_part(zf: zipfile.ZipFile, member: str, name: str) -> Element:
    """Parse a small package index part with defusedxml, DTDs forbidden."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    size = zf.getinfo(member).file_size
    if size > _MAX_INDEX_PART:
        _refuse(name, f"could not be read: part {_clean(member, 80)} is implausibly large ({_size(size)})")
    try:
        root: Element = fromstring(zf.read(member), forbid_dtd=True)
        return root
    except DefusedXmlException:
        _entity_refusal(name, f"part {_clean(member, 80)} ")
    except ParseError as exc:
        part, reason = _clean(member, 80), _clean(str(exc))
        _refuse(name, f"could not be read: part {part} is not well-formed XML ({reason})")


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
    if "mimetype" in names and _head(zf, "mimetype", 200).startswith(b"application/vnd.oasis.opendocument"):
        _refuse(name, f"is an OpenDocument file (.ods), not an Excel workbook; {_RESAVE}")
    for part, text in _OTHER_PACKAGES.items():
        if part in names:
            _refuse(name, text)
    _refuse(name, "is a zip file but not an Excel workbook; check that you picked the right file")


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
            parts[target] = f"sheet '{_clean(node.get('name', ''), 40)}'"
    for part in sorted(names):
        if part.startswith("xl/worksheets/") and part.endswith(".xml") and part.count("/") == 2:
            parts.setdefault(part, f"part {_clean(part, 80)}")
    return parts


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _refuse_size(
    name: str, label: str, how: str, rows: int, columns: int, limits: ReadLimits, note: str = ""
) -> NoReturn:
    """Refuse a sheet over the row or column limit, naming only the limits it exceeds."""
    over = [
        (field, f"{found} {unit}", f"{limit} {unit}")
        for field, found, limit, unit in (
            ("max_rows", rows, limits.max_rows, "rows"),
            ("max_columns", columns, limits.max_columns, "columns"),
        )
        if found > limit
    ]
    found = " and ".join(item[1] for item in over)
    allowed = " and ".join(item[2] for item in over)
    plural = "s" if len(over) > 1 else ""
    _refuse(
        name,
        _over_limits(
            [item[0] for item in over],
            f"{label} {how} {found}{note}, more than the limit{plural} of {allowed}",
        ),
    )


def _check_dimension(zf: zipfile.ZipFile, part: str, label: str, name: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose <dimension ref> claims an absurd size (read from its first 4 KiB only)."""
    head = _head(zf, part, _HEAD)
    found = _DIMENSION.search(head)
    if found is None:
        return
    ref = found.group(1).decode("latin-1")
    corners = [_CELL_REF.fullmatch(corner.strip()) for corner in ref.split(":")]
    if not all(corners):
        return  # openpyxl ignores the dimension; the row scan still bounds the sheet
    rows = max(int(m.group(2)) for m in corners if m)
    columns = max(_column_number(m.group(1)) for m in corners if m)
    if rows > limits.max_rows or columns > limits.max_columns:
        _refuse_size(name, label, "claims", rows, columns, limits, f" (dimension {_clean(ref, 40)})")


def _utf8_chunks(fh: IO[bytes]) -> Iterator[bytes]:
    """Stream a member as UTF-8, transcoding UTF-16 parts so the byte patterns still match."""
    first = fh.read(_CHUNK)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<")):
        encoding = "utf-16" if first[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else None
        encoding = encoding or ("utf-16-le" if first.startswith(b"<") else "utf-16-be")
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        yield decoder.decode(first).encode("utf-8")
        for chunk in _chunks(fh):
            yield decoder.decode(chunk).encode("utf-8")
        return
    yield first
    yield from _chunks(fh)


def _scan_sheet(zf: zipfile.ZipFile, part: str, label: str, name: str, limits: ReadLimits) -> None:
    """Count a sheet's actual rows and columns by streaming its XML, before openpyxl builds cells.

    The dimension is optional and can lie; loading first and checking ws.max_row after would let a
    hostile sheet cost gigabytes of memory. Tags never contain '<', so each buffer is cut at its
    last '<' and the rest carried over: every tag scanned is complete.
    """
    rows = count = columns = 0

    def scan(body: bytes) -> None:
        nonlocal rows, count, columns
        for tag in _ROW_TAG.finditer(body):
            number = _ROW_NUMBER.search(tag.group(1))
            rows = int(number.group(1)) if number else rows + 1
            count += 1
            if max(rows, count) > limits.max_rows:
                _refuse_size(name, label, "has at least", max(rows, count), columns, limits)
        letters = set(_CELL_COLUMN.findall(body))
        if letters:
            columns = max(columns, *(_column_number(x.decode("ascii")) for x in letters))
            if columns > limits.max_columns:
                _refuse_size(name, label, "has at least", max(rows, count), columns, limits)

    carry = b""
    with zf.open(part) as fh:
        for chunk in _utf8_chunks(fh):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            if cut <= 0:
                carry = buffer
                continue
            scan(buffer[:cut])
            carry = buffer[cut:]
    scan(carry)


def _inspect_zip(fh: IO[bytes], size: int, name: str, limits: ReadLimits) -> str:
    """All checks on a zip container; returns "xlsx" or "xlsm"."""
    declared = _declared_entries(fh, size)
    if declared is not None:
        entries, directory_bytes = declared
        if entries > limits.max_members:
            _refuse(name, _too_many_members(entries, limits))
        if directory_bytes > limits.max_members * 1024:
            _refuse(
                name,
                _over_limit(
                    "max_members",
                    f"has a zip directory of {_size(directory_bytes)}, too big for the limit of "
                    f"{limits.max_members} entries (possible zip bomb)",
                ),
            )
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error):
        _refuse(
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
            _check_dimension(zf, part, label, name, limits)
            _scan_sheet(zf, part, label, name, limits)
    return "xlsm" if macro else "xlsx"


def _inspect(fh: IO[bytes], path: Path, name: str, limits: ReadLimits) -> str:
    """Check an open file: size, kind, and (for zips) everything _inspect_zip checks."""
    size = os.fstat(fh.fileno()).st_size
    if size == 0:
        _refuse(name, "is empty (0 bytes); save the workbook again from Excel or LibreOffice")
    if size > limits.max_file_bytes:
        _refuse(
            name,
            _over_limit(
                "max_file_bytes",
                f"is {_size(size)}, more than the limit of {_size(limits.max_file_bytes)}",
            ),
        )
    try:
        magic = fh.read(8)
        if magic == _CFB_MAGIC:
            _refuse_cfb(fh, name)
        if not magic.startswith(_ZIP_MAGICS):
            _refuse_not_zip(fh, name, path)
        return _inspect_zip(fh, size, name, limits)
    except (UnreadableWorkbook, MemoryError):
        raise
    except Exception as exc:  # read, zip or decompression errors while streaming members
        _unreadable(name, exc)


# --------------------------------------------------------------------------------------------- public API


def inspect_file(path: Path, limits: ReadLimits = ReadLimits()) -> str:
    """Check the container before any XML is parsed; return the kind: "xlsx" or "xlsm".

    Raise UnreadableWorkbook otherwise.

    Only the zip directory, bounded streamed reads of members and defused parses of the package's
    small index parts happen here, so a hostile file is refused before openpyxl spends memory on it.
    """
    name = str(path)
    with _open_regular(Path(path), _clean(name, 300)) as fh:
        return _inspect(fh, Path(path), _clean(name, 300), limits)


def _openpyxl(name: str) -> ModuleType:
    """Import openpyxl lazily and insist that it parses with defusedxml."""
    import openpyxl

    if openpyxl.DEFUSEDXML is not True:
        _refuse(
            name,
            "cannot be read safely because openpyxl is not using defusedxml; install it "
            "(pip install defusedxml) and make sure OPENPYXL_DEFUSEDXML is not set to False",
        )
    module: ModuleType = openpyxl
    return module


def open_workbook(path: Path, *, formulas: bool, limits: ReadLimits = ReadLimits()) -> openpyxl.Workbook:
    """inspect_file, then openpyxl.load_workbook(path, data_only=not formulas, keep_vba=False,
    keep_links=False, rich_text=False); read_only False.

    openpyxl must parse with defusedxml: if openpyxl.DEFUSEDXML is not True, refuse and say to
    install it. The file is opened once and the same handle is inspected and loaded, so it cannot
    be swapped in between; passing a handle also stops openpyxl refusing names without an .xlsx
    extension. Macros are never run or kept, external links are dropped. Any error while openpyxl
    parses becomes an UnreadableWorkbook; only MemoryError and KeyboardInterrupt pass through.
    """
    name = _clean(str(path), 300)
    with _open_regular(Path(path), name) as fh:
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
            _unreadable(name, exc)
    for sheet in workbook.worksheets:
        rows, columns = sheet.max_row, sheet.max_column
        if rows > limits.max_rows or columns > limits.max_columns:
            _refuse_size(name, f"sheet '{_clean(sheet.title, 40)}'", "uses", rows, columns, limits)
    return workbook
