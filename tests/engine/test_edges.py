"""Issue 24: the engine at the edges of a user's file, each case against Excel's documented behaviour.

Sources: Excel's function pages (support.microsoft.com), "Excel specifications and limits", and
"Floating-point arithmetic may give inaccurate results in Excel" (Microsoft Learn). Expected values
are worked out by hand from those rules.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import pytest

from generator.engine import ERRORS, EngineError, EngineLimit, Spreadsheet
from generator.engine.values import collation_key, compare, fold, same_number, text_to_number
from tests.engine.one_sheet import run

VALUE, NUM, REF, NA, NAME = (ERRORS[c] for c in ("#VALUE!", "#NUM!", "#REF!", "#N/A", "#NAME?"))


# ------------------------------------------------------------------------- 1: beyond the float range


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ('=INT("1e400")', VALUE),  # text that is no double cannot be converted: #VALUE!
        ('=INT("1E+3001")', VALUE),
        ('=ABS("1e400")', VALUE),
        ('=SUM("1e400",1)', VALUE),
        ('=MAX("-1e400")', VALUE),
        ('=MOD("1e400",7)', VALUE),
        ('=INDEX(A1:A3,"1e400")', VALUE),
        ('=COUNT("1e400",1)', 1),  # typed directly, only text that reads as a number is counted
        ("=1E+400", NUM),  # a literal past 9.99E+307: no double holds it
        ("=1E+308*10", NUM),
        ("=INT(9.99E+307)", 9.99e307),
    ],
)
def test_numbers_past_the_float_range_are_errors_never_inf_or_nan(formula: str, expected: Any) -> None:
    result = run(formula, A1=1.0)
    assert result is expected or (result == expected and type(result) is type(expected)), result


def test_a_non_finite_constant_from_a_file_is_num() -> None:
    assert run("=A1+1", A1=math.inf) is NUM
    assert run("=ABS(A1)", A1=math.nan) is NUM
    assert run("=SUM(A1:A2)", A1=-math.inf, A2=1.0) is NUM


def test_int_keeps_large_values_as_floats_and_small_ones_exact() -> None:
    assert run("=INT(-2.5)") == -3 and type(run("=INT(-2.5)")) is int
    assert type(run("=INT(1E+20)")) is float and run("=INT(1E+20)") == 1e20


# --------------------------------------------------------------------------- 2: ranges and limits


def test_a_whole_sheet_range_reads_only_the_stored_cells() -> None:
    """=SUM(A1:XFD1048576) over three cells: 17 billion cells by size, three to read."""
    sheet = Spreadsheet(["S"], most_cells=100)
    sheet.set_value("S", 0, 0, 2.0)
    sheet.set_value("S", 1_048_575, 16_383, 3.0)
    sheet.set_value("S", 5, 2, "x")
    sheet.set_formula("S", 9, 9, "=40")
    assert sheet.evaluate("S", "=SUM(A1:XFD1048576)") == 45
    assert sheet.evaluate("S", "=COUNT(A:XFD)") == 3
    assert sheet.evaluate("S", "=MATCH(40,J:J,0)") == 10  # positions count the blanks between
    assert sheet.evaluate("S", "=MATCH(3,1048576:1048576,0)") == 16_384
    assert sheet.evaluate("S", '=MATCH("X",A6:XFD6,0)') == 3
    assert sheet.evaluate("S", "=AND(A:A)") is True
    assert sheet.evaluate("S", "=MAX(B:XFC)") == 40


def test_a_block_under_the_dense_limit_and_over_it_give_the_same_results() -> None:
    from generator.engine.spreadsheet import DENSE_WALK

    sheet = Spreadsheet(["S"])
    for row in range(0, 300, 7):
        sheet.set_value("S", row, row % 3, float(row))
    small = sheet.evaluate("S", "=SUM(A1:C300)")  # 900 cells: read one by one
    large = sheet.evaluate("S", f"=SUM(A1:C{DENSE_WALK})")  # past the limit: stored cells only
    assert small == large == sum(range(0, 300, 7))


def test_reading_more_cells_than_allowed_is_an_engine_limit() -> None:
    sheet = Spreadsheet(["S"], most_cells=50)
    for row in range(10):
        sheet.set_value("S", row, 0, 1.0)
        sheet.set_formula("S", row, 1, "=SUM(A1:A10)")  # ten formulas, ten cells each: 100 > 50
    with pytest.raises(EngineLimit, match="more than 50 cells"):
        sheet.evaluate_all()
    assert issubclass(EngineLimit, EngineError)  # caught wherever EngineError is


def test_the_limit_leaves_room_for_what_it_allows() -> None:
    sheet = Spreadsheet(["S"], most_cells=10)
    assert sheet.evaluate("S", "=SUM(A1:A10)") == 0
    with pytest.raises(EngineLimit):
        sheet.evaluate("S", "=SUM(A1:A1)")


# ------------------------------------------------------------------------------------ 3: depth


def test_a_3000_term_sum_computes() -> None:
    """Excel's limit is 8,192 characters per formula; 3,000 terms of "1+" fit."""
    assert run("=" + "+".join(["1"] * 3000)) == 3000
    assert run("=" + "-".join(["1"] * 3000)) == 1 - 2999
    assert run("=" + "*".join(["2"] * 10)) == 1024
    assert run("=" + "&".join(['"a"'] * 3000)) == "a" * 3000
    assert run("=" + "=".join(["1"] * 3) + "") is False  # (1=1)=1: TRUE=1 is FALSE


