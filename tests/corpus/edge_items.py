"""Corpus items: what real applications and hostile files put in a sheet's XML, beyond the usual edits.

LibreOffice's phantom last row and styled empty cells past the limits must be read, not refused.
Odd cell contents (a number that is not one, a shared-string index below zero, row 0, a reference
100,000 characters long, a style index no ``int()`` takes) get a finding at their cell or a
one-line refusal naming it, never a Python exception's text. Deep nesting (of elements, of
brackets in a formula, of formulas depending on one another) must not reach Python's stack limit.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

from tests.corpus import packages
from tests.corpus.limit_items import _cell
from tests.corpus.model import INPUTS_E42, Bases, Case, item
from tests.corpus.workbook_items import _finding, _sheet_part, _xml_edit


def _inputs(folder: Path, bases: Bases, name: str, edit: object) -> Path:
    return _xml_edit(folder, bases, name, _sheet_part(bases.calculated, "Inputs"), edit)  # type: ignore[arg-type]


def _unreadable(path: Path, what: str) -> Case:
    where = rf"^Error: {re.escape(path.name)}: could not be read: sheet 'Inputs' has {what}; open it in Excel"
    return Case(["validate", path.name], 3, where, unchanged=[path])


@item("workbook (XML)")
def phantom_row_with_styled_cells(folder: Path, bases: Bases) -> Case:
    """The last row of the sheet, styled across all 16,384 columns (a whole row coloured): read, not refused."""

    def phantom(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml, count=1)
        cells = '<c r="A1048576" s="1"/><c r="XFD1048576" s="1"/>'
        return xml.replace("</sheetData>", f'<row r="1048576" s="1" customFormat="1">{cells}</row></sheetData>', 1)

    path = _inputs(folder, bases, "phantom.xlsx", phantom)
    return Case(["validate", path.name], 0, "", unchanged=[path])


@item("workbook (XML)")
def styled_empty_cells_past_the_limits(folder: Path, bases: Bases) -> Case:
    """Empty styled cells at row 20,000 and column XFD (formatting, no data): they do not count as the sheet's size."""

    def styled(xml: str) -> str:
        far = '<row r="20000" s="1" customFormat="1"><c r="A20000" s="1"/><c r="XFD20000" s="1"/></row>'
        xml = xml.replace("</sheetData>", far + "</sheetData>", 1)
        return re.sub(r"<cols>", '<cols><col min="16000" max="16384" style="1" width="9"/>', xml, count=1)

    path = _inputs(folder, bases, "styled.xlsx", styled)
    return Case(["validate", path.name], 0, "", unchanged=[path])


@item("workbook (XML)")
def nan_written_as_a_number(folder: Path, bases: Bases) -> Case:
    """``<v>NaN</v>`` in a number cell: no spreadsheet writes it; refused naming the cell."""
    path = _inputs(folder, bases, "nan.xlsx", lambda xml: _cell(xml, "E42", "", "<v>NaN</v>"))
    return _unreadable(path, "cell E42 holding 'NaN' as type 'n'")


@item("workbook (XML)")
def number_of_5000_digits(folder: Path, bases: Bases) -> Case:
    """Past int()'s 4,300 digits: out of range like a 400-digit number, not a refusal quoting Python."""
    path = _inputs(folder, bases, "digits.xlsx", lambda xml: _cell(xml, "E42", "", f"<v>{'9' * 5000}</v>"))
    return _finding(path, INPUTS_E42, "out-of-range")


@item("workbook (XML)")
def negative_shared_string_index(folder: Path, bases: Bases) -> Case:
    """``t="s"`` with index -1 used to read the table's last string (Python's negative index), silently."""
    path = _inputs(folder, bases, "minus.xlsx", lambda xml: _cell(xml, "E42", ' t="s"', "<v>-1</v>"))
    return _unreadable(path, "cell E42 holding '-1' as type 's'")


@item("workbook (XML)")
def cell_in_row_zero(folder: Path, bases: Bases) -> Case:
    """``r="E0"``: no spreadsheet has a row 0; it used to be stored under a negative key and lost."""
    path = _inputs(folder, bases, "zero.xlsx", lambda xml: xml.replace('<c r="E42"', '<c r="E0"', 1))
    return _unreadable(path, "a cell reference 'E0'")


@item("workbook (XML)")
def cell_reference_of_100000_characters(folder: Path, bases: Bases) -> Case:
    """A reference too long for int() used to give Python's "Exceeds the limit (4300 digits)" text."""
    path = _inputs(folder, bases, "ref.xlsx", lambda xml: xml.replace('<c r="E42"', f'<c r="E42{"9" * 100_000}"', 1))
    return _unreadable(path, r"a cell reference 'E429+…'")


@item("workbook (XML)")
def style_index_int_cannot_read(folder: Path, bases: Bases) -> Case:
    """``s="²"`` (a digit to str.isdigit, not to int) and a 5,000-digit style: read as the default style."""

    def styles(xml: str) -> str:
        xml = re.sub(r'(<c r="E42"[^>]*?) s="\d+"', r'\1 s="²"', xml, count=1)
        return re.sub(r'(<c r="F42"[^>]*?) s="\d+"', rf'\1 s="{"1" * 5000}"', xml, count=1)

    path = _inputs(folder, bases, "style.xlsx", styles)
    return Case(["validate", path.name], 0, "", unchanged=[path])


