"""Random formulas from the engine's grammar over a mixed grid, and the explanation of a disagreement
with LibreOffice by the known differences (known_differences.py).

A disagreement between the engine and LibreOffice is *explained* when one known difference's model
(or all of them together) gives LibreOffice's result; any other disagreement is a failure.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import combinations
from typing import Any

import pytest

from generator.engine import SUPPORTED, Spreadsheet, spreadsheet, values
from generator.engine.kept import Kept
from tests.engine.known_differences import KNOWN, Difference

GRID_SHEET = "Data"
GRID: dict[str, str] = {
    # A1 address -> spelled value (tests/engine/vectors.py) or "=formula"; A5, C3, D2 stay blank
    "A1": "3",
    "A2": "-2.5",
    "A3": '"x"',
    "A4": "TRUE",
    "B1": '"12"',
    "B2": "0",
    "B3": "FALSE",
    "B4": '"Çay"',
    "B5": "0.1",
    "C1": "7",
    "C2": '""',
    "C4": "=NA()",
    "C5": '"b"',
    "D1": "100",
    "D3": "-4",
    "D4": "=1/0",
    "D5": '"mars"',
}
CELLS = [f"{c}{r}" for c in "ABCD" for r in range(1, 6)]
RANGES = ["A1:A5", "A1:D1", "B1:B5", "A1:D5", "C1:D5", "A2:B3"]
LINES = ["A1:A5", "A1:D1", "B1:B5", "D1:D5"]  # one row or column, for INDEX and MATCH
FUNCTIONS = sorted(SUPPORTED - {"NA"})  # NA() alone is a constant error; it appears through the grid
TEXTS = ['"x"', '"X"', '"12"', '" 3 "', '""', '"b"', '"çay"', '"d"', '"TRUE"', '"m*"', '"1e3"']
NUMBERS = ["0", "1", "2", "3", "0.5", "-1", "12", "100", "1E+3", "0.1"]


class Formulas:
    """A seeded generator of formulas in the engine's grammar (depth-limited)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def formula(self) -> str:
        return "=" + self.expr(3)

    def expr(self, depth: int) -> str:
        r = self.rng
        if depth <= 0:
            return self.atom()
        choice = r.random()
        if choice < 0.25:
            return self.atom()
        if choice < 0.5:
            op = r.choice(["+", "-", "*", "/", "^", "&", "=", "<>", "<", ">", "<=", ">="])
            return f"{self.expr(depth - 1)}{op}{self.expr(depth - 1)}"
        if choice < 0.55:
            return f"-{self.expr(depth - 1)}"
        if choice < 0.6:
            return f"({self.expr(depth - 1)})%"
        return self.call(depth - 1)

    def atom(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.45:
            return r.choice(CELLS)
        if kind < 0.7:
            return r.choice(NUMBERS)
        if kind < 0.9:
            return r.choice(TEXTS)
        return r.choice(["TRUE", "FALSE"])

    def call(self, depth: int) -> str:
        r = self.rng
        name = r.choice(FUNCTIONS)
        if name in ("SUM", "AVERAGE", "MIN", "MAX", "COUNT", "AND", "OR"):
            args = [r.choice(RANGES) if r.random() < 0.5 else self.expr(depth) for _ in range(r.randint(1, 3))]
        elif name in ("NOT", "ABS", "INT", "ISNUMBER"):
            args = [self.expr(depth)]
        elif name in ("MOD", "IFERROR"):
            args = [self.expr(depth), self.expr(depth)]
        elif name == "IF":
            args = [self.expr(depth) for _ in range(r.randint(2, 3))]
        elif name == "INDEX":
            args = [r.choice(LINES), r.choice(["1", "2", "3", "5", "0.5", "6", self.expr(depth)])]
        else:
            args = [self.expr(depth), r.choice(LINES), "0"]
        return f"{name}({','.join(args)})"


def generated(seed: int, count: int) -> list[str]:
    """``count`` distinct formulas the engine computes (outside its set, e.g. a range where a value is
    needed, are left out: the engine refuses them, it never guesses)."""
    source = Formulas(seed)
    found: list[str] = []
    seen: set[str] = set()
    while len(found) < count:
        formula = source.formula()
        if formula in seen or len(formula) > 250:
            continue
        seen.add(formula)
        try:
            engine_value(formula, GRID)
        except values.EngineError:
            continue
        found.append(formula)
    return found


def engine_value(formula: str, grid: dict[str, str], sheet: str = GRID_SHEET) -> Any:
    from tests.engine.vectors import fill

    book = Spreadsheet([sheet])
    fill(book, sheet, grid)
    return book.evaluate(sheet, formula)


@contextmanager
def modelled(differences: list[Difference]) -> Iterator[None]:
    """The engine computing as LibreOffice does in ``differences``, with fresh formula tables (closures
    compiled under the model, forgotten after it)."""
    with pytest.MonkeyPatch.context() as patch:
        for table in ("_SHAPES", "_FORMULAS", "_RESOLVED"):
            patch.setattr(spreadsheet, table, Kept())
        for difference in differences:
            difference.model(patch)
        yield


def explain(formula: str, grid: dict[str, str], libreoffice: Any, sheet: str = GRID_SHEET) -> list[Difference]:
    """The fewest known differences whose models together give LibreOffice's result; [] when none do."""
    from tests.engine.vectors import same

    for size in range(1, len(KNOWN) + 1):
        for option in combinations(KNOWN, size):
            with modelled(list(option)):
                try:
                    predicted = engine_value(formula, grid, sheet)
                except values.EngineError:
                    continue
            theirs = libreoffice
            if any(d.numeric for d in option):
                predicted, theirs = _as_number(predicted), _as_number(theirs)
            if same(predicted, theirs):
                return list(option)
    return []


def _as_number(value: Any) -> Any:
    return float(value) if isinstance(value, bool) else value
