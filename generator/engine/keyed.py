"""The fused closures again, for a formula whose references are all small blocks: reading cells by key.

A fused closure (``fused``) still reads each reference through ``Spreadsheet.scalar`` or ``values``: a
call, an Area unpacked and a key tuple built per reference, per cell, on every evaluation. Most of a
template's formulas read single cells (``IF(ISNUMBER('KPIs'!E7),'KPIs'!E7,NA())``) or a month row, so
their keys are worked out once, when the formula's references are resolved, and the closure here reads
the workbook's known values with one dict get each (the engine's ``value`` only for a cell not yet
computed). The steps are the fused closure's, in its order: the same cells read (an error or a
circular reference met at the same place), the same ``_charge`` of cells read through ranges, the same
value functions (while ``functions`` counts by its own rules: a model of another program's, patched in
for a test, keeps the fused closures). The one difference is the result of a shape that returns a
reference (``IF(ISNUMBER(a),b,...)`` gives ``b``): its value, what the engine makes of a cell's reference.
tests/engine/test_fused.py compares each against the general closure on random cells.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator.engine import functions, fused
from generator.engine.compile import _div
from generator.engine.values import DIV0, NA, NUM, XlError, compare, finite, same_number, to_number
from generator.formula.reference import Area

if TYPE_CHECKING:
    from generator.engine.compile import Compiled
    from generator.engine.spreadsheet import Spreadsheet

Key = tuple[str, int, int]
Keys = tuple[Any, ...]
LARGEST_BLOCK = 64
"""Cells of a block read by key (a template's blocks are month rows, 3 to 12 cells): far below the
engine's ``DENSE_WALK``, so such a block is one the engine too reads cell by cell."""
_MISSING = object()
_IS_NUMBER, _NUMBERS = vars(functions)["is_number"], functions._numbers
"""What a number is, and which values SUM and AVERAGE take: the rules the closures here spell out inline."""


def keyed(fn: Compiled, refs: tuple[Any, ...]) -> tuple[Compiled, Keys] | None:
    """The keyed closure of the fused closure ``fn`` and its keys, or None (``fn`` has none, or a
    reference is #REF!, a large block, or a block where the closure reads a single cell)."""
    if vars(functions)["is_number"] is not _IS_NUMBER or functions._numbers is not _NUMBERS:
        return None  # a model of another program's counting (tests/engine/known_differences.py): ``fused`` has it
    found = _BUILDERS.get(fn)
    if found is not None:
        return found(refs)
    guard = fused.GUARDS.get(fn)
    if guard is not None:
        return _guarded(guard, refs)
    counted = fused.COUNTED.get(fn)
    if counted is not None:
        block = _block(refs[0])
        return None if block is None else (_count_then, (block, *counted))
    return _singles(_first_number)(refs) if fused.FIRST_NUMBERS.get(fn) is not None else None


def _single(ref: Any) -> Key | None:
    if ref.__class__ is Area and ref[1] == ref[3] and ref[2] == ref[4]:
        return (ref[0], ref[1], ref[2])
    return None


def _block(ref: Any) -> tuple[Key, ...] | None:
    """A block's keys, row by row, as the engine walks a small block."""
    if ref.__class__ is not Area:
        return None
    sheet, first_row, first_col, last_row, last_col = ref
    if (last_row - first_row + 1) * (last_col - first_col + 1) > LARGEST_BLOCK:
        return None
    return tuple((sheet, row, col) for row in range(first_row, last_row + 1) for col in range(first_col, last_col + 1))


def _singles(closure: Compiled) -> Callable[[tuple[Any, ...]], tuple[Compiled, Keys] | None]:
    """A builder for a closure that reads every reference as one cell."""

    def build(refs: tuple[Any, ...]) -> tuple[Compiled, Keys] | None:
        keys = tuple(_single(ref) for ref in refs)
        return None if None in keys else (closure, keys)

    return build


def _read(sheet: Spreadsheet, key: Key) -> Any:
    """``sheet.scalar`` of a single cell's Area, by its key."""
    found = sheet._known.get(key, _MISSING)
    return sheet.value(*key) if found is _MISSING else found


def _charged(sheet: Spreadsheet, cells: int) -> None:
    """``Spreadsheet._charge``, its call only when it raises."""
    sheet.cells_left -= cells
    if sheet.cells_left < 0:
        sheet._charge(0)


# ---------------------------------------------------------------------------- IF(ISNUMBER(a),b,...)


def _shown(otherwise: Any) -> Compiled:
    """``IF(ISNUMBER(a),b,otherwise)`` (``fused._shown_or_na`` and its kin): b's value, not b."""

    def run(sheet: Spreadsheet, keys: Keys) -> Any:
        get = sheet._known.get
        a, b = keys
        value = get(a, _MISSING)
        if value is _MISSING:
            value = sheet.value(*a)
        cls = value.__class__
        if cls is not float and cls is not int:
            return otherwise
        value = get(b, _MISSING)
        return sheet.value(*b) if value is _MISSING else value

    return run


def _first_number(sheet: Spreadsheet, keys: Keys) -> Any:
    """``fused._first_number``: the tested cells read in order, the shown cell's value of the first number."""
    get = sheet._known.get
    for index in range(0, len(keys), 2):
        tested = keys[index]
        value = get(tested, _MISSING)
        if value is _MISSING:
            value = sheet.value(*tested)
        cls = value.__class__
        if cls is float or cls is int:
            return _read(sheet, keys[index + 1])
    return ""


def _shown_if_any(sheet: Spreadsheet, keys: Keys) -> Any:
    """``IF(COUNT(a)<1,"",b)``."""
    a, b = keys
    _charged(sheet, 1)
    cls = _read(sheet, a).__class__
    if cls is not float and cls is not int:
        return ""
    return _read(sheet, b)


# ----------------------------------------------------------------- IF(COUNT(a)=0,"",SUM/AVERAGE(b))


def _blocks(closure: Compiled, of_one: Compiled) -> Callable[[tuple[Any, ...]], tuple[Compiled, Keys] | None]:
    """A builder for a closure that reads its references as blocks; ``of_one`` when they are the same block."""

    def build(refs: tuple[Any, ...]) -> tuple[Compiled, Keys] | None:
        keys = tuple(_block(ref) for ref in refs)
        if None in keys:
            return None
        first = keys[0]
        if len(keys) == 2 and first is not None and first == keys[1]:
            return of_one, first
        return closure, keys

    return build


def _count(sheet: Spreadsheet, keys: tuple[Key, ...]) -> int:
    """``functions._count`` of one small block: every cell read."""
    _charged(sheet, len(keys))
    get, count = sheet._known.get, 0
    for key in keys:
        value = get(key, _MISSING)
        if value is _MISSING:
            value = sheet.value(*key)
        cls = value.__class__
        if cls is float or cls is int:
            count += 1
    return count


def _count_then(sheet: Spreadsheet, keys: Keys) -> Any:
    """``fused._any_counted``: ``IF(COUNT(a)>0,yes,no)`` of one small block."""
    block, yes, no = keys
    return yes if _count(sheet, block) > 0 else no


def _numbers(sheet: Spreadsheet, keys: tuple[Key, ...]) -> list[Any] | XlError:
    """``functions._collect`` of one small block: its numbers, or the first error (no cell after it read)."""
    _charged(sheet, len(keys))
    get, found = sheet._known.get, []
    for key in keys:
        value = get(key, _MISSING)
        if value is _MISSING:
            value = sheet.value(*key)
        cls = value.__class__
        if cls is float or cls is int:
            found.append(value)
        elif cls is XlError:
            return value  # type: ignore[no-any-return]
    return found


def _if_any(sheet: Spreadsheet, keys: Keys, average: bool) -> Any:
    """``IF(COUNT(a)=0,"",SUM(b))`` or, with ``average``, ``IF(COUNT(a)=0,"",AVERAGE(b))``."""
    if _count(sheet, keys[0]) == 0:
        return ""
    found = _numbers(sheet, keys[1])
    if found.__class__ is XlError:
        return found
    if average and not found:
        return DIV0
    try:
        total = math.fsum(found)  # type: ignore[arg-type]
    except OverflowError:
        return NUM
    return total / len(found) if average else total  # type: ignore[arg-type]


def _if_any_of_one(sheet: Spreadsheet, keys: tuple[Key, ...], average: bool) -> Any:
    """``_if_any`` when COUNT and SUM (or AVERAGE) read one block, the template's own (``IF(COUNT(E8:P8)=0,"",
    SUM(E8:P8))``): its cells read once, as COUNT reads them (a cell read again gives the value it gave), each
    charged twice as the two functions charge them; the first error SUM would meet is the first in the block."""
    _charged(sheet, len(keys))
    get, found, error = sheet._known.get, [], None
    for key in keys:
        value = get(key, _MISSING)
        if value is _MISSING:
            value = sheet.value(*key)
        cls = value.__class__
        if cls is float or cls is int:
            found.append(value)
        elif cls is XlError and error is None:
            error = value
    if not found:
        return ""
    _charged(sheet, len(keys))
    if error is not None:
        return error
    try:
        total = math.fsum(found)
    except OverflowError:
        return NUM
    return total / len(found) if average else total


def _sum_of_one(sheet: Spreadsheet, keys: Keys) -> Any:
    return _if_any_of_one(sheet, keys, False)


def _average_of_one(sheet: Spreadsheet, keys: Keys) -> Any:
    return _if_any_of_one(sheet, keys, True)


def _sum_if_any(sheet: Spreadsheet, keys: Keys) -> Any:
    return _if_any(sheet, keys, False)


def _average_if_any(sheet: Spreadsheet, keys: Keys) -> Any:
    return _if_any(sheet, keys, True)


# ---------------------------------------------------------------- IF(COUNT(a,b)<2,"",IF(c=0,"",d/e))


def _ratios(refs: tuple[Any, ...]) -> tuple[Compiled, Keys] | None:
    """The template's own ratio (c and e are b, d is a: ``IF(COUNT(a,b)<2,"",IF(b=0,"",a/b))``) reads its two
    cells once (a cell read again gives the value it gave); any other references, each in turn."""
    found = _singles(_ratio_if_both)(refs)
    if found is None:
        return None
    a, b, c, d, e = found[1]
    return (_ratio_of_pair, (a, b)) if (c, d, e) == (b, a, b) else found


def _ratio_of_pair(sheet: Spreadsheet, keys: Keys) -> Any:
    """``_ratio_if_both`` of the template's own references, on two numbers: ``compare(b, 0.0) == 0`` is
    ``b == 0`` (``_relative_change``), ``to_number`` of a number is itself, and ``_div`` by b is never by 0."""
    a, b = keys
    _charged(sheet, 1)
    top = _read(sheet, a)
    _charged(sheet, 1)
    bottom = _read(sheet, b)
    first, second = top.__class__, bottom.__class__
    if not ((first is float or first is int) and (second is float or second is int)):
        return ""
    return "" if bottom == 0 else finite(top / bottom)


def _ratio_if_both(sheet: Spreadsheet, keys: Keys) -> Any:
    """``IF(COUNT(a,b)<2,"",IF(c=0,"",d/e))``: COUNT reads (and charges) a, then b."""
    a, b, c, d, e = keys
    _charged(sheet, 1)
    first = _read(sheet, a).__class__
    _charged(sheet, 1)
    second = _read(sheet, b).__class__
    if not (first is float or first is int) or not (second is float or second is int):
        return ""
    order = compare(_read(sheet, c), 0.0)
    if order.__class__ is XlError:
        return order
    if order == 0:
        return ""
    top = to_number(_read(sheet, d))
    if top.__class__ is XlError:
        return top
    bottom = to_number(_read(sheet, e))
    if bottom.__class__ is XlError:
        return bottom
    return _div(top, bottom)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- changes against the prior year


def _template_pair(closure: Compiled, pattern: str) -> Callable[[tuple[Any, ...]], tuple[Compiled, Keys] | None]:
    """A builder for a change shape whose references are the template's own (``pattern``: which of the two
    cells, ``a`` or ``b``, each reference is): the fused closure then reads each cell once, as here."""

    def build(refs: tuple[Any, ...]) -> tuple[Compiled, Keys] | None:
        now, before = _single(refs[0]), _single(refs[1])
        if now is None or before is None or len(refs) != len(pattern):
            return None
        if any(ref != (refs[0] if name == "a" else refs[1]) for ref, name in zip(refs, pattern, strict=True)):
            return None
        return closure, (now, before)

    return build


def _near(number: float) -> bool:
    """``compare(number, 0.0005) == -1`` of a number: below it, and not equal at 15 digits."""
    return number < 0.0005 and not same_number(number, 0.0005)


def _change(sheet: Spreadsheet, keys: Keys) -> Any:
    """``fused._change_of`` with its steps on two numbers spelt out: ``to_number`` of a number is itself."""
    now, before = _read(sheet, keys[0]), _read(sheet, keys[1])
    first, second = now.__class__, before.__class__
    if not ((first is float or first is int) and (second is float or second is int)):
        return ""
    gap = finite(now - before)
    if gap.__class__ is XlError:
        return gap
    return 0.0 if _near(abs(gap)) else gap  # type: ignore[arg-type]


def _relative_change(sheet: Spreadsheet, keys: Keys) -> Any:
    """``indexed.relative_of`` on two numbers as ``_change``: a number other than 0 is never equal to 0
    at 15 digits (``same_number``), so ``compare(before, 0.0) == 0`` is ``before == 0``, and the division
    ``_div`` makes by ``abs(before)`` is never by 0."""
    now, before = _read(sheet, keys[0]), _read(sheet, keys[1])
    first, second = now.__class__, before.__class__
    if not ((first is float or first is int) and (second is float or second is int)):
        return ""
    if before == 0:
        return ""
    gap = finite(now - before)
    if gap.__class__ is XlError:
        return gap
    ratio = finite(gap / abs(before))
    if ratio.__class__ is XlError:
        return ratio
    return 0.0 if _near(abs(ratio)) else ratio  # type: ignore[arg-type]


# ------------------------------------------------------------------------ IF(COUNT(a,b,...)<n,"",rest)


def _guarded(guard: tuple[int, int, Compiled], refs: tuple[Any, ...]) -> tuple[Compiled, Keys] | None:
    """``fused._count_guard``'s closure with the counted cells read by key; the rest's references as they are."""
    counted, needed, rest = guard
    keys = tuple(_single(ref) for ref in refs[:counted])
    if None in keys:
        return None
    return _count_guarded, (keys, needed, rest, refs[counted:])


def _count_guarded(sheet: Spreadsheet, keys: Keys) -> Any:
    counted, needed, rest, refs = keys
    get, count = sheet._known.get, 0
    for key in counted:  # COUNT's steps: each cell charged, then read
        _charged(sheet, 1)
        value = get(key, _MISSING)
        if value is _MISSING:
            value = sheet.value(*key)
        cls = value.__class__
        if cls is float or cls is int:
            count += 1
    return "" if count < needed else rest(sheet, refs)


_BUILDERS: dict[Any, Callable[[tuple[Any, ...]], tuple[Compiled, Keys] | None]] = {
    fused._shown_or_na: _singles(_shown(NA)),
    fused._shown_or_blank: _singles(_shown("")),
    fused._shown_or_zero: _singles(_shown(0.0)),
    fused._shown_if_any: _singles(_shown_if_any),
    fused._sum_if_any: _blocks(_sum_if_any, _sum_of_one),
    fused._average_if_any: _blocks(_average_if_any, _average_of_one),
    fused._ratio_if_both: _ratios,
    fused._change: _template_pair(_change, "ababab"),
    fused._relative_change: _template_pair(_relative_change, "abbabbabb"),
}
"""Fused closure -> the builder of its keyed closure and keys from the resolved references."""
