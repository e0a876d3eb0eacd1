"""The reader's quick paths give what the way they skip gives.

``plain_cells.unescape`` resolves the entities LibreOffice writes in formulas first and stops when
no ``&`` is left: its text is expat's, or it declines. ``sheet_cells._unmerge`` reads a block
spelled as spreadsheets write it with one match and lists its cells by key ranges: the cells it
empties are those of the block but its top-left one, counted by hand.
"""

from __future__ import annotations

from xml.parsers import expat

import pytest

from generator.validate.plain_cells import NotPlain, unescape
from generator.validate.refusals import ReadLimits
from generator.validate.sheet_cells import COLUMN_BITS, SheetCells, _unmerge
from generator.validate.xml_stream import Budget

TEXTS = [
    "SUM(A1:A2)",
    "IF(A1=&quot;&quot;,&quot;x&quot;,A1)",
    "IF(A1&lt;0,0,A1)",
    "&apos;Prior year&apos;!E5&lt;&quot;a&quot;",
    "A1&amp;&quot; &quot;&amp;B1",
    "&amp;quot;",
    "&quot;&amp;lt;",
    "&gt;&lt;&quot;&apos;&amp;",
    "&#65;&quot;&#x42;",
    "&quot;&#x1F600;",
    "Türkçe &quot;—&quot;",
]


def _expat(raw: str) -> str:
    """The text expat gives for ``raw`` as an element's content: the reference outside the code under test."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    pieces: list[str] = []
    parser.CharacterDataHandler = pieces.append
    parser.Parse(f"<a>{raw}</a>".encode(), True)
    return "".join(pieces)


@pytest.mark.parametrize("raw", TEXTS)
def test_unescape_gives_what_expat_gives(raw: str) -> None:
    assert unescape(raw, 1000) == _expat(raw)


@pytest.mark.parametrize("raw", ["&quot;a&b", "&quot;&nbsp;", "&lt;&#0;", "&apos;&", "&quot;&#xD800;"])
def test_what_expat_refuses_is_declined(raw: str) -> None:
    with pytest.raises(expat.ExpatError):
        _expat(raw)
    with pytest.raises(NotPlain):
        unescape(raw, 1000)


def test_the_length_limit_counts_the_resolved_text() -> None:
    assert unescape("&quot;&quot;&quot;", 3) == '"""'  # 18 characters written, 3 read
    with pytest.raises(NotPlain):
        unescape("&quot;&quot;&quot;&quot;", 3)


def _key(row: int, col: int) -> int:
    return row << COLUMN_BITS | col


@pytest.mark.parametrize(
    ("ref", "emptied"),
    [
        ("B2:C3", {(1, 2), (2, 1), (2, 2)}),  # rows 2-3, columns B-C (0-based 1-2): all but B2
        ("C3:B2", {(1, 2), (2, 1), (2, 2)}),  # reversed corners name the same block
        ("$B$2:$C$2", {(1, 2)}),
        ("b2:c3", {(1, 2), (2, 1), (2, 2)}),  # lower case and spaces: the general way
        (" B2 : C3 ", {(1, 2), (2, 1), (2, 2)}),
        ("B2", set()),  # not a block
        ("B2:C3:D4", set()),
    ],
)
def test_a_merged_block_empties_all_but_its_first_cell(ref: str, emptied: set[tuple[int, int]]) -> None:
    cells = {(row, col) for row in range(4) for col in range(4)}
    sheet = SheetCells({_key(*cell): 1 for cell in cells}, {_key(*cell): "=1" for cell in cells})
    budget = Budget("f", ReadLimits())
    _unmerge(sheet, [ref], budget, "sheet 'S'")
    left = {(key >> COLUMN_BITS, key & ((1 << COLUMN_BITS) - 1)) for key in sheet.values}
    assert left == cells - emptied
    assert set(sheet.formulas) == set(sheet.values)
    assert budget.elements == (len(emptied) + 1 if emptied else 0)  # the block's area (fewer cells than the 32 kept)