@item("workbook (XML)")
def attribute_of_8_megabytes(folder: Path, bases: Bases) -> Case:
    """An unknown attribute of 8 MB of random text (it compresses like data, so no zip-bomb check stops it)."""
    junk = base64.b64encode(os.urandom(6 * 1024 * 1024)).decode()
    path = _inputs(folder, bases, "attr.xlsx", lambda xml: xml.replace('<c r="E42"', f'<c r="E42" junk="{junk}"', 1))
    return Case(["validate", path.name], 0, "", unchanged=[path])


@item("workbook (XML)")
def unknown_elements_nested_100000_deep(folder: Path, bases: Bases) -> Case:
    """An extension nested 100,000 levels deep before the cells: expat keeps no Python stack; read, not refused."""
    depth = 100_000
    nested = '<x:u xmlns:x="urn:x">' + "<x:u>" * (depth - 1) + "</x:u>" * depth
    path = _inputs(folder, bases, "nested.xlsx", lambda xml: xml.replace("<sheetData>", "<sheetData>" + nested, 1))
    return Case(["validate", path.name], 0, "", unchanged=[path])


@item("workbook (XML)")
def rich_text_typed_into_a_count(folder: Path, bases: Bases) -> Case:
    """A shared string in rich text (bold run, plain run, phonetic guide): read as the text it shows."""
    rich = (
        '<si><r><rPr><b/></rPr><t>twel</t></r><r><t xml:space="preserve">ve</t></r>'
        '<rPh sb="0" eb="1"><t>ignored</t></rPh><phoneticPr fontId="1"/></si>'
    )
    parts = packages.members(bases.calculated)
    table = parts["xl/sharedStrings.xml"].decode("utf-8")
    index = table.count("<si>") + table.count("<si ")
    parts["xl/sharedStrings.xml"] = table.replace("</sst>", rich + "</sst>", 1).encode("utf-8")
    sheet = _sheet_part(bases.calculated, "Inputs")
    parts[sheet] = _cell(parts[sheet].decode("utf-8"), "E8", ' t="s"', f"<v>{index}</v>").encode("utf-8")
    path = packages.write(folder / "rich.xlsx", parts)
    return Case(
        ["validate", path.name, "--format", "json"],
        1,
        "Inputs!E8",
        code="not-a-number",
        fields={"value": "twelve"},
        unchanged=[path],
    )


@item("workbook (XML)")
def iso_date_cell_in_an_input(folder: Path, bases: Bases) -> Case:
    """``t="d"`` (an ISO 8601 date cell, as some tools write): a date, which formulas compute with as its
    serial (46082), so the cached totals are stale; the date itself is the looks-like-date warning
    ("1.3" read as a day and month), not a not-a-number error (issue 24)."""
    path = _inputs(folder, bases, "isodate.xlsx", lambda xml: _cell(xml, "E8", ' t="d"', "<v>2026-03-01</v>"))
    return Case(
        ["validate", path.name, "--format", "json"],
        1,
        "Inputs!E8",
        code="looks-like-date",
        fields={"value": 46082, "expected": "1.3"},
        unchanged=[path],
        absent=("not-a-number",),
    )


@item("workbook (XML)")
def formula_of_5000_nested_brackets(folder: Path, bases: Bases) -> Case:
    """A KPI formula replaced by 5,000 nested brackets: the engine's parser ran out of stack ("bug in kpigen")."""
    formula = "(" * 5000 + "1" + ")" * 5000
    sheet = _sheet_part(bases.calculated, "KPIs")
    path = _xml_edit(folder, bases, "brackets.xlsx", sheet, lambda xml: _cell(xml, "E8", "", f"<f>{formula}</f>"))
    return _finding(path, "KPIs!E8", "formula-changed")


@item("workbook (XML)")
def backward_chain_of_3000_formulas(folder: Path, bases: Bases) -> Case:
    """A user's sheet where each row adds 1 to the row below (A3000 = 0): 3,000 cells deep, past Python's stack.

    By hand: A1 = 2999. Its cached value says 5, so the file is stale there; every cell is computed.
    """
    rows = [b'<row r="1"><c r="A1"><f>A2+1</f><v>5</v></c></row>']
    rows += [
        b'<row r="%d"><c r="A%d"><f>A%d+1</f><v>%d</v></c></row>' % (r, r, r + 1, 3000 - r) for r in range(2, 3000)
    ]
    rows.append(b'<row r="3000"><c r="A3000"><v>0</v></c></row>')
    path = packages.with_extra_sheet(bases.calculated, folder / "chain.xlsx", "Running total", rows)
    return Case(
        ["validate", path.name, "--format", "json"],
        1,
        "Running total!A1",
        code="stale-value",
        fields={"value": 5, "expected": 2999},
        unchanged=[path],
    )
