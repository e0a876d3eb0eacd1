"""``sheet_plain`` reads a plain sheet exactly as the expat stream does, and hands every other one to it.

The reference is the stream (``sheet_cells.read_sheet``), the reader every refusal and message
comes from: for each sheet below, both are run from a fresh budget and must keep the same
values, formulas and merged blocks and count the same cells, elements and bytes; a sheet the
plain reader cannot read exactly gives None (and the workbook is read, or refused, by the
stream). Cells' expected values are also written out by hand for the sheets made here.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generator.errors import UnreadableWorkbook
from generator.validate import reader
from generator.validate.book import Book
from generator.validate.cell_read import CellTypes
from generator.validate.package import date_styles, shared_strings, workbook_index
from generator.validate.refusals import ReadLimits
from generator.validate.safe_open import open_package
from generator.validate.sheet_cells import read_sheet
from generator.validate.sheet_plain import read_plain_sheet
from generator.validate.xml_stream import Budget

from . import hostile


def _sheets(path: Path, limits: ReadLimits) -> Iterator[tuple[zipfile.ZipFile, str, CellTypes]]:
    with open_package(path, limits) as package:
        index = workbook_index(package.zf, package.workbook, package.names, package.budget)
        dates, durations = date_styles(package.zf, index.styles, package.budget)
        strings = shared_strings(package.zf, index.shared_strings, package.budget)
        types = CellTypes(strings, dates, durations, index.epoch)
        for entry in index.sheets:
            if not entry.chart:
                yield package.zf, entry.part, types


def _compare(path: Path, limits: ReadLimits | None = None) -> list[bool]:
    """For each worksheet: whether the plain reader read it; when it did, the same result as the stream."""
    limits = limits or ReadLimits()
    read: list[bool] = []
    for zf, part, types in _sheets(path, limits):
        plain_budget, stream_budget = Budget("f", limits), Budget("f", limits)
        plain = read_plain_sheet(zf, part, "sheet 'S'", plain_budget, types)
        if plain is None:
            assert (plain_budget.cells, plain_budget.elements, plain_budget.inflated) == (0, 0, 0)
            read.append(False)
            continue
        stream = read_sheet(zf, part, "sheet 'S'", stream_budget, types)
        assert plain.values == stream.values
        assert plain.formulas == stream.formulas
        assert plain.merges == stream.merges
        counts = (plain_budget.cells, plain_budget.elements, plain_budget.inflated)
        assert counts == (stream_budget.cells, stream_budget.elements, stream_budget.inflated)
        read.append(True)
    return read


@contextmanager
def _stream_only() -> Iterator[None]:
    original = reader.read_plain_sheet
    reader.read_plain_sheet = lambda *_args, **_kwargs: None
    try:
        yield
    finally:
        reader.read_plain_sheet = original


def _cells(path: Path) -> dict[tuple[int, int], tuple[Any, Any]]:
    book = Book.open(path)
    return {(row, col): (typed, shown) for row, col, typed, shown in book.cells(book.sheetnames[0])}


def test_a_workbook_as_xlsxwriter_writes_it_is_read_plainly(tmp_path: Path) -> None:
    assert _compare(hostile.genuine(tmp_path)) == [True, True]


def test_the_crm_sample_is_read_plainly_alike(tmp_path: Path, crm: Any) -> None:
    from generator.workbook.build import build_to_file
    from generator.workbook.context import BuildOptions

    path = tmp_path / "crm.xlsx"
    build_to_file(crm, BuildOptions(locale="tr", sample=True, year=2026), path, force=True)
    read = _compare(path)
    assert read.count(True) >= 6, read  # Inputs, KPIs, their prior year, the chart data, settings


def test_a_libreoffice_saved_workbook_is_read_plainly_alike(tmp_path: Path, libreoffice: Any) -> None:
    saved = libreoffice.recalculate([hostile.genuine(tmp_path)], tmp_path / "out")[0]
    assert _compare(saved)[0] is True  # LibreOffice writes <f aca="false"> and every attribute


def test_entities_and_empty_parts_are_read_as_expat_reads_them(tmp_path: Path) -> None:
    rows = (
        b'<row r="1"><c r="A1" t="str"><f>"a&amp;b"&amp;"&lt;&gt;&quot;&apos;&#x41;&#66;"</f>'
        b'<v>x&amp;y&amp;quot;</v></c><c r="B1" s="1"/><c r="C1"></c><c r="D1"><f/></c><c r="E1"><v/></c></row>'
        b'<row r="3"><c r="A3" t="e"><v>#N/A</v></c><c r="B3" t="b"><v>1</v></c><c r="C3"><v>2.5E3</v></c></row>'
    )
    path = hostile.with_sheet_data(tmp_path, "entities.xlsx", rows)
    assert _compare(path)[0] is True
    cells = _cells(path)
    assert cells[(0, 0)] == ('="a&b"&"<>"\'AB"', "x&y&quot;")  # &amp;quot; stays &quot;
    assert cells[(0, 3)] == ("=", None)
    assert (0, 1) not in cells and (0, 2) not in cells and (0, 4) not in cells
    assert cells[(2, 0)] == ("#N/A", "#N/A")
    assert cells[(2, 1)] == (True, True)
    assert cells[(2, 2)] == (2500.0, 2500.0)


def test_merged_blocks_and_spaces_between_elements(tmp_path: Path) -> None:
    rows = b'\n  <row r="1">\n    <c r="A1"><v>1</v></c>\n    <c r="B1"><v>2</v></c>\n  </row>\n'
    merges = b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    path = hostile.with_sheet_data(tmp_path, "merged.xlsx", rows, merges)
    assert _compare(path)[0] is True
    assert _cells(path) == {(0, 0): (1, 1)}  # B1 is hidden by the merge, as a spreadsheet shows it


@pytest.mark.parametrize(
    "rows",
    [
        b'<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">1+1</f><v>2</v></c></row>'
        b'<row r="2"><c r="A2"><f t="shared" si="0"/><v>2</v></c></row>',  # a shared formula
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>',  # an inline string
        b'<row r="1"><c><v>1</v></c><c><v>2</v></c></row>',  # cells without r=
        b'<row r="1"><!-- a comment --><c r="A1"><v>1</v></c></row>',
        b'<row r="1"><?pi <c r="B1"><v>9</v></c>?><c r="A1"><v>1</v></c></row>',  # cell-like text in a PI
        b'<row r="1"><c s="1" r="A1"><v>1</v></c></row>',  # attributes in another order
        b'<row r="1"><c r="A1"><v>1</v><f>1</f></c></row>',  # the value before the formula
    ],
)
def test_other_shapes_are_left_to_the_stream(tmp_path: Path, rows: bytes) -> None:
    path = hostile.with_sheet_data(tmp_path, "other.xlsx", rows)
    assert _compare(path)[0] is False
    with _stream_only():
        expected = _cells(path)
    assert _cells(path) == expected


@pytest.mark.parametrize(
    ("rows", "limits"),
    [
        (b'<row r="1"><c r="A0"><v>1</v></c></row>', ReadLimits()),  # row 0
        (b"<row r='x'><c r=\"A1\"><v>1</v></c></row>", ReadLimits()),  # a row numbered 'x'
        (b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>', ReadLimits()),  # no such shared string
        (b'<row r="1">' + b'<c r="A1"><v>1</v></c>' * 30 + b"</row>", ReadLimits(max_cells=20)),
    ],
)
def test_what_the_stream_refuses_is_refused_with_its_message(tmp_path: Path, rows: bytes, limits: ReadLimits) -> None:
    path = hostile.with_sheet_data(tmp_path, "refused.xlsx", rows)
    with _stream_only(), pytest.raises(UnreadableWorkbook) as stream:
        Book.open(path, limits)
    with pytest.raises(UnreadableWorkbook) as plain:
        Book.open(path, limits)
    assert plain.value.message == stream.value.message


X14 = b"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _declaring(tmp_path: Path, name: str, declaration: bytes, rows: bytes) -> Path:
    """A genuine workbook whose first sheet's root also carries ``declaration`` and whose rows are ``rows``."""
    path = hostile.with_sheet_data(tmp_path, "rows-" + name, rows)

    def declare(members: dict[str, bytes]) -> dict[str, bytes]:
        members[hostile.SHEET] = members[hostile.SHEET].replace(b"<worksheet ", b"<worksheet " + declaration + b" ", 1)
        return members

    return hostile.rezip(path, tmp_path / name, declare)


