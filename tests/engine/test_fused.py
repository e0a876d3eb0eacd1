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
from generator.engine.fused import _FUSED, fused
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
GUARDED = [
    shape.replace("@", REF_MARK)
    for shape in (
        'IF(COUNT(@,@,@)<3,"",IF(@+@+@=0,"",(@-@)/(@+@+@)*100))',
        'IF(COUNT(@,@,@)<3,"",IF(@=0,"",(@+@)/@))',
        'IF(COUNT(@,@,@,@)<4,"",@*@*@*@)',
        'IF(COUNT(@,@)<1,"",@)',
        'IF(ISNUMBER(@),@,IF(ISNUMBER(@),@,IF(ISNUMBER(@),@,"")))',
    )
]
"""Shapes of ``fused._count_guard`` (the CRM template's KPI formulas of three and four inputs, and a guard
asking fewer numbers than it counts) and of ``fused._first_number`` (a quarter's closing month), each
compared as the fused shapes are."""


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


@pytest.mark.parametrize("shape", sorted(_FUSED) + GUARDED, ids=lambda shape: shape.replace(REF_MARK, "@")[:40])
def test_fused_closure_equals_the_general_one(shape: str) -> None:
    general, count = compile_shape(shape)
    closure = fused(shape)
    rng = random.Random(25)
    branches: set[Any] = set()
    for _ in range(3000):
        grid = {(row, col): rng.choice(CONTENTS) for row in range(ROWS) for col in range(COLS) if rng.random() < 0.9}
        refs = tuple(_reference(rng) for _ in range(count))
        most = rng.choice([None, None, None, 0, 1, 2, 5])  # cells the ranges may read: EngineLimit past it
        expected = _outcome(general, _sheet(grid, most), refs)
        assert _outcome(closure, _sheet(grid, most), refs) == expected, (grid, refs, most)
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
    'IF(COUNT(@,@)<2,"",IF(@=0,"",@/@))': "abbab",
    'IF(COUNT(@)=0,"",SUM(@))': "aa",
    'IF(COUNT(@)=0,"",AVERAGE(@))': "aa",
}
"""Shapes whose fused or keyed closure reads each cell once when the references are the template's own
(the changes: ``a`` the KPI this year, ``b`` the prior year; the ratio: ``a`` over ``b``; a month row's
total and average: the row counted and summed), and that pattern."""


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
    monkeypatch.setattr(spreadsheet, "fused", lambda shape: None)  # count guards too
    for table in ("_SHAPES", "_FORMULAS", "_RESOLVED"):
        monkeypatch.setattr(spreadsheet, table, Kept())
    assert results() == with_fused
    kinds = {kind for kind, _value in with_fused.values()}
    assert {"str", "float", "XlError"} <= kinds  # blanks, numbers and errors all reached the formulas


@pytest.mark.parametrize("shape", sorted(_FUSED) + GUARDED, ids=lambda shape: shape.replace(REF_MARK, "@")[:40])
def test_a_keyed_closure_equals_the_general_one(shape: str) -> None:
    """The keyed closure (generator/engine/keyed.py) of each fused shape, on the references it takes (single
    cells, small blocks; the template's own pattern for the changes), against the general closure whose
    result the engine reads as a value (a reference returned is read, as a cell's formula result is)."""
    from generator.engine.keyed import keyed

    general, count = compile_shape(shape)
    pattern = TEMPLATE_REFERENCES.get(shape.replace(REF_MARK, "@"))
    rng = random.Random(29)
    kinds: set[str] = set()
    for case in range(3000):
        grid = {(row, col): rng.choice(CONTENTS) for row in range(ROWS) for col in range(COLS) if rng.random() < 0.9}
        if pattern is None or case % 3 == 0:
            refs = tuple(_reference(rng) for _ in range(count))
        else:
            cells = {"a": _reference(rng), "b": _reference(rng)}
            refs = tuple(cells[name] if case % 2 else _copy(cells[name]) for name in pattern)
        found = keyed(fused(shape), refs)  # type: ignore[arg-type]
        if found is None:
            continue
        most = rng.choice([None, None, None, 0, 1, 2, 5])
        sheet = _sheet(grid, most)
        expected = _outcome(lambda s, r: s.scalar(general(s, r)), sheet, refs)
        read = _read_as_a_cell(found[0])
        assert _outcome(read, _sheet(grid, most), found[1]) == expected, (grid, refs, most)
        kinds.add(expected[0])
    assert {"EngineError", "str"} <= kinds
    assert kinds & {"float", "int", "NoneType"}
    if "COUNT" in shape:
        assert "EngineLimit" in kinds


def _read_as_a_cell(closure: Any) -> Any:
    """The closure's result as the engine reads a cell's: a reference returned is read."""
    return lambda sheet, keys: sheet.scalar(closure(sheet, keys))


