"""The formula fast path writes exactly what XlsxWriter's own preparation writes."""

from __future__ import annotations

import io
import zipfile

import pytest
from xlsxwriter.worksheet import Worksheet

from generator.catalog import Catalog
from generator.workbook import build
from generator.workbook.context import BuildOptions
from generator.workbook.worksheet import FormulaWorksheet, only_classic_functions


class PlainFormulas(FormulaWorksheet):
    """The project's worksheet with XlsxWriter's own formula preparation and storing."""

    _prepare_formula = Worksheet._prepare_formula
    _write_formula = Worksheet._write_formula
    write_formula = Worksheet.write_formula


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("catalog_name", ["crm", "bsc"])
def test_fast_path_writes_the_same_file(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, catalog_name: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    options = BuildOptions(locale="tr", sample=catalog_name == "crm")
    fast = build.build_workbook(catalog, options).data
    monkeypatch.setattr(build, "FormulaWorksheet", PlainFormulas)
    plain = build.build_workbook(catalog, options).data
    assert parts(fast) == parts(plain)


def test_other_functions_still_get_their_prefix() -> None:
    sheet = FormulaWorksheet()
    assert only_classic_functions('=IF(COUNT(A1)<1,"",MAX(A1,2))')
    assert not only_classic_functions("=XLOOKUP(A1,B1:B9,C1:C9)")
    assert sheet._prepare_formula("=XLOOKUP(A1,B1:B9,C1:C9)") == "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)"
    assert sheet._prepare_formula('=IF(A1="",0,A1)') == 'IF(A1="",0,A1)'


def test_a_formula_written_by_address_or_by_numbers_is_the_same_cell() -> None:
    sheet = FormulaWorksheet()
    sheet.write_formula("C5", '=IF(A1="",0,A1)', None, 3)
    sheet.write_formula(4, 3, '=IF(A1="",0,A1)', None, 3)
    sheet.write_formula(4, 4, formula="=SUM(A1:A3)")
    assert tuple(sheet.table[4][2]) == tuple(sheet.table[4][3]) == ('IF(A1="",0,A1)', None, 3)
    assert tuple(sheet.table[4][4]) == ("SUM(A1:A3)", None, 0)
    assert (sheet.dim_rowmin, sheet.dim_rowmax, sheet.dim_colmin, sheet.dim_colmax) == (4, 4, 2, 4)
    assert sheet.write_formula(1_048_576, 0, "=1") == -1  # past Excel's last row, as XlsxWriter answers


def test_numbers_blanks_and_strings_written_by_address_or_by_numbers_are_the_same_cells() -> None:
    from xlsxwriter.workbook import Workbook

    book = Workbook(io.BytesIO(), {"in_memory": True})
    sheet = book.add_worksheet(worksheet_class=FormulaWorksheet)
    bold = book.add_format({"bold": True})
    for by_address, by_numbers in (("B3", (2, 1)), ("C3", (2, 2))):
        sheet.write_number(by_address, 1.5, bold)
        sheet.write_number(*by_numbers, 1.5, bold)
        assert sheet.table[2][by_numbers[1]] == (1.5, bold)
    sheet.write_blank("D4", None, bold)
    sheet.write_blank(3, 4, None, bold)
    sheet.write_string("F4", "text")
    sheet.write_string(3, 6, "text", cell_format=bold)
    assert tuple(sheet.table[3][3]) == tuple(sheet.table[3][4]) == (bold,)
    assert sheet.table[3][5].string == sheet.table[3][6].string and sheet.table[3][6].format is bold
    assert sheet.write_blank(5, 5, None) == 0 and 5 not in sheet.table  # no format: nothing stored, as XlsxWriter
    assert sheet.write_number(-1, 0, 1.0) == -1
    from fractions import Fraction

    sheet.write_number(6, 0, Fraction(1, 4))
    sheet.write_number(6, 1, 7)
    assert sheet.table[6][0] == (0.25, None) and sheet.table[6][0].number.__class__ is float
    assert sheet.table[6][1].number.__class__ is int  # kept as XlsxWriter keeps it
    for odd in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(TypeError):  # XlsxWriter's answer without nan_inf_to_errors
            sheet.write_number(7, 0, odd)
    book.close()


@pytest.mark.parametrize("seed", range(20))
def test_the_row_spans_are_what_xlsxwriter_computes(seed: int) -> None:
    import random

    chosen = random.Random(seed)
    ours, theirs = FormulaWorksheet(), Worksheet()
    for sheet in (ours, theirs):
        sheet.str_table = None
    for _cell in range(chosen.randint(1, 60)):
        row, col = chosen.randint(0, 70), chosen.randint(0, 30)
        for sheet in (ours, theirs):
            sheet._check_dimensions(row, col)
            sheet.table[row][col] = (1.0, None)
    for _comment in range(chosen.randint(0, 3)):
        row, col = chosen.randint(0, 80), chosen.randint(0, 40)
        for sheet in (ours, theirs):
            sheet.comments[row][col] = ["note"]
    ours._calculate_spans()
    theirs._calculate_spans()
    assert ours.row_spans == theirs.row_spans and ours.row_spans


def test_the_answers_kept_for_formulas_stay_right_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.workbook import worksheet

    monkeypatch.setattr(worksheet, "_CLASSIC", {})
    monkeypatch.setattr(worksheet, "_MOST_CLASSIC", 3)
    for _round in range(2):  # the second round reads the kept answers
        assert only_classic_functions("=SUM(A1:A3)")
        assert not only_classic_functions("=XLOOKUP(A1,B1:B9,C1:C9)")
    for n in range(10):
        assert only_classic_functions(f"=MAX(A{n},1)")
    assert len(worksheet._CLASSIC) <= 3


def test_dynamic_array_functions_are_never_classic() -> None:
    """Each function XlsxWriter writes as a dynamic array, however it is spelt or preceded, takes
    XlsxWriter's own path, and is stored as XlsxWriter stores it."""
    import re

    from xlsxwriter import worksheet as xlsxwriter_worksheet

    names = re.findall(r"\\b([A-Z]+)\\\(", xlsxwriter_worksheet.re_dynamic_function.pattern)
    assert len(names) >= 29 and "SORT" in names and "XLOOKUP" in names
    for name in names:
        for formula in (f"={name}(A1:A3)", f"=SUM(1,{name.lower()}(A1))", f"=IF(1,_xlfn.{name}(A1),0)"):
            assert not only_classic_functions(formula), formula
            tables = []
            for worksheet_class in (Worksheet, FormulaWorksheet):
                sheet = worksheet_class()
                sheet.write_formula(0, 0, formula)
                tables.append(sheet.table[0][0])
            assert tables[0] == tables[1]


class PlainSparklines(FormulaWorksheet):
    """The project's worksheet with XlsxWriter's own ``add_sparkline``."""

    add_sparkline = Worksheet.add_sparkline


@pytest.mark.parametrize("catalog_name", ["crm", "bsc"])
def test_the_sparkline_path_writes_the_same_file(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, catalog_name: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    options = BuildOptions(locale="en", sample=True)
    fast = build.build_workbook(catalog, options).data
    monkeypatch.setattr(build, "FormulaWorksheet", PlainSparklines)
    plain = build.build_workbook(catalog, options).data
    assert parts(fast) == parts(plain)


@pytest.mark.parametrize(
    "options",
    [
        {"range": "Sheet1!$A$1:$L$1"},
        {"range": "=A1:L1", "type": "column", "style": 12, "markers": True, "series_color": "#FF0000"},
        {"range": "A1:L1", "empty_cells": "zero", "min": 0.0, "max": 5.0, "axis": True, "low_color": "#00FF00"},
        {"range": "A1:L1", "type": "win_loss", "empty_cells": "connect"},  # XlsxWriter's own path
        {"range": ["A1:L1", "A2:L2"], "location": ["M1", "M2"]},  # XlsxWriter's own path
    ],
)
def test_a_sparkline_is_what_xlsxwriter_writes(options: dict[str, object]) -> None:
    """Either class gives the same sheet XML, and XlsxWriter's own module is left as it was."""
    from xlsxwriter import utility
    from xlsxwriter import worksheet as xlsxwriter_worksheet
    from xlsxwriter.workbook import Workbook

    sheets = []
    for worksheet_class in (Worksheet, FormulaWorksheet):
        buffer = io.BytesIO()
        workbook = Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet("Sheet1", worksheet_class=worksheet_class)
        sheet.write_row(0, 0, list(range(12)))
        sheet.add_sparkline(0, 12, dict(options))
        workbook.close()
        sheets.append(parts(buffer.getvalue())["xl/worksheets/sheet1.xml"])
    assert sheets[0] == sheets[1]
    assert b"<x14:sparklineGroup" in sheets[0]
    assert xlsxwriter_worksheet._get_sparkline_style is utility._get_sparkline_style


class PlainRows(FormulaWorksheet):
    """The project's worksheet with XlsxWriter's own cell writer."""

    _write_rows = Worksheet._write_rows


@pytest.mark.parametrize("catalog_name", ["crm", "bsc"])
def test_the_row_writer_writes_the_same_file(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, catalog_name: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    options = BuildOptions(locale="tr", sample=catalog_name == "crm")
    fast = build.build_workbook(catalog, options).data
    monkeypatch.setattr(build, "FormulaWorksheet", PlainRows)
    plain = build.build_workbook(catalog, options).data
    assert parts(fast) == parts(plain)


def test_every_kind_of_cell_is_what_xlsxwriter_writes() -> None:
    """Cells of every kind, formats from the cell, the row and the column, cached results of every
    type, text to escape, a row with only a comment: either class gives the same sheet XML."""
    import datetime as dt

    from xlsxwriter.workbook import Workbook

    from generator.workbook.worksheet import EMPTY_TEXT

    sheets = []
    for worksheet_class in (PlainRows, FormulaWorksheet):
        buffer = io.BytesIO()
        workbook = Workbook(buffer, {"in_memory": True})
        bold, red = workbook.add_format({"bold": True}), workbook.add_format({"font_color": "red"})
        sheet = workbook.add_worksheet("Sheet1", worksheet_class=worksheet_class)
        sheet.set_row(1, 30, bold)
        sheet.set_row(6, None, None, {"hidden": True})
        sheet.set_column(3, 3, 12, red)
        sheet.write_number(0, 0, 1 / 3)
        sheet.write_number(0, 1, 12345678901234567890.0, bold)
        sheet.write_string(0, 2, 'a & b < "c" > d\n')
        sheet.write_blank(0, 3, None, bold)
        sheet.write_number(1, 0, 7)
        sheet.write_number(1, 3, 8)
        sheet.write_formula(2, 0, '=IF(A1>0,"x&y","")', None, "x&y")
        sheet.write_formula(2, 1, "=A1<2", bold, True)
        sheet.write_formula(2, 2, "=1/0", None, "#DIV/0!")
        sheet.write_formula(2, 3, '=""', None, "")
        sheet.write_formula(2, 4, '=""', None, EMPTY_TEXT)
        sheet.write_formula(2, 5, "=A1*2", None, 0.6666666666666666)
        sheet.write_formula(2, 6, "=A1", None, 3)
        sheet.write_boolean(3, 0, False)
        sheet.write_rich_string(3, 1, "plain ", bold, "bold")
        sheet.write_array_formula(3, 2, 3, 2, "{=SUM(A1:B1*2)}", None, 4)
        sheet.write_datetime(3, 4, dt.datetime(2026, 1, 31), red)
        sheet.write_string(3, 5, "after the others")
        sheet.write_comment(5, 0, "a note")
        sheet.write_number(20, 30, 1)
        workbook.close()
        sheets.append(parts(buffer.getvalue())["xl/worksheets/sheet1.xml"])
    assert sheets[0] == sheets[1]
    assert b'<c r="A3" t="str"><f>IF(A1&gt;0,"x&amp;y","")</f><v>x&amp;y</v></c>' in sheets[1]
    assert b'<c r="E3" t="str"><f>""</f><v></v></c>' in sheets[1]


class PlainConditionalFormats(FormulaWorksheet):
    """The project's worksheet with XlsxWriter's own conditional formats."""

    conditional_format = Worksheet.conditional_format
    _write_cf_rule = Worksheet._write_cf_rule


@pytest.mark.parametrize("catalog_name", ["crm", "bsc"])
def test_the_conditional_formats_are_the_same_file(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, catalog_name: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    options = BuildOptions(locale="en", sample=True)
    fast = build.build_workbook(catalog, options).data
    monkeypatch.setattr(build, "FormulaWorksheet", PlainConditionalFormats)
    plain = build.build_workbook(catalog, options).data
    assert parts(fast) == parts(plain)


def test_every_kind_of_conditional_format_is_what_xlsxwriter_writes() -> None:
    """Formula rules with and without a format, in either corner order, with text to escape, beside
    rules XlsxWriter handles itself (cell values, a range given as text, data bars, stop-if-true,
    the "=" criterion): either class gives the same sheet and styles XML."""
    from xlsxwriter.workbook import Workbook

    files = []
    for worksheet_class in (PlainConditionalFormats, FormulaWorksheet):
        buffer = io.BytesIO()
        workbook = Workbook(buffer, {"in_memory": True})
        red = workbook.add_format({"font_color": "red"})
        green = workbook.add_format({"bg_color": "green"})
        sheet = workbook.add_worksheet("Sheet1", worksheet_class=worksheet_class)
        sheet.conditional_format(0, 0, 0, 11, {"type": "formula", "criteria": '=AND(A1>0,A1<>"a&b")', "format": red})
        sheet.conditional_format(0, 0, 0, 11, {"type": "formula", "criteria": "=A1<0", "format": green})
        sheet.conditional_format(5, 3, 2, 1, {"type": "formula", "criteria": "=ISNUMBER(B3)"})
        sheet.conditional_format(1, 1, 1, 1, {"type": "formula", "criteria": "=XLOOKUP(1,A1:A3,B1:B3)>0"})
        sheet.conditional_format(2, 2, 2, 2, {"type": "formula", "criteria": "=B2>0", "stop_if_true": True})
        sheet.conditional_format(3, 3, 3, 3, {"type": "cell", "criteria": "=", "value": 5, "format": red})
        sheet.conditional_format("E1:E9", {"type": "formula", "criteria": "=E1>1", "format": red})
        sheet.conditional_format(0, 6, 9, 6, {"type": "data_bar"})
        workbook.close()
        files.append(parts(buffer.getvalue()))
    assert files[0] == files[1]
    sheet_xml = files[1]["xl/worksheets/sheet1.xml"]
    assert b'<conditionalFormatting sqref="B3:D6"><cfRule type="expression" priority="3">' in sheet_xml
    assert b'<formula>AND(A1&gt;0,A1&lt;&gt;"a&amp;b")</formula>' in sheet_xml
