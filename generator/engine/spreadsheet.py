"""A workbook's cells, names and formulas, evaluated on demand in dependency order.

Each formula cell is computed the first time something asks for it; asking for a cell that is
still being computed is a circular reference (EngineError). Results are kept, so every cell is
computed once. Formulas are compiled per shape (``reference.split_shape``), once per process.

Evaluation is bounded: a block larger than ``DENSE_WALK`` cells is walked over the cells the file
stores, never over its nominal size (``=SUM(A1:XFD1048576)`` reads the sheet's few thousand cells,
not 17 billion), and one Spreadsheet reads at most ``most_cells`` cells through ranges in all
(``EngineLimit``): a file built to make the engine work for hours is a finding, not a hang.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from typing import Any

from generator.engine.compile import Compiled, compile_shape
from generator.engine.fused import fused
from generator.engine.kept import Kept
from generator.engine.keyed import keyed
from generator.engine.reference import split_shape
from generator.engine.values import NAME, NUM, REF, EngineError, EngineLimit, XlError, cell_value
from generator.formula.address import cell, quote_sheet
from generator.formula.reference import Area, parse_address, parse_target, sheet_of

Key = tuple[str, int, int]
References = tuple[tuple[str | None, str], ...]
Split = tuple[str, References]
Parsed = tuple[Compiled, References]
Resolved = tuple[Compiled, tuple[Any, ...]]
_SHAPES: Kept[str, tuple[Compiled, int]] = Kept()
_SPLITS: Kept[str, Split] = Kept()
"""formula -> ``split_shape``'s result: filled as formulas are split, or ahead of time by ``seed_splits``
(a build's splits remembered from an earlier process, ``generator.workbook.splits``)."""
_FORMULAS: Kept[str, Parsed] = Kept()
_RESOLVED: Kept[tuple[int, str, str], Resolved] = Kept()
"""(number of the workbook's sheets and strictness, sheet, formula) -> closure and the blocks its references
name: a workbook with the same sheets (a batch, a second validation) looks each formula up once. A number
(``_IDENTITIES``, never reused) hashes per cell in a fraction of the time of the tuple of sheet names."""
_IDENTITIES: Kept[tuple[tuple[str, ...], bool], int] = Kept()
_NEXT_IDENTITY = itertools.count()
_UNKNOWN = object()
DENSE_WALK = 4_096
"""Blocks up to this many cells (every block a template uses) are read cell by cell; larger ones
over the cells the sheet stores, in the same row-by-row order. Every function that takes a range
skips blanks, so the two walks give the same results."""
MOST_CELLS = 5_000_000
"""Cells one user's file (``strict=False``) may make the engine read through ranges, in all: about
5 s of work. A template reads under 100,000; past the limit, every further range is an EngineLimit.
The writer's own workbooks (``strict``) are bounded by the catalogue's limits instead."""


class _NameFormula(str):
    """A defined name that is a constant or a formula (``=0.18``, ``=Rate*2``), computed when used."""


def compiled(shape: str) -> tuple[Compiled, int]:
    """The closure of a shape, compiled once per process: a template's common shapes fused into one call
    (``fused``), after the general compilation has checked the shape and counted its references."""
    found = _SHAPES.get(shape)
    if found is None:
        fn, count = compile_shape(shape)
        found = _SHAPES.keep(shape, (fused(shape) or fn, count), len(shape))
    return found


def seed_splits(splits: Iterable[tuple[str, Split]]) -> None:
    """Splits worked out earlier (by ``split_shape`` of this same code): the cache hook that spares a
    fresh process splitting a workbook's formulas again. A wrong seed would give wrong results, so
    the caller keys what it seeds by this module's code (``generator.workbook.splits``)."""
    for formula, split in splits:
        _SPLITS.keep(formula, split, len(formula))


def known_splits() -> dict[str, Split]:
    """Every split this process knows (seeded or worked out), formula -> (shape, references)."""
    return dict(_SPLITS.table)


def parsed(formula: str) -> Parsed:
    """A formula's compiled shape and its references (sheet prefix or None, address text), in order.

    Kept per process by the formula's text: the formulas of a catalogue are the same in every
    workbook built from it and in every file filled from one, so a batch, a server or a second
    validation splits and looks up each formula once.
    """
    found = _FORMULAS.get(formula)
    if found is None:
        split = _SPLITS.get(formula)
        if split is None:
            shape, cut = split_shape(formula)
            split = _SPLITS.keep(formula, (shape, tuple(cut)), len(formula))
        shape, references = split
        fn, count = compiled(shape)
        if count != len(references):
            raise EngineError("a reference sits where the grammar does not allow one")
        found = _FORMULAS.keep(formula, (fn, references), len(formula))
    return found


class Spreadsheet:
    """Cells by (sheet, 0-based row, 0-based column).

    ``strict`` (the writer): a reference to a sheet or name the workbook lacks is an EngineError, since the
    writer never means one. Not strict (a user's file): they compute as Excel shows them, #REF! and #NAME?.
    """

    def __init__(self, sheets: Iterable[str], *, strict: bool = True, most_cells: int | None = None) -> None:
        self.sheets = list(sheets)
        self.strict = strict
        self.most_cells = most_cells if most_cells is not None else (1 << 62 if strict else MOST_CELLS)
        self.cells_left = self.most_cells
        self._stored: dict[str, tuple[list[int], dict[int, list[int]]]] | None = None
        self._name_values: dict[str, Any] = {}
        self._active_names: set[str] = set()
        self._folded = {name.casefold(): name for name in self.sheets}
        sheets_key = (tuple(self.sheets), strict)
        identity = _IDENTITIES.get(sheets_key)
        self._identity = identity if identity is not None else _IDENTITIES.keep(sheets_key, next(_NEXT_IDENTITY))
        self._known: dict[Key, Any] = {}
        self._formulas: dict[Key, str] = {}
        self._names: dict[str, Area | XlError | _NameFormula] = {}
        self._refs: dict[tuple[str, str | None, str], Area | XlError] = {}
        self._active: set[Key] = set()
        self._failed: dict[Key, EngineError] = {}
        self._deepest: Key | None = None  # the deepest cell computed when the stack ran out (_evaluate_outermost)

    # ------------------------------------------------------------------------------------ filling

    def set_value(self, sheet: str, row: int, col: int, value: Any) -> None:
        """A constant: a number, text, a boolean, an XlError, or None (blank); inf and NaN are #NUM!."""
        self._known[(sheet, row, col)] = cell_value(value)
        self._stored = None

    def set_formula(self, sheet: str, row: int, col: int, formula: str) -> None:
        key = (sheet, row, col)
        self._formulas[key] = formula
        self._known.pop(key, None)
        self._stored = None

    def load(self, constants: dict[Key, Any], formulas: dict[Key, str]) -> None:
        """Many cells at once, as ``set_value`` and ``set_formula`` would set them one by one (a formula
        after a constant of the same cell wins; ``formulas`` keeps its order, the order of evaluation):
        a file's cells are loaded in one step instead of one call each."""
        known = self._known
        for key, value in constants.items():
            known[key] = NUM if value.__class__ is float and not math.isfinite(value) else value
        for key in formulas.keys() & known.keys():
            del known[key]
        self._formulas.update(formulas)
        self._stored = None

    def define_name(self, name: str, target: str) -> None:
        """A workbook-level name: cells (``kpi_cac`` -> ``'KPIs'!$E$8:$P$8``), #REF! (Excel's own mark of
        a deleted target), or a constant or formula (``=0.18``, ``=Rate*2``), computed where it is used."""
        key = name.lower()
        area = parse_target(target)
        if area is not None:
            sheet = self._folded.get(area.sheet.casefold())
            if sheet is None:
                self._names[key] = REF
                return
            self._names[key] = Area(sheet, area.first_row, area.first_col, area.last_row, area.last_col)
            return
        text = (target or "").strip().removeprefix("=").strip()
        self._names[key] = REF if not text or "#REF!" in text.upper() else _NameFormula(text)

    def formula_cells(self) -> list[Key]:
        return list(self._formulas)

    def formula(self, key: Key) -> str:
        return self._formulas[key]

    # ---------------------------------------------------------------------------------- evaluating

    def value(self, sheet: str, row: int, col: int) -> Any:
        """A cell's value: its constant, its formula's result, or None when blank."""
        key = (sheet, row, col)
        found = self._known.get(key, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        if key in self._formulas:
            return self._evaluate_cell(key) if self._active else self._evaluate_outermost(key)
        return None

    def _evaluate_outermost(self, key: Key) -> Any:
        """A cell asked for from outside: a chain of formulas deeper than Python's stack (a user's column
        where each row uses the row below) is computed from its deep end, a stack's depth at a time."""
        try:
            return self._evaluate_cell(key)  # nearly always: its chain fits the stack
        except RecursionError:
            pending = [key]
        while True:
            try:
                result = self._evaluate_cell(pending[-1])
            except RecursionError:
                deepest, self._deepest = self._deepest, None
                if deepest is None or deepest in pending or len(pending) > len(self._formulas):
                    raise EngineError(f"{_where(key)}: a chain of formulas too deep to compute") from None
                pending.append(deepest)
                continue
            pending.pop()
            if not pending:
                return result

    def evaluate_all(self) -> dict[Key, Any]:
        """Every formula cell's result (numbers, text, booleans, XlErrors; never None), as ``value`` gives it."""
        known = self._known
        return {key: known[key] if key in known else self._evaluate_outermost(key) for key in self._formulas}

    def evaluate(self, sheet: str, formula: str) -> Any:
        """An ad hoc formula as if typed in a cell of ``sheet`` (conditional formats, tests)."""
        try:
            fn, refs = self._compile(sheet, formula)
            found = self.scalar(fn(self, refs))
            return 0 if found is None else found  # a blank read through a reference shows as 0
        except RecursionError:  # the formula's own nesting is bounded: only a caller's deep stack gets here
            raise EngineError("the formula is nested too deeply to compute") from None

    def scalar(self, value: Any) -> Any:
        """One value: a single-cell reference read, anything else as it is."""
        if value.__class__ is Area:
            sheet, first_row, first_col, last_row, last_col = value
            if first_row == last_row and first_col == last_col:
                found = self._known.get((sheet, first_row, first_col), _UNKNOWN)  # a known cell costs no call
                return self.value(sheet, first_row, first_col) if found is _UNKNOWN else found
            raise EngineError("a range is used where a single value is needed (implicit intersection)")
        return value

    def values(self, area: Area) -> Iterator[Any]:
        """The values of a block, row by row; a large block only its stored cells (blanks left out). Lazy
        (SUM stops at the first error); a single cell, what most functions read, is read at once."""
        _sheet, first_row, first_col, last_row, last_col = area
        if first_row != last_row or first_col != last_col:
            return self._block_values(area)
        self._charge(1)
        return iter((self.scalar(area),))

    def _block_values(self, area: Area) -> Iterator[Any]:
        """``values`` of a block of more than one cell; a small block's known cells read with no call each."""
        value, (sheet, first_row, first_col, last_row, last_col) = self.value, area
        size = (last_row - first_row + 1) * (last_col - first_col + 1)
        if size > DENSE_WALK:
            for row, col in self._walk(area):
                yield value(sheet, row, col)
            return
        self._charge(size)
        known = self._known.get
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                found = known((sheet, row, col), _UNKNOWN)
                yield value(sheet, row, col) if found is _UNKNOWN else found

    def positioned(self, area: Area) -> Iterator[tuple[int, Any]]:
        """(1-based position in the block, row by row; value) of a block's cells, as ``values``."""
        sheet, first_row, first_col, width = area.sheet, area.first_row, area.first_col, area.cols
        for row, col in self._walk(area):
            yield (row - first_row) * width + col - first_col + 1, self.value(sheet, row, col)

    def name(self, key: str) -> Any:
        """What a defined name gives: its cells (an Area), #REF!, #NAME? for an unknown name in a user's
        file, or the value of a constant or formula name."""
        found = self._names.get(key)
        if found is None:
            if self.strict:
                raise EngineError(f"unknown name {key!r}")
            return NAME
        if found is REF and self.strict:
            raise EngineError(f"name {key!r} does not point to cells of this workbook")
        if found.__class__ is _NameFormula:
            return self._name_formula(key, found)
        return found

    def _name_formula(self, key: str, text: _NameFormula) -> Any:
        known = self._name_values.get(key, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        if key in self._active_names:
            raise EngineError(f"name {key!r} refers to itself")
        fn, references = parsed("=" + text)
        if any(prefix is None for prefix, _address in references):
            raise EngineError(f"name {key!r} names cells without a sheet (relative to where it is used): not computed")
        self._active_names.add(key)
        try:
            fn, refs = self._compile(self.sheets[0] if self.sheets else "", "=" + text, cell=False)
            result = fn(self, refs)
        finally:
            self._active_names.discard(key)
        self._name_values[key] = result
        return result

    def _walk(self, area: Area) -> Iterator[tuple[int, int]]:
        """The (row, col) of a block to read: every cell of a small block; of a large one, the cells the
        sheet stores. Charged to ``cells_left``."""
        first_row, first_col, last_row, last_col = area.first_row, area.first_col, area.last_row, area.last_col
        size = (last_row - first_row + 1) * (last_col - first_col + 1)
        if size <= DENSE_WALK:
            self._charge(size)
            for row in range(first_row, last_row + 1):
                for col in range(first_col, last_col + 1):
                    yield row, col
            return
        rows, by_row = self._stored_cells(area.sheet)
        for row in rows[bisect_left(rows, first_row) : bisect_right(rows, last_row)]:
            cols = by_row[row]
            low, high = bisect_left(cols, first_col), bisect_right(cols, last_col)
            self._charge(high - low + 1)
            for col in cols[low:high]:
                yield row, col

    def _charge(self, cells: int) -> None:
        self.cells_left -= cells
        if self.cells_left < 0:
            raise EngineLimit(f"the formulas read more than {self.most_cells:,} cells through ranges")

    def _stored_cells(self, sheet: str) -> tuple[list[int], dict[int, list[int]]]:
        """A sheet's stored cells (constants and formulas): its rows in order, and each row's columns."""
        if self._stored is None:
            by_sheet: dict[str, dict[int, list[int]]] = {}
            for name, row, col in {*self._known, *self._formulas}:
                by_sheet.setdefault(name, {}).setdefault(row, []).append(col)
            self._stored = {
                name: (sorted(rows), {row: sorted(cols) for row, cols in rows.items()})
                for name, rows in by_sheet.items()
            }
        return self._stored.get(sheet, ([], {}))

    # ------------------------------------------------------------------------------------ internal

    def _evaluate_cell(self, key: Key) -> Any:
        if self._failed:
            failed = self._failed.get(key)
            if failed is not None:
                raise failed
        active = self._active
        if key in active:
            raise EngineError(f"{_where(key)}: circular reference")
        active.add(key)
        try:  # each cell is computed once: its closure looked up in the process's table, not kept per cell
            found = _RESOLVED.get((self._identity, key[0], self._formulas[key]))
            fn, refs = found if found is not None else self._compile(key[0], self._formulas[key])
            result = fn(self, refs)
            if result.__class__ is Area:
                result = self.scalar(result)
            if result is None:
                result = 0  # a blank read through a reference shows as 0
        except EngineError as error:
            message = str(error)
            problem = type(error)(message if message.startswith("'") else f"{_where(key)}: {message}")
            self._failed[key] = problem
            raise problem from None
        except RecursionError:
            if self._deepest is None:
                self._deepest = key
            raise
        finally:
            active.discard(key)
        self._known[key] = result
        return result

    def _compile(self, sheet: str, formula: str, *, cell: bool = True) -> Resolved:
        """``formula``'s closure on ``sheet``, its blocks (or #REF!); for a ``cell``, the keyed one (``keyed``)."""
        key = (self._identity, sheet, formula)
        found = _RESOLVED.get(key) if cell else None
        if found is not None:
            return found
        fn, references = parsed(formula)
        refs = tuple(self._area(sheet, prefix, address) for prefix, address in references)
        return _RESOLVED.keep(key, keyed(fn, refs) or (fn, refs), len(formula)) if cell else (fn, refs)

    def _area(self, here: str, prefix: str | None, address: str) -> Area | XlError:
        ref = (here, prefix, address)
        found = self._refs.get(ref)
        if found is None:
            found = self._refs[ref] = self._named(here, prefix, address)
        return found

    def _named(self, here: str, prefix: str | None, address: str) -> Area | XlError:
        sheet = self._folded.get(sheet_of(prefix).casefold()) if prefix else here
        if sheet is None:
            if self.strict:
                raise EngineError(f"reference to a missing sheet: {prefix}{address}")
            return REF
        area = parse_address(sheet, address)
        if area is None:
            raise EngineError(f"not a cell address: {address}")
        return area


def _where(key: Key) -> str:
    return quote_sheet(key[0]) + cell(key[1], key[2])
