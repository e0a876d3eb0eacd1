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


# Hand-written sheetData, each with the cells a spreadsheet shows for it, worked out by hand from
# ECMA-376 (18.3.1.4 c, 18.3.1.40 f, 18.3.1.53 is) and the XML 1.0 entity rules; the genuine
# workbook's shared strings are "KPI" (0), "Target" (1), "Actual" (2), "kpi1".. (3..).
ALIKE: list[tuple[str, bytes, dict[tuple[int, int], tuple[Any, Any]]]] = [
    ("inline string", b'<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>', {(0, 0): ("text", "text")}),
    (
        "rich-text runs",
        b'<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/><sz val="11"/><color rgb="FFFF0000"/></rPr>'
        b'<t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></is></c></row>',
        {(0, 0): ("Bold and plain", "Bold and plain")},
    ),
    (
        "shared strings",
        b'<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>',
        {(0, 0): ("Target", "Target"), (0, 1): ("KPI", "KPI")},
    ),
    (
        "booleans",
        b'<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c></row>',
        {(0, 0): (True, True), (0, 1): (False, False)},
    ),
    (
        "errors",
        b'<row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B1" t="e"><v>#N/A</v></c></row>',
        {(0, 0): ("=1/0", "#DIV/0!"), (0, 1): ("#N/A", "#N/A")},
    ),
    (
        "a formula's text result",
        b'<row r="2"><c r="C2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>',
        {(1, 2): ('="a"&"b"', "ab")},
    ),
    (
        "a shared formula",
        b'<row r="1"><c r="A1"><f t="shared" ref="A1:B2" si="0">C1+$D1</f><v>3</v></c>'
        b'<c r="B1"><f t="shared" si="0"/><v>4</v></c></row>'
        b'<row r="2"><c r="A2"><f t="shared" si="0"/><v>5</v></c></row>',
        {(0, 0): ("=C1+$D1", 3), (0, 1): ("=D1+$D1", 4), (1, 0): ("=C2+$D2", 5)},
    ),
    (
        "an array formula",
        b'<row r="1"><c r="A1"><f t="array" ref="A1:A2">SUM(B1:B2*C1:C2)</f><v>11</v></c></row>',
        {(0, 0): ("=SUM(B1:B2*C1:C2)", 11)},
    ),
    (
        "entities",
        b'<row r="1"><c r="A1" t="str"><f>"&lt;&amp;&#x41;&#66;&gt;"</f><v>&lt;&amp;AB&gt;</v></c>'
        b'<c r="B1" t="str"><v>&amp;lt; &quot;&apos;</v></c></row>',
        {(0, 0): ('="<&AB>"', "<&AB>"), (0, 1): ("&lt; \"'", "&lt; \"'")},
    ),
    (
        "cells without r",
        b'<row r="3"><c><v>1</v></c><c r="C3"><v>2</v></c><c><v>3</v></c></row>',
        {(2, 0): (1, 1), (2, 2): (2, 2), (2, 3): (3, 3)},
    ),
    (
        "rows without r",
        b'<row><c r="A1"><v>1</v></c></row><row><c><v>2</v></c></row><row r="5"/><row><c><v>3</v></c></row>',
        {(0, 0): (1, 1), (1, 0): (2, 2), (5, 0): (3, 3)},
    ),
    (
        "empty values",
        b'<row r="1"><c r="A1"><v/></c><c r="B1" s="1"><v></v></c><c r="C1"><f/><v/></c></row>',
        {(0, 2): ("=", None)},
    ),
    (
        "white space between elements",
        b'\n <row r="1" spans="1:2">\n  <c r="A1" t="str">\n   <f>1&amp;2</f>\n   <v>12</v>\n  </c>\n'
        b'  <c r="B1" t="inlineStr">\n   <is>\n    <t> x </t>\n   </is>\n  </c>\n </row>\n',
        {(0, 0): ("=1&2", "12"), (0, 1): (" x ", " x ")},
    ),
    ("a value before its formula", b'<row r="1"><c r="A1"><v>1</v><f>1</f></c></row>', {(0, 0): ("=1", 1)}),
    ("attributes in another order", b'<row r="1"><c s="1" r="A1"><v>1</v></c></row>', {(0, 0): (1, 1)}),
    ("a comment", b'<row r="1"><!-- a comment --><c r="A1"><v>1</v></c></row>', {(0, 0): (1, 1)}),
    (
        "cell-like text in a processing instruction",
        b'<row r="1"><?pi <c r="B1"><v>9</v></c>?><c r="A1"><v>1</v></c></row>',
        {(0, 0): (1, 1)},
    ),
    (
        "a carriage return in a value",
        b'<row r="1"><c r="A1" t="str"><v>a\r\nb</v></c></row>',
        {(0, 0): ("a\nb", "a\nb")},
    ),
    (
        "two sheetData",
        b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData><sheetData><row r="2"><c r="A2"><v>2</v></c></row>',
        {(0, 0): (1, 1), (1, 0): (2, 2)},
    ),
    ("text among the rows", b'<row r="1"><c r="A1"><v>1</v></c>text</row>', {(0, 0): (1, 1)}),
    (
        "a phonetic run",
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t><rPh sb="0" eb="1"><t>b</t></rPh></is></c></row>',
        {(0, 0): ("a", "a")},
    ),
]
"""(what, rows, cells as ``Book.cells`` gives them: (row, col) -> (as typed, value shown))."""
PLAIN = {
    "a value before its formula": False,
    "attributes in another order": False,
    "a comment": False,
    "cell-like text in a processing instruction": False,
    "a carriage return in a value": False,
    "a phonetic run": False,
    "text among the rows": False,
    "two sheetData": False,
}
"""Shapes the fast reader leaves to the stream (read there, with the same result)."""


