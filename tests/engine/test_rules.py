"""More of Excel's rules, one hand-worked case each: the cases mutation testing (mutmut over
generator/engine, README "Development") showed no other test would notice if the engine got wrong."""

from __future__ import annotations

from typing import Any

import pytest

from generator.engine import ERRORS, EngineError, EngineLimit, Spreadsheet
from generator.engine.kept import Kept
from tests.engine.one_sheet import run

VALUE, NUM, REF, NA, DIV0, NAME = (ERRORS[c] for c in ("#VALUE!", "#NUM!", "#REF!", "#N/A", "#DIV/0!", "#NAME?"))


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        ("=IFERROR(A1,5)", {"A1": 3.0}, 3),  # the value's own reference is read
        ("=IFERROR(1/A1,A2)", {"A1": 0.0, "A2": 7.0}, 7),  # and the fallback's
        ("=MIN(1,NA())", {}, NA),
        ("=MIN(A1:A2)", {}, 0),  # no numbers: 0 (MIN function page)
        ("=MAX(A1:A2)", {}, 0),
        ("=MIN(A1:A2)+1", {"A1": 5.0}, 6),
        ("=INDEX(A1:C1,-1)", {}, VALUE),  # a negative position
        ("=SUM(INDEX(A1:C1,0))", {"A1": 1.0, "B1": 2.0, "C1": 4.0}, 7),  # 0: the whole row
        ("=SUM(INDEX(A1:A3,0))", {"A1": 1.0, "A2": 2.0, "A3": 4.0}, 7),  # 0: the whole column
        ("=SUM(INDEX(A1:B2,0,2))", {"B1": 2.0, "B2": 4.0}, 6),  # row 0: the whole column 2
        ("=SUM(INDEX(A1:B2,2,0))", {"A2": 1.0, "B2": 4.0}, 5),
        ("=INDEX(A1:B2,1)", {}, REF),  # a two-dimensional range needs both positions
        ("=INDEX(A1:B2,1,3)", {}, REF),
        ("=INDEX(A1:B2,3,1)", {}, REF),
        ("=INDEX(A1:B2,1.9,2.9)", {"B1": 9.0}, 9),  # positions are truncated
        ("=INDEX(A1:A3,NA())", {}, NA),
        ("=INDEX(A1:B2,1,NA())", {}, NA),
        ("=2^0", {}, 1),
        ("=2^-1", {}, 0.5),
        ("=0^0.5", {}, 0),
        ("=0^0", {}, NUM),
        ("=(-8)^(1/3)", {}, NUM),
        ("=(-2)^2", {}, 4),
        ("=10^400", {}, NUM),
        ("=NOT(NA())", {}, NA),
        ("=ABS(NA())", {}, NA),
        ("=INT(NA())", {}, NA),
        ("=MOD(NA(),2)", {}, NA),
        ("=MOD(2,NA())", {}, NA),
        ("=MOD(-1,3)", {}, 2),
        ("=ISNUMBER(A1)", {"A1": True}, False),
        ("=COUNT(A1:A3)", {"A1": 1.0, "A2": "=NA()", "A3": 2}, 2),
        ('=COUNT(1,"x",NA(),TRUE)', {}, 2),
        ("=AVERAGE(A1:A3)", {"A1": 1.0, "A3": 2.0}, 1.5),  # blanks are not counted
        ("=AVERAGE(1,NA())", {}, NA),
        ("=SUM(1E+308,1E+308)", {}, NUM),
        ("=AVERAGE(1E+308,1E+308)", {}, NUM),
        ("=-A1", {"A1": "=NA()"}, NA),
        ("=-A1", {"A1": "2"}, -2),
        ('="a"&NA()', {}, NA),
        ('=NA()&"a"', {}, NA),
        ("=1<NA()", {}, NA),
        ("=NA()<1", {}, NA),
        ("=(1<2)<1", {}, False),  # TRUE sorts after every number
        ("=1+NA()+1/0", {}, NA),  # the first error met
        ("=1/0+NA()", {}, DIV0),
        ("=5%", {}, 0.05),
        ("=5%%", {}, 0.0005),
        ("=1-2-3", {}, -4),
        ("=8/2/2", {}, 2),
        ("=2*3-4/2", {}, 4),
        ('="x"<"y"', {}, True),
        ('="y"<"x"', {}, False),
        ('="x"<="x"', {}, True),
        ('="x">="y"', {}, False),
        ('="x"<>"X"', {}, False),
        ("=2>1", {}, True),
        ("=1>=2", {}, False),
        ("=FALSE<TRUE", {}, True),
        ("=MATCH(TRUE,A1:C1,0)", {"A1": 1.0, "B1": True}, 2),  # a logical matches only a logical
        ("=MATCH(1,A1:C1,0)", {"A1": True, "B1": 1}, 2),
        ("=MATCH(NA(),A1:C1,0)", {}, NA),
        ('=MATCH("a",A1:B2,0)', {"A1": "a"}, NA),  # two dimensions: nothing is found
        ('=MATCH("a*",A1:C1,0)', {"A1": 1.0, "B1": "ab"}, 2),
        ('=MATCH("a?",A1:C1,0)', {"A1": "abc", "B1": "ab"}, 2),
        ('=MATCH("~?",A1:C1,0)', {"A1": "a", "B1": "?"}, 2),
        ('=MATCH("a~",A1:C1,0)', {"A1": "a~"}, 1),  # a ~ before no wildcard stays itself
        ('=MATCH("a",A1:C1,0)', {"A1": 1.0, "C1": "A"}, 3),
        ("=MATCH(2,A1:C1,0)", {"A1": "2", "B1": 2.0}, 2),
        ('=IF(TRUE,"y")', {}, "y"),
        ("=IF(NA(),1)", {}, NA),
        ("=IFERROR(1,NA())", {}, 1),
        ("=OR(A1:A2)", {"A1": "x"}, VALUE),
        ("=OR(FALSE,A1:A2)", {"A1": 1.0}, True),
        ("=AND(A1:A2)", {"A1": "=NA()", "A2": True}, NA),
    ],
)
def test_rule(formula: str, cells: dict[str, Any], expected: Any) -> None:
    result = run(formula, **cells)
    assert result is expected or (
        not isinstance(expected, bool) and type(result) is not bool and result == pytest.approx(expected)
    ), f"{formula}: {result!r}"