def test_a_3000_term_sum_in_a_cell_computes() -> None:
    sheet = Spreadsheet(["S"])
    sheet.set_formula("S", 0, 0, "=" + "+".join(["B1"] * 3000))
    sheet.set_value("S", 0, 1, 0.5)
    assert sheet.value("S", 0, 0) == 1500


@pytest.mark.parametrize(
    "formula",
    [
        "=" + "(" * 65 + "1" + ")" * 65,
        "=" + "ABS(" * 65 + "1" + ")" * 65,
        "=" + "(" * 5000 + "1" + ")" * 5000,
    ],
)
def test_nesting_past_excels_64_levels_is_an_engine_error(formula: str) -> None:
    with pytest.raises(EngineError, match="nested more than 64 levels"):
        run(formula)


def test_nesting_up_to_64_levels_and_long_sign_runs_compute() -> None:
    assert run("=" + "ABS(" * 64 + "-1" + ")" * 64) == 1
    assert run("=" + "-" * 3001 + "1") == -1
    assert run("=" + "-" * 3000 + '"2"') == 2  # an even run of signs still reads the text as a number
    assert run('=+"a"') == "a"  # a lone + changes nothing (Excel)


def test_no_recursion_error_escapes_the_direct_entry_point_from_a_deep_caller() -> None:
    def deep(n: int) -> Any:
        return deep(n - 1) if n else run("=" + "ABS(" * 64 + "1" + ")" * 64)

    with pytest.raises(EngineError):
        deep(sys.getrecursionlimit() - 150)  # a caller this deep leaves the formula too little stack


# ------------------------------------------------------------------------------ 4: AND, OR, names


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ('=AND(TRUE,"0")', True),  # text typed directly that is no logical is skipped
        ('=AND(TRUE,"0",#REF!)', REF),  # errors propagate
        ('=OR(FALSE,"1")', False),
        ('=AND("x")', VALUE),  # no logical value at all
        ('=AND(TRUE,"FALSE")', False),  # text spelling a logical is read
        ('=OR("true")', True),
        ("=AND(A1:A3)", True),  # text in a range ignored
        ("=OR(A1:A3,0)", True),
        ("=AND(A2,A3)", VALUE),  # A2 is text, A3 blank: nothing logical
        ("=AND(#N/A,FALSE)", NA),
        ("=OR(1,NA())", NA),
    ],
)
def test_and_or_as_excel(formula: str, expected: Any) -> None:
    assert run(formula, A1=True, A2="x") is expected


def test_defined_names_that_are_constants_or_formulas_are_computed() -> None:
    sheet = Spreadsheet(["S"], strict=False)
    sheet.set_value("S", 0, 0, 4.0)
    sheet.define_name("rate", "=0.18")
    sheet.define_name("h", "=rate*2")
    sheet.define_name("label", '="Q1"')
    sheet.define_name("NAMEDCELL123", "=S!$A$1")
    sheet.define_name("twice", "=SUM(S!$A$1:$A$2)*2")
    sheet.define_name("gone", "#REF!")
    sheet.define_name("gone2", "=S!#REF!")
    assert sheet.evaluate("S", "=h") == 0.36
    assert sheet.evaluate("S", "=label&rate") == "Q10.18"
    assert sheet.evaluate("S", "=namedcell123+1") == 5
    assert sheet.evaluate("S", "=twice") == 8
    assert sheet.evaluate("S", "=gone") is REF
    assert sheet.evaluate("S", "=gone2") is REF
    assert sheet.evaluate("S", "=nothing") is NAME


