"""Builders of genuine, wrong-kind and hostile workbook files, made in a temp dir at test time.

Nothing hostile is committed: a bomb or entity file in the repository could hurt tools that
index or preview it, and building each one takes milliseconds.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"
CONTENT_TYPES = "[Content_Types].xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_DEFAULT = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'


def genuine(directory: Path, name: str = "genuine.xlsx", rows: int = 5) -> Path:
    """A small real workbook: two sheets, text, numbers and a formula with a cached value."""
    path = directory / name
    book = xlsxwriter.Workbook(str(path))
    data = book.add_worksheet("Data")
    data.write_row(0, 0, ["KPI", "Target", "Actual"])
    for row in range(1, rows):
        data.write_row(row, 0, [f"kpi{row}", row * 10, row * 9])
    data.write_formula(rows, 2, f"=SUM(C2:C{rows})", None, sum(r * 9 for r in range(1, rows)))
    book.add_worksheet("Notes").write(0, 0, "hello")
    book.close()
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(
    source: Path,
    target: Path,
    edit: Callable[[dict[str, bytes]], dict[str, bytes]] = lambda members: members,
) -> Path:
    """Rewrite a workbook's members through ``edit`` (used to inject hostile content into genuine parts)."""
    members = edit(_members(source))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return target


def _replace(members: dict[str, bytes], member: str, old: bytes, new: bytes) -> dict[str, bytes]:
    assert old in members[member], f"{old!r} not in {member}"
    members[member] = members[member].replace(old, new, 1)
    return members


def xls_like(directory: Path) -> Path:
    """An old binary .xls: CFB magic and a UTF-16LE 'Workbook' stream name, nothing encrypted."""
    path = directory / "report.xls"
    path.write_bytes(CFB_MAGIC + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1000))
    return path


def encrypted_cfb(directory: Path, stream: str = "EncryptedPackage") -> Path:
    """Excel's password-protected workbook: a CFB holding EncryptionInfo and EncryptedPackage streams."""
    path = directory / "locked.xlsx"
    filler = bytes(range(256)) * 8
    path.write_bytes(CFB_MAGIC + filler + stream.encode("utf-16-le") + filler)
    return path


def csv_renamed(directory: Path) -> Path:
    path = directory / "export.xlsx"
    path.write_text("KPI;Target;Actual\nrevenue;100;90\ncost;50;55\n", encoding="utf-8")
    return path


def empty(directory: Path) -> Path:
    path = directory / "empty.xlsx"
    path.write_bytes(b"")
    return path


def binary_junk(directory: Path) -> Path:
    path = directory / "picture.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return path


def truncated(directory: Path) -> Path:
    """A genuine workbook cut in half, as an interrupted download leaves it."""
    data = genuine(directory, "whole.xlsx").read_bytes()
    path = directory / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def no_workbook_part(directory: Path) -> Path:
    """A zip with content types and properties but no xl/workbook.xml."""

    def drop(members: dict[str, bytes]) -> dict[str, bytes]:
        return {k: v for k, v in members.items() if not k.startswith("xl/")}

    return rezip(genuine(directory), directory / "hollow.xlsx", drop)


def plain_zip(directory: Path) -> Path:
    path = directory / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return path


def ods_renamed(directory: Path) -> Path:
    path = directory / "calc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def xlsm(directory: Path) -> Path:
    """A genuine workbook re-zipped as macro-enabled: vbaProject.bin plus the macroEnabled content type."""

    def add_vba(members: dict[str, bytes]) -> dict[str, bytes]:
        _replace(members, CONTENT_TYPES, XLSX_MAIN.encode(), XLSM_MAIN.encode())
        _replace(
            members,
            CONTENT_TYPES,
            b"<Default Extension=",
            VBA_DEFAULT + b"<Default Extension=",
        )
        members["xl/vbaProject.bin"] = CFB_MAGIC + bytes(2000)
        return members

    return rezip(genuine(directory), directory / "macro.xlsm", add_vba)


def ratio_bomb(directory: Path, megabytes: int = 50) -> Path:
    """A genuine workbook plus one member of zeros, deflated ~1000:1 (streamed: never held in memory)."""
    path = rezip(genuine(directory), directory / "bomb.xlsx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/media/zeros.bin", "w") as member,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(megabytes):
            member.write(chunk)
    return path