def test_engine_errors_say_what_and_where() -> None:
    with pytest.raises(EngineError, match=r"^INDEX needs a range as its first argument$"):
        run("=INDEX(1,1)")
    with pytest.raises(EngineError, match=r"^MATCH needs a range as its second argument$"):
        run("=MATCH(1,2,0)")
    with pytest.raises(EngineError, match=r"^'S'!B3: circular reference$"):
        Spreadsheet_with_cycle().value("S", 2, 1)
    with pytest.raises(EngineError, match=r"^name 'gone' does not point to cells of this workbook$"):
        sheet = Spreadsheet(["S"])
        sheet.define_name("gone", "'Other'!$A$1")
        sheet.evaluate("S", "=gone")
    with pytest.raises(EngineError, match=r"^SUM takes 1 to 255 arguments, not 0$"):
        run("=SUM()")
    with pytest.raises(EngineError, match="an empty argument"):
        run("=SUM(1,)")
    with pytest.raises(EngineError, match=r"^function FOO is not supported by the engine$"):
        run("=FOO(1)")
    with pytest.raises(EngineError, match="implicit intersection"):
        run("=A1:A2+1")
    with pytest.raises(EngineError, match=r"^unknown name 'nowhere'$"):
        run("=nowhere")
    with pytest.raises(EngineError, match=r"^expected '\)', found 'the end'$"):
        run("=(1")
    with pytest.raises(EngineError, match=r"^unexpected '\)'$"):
        run("=1)")


def Spreadsheet_with_cycle() -> Spreadsheet:
    sheet = Spreadsheet(["S"])
    sheet.set_formula("S", 2, 1, "=C3")
    sheet.set_formula("S", 2, 2, "=B3")
    return sheet


