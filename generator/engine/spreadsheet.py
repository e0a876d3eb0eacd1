"""A workbook's cells, names and formulas, evaluated on demand in dependency order.

Each formula cell is computed the first time something asks for it; asking for a cell that is
still being computed is a circular reference (EngineError). Results are kept, so every cell is
computed once. Formulas are compiled per shape (``reference.split_shape``), once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from generator.engine.compile import Compiled, compile_shape
from generator.engine.kept import Kept
from generator.engine.reference import split_shape
from generator.engine.values import NAME, REF, EngineError, XlError
from generator.formula.address import cell, quote_sheet
from generator.formula.reference import Area, parse_address, parse_target, sheet_of

Key = tuple[str, int, int]
Parsed = tuple[Compiled, tuple[tuple[str | None, str], ...]]
Resolved = tuple[Compiled, tuple[Any, ...]]
_SHAPES: Kept[str, tuple[Compiled, int]] = Kept()
_FORMULAS: Kept[str, Parsed] = Kept()
_RESOLVED: Kept[tuple[tuple[tuple[str, ...], bool], str, str], Resolved] = Kept()
"""(workbook's sheets and strictness, sheet, formula) -> closure and the blocks its references name:
a workbook with the same sheets (a batch, a second validation) looks each formula up once."""
_UNKNOWN = object()


def compiled(shape: str) -> tuple[Compiled, int]:
    """The closure of a shape, compiled once per process."""
    found = _SHAPES.get(shape)
    return found if found is not None else _SHAPES.keep(shape, compile_shape(shape), len(shape))


def parsed(formula: str) -> Parsed:
    """A formula's compiled shape and its references (sheet prefix or None, address text), in order.

    Kept per process by the formula's text: the formulas of a catalogue are the same in every
    workbook built from it and in every file filled from one, so a batch, a server or a second
    validation splits and looks up each formula once.
    """
    found = _FORMULAS.get(formula)
    if found is None:
        shape, references = split_shape(formula)
        fn, count = compiled(shape)
        if count != len(references):
            raise EngineError("a reference sits where the grammar does not allow one")
        found = _FORMULAS.keep(formula, (fn, tuple(references)), len(formula))
    return found


class Spreadsheet:
    """Cells by (sheet, 0-based row, 0-based column).

    ``strict`` (the writer): a reference to a sheet or name the workbook lacks is an EngineError,
    since the writer never means one. Not strict (a user's file): they compute as Excel shows
    them, #REF! and #NAME?.
    """

    def __init__(self, sheets: Iterable[str], *, strict: bool = True) -> None:
        self.sheets = list(sheets)
        self.strict = strict
        self._folded = {name.casefold(): name for name in self.sheets}
        self._identity = (tuple(self.sheets), strict)
        self._known: dict[Key, Any] = {}
        self._formulas: dict[Key, str] = {}
        self._names: dict[str, Area | XlError] = {}
        self._refs: dict[tuple[str, str | None, str], Area | XlError] = {}
        self._active: set[Key] = set()
        self._failed: dict[Key, EngineError] = {}
        self._deepest: Key | None = None
        """The deepest cell being computed when the stack ran out (see ``_evaluate_outermost``)."""

    # ------------------------------------------------------------------------------------ filling

    def set_value(self, sheet: str, row: int, col: int, value: Any) -> None:
        """A constant: a number, text, a boolean, an XlError, or None (blank)."""
        self._known[(sheet, row, col)] = value

    def set_formula(self, sheet: str, row: int, col: int, formula: str) -> None:
        key = (sheet, row, col)
        self._formulas[key] = formula
        self._known.pop(key, None)

    def define_name(self, name: str, target: str) -> None:
        """A workbook-level name such as ``kpi_cac`` -> ``'KPIs'!$E$8:$P$8``."""
        area = parse_target(target)
        if area is not None:
            sheet = self._folded.get(area.sheet.casefold())
            if sheet is None:
                self._names[name.lower()] = REF
                return
            area = Area(sheet, area.first_row, area.first_col, area.last_row, area.last_col)
        self._names[name.lower()] = area if area is not None else REF

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
        """Every formula cell's result (numbers, text, booleans, XlErrors; never None)."""
        return {key: self.value(*key) for key in self._formulas}

    def evaluate(self, sheet: str, formula: str) -> Any:
        """An ad hoc formula as if typed in a cell of ``sheet`` (conditional formats, tests)."""
        fn, refs = self._compile(sheet, formula)
        return _result(self.scalar(fn(self, refs)))

    def scalar(self, value: Any) -> Any:
        """One value: a single-cell reference read, anything else as it is."""
        if value.__class__ is Area:
            sheet, first_row, first_col, last_row, last_col = value
            if first_row == last_row and first_col == last_col:
                return self.value(sheet, first_row, first_col)
            raise EngineError("a range is used where a single value is needed (implicit intersection)")
        return value

    def values(self, area: Area) -> Iterator[Any]:
        """The values of a block, row by row."""
        value = self.value
        for row in range(area.first_row, area.last_row + 1):
            for col in range(area.first_col, area.last_col + 1):
                yield value(area.sheet, row, col)

    def name(self, key: str) -> Area | XlError:
        found = self._names.get(key)
        if found is None:
            if self.strict:
                raise EngineError(f"unknown name {key!r}")
            return NAME
        if found is REF and self.strict:
            raise EngineError(f"name {key!r} does not point to cells of this workbook")
        return found

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
        try:
            sheet = key[0]
            formula = self._formulas[key]
            found = _RESOLVED.get((self._identity, sheet, formula))
            fn, refs = found if found is not None else self._compile(sheet, formula)
            result = fn(self, refs)
            if result.__class__ is Area:
                result = self.scalar(result)
            if result is None:
                result = 0  # a blank read through a reference shows as 0
        except EngineError as error:
            message = str(error)
            problem = EngineError(message if message.startswith("'") else f"{_where(key)}: {message}")
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

    def _compile(self, sheet: str, formula: str) -> Resolved:
        """The closure of ``formula`` typed on ``sheet`` and the blocks (or #REF!) its references name."""
        key = (self._identity, sheet, formula)
        found = _RESOLVED.get(key)
        if found is not None:
            return found
        fn, references = parsed(formula)
        cache = self._refs
        resolved = []
        for prefix, address in references:
            ref = (sheet, prefix, address)
            area = cache.get(ref)
            if area is None:
                area = cache[ref] = self._area(sheet, prefix, address)
            resolved.append(area)
        return _RESOLVED.keep(key, (fn, tuple(resolved)), len(formula))

    def _area(self, here: str, prefix: str | None, address: str) -> Area | XlError:
        sheet = self._folded.get(sheet_of(prefix).casefold()) if prefix else here
        if sheet is None:
            if self.strict:
                raise EngineError(f"reference to a missing sheet: {prefix}{address}")
            return REF
        area = parse_address(sheet, address)
        if area is None:
            raise EngineError(f"not a cell address: {address}")
        return area


def _result(value: Any) -> Any:
    """What a cell shows: a blank read through a reference shows as 0."""
    return 0 if value is None else value


def _where(key: Key) -> str:
    return quote_sheet(key[0]) + cell(key[1], key[2])
