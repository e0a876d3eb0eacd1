"""How big a sheet is, found before openpyxl loads it.

A sheet's ``<dimension>`` is optional and can lie, and openpyxl holds every cell in memory, so
each worksheet part is streamed once and its rows and columns counted against the limits.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator
from typing import IO, NoReturn

from generator.validate.file_kind import CHUNK, HEAD, chunks, member_head
from generator.validate.refusals import ReadLimits, clean, over_limits, refuse

_PREFIX = rb"<(?:[A-Za-z_][\w.\-]*:)?"
_DIMENSION = re.compile(_PREFIX + rb"dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_ROW_TAG = re.compile(_PREFIX + rb"row(?=[\s/>])([^>]*)")
_ROW_NUMBER = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\s*([0-9]{1,15})")
_CELL_COLUMN = re.compile(_PREFIX + rb"c\s(?:[^>]*?\s)?r\s*=\s*[\"']\s*\$?([A-Za-z]{1,10})")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,10})\$?([0-9]{1,15})")


def column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def refuse_size(
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
    refuse(
        name,
        over_limits(
            [item[0] for item in over],
            f"{label} {how} {found}{note}, more than the limit{plural} of {allowed}",
        ),
    )


def check_dimension(zf: zipfile.ZipFile, part: str, label: str, name: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose <dimension ref> claims an absurd size (read from its first 4 KiB only)."""
    head = member_head(zf, part, HEAD)
    found = _DIMENSION.search(head)
    if found is None:
        return
    ref = found.group(1).decode("latin-1")
    corners = [_CELL_REF.fullmatch(corner.strip()) for corner in ref.split(":")]
    if not all(corners):
        return  # openpyxl ignores the dimension; the row scan still bounds the sheet
    rows = max(int(m.group(2)) for m in corners if m)
    columns = max(column_number(m.group(1)) for m in corners if m)
    if rows > limits.max_rows or columns > limits.max_columns:
        refuse_size(name, label, "claims", rows, columns, limits, f" (dimension {clean(ref, 40)})")


def utf8_chunks(fh: IO[bytes]) -> Iterator[bytes]:
    """Stream a member as UTF-8, transcoding UTF-16 parts so the byte patterns still match."""
    first = fh.read(CHUNK)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<")):
        encoding = "utf-16" if first[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else None
        encoding = encoding or ("utf-16-le" if first.startswith(b"<") else "utf-16-be")
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        yield decoder.decode(first).encode("utf-8")
        for chunk in chunks(fh):
            yield decoder.decode(chunk).encode("utf-8")
        return
    yield first
    yield from chunks(fh)


def scan_sheet(zf: zipfile.ZipFile, part: str, label: str, name: str, limits: ReadLimits) -> None:
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
                refuse_size(name, label, "has at least", max(rows, count), columns, limits)
        letters = set(_CELL_COLUMN.findall(body))
        if letters:
            columns = max(columns, *(column_number(x.decode("ascii")) for x in letters))
            if columns > limits.max_columns:
                refuse_size(name, label, "has at least", max(rows, count), columns, limits)

    carry = b""
    with zf.open(part) as fh:
        for chunk in utf8_chunks(fh):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            if cut <= 0:
                carry = buffer
                continue
            scan(buffer[:cut])
            carry = buffer[cut:]
    scan(carry)