def test_a_name_to_a_missing_sheet_is_ref_in_a_users_file() -> None:
    sheet = Spreadsheet(["S"], strict=False)
    sheet.define_name("gone", "'Other'!$A$1")
    sheet.define_name("Here", "'s'!$A$1:$A$2")  # sheet names ignore case
    sheet.define_name("blank", "")
    sheet.set_value("S", 0, 0, 2.0)
    sheet.set_value("S", 1, 0, 3.0)
    assert sheet.evaluate("S", "=gone") is REF
    assert sheet.evaluate("S", "=SUM(here)") == 5
    assert sheet.evaluate("S", "=blank") is REF
    assert sheet.evaluate("S", "=nowhere") is NAME


def test_a_name_formula_is_computed_once_and_may_be_used_twice() -> None:
    sheet = Spreadsheet(["S", "T"], strict=False)
    sheet.set_value("T", 0, 0, 4.0)
    sheet.define_name("four", "=T!$A$1")
    sheet.define_name("eight", "=four+four")
    assert sheet.evaluate("S", "=eight+four") == 12
    assert sheet.evaluate("T", "=eight") == 8
    empty = Spreadsheet([], strict=False)
    empty.define_name("k", "=2*3")
    assert empty.evaluate("", "=k") == 6


def test_a_table_kept_per_process_starts_again_when_full() -> None:
    table: Kept[str, int] = Kept(most=2)
    assert table.get("a") is None and len(table) == 0
    assert table.keep("a", 1) == 1 and table.get("a") == 1
    table.keep("b", 2)
    table.keep("c", 3)  # full: emptied first
    assert table.get("a") is None and table.get("c") == 3 and len(table) == 1
    table.keep("long", 4, length=1_001)  # longer than LONGEST_KEPT: worked out, not kept
    assert table.get("long") is None


def test_an_error_value_shows_its_code() -> None:
    assert repr(NA) == "#N/A" and NA.code == "#N/A" and str(DIV0) == "#DIV/0!"


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ('=0&""', "0"),
        ('=-2&""', "-2"),
        ('=999999999999999&""', "999999999999999"),
        ('=1E+15&""', "1E+15"),  # General format: 15 digits, then scientific
        ('=-1E+20&""', "-1E+20"),
        ('=1.5E-7&""', "1.5E-07"),
        ('=1.25E+100&""', "1.25E+100"),
        ('=123456789012345678&""', "1.23456789012346E+17"),
        ('=0.1+0.2&""', "0.3"),
        ('=MIN(A5:A6)&"x"', "0x"),  # no numbers: the number 0, not a blank
        ('=MAX(A5:A6)&"x"', "0x"),
        ('=IF(FALSE,1)&""', "FALSE"),
        ('=IF(A1,A1,A2)&""', "5"),
        ('=IF(A3,A1,A2)&""', "7"),
    ],
)
def test_numbers_as_text(formula: str, expected: str) -> None:
    assert run(formula, A1=5.0, A2=7.0) == expected


@pytest.mark.parametrize(
    ("formula", "kind", "expected"),
    [
        ("=INT(1E+15)", float, 1e15),  # at 2**50 and past, INT keeps the float it was given
        ("=INT(-1E+15)", float, -1e15),
        ("=INT(999999999999999.5)", int, 999999999999999),
        ("=INT(-999999999999999)", int, -999999999999999),
    ],
)
def test_int_keeps_large_results_as_floats(formula: str, kind: type, expected: float) -> None:
    result = run(formula)
    assert type(result) is kind and result == expected


def test_a_large_range_on_a_sheet_without_cells_is_empty() -> None:
    sheet = Spreadsheet(["S", "Empty"])
    sheet.set_value("S", 0, 0, 1.0)
    assert sheet.evaluate("S", "=SUM(Empty!A1:A5000)+COUNT(Empty!A:A)") == 0
    assert sheet.evaluate("S", "=MATCH(1,Empty!A:A,0)") is NA


