"""``formulas._differing``, the bulk pass over a template's formulas: the positions it leaves for the
careful comparison are exactly those whose cell does not hold one of its plain spellings (worked out by
hand below), in the plan's order, across sheets interleaved in the plan and a sheet the file lacks."""

from __future__ import annotations

from generator.validate import formulas
from generator.validate.expected import Expected
from generator.validate.planned import Planned
from generator.validate.sheet_cells import COLUMN_BITS, SheetCells


def _key(row: int, col: int) -> int:
    return row << COLUMN_BITS | col


def _plan(cells: list[tuple[str, int, int, tuple[str, ...]]]) -> Planned:
    expected = tuple(Expected(sheet, row, col, (*texts, "=?")[0], None, None, None) for sheet, row, col, texts in cells)
    return Planned(expected, tuple(texts for *_, texts in cells), tuple(_key(r, c) for _s, r, c, _t in cells))


PLAN = _plan(
    [
        ("A", 0, 0, ("=B1",)),  # 0: the same text
        ("B", 0, 0, ("='A'!A1", "=A!A1")),  # 1: LibreOffice's spelling (the second)
        ("A", 1, 0, ("=B2",)),  # 2: changed to =B3
        ("B", 1, 0, ("=A!A2",)),  # 3: overwritten by a number (in values only: no formula)
        ("A", 2, 0, ("=B3",)),  # 4: deleted
        ("Gone", 0, 0, ("=1",)),  # 5: a sheet the file lacks
        ("A", 3, 0, ("=SUM(B1:B3)",)),  # 6: the same text
        ("B", 2, 0, ()),  # 7: no plain spelling (a formula never matched as text)
    ]
)


def test_the_positions_left_for_the_careful_comparison() -> None:
    stored = {
        "A": SheetCells(formulas={_key(0, 0): "=B1", _key(1, 0): "=B3", _key(3, 0): "=SUM(B1:B3)"}),
        "B": SheetCells(values={_key(1, 0): 5}, formulas={_key(0, 0): "=A!A1", _key(2, 0): "=A!A3"}),
    }
    assert formulas._differing(PLAN, stored) == [2, 3, 4, 5, 7]
    assert formulas._differing(PLAN, stored) == [2, 3, 4, 5, 7]  # the kept grouping, this time


def test_a_file_whose_formulas_are_all_the_plans() -> None:
    stored = {
        "A": SheetCells(formulas={_key(0, 0): "=B1", _key(1, 0): "=B2", _key(2, 0): "=B3", _key(3, 0): "=SUM(B1:B3)"}),
        "B": SheetCells(formulas={_key(0, 0): "='A'!A1", _key(1, 0): "=A!A2", _key(2, 0): "=A!A3"}),
        "Gone": SheetCells(formulas={_key(0, 0): "=1"}),
    }
    assert formulas._differing(PLAN, stored) == [7]