@pytest.mark.parametrize(("what", "rows", "expected"), ALIKE, ids=[case[0] for case in ALIKE])
def test_each_shape_is_read_as_the_stream_reads_it(
    tmp_path: Path, what: str, rows: bytes, expected: dict[tuple[int, int], tuple[Any, Any]]
) -> None:
    path = hostile.with_sheet_data(tmp_path, "shape.xlsx", rows)
    assert _compare(path)[0] is PLAIN.get(what, True)  # _compare: same cells, merges and counts as the stream
    with _stream_only():
        assert _cells(path) == expected
    assert _cells(path) == expected


@pytest.mark.parametrize(
    ("rows", "limits"),
    [
        (b'<row r="1"><c r="A0"><v>1</v></c></row>', ReadLimits()),  # row 0
        (b"<row r='x'><c r=\"A1\"><v>1</v></c></row>", ReadLimits()),  # a row numbered 'x'
        (b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>', ReadLimits()),  # no such shared string
        (b'<row r="1">' + b'<c r="A1"><v>1</v></c>' * 30 + b"</row>", ReadLimits(max_cells=20)),
        # not well-formed inside the cells, which expat does not see on the fast path
        (b'<row r="1"><c r="A1" t="str"><v>a&b</v></c></row>', ReadLimits()),  # a bare '&'
        (b'<row r="1"><c r="A1" t="str"><v>&nbsp;</v></c></row>', ReadLimits()),  # an undeclared entity
        (b'<row r="1"><c r="A1" t="str"><v>&#0;</v></c></row>', ReadLimits()),  # a forbidden character
        (b'<row r="1"><c r="A1" t="str"><v>&#xD800;</v></c></row>', ReadLimits()),  # a lone surrogate
        (b'<row r="1"><c r="A1" t="str"><v>a\x01b</v></c></row>', ReadLimits()),  # a control character
        (b'<row r="1"><c r="A1" t="str"><v>a]]>b</v></c></row>', ReadLimits()),
        (b'<row r="1"><c r="A1" t="str"><v>\xff</v></c></row>', ReadLimits()),  # not UTF-8
        (b'<row r="1" ht="\xef\xbf\xbe"><c r="A1"><v>1</v></c></row>', ReadLimits()),  # U+FFFE in an attribute
        (b'<row r="1"><c r="A1" t="str"><f>"\xef\xbf\xbf"</f><v>a</v></c></row>', ReadLimits()),  # U+FFFF
        (b'<row r="1"><c r="A1"><v>1</v></c></row><x14:id>\x1f</x14:id>', ReadLimits()),  # in an extension
        (b'<row r="1" ht="1" ht="2"><c r="A1"><v>1</v></c></row>', ReadLimits()),  # an attribute twice
        (b'<row r="1" q:ht="1"><c r="A1"><v>1</v></c></row>', ReadLimits()),  # an undeclared prefix
        (b'<row r="1"><c r="A1"><f ca="1" ca="1">1</f><v>1</v></c></row>', ReadLimits()),
        (b'<row r="1"><c r="A1"><v>1</v></c></row></row>', ReadLimits()),  # an end tag too many
        (b'<row r="1"><c r="A1"><v>1</v></c>', ReadLimits()),  # a row never closed
        (b'<row r="1"><c r="A1"><v>1</v></c></row><x:a>1</x:b>', ReadLimits()),
        (b'<row r="1"><c r="A1"><v>' + b"9" * 40 + b"</v></c></row>", ReadLimits(max_string_chars=30)),
        (b'<row r="1"><c r="A1" t="str"><f>' + b"&amp;" * 40 + b"</f></c></row>", ReadLimits(max_string_chars=30)),
        (b'<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>', ReadLimits(max_columns=1)),
        (b'<row r="1"><c r="A5"/><c><v>2</v></c></row>', ReadLimits(max_rows=4)),  # after an empty cell
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