def test_keyed_closures_are_taken_only_where_the_references_allow() -> None:
    """#REF!, a block where a single cell is read, a block past the keyed size: the fused closure stays."""
    from generator.engine.keyed import keyed

    shown = _FUSED["IF(ISNUMBER(@),@,NA())".replace("@", REF_MARK)]
    summed = _FUSED['IF(COUNT(@)=0,"",SUM(@))'.replace("@", REF_MARK)]
    one, block, wide = Area(SHEET, 0, 0, 0, 0), Area(SHEET, 0, 0, 0, 11), Area(SHEET, 0, 0, 9, 9)
    assert keyed(shown, (one, one)) is not None
    assert keyed(shown, (one, REF)) is None
    assert keyed(shown, (block, one)) is None
    assert keyed(summed, (block, block)) is not None
    assert keyed(summed, (wide, wide)) is None  # 100 cells: past LARGEST_BLOCK


def test_a_count_guard_is_fused_only_where_the_rest_is_one_expression() -> None:
    """``IF(COUNT(...)<n,"",rest)``: a rest the grammar reads alone is fused; else the general closure stays."""
    assert fused('IF(COUNT(@,@)<2,"",@-@)'.replace("@", REF_MARK)) is not None
    assert fused('IF(COUNT(@,@)<2,"",@-@)+1'.replace("@", REF_MARK)) is None  # not one IF: the regex's end
    assert fused('IF(COUNT(@,@)<2,"",(@)),(@)'.replace("@", REF_MARK)) is None  # a rest that is no expression
    assert fused('IF(COUNT(@,@)<=2,"",@-@)'.replace("@", REF_MARK)) is None
    assert fused('IF(COUNT(@,1)<2,"",@)'.replace("@", REF_MARK)) is None


def test_a_model_of_another_programs_counting_keeps_the_fused_closures(monkeypatch: pytest.MonkeyPatch) -> None:
    """known_differences.py counts booleans as numbers by patching ``functions.is_number``: the keyed closures
    spell Excel's rule out inline, so none is taken while it is patched (the fused ones call ``functions``)."""
    from generator.engine import functions
    from generator.engine.keyed import keyed

    shown = _FUSED["IF(ISNUMBER(@),@,NA())".replace("@", REF_MARK)]
    one = Area(SHEET, 0, 0, 0, 0)
    assert keyed(shown, (one, one)) is not None
    monkeypatch.setattr(functions, "is_number", lambda value: value.__class__ in (float, int, bool))
    assert keyed(shown, (one, one)) is None


LABEL_CONTENTS: list[Any] = [
    "Jan",
    "jan",
    "Feb",
    "Mar",
    "Ap*",
    "M?r",
    "~*",
    2026.0,
    2026,
    12,
    -1.5,
    1e308,
    "2026",
    " 3 ",
    "",
    None,
    True,
    NA,
    VALUE,
    "=1/0",
    "=SELF",
]
LABEL_NAMES = ["'S'!$A$1:$D$1", "'S'!$A$2:$D$2", "'S'!$A$1:$A$4", "'S'!$A$1:$B$2", "'S'!$B$3", "#REF!", "=1", None]
"""Where list_months and list_months_short point: a row, a column, a block, one cell, #REF!, a formula name, none."""


@pytest.mark.parametrize(("year", "offset"), [("", "0"), ("-1", "1"), ("", "11")])
def test_a_month_label_closure_equals_the_general_one(year: str, offset: str) -> None:
    """The month label's closure (generator/engine/month_label.py) against the general closure: random month
    texts, numbers, wildcards, errors, circular cells and blanks, the two month lists anywhere or missing."""
    shape = (
        f'IFERROR(INDEX(list_months_short,MOD(MATCH(@,list_months,0)-1+{offset},12)+1)&" "&(@{year}'
        f'+INT((MATCH(@,list_months,0)-1+{offset})/12)),"")'
    ).replace("@", REF_MARK)
    general, count = compile_shape(shape)
    closure = fused(shape)
    assert closure is not None and count == 3
    rng = random.Random(31)
    kinds: set[str] = set()
    for case in range(3000):
        grid = {(r, c): rng.choice(LABEL_CONTENTS) for r in range(ROWS) for c in range(COLS) if rng.random() < 0.9}
        refs = tuple(_reference(rng) for _ in range(count))
        if case % 2:  # the template's own: both MATCHes read one cell (one object, or an equal one)
            refs = (refs[0], refs[1], refs[0] if case % 4 == 1 else _copy(refs[0]))
        most = rng.choice([None, None, None, 0, 4, 9])
        names = {name: rng.choice(LABEL_NAMES) for name in ("list_months", "list_months_short")}

        def sheet() -> Spreadsheet:
            found = _sheet(grid, most)  # noqa: B023 (called within the iteration)
            for name, target in names.items():  # noqa: B023
                if target is not None:
                    found.define_name(name, target)
            return found

        expected = _outcome(general, sheet(), refs)
        assert _outcome(closure, sheet(), refs) == expected, (grid, refs, most, names)
        kinds.add("label" if expected[0] == "str" and " " in expected[1] else expected[0])
    assert {"label", "str", "EngineError", "EngineLimit"} <= kinds, kinds  # a label, "", an exception, the limit