def test_extension_elements_behind_a_prefix_are_read_plainly_alike(tmp_path: Path) -> None:
    """LibreOffice writes a Dashboard's conditional formats as <x14:...> elements: counted as the stream
    counts them, and the sheet is still read by the plain reader."""
    rows = (
        b'<row r="1"><c r="A1"><v>1</v></c><x14:id>{7}</x14:id></row>'
        b'<row r="2"><c r="B2" t="str"><f>"a"</f><v>a</v></c></row>'
    )
    path = _declaring(tmp_path, "x14.xlsx", b'xmlns:x14="' + X14 + b'"', rows)
    assert _compare(path)[0] is True
    assert _cells(path) == {(0, 0): (1, 1), (1, 1): ('="a"', "a")}


@pytest.mark.parametrize(
    "declaration",
    [
        b'xmlns:x="' + MAIN_NS + b'"',  # the main namespace behind a prefix: <x:c> is a cell
        b"xmlns:x='" + MAIN_NS + b"'",  # the same in single quotes
        b'xmlns:x="' + MAIN_NS.replace(b"main", b"m&#97;in") + b'"',  # the same through a character reference
        b'xmlns:x = "' + MAIN_NS + b'"',  # spaces around '='
    ],
)
def test_a_prefix_that_may_name_the_main_namespace_leaves_the_sheet_to_the_stream(
    tmp_path: Path, declaration: bytes
) -> None:
    rows = b'<row r="1"><c r="A1"><v>1</v></c><x:c r="B1"><x:v>5</x:v></x:c></row>'
    path = _declaring(tmp_path, "main-prefixed.xlsx", declaration, rows)
    assert _compare(path)[0] is False
    with _stream_only():
        expected = _cells(path)
    assert expected == {(0, 0): (1, 1), (0, 1): (5, 5)}  # the stream reads <x:c> as the cell it is
    assert _cells(path) == expected
