"""``Spreadsheet.load``: many cells in one step give what ``set_value`` and ``set_formula`` give one by one.

Expected values are worked by hand (Excel's rules): SUM skips text in a range, a number past the
double range is #NUM!, and a formula set over a constant is what the cell holds.
"""

from __future__ import annotations

from generator.engine import Spreadsheet, XlError


def _loaded() -> Spreadsheet:
    sheet = Spreadsheet(["S"], strict=False)
    sheet.set_value("S", 0, 1, 99.0)  # B1: a constant the loaded formula replaces
    sheet.load(
        {("S", 0, 0): 2.0, ("S", 1, 0): 3, ("S", 2, 0): "text", ("S", 3, 0): float("inf")},
        {("S", 0, 1): "=SUM(A1:A3)", ("S", 1, 1): "=B1*2", ("S", 2, 1): "=A4+1"},
    )
    return sheet


def test_loaded_cells_compute_as_set_one_by_one() -> None:
    sheet = _loaded()
    assert sheet.value("S", 0, 1) == 5.0  # 2 + 3, the text skipped; not the 99 it held before
    assert sheet.value("S", 1, 1) == 10.0
    found = sheet.value("S", 3, 0)
    assert isinstance(found, XlError) and found.code == "#NUM!"
    after = sheet.value("S", 2, 1)
    assert isinstance(after, XlError) and after.code == "#NUM!"


def test_formulas_keep_their_order() -> None:
    """The order of ``formulas`` is the order ``formula_cells`` gives, the order the validator evaluates in."""
    assert _loaded().formula_cells() == [("S", 0, 1), ("S", 1, 1), ("S", 2, 1)]
