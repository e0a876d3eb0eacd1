"""The benchmark's own inputs, made in a temporary folder: catalogues of 26 to 208 KPIs, filled
workbooks recalculated by LibreOffice, the cells a bare XlsxWriter script writes, and files at the
edge of the default reading limits."""

from __future__ import annotations

import json
import random
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.paths import CATALOG_DIR
from generator.validate.refusals import MIB, ReadLimits

SIZES = (26, 52, 104, 208)


@dataclass
class Inputs:
    folder: Path
    catalogs: dict[int, Path]
    """KPI count -> catalogue file (crm's KPIs replicated)."""
    filled: dict[int, Path]
    """KPI count -> the English sample workbook, recalculated by LibreOffice when it is installed."""
    recalculated: bool
    cells: Path
    """The CRM workbook's cells (values and formulas, no formatting) as JSON, for the bare writer."""
    edge_files: dict[str, Path]


def replicated_catalog(folder: Path, kpis: int) -> Path:
    """crm.yaml with its KPIs copied until there are ``kpis`` of them (ids and names made unique)."""
    source = yaml.safe_load((CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8"))
    original = source["kpis"]
    copies = []
    for i in range(kpis):
        kpi = json.loads(json.dumps(original[i % len(original)]))
        round_ = i // len(original)
        if round_:
            kpi["id"] = f"{kpi['id']}_{round_ + 1}"
            for texts in kpi["texts"].values():
                texts["name"] = f"{texts['name']} ({round_ + 1})"
        kpi["number"] = i + 1
        copies.append(kpi)
    source["kpis"] = copies
    source["id"] = "crm" if kpis == len(original) else f"crm{kpis}"
    shutil.copy(CATALOG_DIR / source["sample"], folder / source["sample"])
    path = folder / f"crm{kpis}.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def prepare(folder: Path, sizes: tuple[int, ...] = SIZES, recalculate: bool = True) -> Inputs:
    from generator.catalog import load_catalog
    from generator.workbook.build import build_to_file
    from generator.workbook.context import BuildOptions

    catalogs = {n: replicated_catalog(folder, n) for n in sizes}
    built: dict[int, Path] = {}
    for n, path in catalogs.items():
        built[n] = folder / "built" / f"crm{n}-sample.xlsx"
        built[n].parent.mkdir(exist_ok=True)
        build_to_file(load_catalog(path), BuildOptions(locale="en", sample=True, year=2026), built[n], force=True)
    filled = built
    recalculated = False
    if recalculate and shutil.which("soffice"):
        from generator.recalc import LibreOffice

        with LibreOffice() as office:
            paths = office.recalculate(list(built.values()), folder / "recalculated")
        filled = dict(zip(built, paths, strict=True))
        recalculated = True
    cells = folder / "cells.json"
    cells.write_text(json.dumps(workbook_cells(built[sizes[0]])), encoding="utf-8")
    return Inputs(folder, catalogs, filled, recalculated, cells, edge_files(folder / "edge"))


def workbook_cells(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cells as [row, col, kind, content]: what a bare writer needs to write the same cells."""
    from generator.validate.book import Book

    book = Book.open(path)
    sheets: dict[str, list[list[object]]] = {}
    for sheet in book.sheetnames:
        found = []
        for row, col, typed, _shown in book.cells(sheet):
            if isinstance(typed, str) and typed.startswith("="):
                found.append([row, col, "f", typed])
            elif isinstance(typed, bool | int | float):
                found.append([row, col, "n", float(typed)])
            elif typed is not None:
                found.append([row, col, "s", str(typed)])
        sheets[sheet] = found
    return sheets


# ------------------------------------------------------------------------------------ files at the limits


def _zip(path: Path, sheet_xml: bytes, strings_xml: bytes | None = None) -> Path:
    """A minimal one-sheet workbook around ``sheet_xml`` (streamed parts are written whole here)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if strings_xml is not None:
            archive.writestr("xl/sharedStrings.xml", strings_xml)
    return path


def _sheet(rows: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main"><sheetData>' + rows + b"</sheetData></worksheet>"
    )


def edge_files(folder: Path, scale: float = 1.0) -> dict[str, Path]:
    """Files just inside the default limits (``scale`` < 1 makes them smaller, for the test).

    Values are pseudo-random so the parts compress like real data: a run of identical cells
    would compress over 200:1 and be refused by the zip-bomb check before any parsing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    limits = ReadLimits()
    rng = random.Random(17)
    cells = int(limits.max_cells * scale) - 1
    columns = 50
    rows = b"".join(
        b'<row r="%d">' % r + b"".join(b"<c><v>%d</v></c>" % rng.randrange(10**6) for _ in range(columns)) + b"</row>"
        for r in range(1, cells // columns + 1)
    )
    strings = int(limits.max_shared_strings * scale) - 1
    table = b"".join(b"<si><t>%x</t></si>" % rng.getrandbits(128) for _ in range(strings))
    length = limits.max_string_chars - 1
    long_path, long_label = _long_texts(folder / "long.xlsx", limits, length, scale, rng)
    return {
        f"{cells} cells": _zip(folder / "cells.xlsx", _sheet(rows)),
        f"{strings} shared strings": _zip(folder / "strings.xlsx", _sheet(b""), _table(table)),
        long_label: long_path,
        "a phantom row 1048576 (LibreOffice)": _zip(
            folder / "phantom.xlsx", _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"/>')
        ),
    }


_DISTINCT = 50
"""Distinct long texts, repeated to fill the table: deflate's 32 KB window cannot see the repetition
of 1.6 MB blocks, so the part compresses like that many distinct texts."""
_MARGIN = 0.995
"""How close to a limit a file made "just inside" it comes."""


def _long_texts(path: Path, limits: ReadLimits, length: int, scale: float, rng: random.Random) -> tuple[Path, str]:
    """A table of texts of ``length`` characters, just inside every default limit at once.

    The size on disk (``max_file_bytes``) and the unpacked size (``max_uncompressed_bytes``) both
    bind: the texts are random letters, some of three letters and some of four, mixed so that the
    table compresses about as much as the two limits' ratio (4 to 1); the count is fitted to the
    tighter limit, then checked on the file written.
    """
    unpacked_limit = limits.max_uncompressed_bytes * scale * _MARGIN
    file_limit = limits.max_file_bytes * scale * _MARGIN

    def texts(letters: bytes) -> list[bytes]:
        table = bytes.maketrans(bytes(range(256)), (letters * 256)[:256])
        return [b"<si><t>" + rng.randbytes(length).translate(table) + b"</t></si>" for _ in range(_DISTINCT)]

    three, four = texts(b"acg"), texts(b"acgt")
    item = len(three[0])
    packed3, packed4 = (len(zlib.compress(b"".join(block))) / _DISTINCT for block in (three, four))
    wanted = item * file_limit / unpacked_limit  # bytes on disk per text that fill both limits together
    share = min(1.0, max(0.0, (packed4 - wanted) / (packed4 - packed3)))
    block = [three[i] if i < round(share * _DISTINCT) else four[i] for i in range(_DISTINCT)]
    packed = len(zlib.compress(b"".join(block))) / _DISTINCT
    count = int(min(unpacked_limit / item, file_limit / packed, limits.max_shared_strings - 1))
    for _ in range(4):
        count = max(1, count)
        _zip(path, _sheet(b""), _table(b"".join(block[i % _DISTINCT] for i in range(count))))
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        size = path.stat().st_size
        fit = min(file_limit / size, unpacked_limit / unpacked)
        if fit >= 1 or count == 1:
            break
        count = int(count * fit)
    label = (
        f"{count} texts of {length} characters ({size / MIB:.1f} MiB on disk of {limits.max_file_bytes / MIB:.0f}, "
        f"{unpacked / MIB:.1f} MiB unpacked of {limits.max_uncompressed_bytes / MIB:.0f})"
    )
    return path, label


def _table(items: bytes) -> bytes:
    return b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + items + b"</sst>"