def test_a_name_that_cannot_be_computed_is_an_engine_error_not_a_silent_ref() -> None:
    sheet = Spreadsheet(["S"], strict=False)
    sheet.define_name("relative", "=A1*2")  # cells relative to where the name is used
    sheet.define_name("loop", "=loop+1")
    with pytest.raises(EngineError, match="without a sheet"):
        sheet.evaluate("S", "=relative")
    with pytest.raises(EngineError, match="refers to itself"):
        sheet.evaluate("S", "=loop")


# --------------------------------------------------------------------------- 5: numeric spellings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 12 ", 12.0),
        ("1e3", 1000.0),
        ("-.5", -0.5),
        ("+4.", 4.0),
        ("50%", 0.5),
        ("1_000", VALUE),  # Python's float() reads these; no spreadsheet does
        ("١٢", VALUE),  # Arabic-Indic digits
        ("１２", VALUE),  # full-width digits
        ("inf", VALUE),
        ("nan", VALUE),
        ("0x10", VALUE),
        ("1e", VALUE),
        ("", VALUE),
        ("%", VALUE),
        ("1,000", VALUE),  # grouping depends on the locale in Excel: left as text
        ("1e400", VALUE),
    ],
)
def test_numbers_only_from_spellings_a_spreadsheet_reads(text: str, expected: Any) -> None:
    assert text_to_number(text) == expected if isinstance(expected, float) else text_to_number(text) is expected


# ---------------------------------------------------------------------------------- 6: comparisons


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ('="ç"<"d"', True),  # a letter with an accent sorts beside its base letter
        ('="c"<"ç"', True),  # and after it
        ('="Çay"<"çaz"', True),
        ('="é"="e"', False),  # accents count for equality
        ('="MAYIS"="Mayıs"', True),  # Turkish dotless i folds with I
        ('="İSTANBUL"="istanbul"', True),
        ('="ı"<"j"', True),
        ('="Straße"="STRASSE"', True),
        ('="a"<"B"', True),  # case ignored in order
        ("=0.1+0.2=0.3", True),  # 15 significant digits
        ("=0.1+0.2>0.3", False),
        ("=1+1E-14=1", False),  # 1.00000000000001 differs at the 15th digit
        ("=1+1E-15=1", True),
        ("=1/3*3=1", True),
    ],
)
def test_comparisons_as_excel(formula: str, expected: Any) -> None:
    assert run(formula) is expected


def test_match_folds_case_for_turkish_and_english() -> None:
    cells = {"A1": "Nisan", "B1": "Mayıs", "C1": "İyi", "D1": "june"}
    assert run('=MATCH("MAYIS",A1:D1,0)', **cells) == 2
    assert run('=MATCH("mayis",A1:D1,0)', **cells) == 2
    assert run('=MATCH("iyi",A1:D1,0)', **cells) == 3
    assert run('=MATCH("JUNE",A1:D1,0)', **cells) == 4
    assert run('=MATCH("MAY*",A1:D1,0)', **cells) == 2
    assert run('=MATCH("Mayis?",A1:D1,0)', **cells) is NA


def test_the_comparison_helpers() -> None:
    assert fold("MAYIS") == fold("Mayıs") == "mayis"
    assert collation_key("Ç") == ("c", "ç")
    assert collation_key("ø") < collation_key("p")
    assert same_number(0.1 + 0.2, 0.3) and not same_number(1.0, 1.0000000000001)
    assert not same_number(1.0, -1.0) and not same_number(0.0, 1e-300)
    assert compare(2.0, 10.0) == -1 and compare("10", "2") == -1 and compare(None, "") == 0


def test_the_default_limit_applies_to_a_users_file() -> None:
    from generator.engine.spreadsheet import MOST_CELLS

    assert Spreadsheet(["S"], strict=False).cells_left == MOST_CELLS
    assert Spreadsheet(["S"]).cells_left > 1e18  # the writer's own workbooks: bounded by the catalogue's limits
