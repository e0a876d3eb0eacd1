"""``evaluate`` on every kind of node, with values worked out by hand and Excel's documented blank rules
as the workbook compiles them (a blank input or a zero denominator leaves the cell empty).

``evaluate`` keeps each tree's compiled functions by identity: the second call and an equal but distinct
tree must give the same answers as the first.
"""

from __future__ import annotations

import importlib

import pytest

from generator.formula import evaluate, parse
from generator.formula.evaluate import holds
from generator.formula.expr import Binary, Compare, Num, Ref

evaluate_module = importlib.import_module("generator.formula.evaluate")  # the package's name is the function

CASES = [
    ("a + b * 2", {"a": 1.0, "b": 3.0}, 7.0),
    ("(a - b) / 4", {"a": 10.0, "b": 2.0}, 2.0),
    ("-a + 1", {"a": 5.0}, -4.0),
    ("min(a, b, 7)", {"a": 9.0, "b": 8.0}, 7.0),
    ("max(a, b)", {"a": -1.0, "b": -2.0}, -1.0),
    ("abs(a - b)", {"a": 2.0, "b": 5.0}, 3.0),
    ("a / b", {"a": 1.0, "b": 0.0}, None),  # #DIV/0! is guarded: the cell is left empty
    ("a / (b - b)", {"a": 1.0, "b": 3.0}, None),
    ("a * 0 + b", {"a": None, "b": 1.0}, None),  # any blank input blanks the whole value
    ("min(a, b)", {"a": 1.0}, None),
    ("-a", {}, None),
    ("a * b", {"a": 1e200, "b": 1e200}, None),  # beyond a double: #NUM! in the sheet, blank here
    ("a", {"a": 3}, 3.0),  # an int input is read as a number
]


@pytest.mark.parametrize(("text", "values", "expected"), CASES)
def test_value_by_hand(text: str, values: dict[str, float | None], expected: float | None) -> None:
    expr = parse(text)
    assert evaluate(expr, values) == expected
    assert evaluate(expr, values) == expected  # the kept functions, this time
    assert evaluate(parse(text), values) == expected  # an equal tree of its own


def test_an_int_input_gives_a_float() -> None:
    assert evaluate(Ref("a"), {"a": 3}).__class__ is float


def test_a_comparison_is_not_a_number_but_a_rule() -> None:
    rule = Compare("<=", Ref("a"), Ref("b"))
    with pytest.raises(TypeError, match="use holds"):
        evaluate(rule, {"a": 1.0, "b": 2.0})
    assert holds(rule, {"a": 1.0, "b": 2.0}) is True
    assert holds(rule, {"a": 3.0, "b": 2.0}) is False
    assert holds(rule, {"a": 3.0}) is None
    # a blank left side is never evaluated further: the comparison inside is not reached
    assert evaluate(Binary("+", Ref("a"), rule), {}) is None  # type: ignore[arg-type]


def test_the_kept_functions_start_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate_module._compiled, "most", 2)
    trees = [Binary("+", Ref("a"), Num(float(n))) for n in range(5)]
    assert [evaluate(tree, {"a": 1.0}) for tree in trees] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert len(evaluate_module._compiled) <= 2


# (rule, values, holds?) by hand: both sides may differ by 1e-9 of the larger one (at least 1e-9) for <=, >=
# and ==, as a rule compares counts a spreadsheet may have summed in another order; < and > are strict.
RULES = [
    ("a <= b", {"a": 1.0, "b": 1.0 + 5e-10}, True),
    ("a <= b", {"a": 1.0 + 5e-10, "b": 1.0}, True),  # within the tolerance
    ("a <= b", {"a": 1.0 + 3e-9, "b": 1.0}, False),
    ("a >= b", {"a": 1.0 - 5e-10, "b": 1.0}, True),
    ("a >= b", {"a": 1.0 - 3e-9, "b": 1.0}, False),
    ("a < b", {"a": 1.0, "b": 1.0}, False),
    ("a < b", {"a": 1.0, "b": 2.0}, True),
    ("a > b", {"a": 2.0, "b": 1.0}, True),
    ("a > b", {"a": 1.0, "b": 1.0}, False),
    ("a == b", {"a": 1e12, "b": 1e12 + 100}, True),  # 1e-9 of 1e12 is 1000
    ("a == b", {"a": 1e12, "b": 1e12 + 2000}, False),
    ("a == b", {"a": 0.0, "b": 5e-10}, True),  # never less than 1e-9
    ("a + b <= c", {"a": 1.0, "b": None, "c": 0.0}, None),  # a blank side: nothing to check
    ("a <= b / c", {"a": 1.0, "b": 1.0, "c": 0.0}, None),
]


@pytest.mark.parametrize(("text", "values", "expected"), RULES)
def test_rule_by_hand(text: str, values: dict[str, float | None], expected: bool | None) -> None:
    rule = parse(text, comparison=True)
    assert isinstance(rule, Compare)
    assert holds(rule, values) is expected
    assert holds(rule, values) is expected  # the kept test, this time


def test_inputs_read_are_kept_per_tree_and_handed_out_afresh() -> None:
    from generator.formula.expr import refs

    tree = parse("(b + a) / max(a, c) - b")
    assert refs(tree) == ["b", "a", "c"]  # first use, each once (by hand)
    refs(tree).append("x")  # a caller's list is its own
    assert refs(tree) == ["b", "a", "c"]
    assert refs(parse("d * 2")) == ["d"]
