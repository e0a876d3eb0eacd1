"""The engine against Excel's documented rules, one hand-worked case each.

Expected values come from Excel's documented behaviour (LibreOffice departs from some of them, such as
=1=TRUE: tests/engine/differential.py), worked out by hand: blank versus "" versus 0, text versus
numbers, errors, and references.
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.engine import ERRORS, EngineError, Spreadsheet

SHEETS = ["Inputs", "KPI'lar", "Settings"]


def book(**cells: Any) -> Spreadsheet:
    """Cells on sheet Inputs by A1 address (A1..Z9 only), plus a few fixed ones on other sheets."""
    sheet = Spreadsheet(SHEETS)
    for address, value in cells.items():
        row, col = int(address[1:]) - 1, ord(address[0]) - 65
        if isinstance(value, str) and value.startswith("="):
            sheet.set_formula("Inputs", row, col, value)
        else:
            sheet.set_value("Inputs", row, col, value)
    sheet.set_value("KPI'lar", 4, 4, 7.0)  # E5
    sheet.set_value("Settings", 4, 3, "January")  # D5
    return sheet


def run(formula: str, **cells: Any) -> Any:
    return book(**cells).evaluate("Inputs", formula)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=1+2*3", 7),
        ("=(1+2)*3", 9),
        ("=-2^2", 4),  # unary minus binds tighter than ^ in Excel
        ("=2^3^2", 64),  # ^ is left-associative in Excel
        ("=10/4", 2.5),
        ("=50%", 0.5),
        ("=1/0", ERRORS["#DIV/0!"]),
        ('="a"&"b"', "ab"),
        ('=1&""', "1"),
        ('=0.5&""', "0.5"),
        ('=2026+INT(13/12)&""', "2027"),
        ("=TRUE&1", "TRUE1"),
        ('="2"+1', 3),  # numeric text is read in arithmetic
        ('="x"+1', ERRORS["#VALUE!"]),
        ('=""+1', ERRORS["#VALUE!"]),
        ("=TRUE+1", 2),
        ('="a"="A"', True),  # text comparisons ignore case
        ('="b">"a"', True),
        ('=1<"a"', True),  # numbers sort before text
        ('="z"<TRUE', True),  # text before booleans
        ("=1=TRUE", False),
        ("=ABS(-3)", 3),
        ("=INT(-2.5)", -3),
        ("=MOD(-1,12)", 11),  # the divisor's sign
        ("=MOD(13,12)", 1),
        ("=MOD(1,0)", ERRORS["#DIV/0!"]),
        ("=NA()", ERRORS["#N/A"]),
        ("=IFERROR(1/0,5)", 5),
        ('=IFERROR(NA(),"")', ""),
        ("=IF(0,1,2)", 2),
        ("=IF(1,1)", 1),
        ("=IF(0,1)", False),
        ('=IF("x",1,2)', ERRORS["#VALUE!"]),
        ("=IF(NA(),1,2)", ERRORS["#N/A"]),
        ("=NOT(0)", True),
        ("=AND(1,TRUE)", True),
        ("=OR(0,FALSE)", False),
        ('=AND("x")', ERRORS["#VALUE!"]),
        ("=ISNUMBER(1)", True),
        ('=ISNUMBER("1")', False),
        ('=COUNT(1,"2",TRUE,"x")', 3),  # typed directly: numbers, numeric text, booleans
        ('=SUM(1,"2",TRUE)', 4),
        ('=SUM(1,"x")', ERRORS["#VALUE!"]),
        ("=MIN(3,1,2)", 1),
        ("=MAX(3,1,2)", 3),
        ("=AVERAGE(1,2)", 1.5),
        ("=1E+3+1.5E-1", 1000.15),
        ("='KPI''lar'!E5*2", 14),
        ("=Settings!D5", "January"),
        ("=_xlfn.IFERROR(1/0,2)", 2),
        ("=if(1,2,3)", 2),
    ],
)
def test_scalar_rules(formula: str, expected: Any) -> None:
    result = run(formula)
    assert (result == expected and type(result) is type(expected)) or (
        isinstance(expected, float | int) and not isinstance(expected, bool) and result == pytest.approx(expected)
    ), f"{formula}: {result!r}"


def test_blank_is_not_empty_text_and_not_zero() -> None:
    """A1 blank, A2 "", A3 0."""
    cells = {"A2": "", "A3": 0.0}
    assert run("=A1", **cells) == 0  # a blank read through a reference shows 0
    assert run('=A1=""', **cells) is True
    assert run("=A1=0", **cells) is True
    assert run("=A2=0", **cells) is False  # "" is text
    assert run("=ISNUMBER(A1)", **cells) is False
    assert run("=ISNUMBER(A3)", **cells) is True
    assert run("=A1+1", **cells) == 1
    assert run("=A2+1", **cells) is ERRORS["#VALUE!"]
    assert run('=A1&"x"', **cells) == "x"
    assert run("=A2", **cells) == ""
    assert run("=COUNT(A1:A3)", **cells) == 1
    assert run("=IF(A1,1,2)", **cells) == 2


def test_ranges_skip_text_and_booleans_but_pass_errors() -> None:
    cells = {"A1": 1.0, "A2": "5", "A3": True, "A4": 3.0, "B1": "=1/0"}
    assert run("=SUM(A1:A4)", **cells) == 4
    assert run("=COUNT(A1:A4)", **cells) == 2
    assert run("=AVERAGE(A1:A4)", **cells) == 2
    assert run("=MAX(A2:A3)", **cells) == 0  # no number in the range
    assert run("=AVERAGE(A2:A3)", **cells) is ERRORS["#DIV/0!"]
    assert run("=SUM(A1:B1)", **cells) is ERRORS["#DIV/0!"]
    assert run("=COUNT(A1:B1)", **cells) == 1  # COUNT skips errors
    assert run("=AND(A1:A4)", **cells) is True  # text skipped in a range


def test_index_and_match() -> None:
    cells = {"A1": "Jan", "B1": "Feb", "C1": "Mar", "A2": 10.0, "B2": "", "C2": 30.0}
    assert run("=INDEX(A1:C1,2)", **cells) == "Feb"
    assert run("=INDEX(A2:C2,3)+1", **cells) == 31
    assert run("=INDEX(A1:C2,2,1)", **cells) == 10
    assert run("=INDEX(A1:C1,4)", **cells) is ERRORS["#REF!"]
    assert run("=ISNUMBER(INDEX(A2:C2,2))", **cells) is False
    assert run('=MATCH("feb",A1:C1,0)', **cells) == 2  # case-insensitive
    assert run('=MATCH("M*",A1:C1,0)', **cells) == 3  # Excel's wildcards
    assert run('=MATCH("Apr",A1:C1,0)', **cells) is ERRORS["#N/A"]
    assert run("=MATCH(D9,A1:C1,0)", **cells) is ERRORS["#N/A"]  # a blank is never found
    assert run("=MATCH(30,A2:C2,0)", **cells) == 3


def test_names_formulas_and_dependency_order() -> None:
    sheet = book(A1=2.0, A2="=A3*2", A3="=SUM(months)+A1", B1=1.0, C1=4.0)
    sheet.define_name("months", "'Inputs'!$B$1:$C$1")
    assert sheet.value("Inputs", 1, 0) == 14  # A2 needs A3, which needs the name's cells
    assert sheet.evaluate_all() == {("Inputs", 1, 0): 14, ("Inputs", 2, 0): 7}


def test_what_it_cannot_compute_fails_loudly() -> None:
    with pytest.raises(EngineError, match="VLOOKUP"):
        run("=VLOOKUP(1,A1:B2,2,0)")
    with pytest.raises(EngineError, match="unknown name"):
        run("=nowhere+1")
    with pytest.raises(EngineError, match="missing sheet"):
        run("='Gone'!A1")
    with pytest.raises(EngineError, match="circular"):
        book(A1="=B1", B1="=A1").value("Inputs", 0, 0)
    with pytest.raises(EngineError, match="MATCH"):
        run("=MATCH(1,A1:C1)")  # approximate matching is not supported
    with pytest.raises(EngineError):
        run("=1+")


def test_a_users_file_computes_missing_parts_as_excel_shows_them() -> None:
    sheet = Spreadsheet(["Inputs"], strict=False)
    sheet.set_formula("Inputs", 0, 0, "='Settings'!$D$5")
    sheet.set_formula("Inputs", 0, 1, "=nowhere")
    sheet.define_name("gone", "'Settings'!$D$5")
    sheet.set_formula("Inputs", 0, 2, "=IFERROR(gone,-1)")
    assert sheet.evaluate_all() == {
        ("Inputs", 0, 0): ERRORS["#REF!"],
        ("Inputs", 0, 1): ERRORS["#NAME?"],
        ("Inputs", 0, 2): -1,
    }


def test_a_chain_deeper_than_pythons_stack_is_computed() -> None:
    """Issue 18: a column where each row adds 1 to the row below (A3000 = 0) is 3,000 cells deep.

    By hand: A(r) = 3000 - r, so A1 = 2999; every cell of the chain is computed, from the top too.
    """
    sheet = Spreadsheet(["Data"])
    for row in range(2999):
        sheet.set_formula("Data", row, 0, f"=A{row + 2}+1")
    sheet.set_value("Data", 2999, 0, 0)
    assert sheet.value("Data", 0, 0) == 2999
    assert sheet.evaluate_all()[("Data", 1499, 0)] == 1500


def test_a_cycle_deeper_than_pythons_stack_is_still_a_circular_reference() -> None:
    sheet = Spreadsheet(["Data"])
    for row in range(3000):
        sheet.set_formula("Data", row, 0, f"=A{(row + 1) % 3000 + 1}+1")
    with pytest.raises(EngineError):
        sheet.value("Data", 0, 0)


def test_thousands_of_nested_brackets_are_an_engine_error() -> None:
    """Excel stops at 64 levels; 5,000 used to end in a RecursionError ("bug in kpigen")."""
    with pytest.raises(EngineError, match="nested more than 64 levels"):
        run("=" + "(" * 5000 + "1" + ")" * 5000)
    assert run("=" + "(" * 60 + "1" + ")" * 60) == 1


def test_a_formula_kept_per_process_is_resolved_for_each_workbook() -> None:
    """The same text on the same sheet names other blocks in another workbook: by hand, B!A1 is #REF!
    where sheet B is missing (a user's file), 5 where it exists, and an error in the writer's strict mode."""
    missing = Spreadsheet(["A"], strict=False)
    missing.set_formula("A", 0, 0, "=B!A1+1")
    assert missing.value("A", 0, 0) is ERRORS["#REF!"]
    present = Spreadsheet(["A", "B"], strict=False)
    present.set_value("B", 0, 0, 4)
    present.set_formula("A", 0, 0, "=B!A1+1")
    assert present.value("A", 0, 0) == 5
    strict = Spreadsheet(["A"])
    strict.set_formula("A", 0, 0, "=B!A1+1")
    with pytest.raises(EngineError, match="missing sheet"):
        strict.value("A", 0, 0)


def test_the_tables_kept_per_process_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.engine import spreadsheet

    for table in (spreadsheet._FORMULAS, spreadsheet._RESOLVED, spreadsheet._SHAPES):
        monkeypatch.setattr(table, "most", 3)
    for n in range(10):
        sheet = Spreadsheet(["A"])
        sheet.set_formula("A", 0, 0, f"={n}+A2")
        assert sheet.value("A", 0, 0) == n
    assert len(spreadsheet._FORMULAS) <= 3 and len(spreadsheet._RESOLVED) <= 3 and len(spreadsheet._SHAPES) <= 3


def test_a_long_formula_is_computed_but_not_kept() -> None:
    from generator.engine import spreadsheet
    from generator.engine.kept import LONGEST_KEPT

    formula = "=" + "+".join(["1"] * (LONGEST_KEPT // 2 + 1))  # 1+1+...: as many ones as terms, by hand
    sheet = Spreadsheet(["A"])
    sheet.set_formula("A", 0, 0, formula)
    assert sheet.value("A", 0, 0) == LONGEST_KEPT // 2 + 1
    assert spreadsheet._FORMULAS.get(formula) is None
