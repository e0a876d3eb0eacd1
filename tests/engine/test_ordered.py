"""``engine.ordered``: formula cells computed in an order recorded from an earlier workbook of the same formulas.

Expected values are worked by hand. What matters is that the recorded order never changes an answer:
a branch the earlier workbook did not take, a circular reference that only the new values reach, a limit
of cells read, each gives the value, or the exception, the engine's own recursion gives.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from generator.engine import EngineError, EngineLimit, Spreadsheet
from generator.engine.ordered import evaluate_in_order, formulas_of, give_names, names_of, recorded_order, steps

A1, B1, C1, D1, X1 = ("S", 0, 0), ("S", 0, 1), ("S", 0, 2), ("S", 0, 3), ("S", 0, 23)


def _sheet(constants: dict[Any, Any], formulas: dict[Any, str], most_cells: int | None = None) -> Spreadsheet:
    sheet = Spreadsheet(["S"], strict=False, most_cells=most_cells)
    sheet.load(constants, formulas)
    return sheet


def _recorded(constants: dict[Any, Any], formulas: dict[Any, str]) -> tuple[Any, ...]:
    sheet = _sheet(constants, formulas)
    sheet.evaluate_all()
    order = recorded_order(sheet)
    assert order is not None
    return steps(sheet, order)


def test_the_order_puts_each_cell_after_the_cells_it_reads() -> None:
    formulas = {A1: "=B1+1", B1: "=C1*2"}
    sheet = _sheet({C1: 3.0}, formulas)
    assert sheet.evaluate_all() == {A1: 7.0, B1: 6.0}
    assert recorded_order(sheet) == [B1, A1]  # A1 asked for first, finished last
    assert formulas_of(sheet) == formulas


def test_other_values_in_the_recorded_order_give_the_values_worked_by_hand() -> None:
    planned = _recorded({C1: 3.0}, {A1: "=B1+1", B1: "=C1*2"})
    again = _sheet({C1: 5.0}, {A1: "=B1+1", B1: "=C1*2"})
    evaluate_in_order(again, planned)
    assert again.evaluate_all() == {A1: 11.0, B1: 10.0}


def test_a_branch_the_recorded_workbook_did_not_take_is_computed_when_read() -> None:
    formulas = {A1: "=IF(X1>0,B1,1)", B1: "=C1+1"}
    planned = _recorded({X1: 0.0, C1: 1.0}, formulas)
    assert [key for key, _fn, _refs in planned] == [A1, B1]  # A1 did not read B1
    again = _sheet({X1: 1.0, C1: 4.0}, formulas)
    evaluate_in_order(again, planned)
    assert again.evaluate_all() == {A1: 5.0, B1: 5.0}


def test_a_circular_reference_only_the_new_values_reach_raises_as_the_engine_does() -> None:
    formulas = {A1: "=IF(X1>0,B1,1)", B1: "=A1+1"}
    planned = _recorded({X1: 0.0}, formulas)
    with pytest.raises(EngineError, match="circular reference"):
        evaluate_in_order(_sheet({X1: 1.0}, formulas), planned)
    with pytest.raises(EngineError, match="circular reference"):
        _sheet({X1: 1.0}, formulas).value(*A1)  # the general way says the same


def test_a_failed_cell_leaves_no_order() -> None:
    sheet = _sheet({C1: 1.0}, {A1: "=C1+1", B1: "=NOSUCH(C1)"})
    with pytest.raises(EngineError):
        sheet.evaluate_all()
    assert recorded_order(sheet) is None


def test_the_limit_of_cells_read_holds_in_the_recorded_order_too() -> None:
    formulas = {A1: "=SUM(C1:C10)", B1: "=SUM(D1:D10)"}
    planned = _recorded({C1: 1.0, D1: 1.0}, formulas)
    with pytest.raises(EngineLimit):
        evaluate_in_order(_sheet({C1: 1.0, D1: 1.0}, formulas, most_cells=15), planned)  # 20 cells read
    with pytest.raises(EngineLimit):
        _sheet({C1: 1.0, D1: 1.0}, formulas, most_cells=15).evaluate_all()


def test_names_read_once_serve_an_engine_of_the_same_sheets() -> None:
    first = _sheet({C1: 2.0}, {A1: "=rate*C1"})
    first.define_name("rate", "=0.5")
    first.define_name("gone", "#REF!")
    second = _sheet({C1: 8.0}, {A1: "=rate*C1", B1: '=IFERROR(gone,"lost")'})
    give_names(second, names_of(first))
    assert second.evaluate_all() == {A1: 4.0, B1: "lost"}


def test_random_chains_give_the_same_values_in_any_recorded_order() -> None:
    """Property-style: random chains of IF, SUM and arithmetic over a row, recorded on one set of
    constants, then computed on others: the same values (or the same kind of error) as the engine's own way."""
    rng = random.Random(7)
    for _round in range(40):
        cols = 8
        formulas: dict[Any, str] = {}
        for col in range(cols):
            left, right = (rng.randrange(cols) for _ in range(2))
            a, b = "ABCDEFGH"[left], "ABCDEFGH"[right]
            formulas[("S", 1, col)] = rng.choice(
                [f"=IF({a}1>0,{b}2,{a}1)", f"=SUM({a}1:{b}1)+1", f"={a}1*2-{b}1", f"=IF({a}1<{b}1,{a}2,{b}1)"]
            )
        first = {("S", 0, col): rng.choice([-1.0, 0.0, 2.0, "x"]) for col in range(cols)}
        try:
            planned = _recorded(first, formulas)
        except EngineError:
            continue  # a cycle on these values: no order to record
        constants = {("S", 0, col): rng.choice([-1.0, 0.0, 2.0, "x"]) for col in range(cols)}
        try:
            expected: Any = _sheet(constants, formulas).evaluate_all()
        except EngineError:
            expected = EngineError
        try:
            again = _sheet(constants, formulas)
            evaluate_in_order(again, planned)
            found: Any = again.evaluate_all()
        except EngineError:
            found = EngineError
        assert found == expected, formulas
