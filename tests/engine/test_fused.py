"""Each fused closure (generator/engine/fused.py) against the general closure of its shape.

The expected value of every case is the general engine's (compile.py, itself checked against
LibreOffice and Excel's documented results in test_differential.py): random cell contents
(numbers, near-equal numbers, text, numeric text, blanks, booleans, error values, a formula
that errs, a circular cell), references that are single cells, blocks or #REF!. The value, its
type (0 against 0.0 against FALSE), the error, or the exception raised (EngineLimit too, when few
cells may be read) must be the same.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from generator.engine import Spreadsheet
from generator.engine.compile import compile_shape
from generator.engine.fused import _FUSED
from generator.engine.reference import REF_MARK
from generator.engine.values import DIV0, NA, REF, VALUE
from generator.formula.reference import Area

SHEET = "S"
CONTENTS: list[Any] = [
    None,
    0,
    0.0,
    1,
    -2.5,
    100.0,
    100.0004,
    100.0006,
    1e-5,
    1e308,
    "",
    "x",
    "12",
    " 3 ",
    "TRUE",
    True,
    False,
    NA,
    DIV0,
    VALUE,
    "=1/0",
    "=A1+1",
    "=SELF",
]
ROWS, COLS = 4, 4


def _sheet(grid: dict[tuple[int, int], Any], most_cells: int | None = None) -> Spreadsheet:
    sheet = Spreadsheet([SHEET], strict=False, most_cells=most_cells)
    for (row, col), content in grid.items():
        if content == "=SELF":  # a circular reference: the engine raises EngineError reading it
            sheet.set_formula(SHEET, row, col, f"={chr(65 + col)}{row + 1}")
        elif isinstance(content, str) and content.startswith("="):
            sheet.set_formula(SHEET, row, col, content)
        else:
            sheet.set_value(SHEET, row, col, content)
    return sheet


def _reference(rng: random.Random) -> Any:
    roll = rng.random()
    row, col = rng.randrange(ROWS), rng.randrange(COLS)
    if roll < 0.8:
        return Area(SHEET, row, col, row, col)
    if roll < 0.95:
        return Area(SHEET, row, col, min(row + rng.randrange(3), ROWS - 1), min(col + rng.randrange(3), COLS - 1))
    return REF


def _outcome(fn: Any, sheet: Spreadsheet, refs: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        result = fn(sheet, refs)
    except Exception as error:  # the exception itself is what is compared
        return type(error).__name__, str(error)
    return type(result).__name__, result


@pytest.mark.parametrize("shape", sorted(_FUSED), ids=lambda shape: shape.replace(REF_MARK, "@")[:40])
def test_fused_closure_equals_the_general_one(shape: str) -> None:
    general, count = compile_shape(shape)
    fused = _FUSED[shape]
    rng = random.Random(25)
    branches: set[Any] = set()
    for _ in range(3000):
        grid = {(row, col): rng.choice(CONTENTS) for row in range(ROWS) for col in range(COLS) if rng.random() < 0.9}
        refs = tuple(_reference(rng) for _ in range(count))
        most = rng.choice([None, None, None, 0, 1, 2, 5])  # cells the ranges may read: EngineLimit past it
        expected = _outcome(general, _sheet(grid, most), refs)
        assert _outcome(fused, _sheet(grid, most), refs) == expected, (grid, refs, most)
        branches.add(expected if expected[0] != "float" else "number")
    kinds = {kind for kind, *_rest in branches}
    # the cases reach the shape's outcomes: a value, an error value, an exception
    assert {"EngineError", "XlError"} < kinds
    if "COUNT" in shape:
        assert "EngineLimit" in kinds
    assert kinds & {"str", "float", "int", "Area"}


TEMPLATE_REFERENCES = {
    'IF(AND(ISNUMBER(@),ISNUMBER(@)),IF(ABS(@-@)<0.0005,0,@-@),"")': "ababab",
    'IF(AND(ISNUMBER(@),ISNUMBER(@)),IF(@=0,"",IF(ABS((@-@)/ABS(@))<0.0005,0,(@-@)/ABS(@))),"")': "abbabbabb",
}
"""Shapes whose fused closure reads each cell once when the references are the template's own
(``a`` the KPI this year, ``b`` the prior year), and that pattern."""


@pytest.mark.parametrize("shape", sorted(TEMPLATE_REFERENCES), ids=lambda shape: shape[:40])
def test_a_fused_closure_reading_each_cell_once_equals_the_general_one(shape: str) -> None:
    """The references in the template's own pattern (the same two cells again, as one object or as equal
    ones): the fused closure reads each cell once, the general one reads them again; same outcome."""
    marked = shape.replace("@", REF_MARK)
    general, count = compile_shape(marked)
    fused = _FUSED[marked]
    rng = random.Random(27)
    outcomes = set()
    for case in range(3000):
        grid = {(row, col): rng.choice(CONTENTS) for row in range(ROWS) for col in range(COLS) if rng.random() < 0.9}
        cells = {"a": _reference(rng), "b": _reference(rng)}
        refs = tuple(cells[name] if case % 2 else _copy(cells[name]) for name in TEMPLATE_REFERENCES[shape])
        assert len(refs) == count
        expected = _outcome(general, _sheet(grid), refs)
        assert _outcome(fused, _sheet(grid), refs) == expected, (grid, refs)
        outcomes.add(expected[0])
    assert {"EngineError", "str", "float"} <= outcomes  # a range, a circular cell; text; two numbers


def _copy(reference: Any) -> Any:
    """An equal reference that is another object (an XlError is one object per code)."""
    return Area(*reference) if isinstance(reference, Area) else reference


def test_a_filled_crm_workbook_computes_alike_with_and_without_fused_shapes(
    tmp_path: Path, crm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every formula cell of a CRM workbook, its inputs filled at random and then some turned into text,
    errors, booleans and blanks: the same value (or EngineError) as the general engine gives."""
    from generator.engine import EngineError, spreadsheet
    from generator.engine import fused as fused_module
    from generator.engine.kept import Kept
    from generator.template.layout import INPUT_GRID, MONTHS
    from generator.validate.book import Book
    from generator.validate.calculated import file_engine
    from generator.workbook.context import BuildOptions
    from tests.validate.fill import build, valid_values, writer_layout

    path = build(tmp_path, "crm.xlsx", crm, valid_values(crm, 25), locale="en", year=2026)
    book = Book.open(path)
    layout = writer_layout(crm, BuildOptions(locale="en", year=2026))
    rng = random.Random(25)
    constants = [value for value in CONTENTS if not (isinstance(value, str) and value.startswith("="))]
    junk = {
        (layout.sheets.inputs, row, INPUT_GRID.month(month)): rng.choice(constants)
        for row in layout.input_rows.values()
        for month in range(MONTHS)
        if rng.random() < 0.2
    }

    def results() -> dict[Any, tuple[str, Any]]:
        engine, _shown = file_engine(book)
        for (sheet, row, col), value in junk.items():
            engine.set_value(sheet, row, col, value)
        found: dict[Any, tuple[str, Any]] = {}
        for key in engine.formula_cells():
            try:
                value = engine.value(*key)
            except EngineError as error:
                found[key] = ("EngineError", str(error))
                continue
            found[key] = (type(value).__name__, value)
        return found

    with_fused = results()
    monkeypatch.setattr(fused_module, "_FUSED", {})
    for table in ("_SHAPES", "_FORMULAS", "_RESOLVED"):
        monkeypatch.setattr(spreadsheet, table, Kept())
    assert results() == with_fused
    kinds = {kind for kind, _value in with_fused.values()}
    assert {"str", "float", "XlError"} <= kinds  # blanks, numbers and errors all reached the formulas