@pytest.mark.parametrize("shape", ["IF(COUNT(@)>0,12,0)", "IF(COUNT(@)>0,3,7)"])
def test_a_month_with_inputs_closure_equals_the_general_one(shape: str) -> None:
    """``IF(COUNT(a)>0,12,0)`` (the chart data's months with inputs), fused and keyed, against the general closure:
    the literal results as floats, COUNT's errors and limit."""
    from generator.engine.keyed import keyed

    marked = shape.replace("@", REF_MARK)
    general, _count = compile_shape(marked)
    closure = fused(marked)
    assert closure is not None
    rng = random.Random(33)
    kinds: set[Any] = set()
    taken = 0
    for _ in range(3000):
        grid = {(row, col): rng.choice(CONTENTS) for row in range(ROWS) for col in range(COLS) if rng.random() < 0.9}
        refs = (_reference(rng),)
        most = rng.choice([None, None, None, 0, 1, 2, 5])
        expected = _outcome(general, _sheet(grid, most), refs)
        assert _outcome(closure, _sheet(grid, most), refs) == expected, (grid, refs, most)
        found = keyed(closure, refs)
        if found is not None:
            taken += 1
            assert _outcome(found[0], _sheet(grid, most), found[1]) == expected, (grid, refs, most)
        kinds.add(expected if expected[0] == "float" else expected[0])
    assert {"EngineError", "EngineLimit"} < kinds and len(kinds) == 4  # both literals, an exception, the limit
    assert taken > 2500  # all but #REF!


INDEXED = {
    'IF(AND(ISNUMBER(@),ISNUMBER(INDEX(kpi_x,@))),IF(ABS(@-INDEX(kpi_x,@))<0.0005,0,@-INDEX(kpi_x,@)),"")': "apapap",
    'IF(AND(ISNUMBER(@),ISNUMBER(INDEX(Kpi_X,@))),IF(INDEX(Kpi_X,@)=0,"",IF(ABS((@-INDEX(Kpi_X,@))/ABS(INDEX(Kpi_X,@)))'
    '<0.0005,0,(@-INDEX(Kpi_X,@))/ABS(INDEX(Kpi_X,@)))),"")': "appappapp",
    "IF(@>1,IF(AND(ISNUMBER(@),ISNUMBER(INDEX(kpi_x,@-1))),IF(ABS(@-INDEX(kpi_x,@-1))<0.5,0,"
    '@-INDEX(kpi_x,@-1)),""),"")': "papapap",
}
"""The dashboard's changes against a KPI's month by INDEX of its name (generator/engine/indexed.py), with the
template's own references: ``a`` the KPI's cell, ``p`` the month's position."""
INDEXED_NAMES = ["'S'!$A$1:$D$1", "'S'!$A$1:$A$4", "'S'!$A$1:$B$2", "'S'!$C$3", "#REF!", "=1", "=S!$A$1:$D$1"]
INDEXED_NAMES += ["=kpi_x", None]  # a name formula naming itself (EngineError when used), no name (#NAME?)
POSITIONS: list[Any] = [0, 1, 2, 3, 4, 5, 2.5, -1, "2", "x", None, True, NA, "=1/0", "=SELF"]


@pytest.mark.parametrize("shape", sorted(INDEXED), ids=lambda shape: shape[:40])
def test_a_change_by_index_closure_equals_the_general_one(shape: str) -> None:
    """Random cells (numbers a hair apart, text, errors, circular cells), positions and where the name points:
    the same outcome, the template's references or any others (which take the general closure)."""
    marked = shape.replace("@", REF_MARK)
    general, count = compile_shape(marked)
    closure = fused(marked)
    assert closure is not None and count == len(INDEXED[shape])
    rng = random.Random(37)
    kinds: set[str] = set()
    for case in range(3000):
        grid = {(row, col): rng.choice(CONTENTS) for row in range(ROWS) for col in range(COLS) if rng.random() < 0.9}
        grid[(3, 3)] = rng.choice(POSITIONS)
        cells = {"a": _reference(rng), "p": Area(SHEET, 3, 3, 3, 3) if case % 3 else _reference(rng)}
        if case % 4:
            refs = tuple(cells[name] if case % 2 else _copy(cells[name]) for name in INDEXED[shape])
        else:
            refs = tuple(_reference(rng) for _ in range(count))
        target = rng.choice(INDEXED_NAMES)

        def sheet() -> Spreadsheet:
            found = _sheet(grid, None)  # noqa: B023 (called within the iteration)
            if target is not None:  # noqa: B023
                found.define_name("kpi_x", target)  # noqa: B023
            return found

        expected = _outcome(general, sheet(), refs)
        assert _outcome(closure, sheet(), refs) == expected, (grid, refs, target)
        kinds.add(expected[0])
    assert {"EngineError", "XlError", "str", "float"} <= kinds, kinds
