"""Random sheetData, read by the fast reader and by the expat stream: the same cells, or the fast one declines.

Cells are drawn from the shapes spreadsheets write and a few they should not (bare '&', unknown
entities, forbidden characters, attributes twice, rows left open, cells far out): for every
sheet, either both readers refuse, or the fast reader gives None, or both give the same values,
formulas and merged blocks and count the same cells, elements and bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.errors import UnreadableWorkbook
from generator.validate.cell_read import CellTypes
from generator.validate.refusals import ReadLimits
from generator.validate.sheet_cells import read_sheet
from generator.validate.sheet_plain import read_plain_sheet
from generator.validate.xml_stream import Budget

PART = "xl/worksheets/sheet1.xml"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<dimension ref="A1:C3"/><sheetData>'
)
TYPES = CellTypes(["zero", "one & two", "Türkçe"], frozenset({3}), frozenset(), dt.datetime(1899, 12, 30))


def _mostly(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """Good shapes five times as often as bad ones, so that most sheets are plain and some are not."""
    return st.sampled_from(good * 5 + bad)


_TEXT = _mostly(
    ["1", "2.5", "-3E2", "x", "a&amp;b", "&lt;&gt;&quot;&apos;", "&#x41;&#66;", "Türkçe", "", " ", "#N/A", "1_0"],
    ["a&b", "&nbsp;", "&#0;", "\x01", "]]>", "a\rb", "99999999999999999999"],
)
_FORMULA = _mostly(
    ["<f>A1+1</f>", "<f/>", '<f aca="false">SUM(A1:A2)</f>', '<f t="shared" ref="A1:B2" si="0">A1*2</f>',
     '<f t="shared" si="0"/>', '<f t="array" ref="A1:A2">A1:A2*2</f>', "<f>&quot;a&quot;&amp;B2</f>", "", ""],
    ['<f ca="1" ca="1">1</f>', '<f t="dataTable" ref="B2:B3" r1="A1" dt2D="0"/>', "<f>a&b</f>"],
)  # fmt: skip
_TYPE = st.sampled_from(["", "", ' t="n"', ' t="s"', ' t="str"', ' t="b"', ' t="e"', ' t="inlineStr"', ' t="d"'])
_STYLE = st.sampled_from(["", ' s="0"', ' s="3"', ' s="12"'])
_REF = _mostly(["", "A1", "B1", "C2", "AA3", "B9"], ["XFD1", "A1048576"])
_SPACE = st.sampled_from(["", "", "", "\n  "])


@st.composite
def _cell(draw: st.DrawFn) -> str:
    ref = draw(_REF)
    attrs = (f' r="{ref}"' if ref else "") + draw(_STYLE) + draw(_TYPE)
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return f"<c{attrs}/>"
    space = draw(_SPACE)
    inside = draw(_FORMULA) + space
    if kind == 1:
        inside += f"<v>{draw(_TEXT)}</v>"
    elif kind == 2:
        inside += f"<is><t>{draw(_TEXT)}</t></is>"
    return f"<c{attrs}>{space}{inside}{space}</c>"


@st.composite
def _rows(draw: st.DrawFn) -> bytes:
    rows = []
    for number in draw(st.lists(_mostly(["1", "2", "3", "", "7"], ["0", "1048577"]), max_size=4)):
        cells = "".join(draw(st.lists(_cell(), max_size=5)))
        extra = draw(_mostly(["", "", ' spans="1:3"', ' x14:a="1"'], [' ht="1" ht="2"', ' q:a="1"', ' r="2"']))
        opened = f'<row r="{number}"{extra}>' if number else f"<row{extra}>"
        ending = draw(_mostly(["</row>", "<x14:id>1</x14:id></row>"], ["", "</row></row>", "<q:id>1</q:id></row>"]))
        rows.append(opened + cells + ending + draw(_SPACE))
    return "".join(rows).encode()


def _read(reader: object, data: bytes, limits: ReadLimits) -> tuple[object, tuple[int, int, int]] | str | None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PART, data)
    budget = Budget("f", limits)
    try:
        found = reader(zipfile.ZipFile(buffer), PART, "sheet 'S'", budget, TYPES)  # type: ignore[operator]
    except UnreadableWorkbook as refused:
        return refused.message
    if found is None:
        return None
    return (found.values, found.formulas, found.merges), (budget.cells, budget.elements, budget.inflated)


@settings(max_examples=300, deadline=None)  # timing is not what is tested (a shared machine)
@given(_rows(), st.sampled_from([b"", b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>']))
def test_random_sheets_are_read_alike_or_left_to_the_stream(rows: bytes, merges: bytes) -> None:
    data = HEAD + rows + b"</sheetData>" + merges + b'<pageMargins left="0.7"/></worksheet>'
    limits = ReadLimits(max_rows=100, max_columns=50)
    stream = _read(read_sheet, data, limits)
    plain = _read(read_plain_sheet, data, limits)
    event("read by the fast reader" if plain is not None else "left to the stream")
    if plain is not None:
        assert plain == stream


def test_the_generator_makes_plain_sheets_too() -> None:
    rows = b'<row r="1"><c r="A1" s="3"><v>2</v></c><c r="B1" t="s"><v>1</v></c></row>'
    data = HEAD + rows + b"</sheetData></worksheet>"
    found = _read(read_plain_sheet, data, ReadLimits())
    assert found is not None and found == _read(read_sheet, data, ReadLimits())
    assert found[0] == ({0: dt.datetime(1900, 1, 2), 1: "one & two"}, {}, [])  # style 3 is a date: Excel's serial 2