def test_formula_cells_lists_every_formula() -> None:
    sheet = Spreadsheet(["S"])
    sheet.set_formula("S", 0, 0, "=1")
    sheet.set_value("S", 0, 1, 2.0)
    sheet.set_formula("S", 3, 2, "=A1+B1")
    assert sheet.formula_cells() == [("S", 0, 0), ("S", 3, 2)]
    assert sheet.formula(("S", 3, 2)) == "=A1+B1"


def test_values_outside_the_cell_types_are_engine_errors() -> None:
    from generator.engine.values import compare, to_bool, to_number, to_text

    odd = object()
    with pytest.raises(EngineError, match=r"^cannot use <object object at .*> as a condition$"):
        to_bool(odd)
    with pytest.raises(EngineError, match=r"^cannot use .* as a number$"):
        to_number(odd)
    with pytest.raises(EngineError, match=r"^cannot use .* as text$"):
        to_text(odd)
    with pytest.raises(EngineError, match=r"^cannot compare"):
        compare(odd, 1.0)


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        ("=COUNT(A1:A2,B1:B2)", {"A1": 1.0, "A2": 2.0, "B1": 3.0}, 3),  # counts add up over ranges
        ("=AND(A1:A2)", {"A1": True, "A2": "FALSE"}, True),  # text in a range is ignored, even "FALSE"
        ("=FALSE+1", {}, 1),
        ("=10000000000+0.00001=10000000000", {}, True),  # equal at 15 significant digits
        ("=10000000000+0.0001=10000000000", {}, False),
    ],
)
def test_more_rules(formula: str, cells: dict[str, Any], expected: Any) -> None:
    assert run(formula, **cells) is expected or run(formula, **cells) == expected


def test_positions_are_whole_numbers() -> None:
    cells = {"A1": "a", "A2": "b", "B1": "c", "C1": "d"}
    assert type(run('=MATCH("b",A1:A3,0)', **cells)) is int
    assert type(run('=MATCH("d",A1:C1,0)', **cells)) is int
    assert run('=MATCH("d",A1:C1,0)', **cells) == 3


def test_a_cell_formula_reading_a_blank_shows_0_and_a_replaced_constant_is_gone() -> None:
    sheet = Spreadsheet(["S"])
    sheet.set_formula("S", 0, 0, "=C9")
    sheet.set_value("S", 0, 1, 5.0)
    sheet.set_formula("S", 0, 1, "=2")  # a formula typed over a constant
    assert sheet.value("S", 0, 0) == 0 and sheet.value("S", 0, 0) is not None
    assert sheet.value("S", 0, 1) == 2


def test_a_failed_cell_does_not_stop_the_others() -> None:
    sheet = Spreadsheet(["S"], strict=False)
    sheet.set_formula("S", 0, 0, "=FOO(1)")
    sheet.set_formula("S", 0, 1, "=1+1")
    with pytest.raises(EngineError, match=r"^'S'!A1: function FOO is not supported by the engine$"):
        sheet.value("S", 0, 0)
    with pytest.raises(EngineError, match=r"^'S'!A1: function FOO"):  # asked again: the same error
        sheet.value("S", 0, 0)
    assert sheet.value("S", 0, 1) == 2


def test_more_messages() -> None:
    with pytest.raises(EngineError, match=r"^MATCH is supported with match type 0 \(exact\) only$"):
        run("=MATCH(1,A1:A2,1)")
    with pytest.raises(EngineError, match=r"^SUM: an empty argument is not supported$"):
        run("=SUM(,1)")
    with pytest.raises(EngineError, match=r"^not a cell address: A0$"):
        run("=A0+1")