def padded(directory: Path, extra_bytes: int) -> Path:
    """A genuine workbook plus an incompressible member (ratio ~1) to push the total unpacked size."""
    path = rezip(genuine(directory), directory / "padded.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/noise.bin", bytes(range(256)) * (extra_bytes // 256))
    return path


def many_members(directory: Path, extra: int) -> Path:
    def add(members: dict[str, bytes]) -> dict[str, bytes]:
        members.update({f"xl/media/image{i}.png": b"x" for i in range(extra)})
        return members

    return rezip(genuine(directory), directory / "crowded.xlsx", add)


def zip_encrypted_entry(directory: Path) -> Path:
    """A workbook whose sheet entry carries the zip 'encrypted' flag (zipfile would ask for a password).

    zipfile clears the flag when writing, so it is set afterwards in the local header and the directory.
    """
    path = rezip(genuine(directory), directory / "zipcrypt.xlsx")
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(SHEET).header_offset
    raw = bytearray(path.read_bytes())
    raw[local + 6] |= 0x1
    central = raw.index(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(SHEET)] != SHEET.encode():
        central = raw.index(b"PK\x01\x02", central + 4)
    raw[central + 8] |= 0x1
    path.write_bytes(bytes(raw))
    return path


def corrupt_member(directory: Path) -> Path:
    """A workbook whose sheet bytes were damaged after zipping (stored, so the zip directory still reads)."""
    members = _members(genuine(directory))
    path = directory / "crc.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    raw = bytearray(path.read_bytes())
    at = raw.index(b"<sheetData>")
    raw[at + 1 : at + 10] = b"XXXXXXXXX"
    path.write_bytes(bytes(raw))
    return path


def _laughs() -> bytes:
    """Nine levels of ten references each: 10**9 'lol's if a parser expanded them."""
    levels = [b'<!ENTITY lol "lol">']
    for level in range(1, 10):
        previous = f"&lol{level - 1};" if level > 1 else "&lol;"
        levels.append(f'<!ENTITY lol{level} "{previous * 10}">'.encode())
    return b"<!DOCTYPE lolz [" + b"".join(levels) + b"]>"


BILLION_LAUGHS = _laughs()
XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def billion_laughs(directory: Path) -> Path:
    """Entity expansion injected into xl/workbook.xml, referenced from the sheet name."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        _replace(members, WORKBOOK, b"?>", b"?>" + BILLION_LAUGHS)
        return _replace(members, WORKBOOK, b'name="Data"', b'name="&lol9;"')

    return rezip(genuine(directory), directory / "laughs.xlsx", inject)


def external_entity(directory: Path) -> Path:
    """An external entity (file:///etc/passwd) injected into the sheet and used as an inline string."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        _replace(members, SHEET, b"?>", b"?>" + XXE)
        return _replace(
            members,
            SHEET,
            b"<sheetData>",
            b'<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
        )

    return rezip(genuine(directory), directory / "xxe.xlsx", inject)


def huge_dimension(directory: Path) -> Path:
    """A sheet whose <dimension> claims the whole grid, A1:XFD1048576."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        return _replace(members, SHEET, b'<dimension ref="A1:C6"/>', b'<dimension ref="A1:XFD1048576"/>')

    return rezip(genuine(directory), directory / "vast.xlsx", inject)


def sheet_without_dimension(directory: Path, rows: int, name: str = "tall.xlsx") -> Path:
    """A genuine sheet with many rows and its <dimension> removed, so only actual rows tell its size."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        return _replace(members, SHEET, f'<dimension ref="A1:C{rows + 1}"/>'.encode(), b"")

    return rezip(genuine(directory, rows=rows), directory / name, inject)


def wide_cell(directory: Path, column: str) -> Path:
    """A genuine sheet with one extra cell far to the right (the dimension left as it was: it lies)."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        return _replace(members, SHEET, b"</row>", f'<c r="{column}1"><v>1</v></c></row>'.encode())

    return rezip(genuine(directory), directory / "wide.xlsx", inject)


def with_sheet_data(directory: Path, name: str, rows: bytes, after: bytes = b"") -> Path:
    """A genuine workbook whose first sheet's rows are replaced by ``rows`` (``after`` follows </sheetData>)."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        sheet = members[SHEET]
        start, end = sheet.index(b"<sheetData>"), sheet.index(b"</sheetData>")
        members[SHEET] = sheet[: start + len(b"<sheetData>")] + rows + b"</sheetData>" + after + sheet[end + 12 :]
        return members

    return rezip(genuine(directory), directory / name, inject)


def phantom_row(directory: Path) -> Path:
    """What LibreOffice writes after a row is deleted: the whole-sheet dimension and an empty row 1048576."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        _replace(members, SHEET, b'<dimension ref="A1:C6"/>', b'<dimension ref="A1:C1048576"/>')
        return _replace(
            members,
            SHEET,
            b"</sheetData>",
            b'<row r="1048576" customFormat="false" ht="12.8" hidden="false" customHeight="false" '
            b'outlineLevel="0" collapsed="false"/></sheetData>',
        )

    return rezip(genuine(directory), directory / "phantom.xlsx", inject)


def cells_without_references(directory: Path, count: int) -> Path:
    """One row of ``count`` numbers whose cells carry no ``r=`` attribute (each follows the previous one)."""
    return with_sheet_data(directory, "norefs.xlsx", b'<row r="1">' + b"<c><v>1</v></c>" * count + b"</row>")


def dense(directory: Path, rows: int, columns: int) -> Path:
    """Many small numbers, streamed into the sheet part (never held whole in memory)."""
    path = rezip(genuine(directory), directory / "dense.xlsx", lambda m: {k: v for k, v in m.items() if k != SHEET})
    sheet = _members(genuine(directory, "source.xlsx"))[SHEET]
    head = sheet[: sheet.index(b"<sheetData>")].replace(b'<dimension ref="A1:C6"/>', b"")
    cells = b"<c><v>7</v></c>" * columns
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open(SHEET, "w") as member:
        member.write(head + b"<sheetData>")
        for row in range(1, rows + 1):
            member.write(b'<row r="%d">' % row + cells + b"</row>")
        member.write(b"</sheetData></worksheet>")
    return path


def shared_strings(directory: Path, count: int, text: bytes = b"x") -> Path:
    """A shared string table of ``count`` entries (the sheet uses the first)."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        members["xl/sharedStrings.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml'
            b'/2006/main">' + b"<si><t>" + text + b"</t></si>" * 1 + b"<si><t>s</t></si>" * (count - 1) + b"</sst>"
        )
        return members

    return rezip(genuine(directory), directory / "strings.xlsx", inject)


def defined_name(directory: Path, target: bytes, name: bytes = b"everything") -> Path:
    """A workbook-level defined name pointing at ``target``."""

    def inject(members: dict[str, bytes]) -> dict[str, bytes]:
        return _replace(
            members,
            WORKBOOK,
            b"</sheets>",
            b'</sheets><definedNames><definedName name="' + name + b'">' + target + b"</definedName></definedNames>",
        )

    return rezip(genuine(directory), directory / "named.xlsx", inject)
