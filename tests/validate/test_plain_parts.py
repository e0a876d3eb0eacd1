"""``plain_parts`` reads the string table as the expat stream does, or declines; the styles' date
styles are kept by the part's digest.

Each table is read both ways from a fresh budget: when the plain reader reads it, the result and
the budget's counts must equal the stream's; the expected strings are written out by hand. A table
the plain reader cannot read exactly gives None (the stream then reads or refuses it).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.errors import UnreadableWorkbook
from generator.validate import package
from generator.validate.plain_parts import plain_shared_strings
from generator.validate.refusals import ReadLimits
from generator.validate.xml_stream import Budget

from . import hostile

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _zip(data: bytes) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("part.xml", data)
    return zipfile.ZipFile(buffer)


def _strings_both(data: bytes, limits: ReadLimits | None = None) -> tuple[list[str] | None, list[str]]:
    limits = limits or ReadLimits()
    zf = _zip(data)
    plain_budget, stream_budget = Budget("f", limits), Budget("f", limits)
    plain = plain_shared_strings(zf, "part.xml", plain_budget)
    original = package.plain_shared_strings
    package.plain_shared_strings = lambda *_args: None  # type: ignore[assignment]
    try:
        stream = package.shared_strings(zf, "part.xml", stream_budget)
    finally:
        package.plain_shared_strings = original
    if plain is not None:
        assert (plain_budget.elements, plain_budget.inflated) == (stream_budget.elements, stream_budget.inflated)
    else:
        assert (plain_budget.elements, plain_budget.inflated) == (0, 0)
    return plain, stream


def _table(items: bytes) -> bytes:
    return DECLARATION + b'<sst xmlns="' + MAIN + b'" count="3" uniqueCount="3">' + items + b"</sst>"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (b"<si><t>KPI</t></si><si><t>Target</t></si>", ["KPI", "Target"]),
        (b'<si><t xml:space="preserve"> a </t></si><si><t/></si><si><t></t></si>', [" a ", "", ""]),
        (b"<si><t>a &amp; b &lt;&gt;&quot;&apos;&#x41;&#66;</t></si>", ["a & b <>\"'AB"]),
        (b"<si><t>&amp;quot;</t></si>", ["&quot;"]),  # &amp; resolved last
        (b"<si><t>x005F_x000D_</t></si>", ["x000D_"]),  # Excel's escape of its own escapes
        (b"\n  <si><t>T\xc3\xbcrk\xc3\xa7e</t></si>\n", ["Türkçe"]),
    ],
)
def test_plain_tables_are_read_alike(items: bytes, expected: list[str]) -> None:
    plain, stream = _strings_both(_table(items))
    assert plain == stream == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (b"<si><r><rPr><b/></rPr><t>Bold</t></r><r><t> text</t></r></si>", ["Bold text"]),  # rich text
        (b'<si><t>a</t><rPh sb="0" eb="1"><t>b</t></rPh></si>', ["a"]),  # a phonetic run
        (b"<si><t>a\r\nb</t></si>", ["a\nb"]),  # expat turns CR LF into LF
        (b"<!-- c --><si><t>a</t></si>", ["a"]),
    ],
)
def test_other_tables_are_left_to_the_stream(items: bytes, expected: list[str]) -> None:
    plain, stream = _strings_both(_table(items))
    assert plain is None
    assert stream == expected


@pytest.mark.parametrize(
    ("items", "limits"),
    [
        (b"<si><t>a & b</t></si>", ReadLimits()),
        (b"<si><t>&#0;</t></si>", ReadLimits()),
        (b"<si><t>a\x01</t></si>", ReadLimits()),
        (b"<si><t>a</t></si></si>", ReadLimits()),
        (b"<si><t>" + b"x" * 40 + b"</t></si>", ReadLimits(max_string_chars=30)),
        (b"<si><t>a</t></si>" * 5, ReadLimits(max_shared_strings=4)),
    ],
)
def test_what_the_stream_refuses_is_not_read_plainly(items: bytes, limits: ReadLimits) -> None:
    with pytest.raises(UnreadableWorkbook):
        _strings_both(_table(items), limits)
    assert plain_shared_strings(_zip(_table(items)), "part.xml", Budget("f", limits)) is None


def _styles(body: bytes) -> bytes:
    return DECLARATION + b'<styleSheet xmlns="' + MAIN + b'">' + body + b"</styleSheet>"


STYLES = (
    b'<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    b'<numFmt numFmtId="165" formatCode="#,##0.0&quot; days&quot;"/><numFmt numFmtId="166" formatCode="[&gt;=1]0"/>'
    b'</numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    b'<cellXfs count="4"><xf numFmtId="0" fontId="0"/><xf fontId="0" numFmtId="164" applyNumberFormat="1">'
    b'<alignment horizontal="left"/></xf><xf numFmtId="165"/><xf/></cellXfs><cellStyles count="1"/>'
)


def _date_styles(data: bytes, limits: ReadLimits | None = None) -> tuple[object, int, int]:
    budget = Budget("f", limits or ReadLimits())
    found = package.date_styles(_zip(data), "part.xml", budget)
    return found, budget.elements, budget.inflated


def test_known_styles_give_their_own_answer_and_cost_the_same() -> None:
    dated = _styles(STYLES)
    undated = _styles(STYLES.replace(b"yyyy-mm-dd", b"0.00"))
    package._KNOWN_STYLES.clear()
    first = _date_styles(dated)  # read by the stream
    assert first[0] == (frozenset({1}), frozenset())  # style 1 shows format 164, yyyy-mm-dd: a date
    assert len(package._KNOWN_STYLES) == 1
    assert _date_styles(dated) == first  # from the digest now: same styles, same elements and bytes
    assert _date_styles(undated)[0] == (frozenset(), frozenset())  # a part differing by one format
    assert len(package._KNOWN_STYLES) <= package._STYLES_KEPT


def test_known_styles_over_a_limit_are_refused_as_when_read() -> None:
    data = _styles(STYLES)
    _date_styles(data)  # now known
    elements = _date_styles(data)[1]
    with pytest.raises(UnreadableWorkbook) as refused:
        _date_styles(data, ReadLimits(max_cells=(elements - 1) // 4))
    assert "max_cells" in refused.value.message or "XML elements" in refused.value.message


def test_a_part_in_another_encoding_is_left_to_the_stream() -> None:
    latin = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + _table(b"<si><t>T\xfcrk\xe7e</t></si>")[len(DECLARATION) :]
    plain, stream = _strings_both(latin)
    assert plain is None
    assert stream == ["Türkçe"]


def _parts_alike(path: Path) -> None:
    """The string table of a real file: read plainly, as the stream reads it."""
    with zipfile.ZipFile(path) as zf:
        plain_budget, stream_budget = Budget("f", ReadLimits()), Budget("f", ReadLimits())
        strings = plain_shared_strings(zf, "xl/sharedStrings.xml", plain_budget)
        assert strings is not None
        package.plain_shared_strings, original = (lambda *_args: None), package.plain_shared_strings  # type: ignore[assignment]
        try:
            assert strings == package.shared_strings(zf, "xl/sharedStrings.xml", stream_budget)
        finally:
            package.plain_shared_strings = original
        assert (plain_budget.elements, plain_budget.inflated) == (stream_budget.elements, stream_budget.inflated)


def test_xlsxwriter_parts_are_read_alike(tmp_path: Path) -> None:
    _parts_alike(hostile.genuine(tmp_path))


def test_libreoffice_parts_are_read_alike(tmp_path: Path, libreoffice: Any) -> None:
    _parts_alike(libreoffice.recalculate([hostile.genuine(tmp_path)], tmp_path / "out")[0])


def test_a_processing_instruction_leaves_the_table_to_the_stream() -> None:
    data = _table(b"<si><t>a</t></si>").replace(b"<sst ", b"<?pi <si><t>b</t></si>?><sst ", 1)
    plain, stream = _strings_both(data)
    assert plain is None
    assert stream == ["a"]