def test_the_cells_a_range_costs() -> None:
    """A large block costs its stored cells plus one a row; a block of up to 4,096 cells costs its size."""
    sheet = Spreadsheet(["S"], most_cells=4)
    for col in range(3):
        sheet.set_value("S", 0, col, 1.0)
    assert sheet.evaluate("S", "=SUM(A1:XFD1)") == 3  # three cells and one row: 4
    with pytest.raises(EngineLimit):
        sheet.evaluate("S", "=SUM(A1:XFD1)")
    dense = Spreadsheet(["S"], most_cells=4095)
    with pytest.raises(EngineLimit):
        dense.evaluate("S", "=SUM(A1:A4096)")  # read cell by cell, though nothing is stored
    sparse = Spreadsheet(["S"], most_cells=10)
    assert sparse.evaluate("S", "=SUM(A1:A4097)+SUM(A1:B2049)") == 0


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        ('=MATCH("x~*y",A1:C1,0)', {"A1": "xzy", "B1": "x*y"}, 2),  # ~ escapes * after other letters
        ('=MATCH("ab~*",A1:C1,0)', {"A1": "abc", "B1": "ab*"}, 2),
        ('=MATCH("~*a",A1:C1,0)', {"A1": "ba", "B1": "*a"}, 2),
        ('=MATCH("~*~?",A1:C1,0)', {"A1": "ab", "B1": "*?"}, 2),
        ('=MATCH("a*",A1:C1,0)', {"A1": "b", "B1": "a\nb"}, 2),  # * also spans a line break
        ('=MATCH("abc*",A1:C1,0)', {"A1": "ab", "B1": "abcd"}, 2),
        ('=--"2"', {}, 2),  # an even run of minus signs still reads text as a number
        ("=---1", {}, -1),
        ("=-+-1", {}, 1),
        ('="a""b"', {}, 'a"b'),  # a doubled quote inside text
        ("=IF(SUM(A1:A2)>0,SUM(A1:A2),MAX(A1:A2))", {"A1": 2.0}, 2),  # calls inside IF's branches
        ("=IF(SUM(A1:A2)>5,SUM(A1:A2),MAX(A1:A2))", {"A1": 2.0}, 2),
        ("=-SUM(A1:A2)", {"A1": 2.0}, -2),
        ("=SUM(A1:A2)<SUM(A1:A2)+1", {"A1": 2.0}, True),
        ("=SUM(INDEX(A3:B4,0,2))", {"B2": 100.0, "B3": 1.0, "B4": 2.0}, 3),  # the block's own rows only
        ("=SUM(INDEX(B3:C4,2,0))", {"A4": 100.0, "B4": 1.0, "C4": 2.0}, 3),
    ],
)
def test_rules_of_the_parser_and_matching(formula: str, cells: dict[str, Any], expected: Any) -> None:
    result = run(formula, **cells)
    assert (result == expected and type(result) is type(expected)) or (
        type(expected) is int and type(result) is float and result == expected
    ), f"{formula}: {result!r}"


def test_brackets_side_by_side_are_not_nesting() -> None:
    assert run("=" + "+".join(["(1)"] * 70)) == 70  # 70 brackets, one level deep each
    with pytest.raises(EngineError, match=r"^cannot read the formula at '\$1'$"):
        run("=1+$1")
    with pytest.raises(EngineError, match=r"^IF takes 2 to 3 arguments, not 1$"):
        run("=IF(1)")


def test_what_a_range_costs_follows_its_own_rows_and_columns() -> None:
    """By hand: A2:A4096 is 4,095 cells and C1:D1024 2,048, each read one by one; B1:XFD1 over cells in A1,
    F1 and G1 costs F1, G1 and the row: 3."""
    tall = Spreadsheet(["S"], most_cells=4094)
    with pytest.raises(EngineLimit):
        tall.evaluate("S", "=SUM(A2:A4096)")
    wide = Spreadsheet(["S"], most_cells=2047)
    with pytest.raises(EngineLimit):
        wide.evaluate("S", "=SUM(C1:D1024)")  # 2 columns x 1,024 rows = 2,048, read one by one
    row = Spreadsheet(["S"], most_cells=3)
    for col in (0, 5, 6):
        row.set_value("S", 0, col, 1.0)
    assert row.evaluate("S", "=SUM(B1:XFD1)") == 2
