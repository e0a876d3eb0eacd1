"""Corpus items of issue 24: the engine on a user's file, at the edges where it used to crash, hang or
disagree with Excel.

Each formula sits on a sheet the user added ("Checks"), with a cached value Excel would not show, so
the validator's recomputation must report the cell as stale and say what Excel computes there
(the expected value, from Excel's documented rules: see tests/engine/excel_vectors.tsv). The whole-
sheet SUM sits in an input cell, where it must end quickly in a finding.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from tests.corpus import packages
from tests.corpus.limit_items import _cell
from tests.corpus.model import Bases, Case, item
from tests.corpus.workbook_items import _finding, _sheet_part, _xml_edit


def _checks(folder: Path, bases: Bases, name: str, formula: str, cached: str, extra: str = "") -> Path:
    """The calculated base with a sheet "Checks": ``formula`` in A1 showing ``cached`` (an XML ``<c>`` body
    and type), and ``extra`` cells (XML) in row 1."""
    cell = f'<c r="A1"{cached.split("|")[0]}><f>{escape(formula, quote=False)}</f><v>{cached.split("|")[1]}</v></c>'
    rows = [f'<row r="1">{cell}{extra}</row>'.encode()]
    return packages.with_extra_sheet(bases.calculated, folder / name, "Checks", rows)


def _stale(path: Path, expected: object) -> Case:
    return Case(
        ["validate", path.name, "--format", "json"],
        1,
        "Checks!A1",
        code="stale-value",
        fields={"expected": expected},
        unchanged=[path],
    )


@item("workbook (XML)")
def whole_sheet_sum_in_an_input(folder: Path, bases: Bases) -> Case:
    """``=SUM(A1:XFD1048576)`` typed into an input: 17 billion cells by size, used to run past 20 s.
    The engine reads the cells the sheet stores; the input gets its finding."""
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(
        folder, bases, "wholesheet.xlsx", sheet, lambda xml: _cell(xml, "E42", "", "<f>SUM(A1:XFD1048576)</f><v>0</v>")
    )
    return _finding(path, "Inputs!E42", "unchecked-formula")


@item("workbook (XML)")
def numeric_text_past_the_float_range(folder: Path, bases: Bases) -> Case:
    """``=INT("1e400")`` raised OverflowError ("bug in kpigen"); Excel cannot read the text as a number."""
    return _stale(_checks(folder, bases, "overflow.xlsx", 'INT("1e400")', "|5"), "#VALUE!")


@item("workbook (XML)")
def modulo_of_numeric_text_past_the_float_range(folder: Path, bases: Bases) -> Case:
    """``=MOD("1E+3001",7)`` gave NaN, a value no spreadsheet holds."""
    return _stale(_checks(folder, bases, "mod.xlsx", 'MOD("1E+3001",7)', "|5"), "#VALUE!")


@item("workbook (XML)")
def sum_of_3000_terms(folder: Path, bases: Bases) -> Case:
    """A legal 3,000-term ``1+1+...`` (6,000 characters, within Excel's 8,192) was refused as too deep."""
    return _stale(_checks(folder, bases, "terms.xlsx", "+".join(["1"] * 3000), "|5"), 3000)


@item("workbook (XML)")
def and_with_text_typed_directly(folder: Path, bases: Bases) -> Case:
    """``=AND(TRUE,"0")``: Excel skips the text and shows TRUE (the engine said #VALUE!)."""
    return _stale(_checks(folder, bases, "and.xlsx", 'AND(TRUE,"0")', ' t="b"|0'), True)


@item("workbook (XML)")
def and_with_text_and_an_error(folder: Path, bases: Bases) -> Case:
    """``=AND(TRUE,"0",#REF!)``: the error wins, as Excel shows."""
    return _stale(_checks(folder, bases, "andref.xlsx", 'AND(TRUE,"0",#REF!)', ' t="b"|1'), "#REF!")


@item("workbook (XML)")
def defined_name_that_is_a_formula(folder: Path, bases: Bases) -> Case:
    """A name ``h`` = ``0.18*2`` used as ``=h``: computed (it used to become #REF! silently)."""
    path = _checks(folder, bases, "name.xlsx", "h", "|5")
    named = folder / "named.xlsx"

    def define(xml: str) -> str:
        if "<definedNames>" in xml:
            return xml.replace("<definedNames>", '<definedNames><definedName name="h">0.18*2</definedName>', 1)
        return xml.replace(
            "</sheets>", '</sheets><definedNames><definedName name="h">0.18*2</definedName></definedNames>'
        )

    from tests.validate import fill

    fill.edit_part(path, named, "xl/workbook.xml", define)
    return _stale(named, 0.36)


@item("workbook (XML)")
def digits_python_reads_but_no_spreadsheet_does(folder: Path, bases: Bases) -> Case:
    """``="1_000"+1`` and full-width digits: Python's float() reads them, no spreadsheet does."""
    return _stale(_checks(folder, bases, "digits.xlsx", '"1_000"+"１２"', "|1012"), "#VALUE!")


@item("workbook (XML)")
def text_order_with_a_collation(folder: Path, bases: Bases) -> Case:
    """``="ç"<"d"``: TRUE in Excel (letters sort beside their base letter); by code point it was FALSE."""
    return _stale(_checks(folder, bases, "collation.xlsx", '"ç"<"d"', ' t="b"|0'), True)


@item("workbook (XML)")
def match_folding_turkish_case(folder: Path, bases: Bases) -> Case:
    """``=MATCH("MAYIS",B1:C1,0)`` over "Nisan", "Mayıs": found at 2 (Python's lower() missed it)."""
    extra = '<c r="B1" t="inlineStr"><is><t>Nisan</t></is></c><c r="C1" t="inlineStr"><is><t>Mayıs</t></is></c>'
    return _stale(_checks(folder, bases, "match.xlsx", 'MATCH("MAYIS",B1:C1,0)', "|1", extra), 2)


@item("workbook (XML)")
def decimal_sum_compared_at_15_digits(folder: Path, bases: Bases) -> Case:
    """``=0.1+0.2=0.3``: TRUE in Excel, which compares at 15 significant digits."""
    return _stale(_checks(folder, bases, "decimal.xlsx", "0.1+0.2=0.3", ' t="b"|0'), True)
