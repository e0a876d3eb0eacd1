"""Package surgery for corpus items: a real workbook with one more sheet or one part replaced, streamed.

Large parts (a dense sheet, a shared string table of millions) are written chunk by chunk into
the zip, never held whole in memory, and their content varies (random digits and letters) so
that they compress like real data: a repeated pattern would be refused as a zip bomb (the ratio
check) before the limit the item is about is met.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
EXTRA_SHEET = "xl/worksheets/sheet_extra.xml"
SHEET_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}"><sheetData>'
).encode()
SHEET_TAIL = b"</sheetData></worksheet>"


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def write(target: Path, parts: dict[str, bytes], streamed: dict[str, Iterable[bytes]] | None = None) -> Path:
    """A zip of ``parts`` and of ``streamed`` parts written chunk by chunk (deflated, as Excel does)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in parts.items():
            package.writestr(name, data)
        for name, chunks in (streamed or {}).items():
            with package.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return target


def cell_count(path: Path) -> int:
    """Every ``<c>`` element of every worksheet part: what the reader counts against --max-cells."""
    found = 0
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += len(re.findall(rb"<c[ >/]", package.read(name)))
    return found


def with_extra_sheet(source: Path, target: Path, title: str, body: Iterable[bytes]) -> Path:
    """``source`` with one more worksheet called ``title`` whose ``<sheetData>`` holds ``body``."""
    parts = members(source)
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    workbook = workbook.replace("</sheets>", f'<sheet name="{title}" sheetId="99" r:id="rIdExtra"/></sheets>', 1)
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdExtra" Type="{WORKSHEET_TYPE}" Target="worksheets/sheet_extra.xml"/></Relationships>',
        1,
    )
    types = types.replace(
        "</Types>", f'<Override PartName="/{EXTRA_SHEET}" ContentType="{WORKSHEET_CONTENT}"/></Types>', 1
    )
    parts.update(
        {
            "xl/workbook.xml": workbook.encode("utf-8"),
            "xl/_rels/workbook.xml.rels": rels.encode("utf-8"),
            "[Content_Types].xml": types.encode("utf-8"),
        }
    )

    def sheet() -> Iterator[bytes]:
        yield SHEET_HEAD
        yield from body
        yield SHEET_TAIL

    return write(target, parts, {EXTRA_SHEET: sheet()})


def random_digits(count: int) -> bytes:
    """``count`` random decimal digits (from os.urandom: no seed to keep, nothing to reproduce)."""
    return os.urandom(count).translate(bytes(48 + b % 10 for b in range(256)))


def random_letters(count: int) -> bytes:
    return os.urandom(count).translate(bytes(97 + b % 26 for b in range(256)))


POOL = 64
"""Distinct random blocks cycled through: 64 rows of 1,000 cells lie further apart than deflate's
32 KB window, so a long part compresses like data while costing 64 blocks to make."""


def number_rows(cells: int, per_row: int, numbered: bool = True, references: bool = False) -> Iterator[bytes]:
    """Rows of small numbers (1 to 3 random digits), ``per_row`` to a row, ``cells`` in all.

    With ``references`` every cell carries its ``r=`` (``A1``, ``B1``...), as Excel writes it;
    without, cells follow one another (as the format allows). With ``numbered`` each ``<row>``
    carries its ``r=``; without, rows follow one another too.
    """
    from generator.formula.address import column_letter

    pool: list[bytes] = []
    for _ in range(min(POOL, -(-cells // per_row))):
        digits = random_digits(3 * per_row)
        values = [digits[3 * i : 3 * i + 1 + digits[3 * i + 2] % 3] for i in range(per_row)]
        if references:  # the row number goes where the NUL is, one C-level replace per row
            refs = [b' r="%s\x00"' % column_letter(i).encode() for i in range(per_row)]
            pool.append(b"".join(b"<c%s><v>%s</v></c>" % (ref, value) for ref, value in zip(refs, values, strict=True)))
        else:
            pool.append(b"".join(b"<c><v>%s</v></c>" % value for value in values))
    row = 1
    left = cells
    while left > 0:
        body = pool[row % len(pool)]
        if left < per_row:
            body = body[: _nth_cell_end(body, left)]
        if references:
            body = body.replace(b"\x00", b"%d" % row)
        yield (b'<row r="%d">' % row if numbered else b"<row>") + body + b"</row>"
        left -= per_row
        row += 1


def _nth_cell_end(body: bytes, n: int) -> int:
    """Where the ``n``-th ``</c>`` of ``body`` ends."""
    at = 0
    for _ in range(n):
        at = body.index(b"</c>", at) + 4
    return at


def random_strings(count: int, length: int = 8, batch: int = 10_000) -> Iterator[bytes]:
    """``count`` shared-string entries of ``length`` random letters, in batches (cycled like ``number_rows``)."""
    pool: list[bytes] = []
    for _ in range(min(POOL, -(-count // batch))):
        letters = random_letters(length * batch)
        pool.append(b"".join(b"<si><t>%s</t></si>" % letters[length * i : length * (i + 1)] for i in range(batch)))
    for index in range(count // batch):
        yield pool[index % len(pool)]
    rest = count % batch
    if rest:
        yield pool[0][: _nth_si_end(pool[0], rest)]


def _nth_si_end(body: bytes, n: int) -> int:
    at = 0
    for _ in range(n):
        at = body.index(b"</si>", at) + 5
    return at
