"""A workbook's formula cells computed in an order recorded from an earlier one with the same formulas.

``Spreadsheet.value`` finds the order as it goes: each cell recurses into the cells it reads, keeps
an active set to catch a circular reference, and looks its closure up per cell. A validator that
sees the same template again and again (a server, a batch, the corpus) can skip all of that: the
order in which an earlier workbook's cells were finished has every cell's precedents before it, and
each step carries its closure, resolved once. A cell's value depends only on the values it reads,
so any order gives the same values when no cell fails; a cell that a branch the earlier workbook did
not take reads first is computed there by the engine, as always. Whatever the engine raises (a
circular reference, a limit, a stack too deep) the caller takes as "compute this workbook the
general way", from a fresh engine: that way each finding is met where it always is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.formula.reference import Area

if TYPE_CHECKING:
    from generator.engine.compile import Compiled
    from generator.engine.spreadsheet import Key, Spreadsheet

Step = tuple["Key", "Compiled", tuple[Any, ...]]


def recorded_order(engine: Spreadsheet) -> list[Key] | None:
    """The formula cells of ``engine`` in the order it finished computing them, or None unless every one
    was computed (a failed cell has no value, and its dependants may have been left out)."""
    formulas = engine._formulas
    order = [key for key in engine._known if key in formulas]
    return order if len(order) == len(formulas) else None


def steps(engine: Spreadsheet, order: list[Key]) -> tuple[Step, ...]:
    """Each cell of ``order`` with its closure and the blocks it reads, as ``engine`` resolves them."""
    formulas, compile_cell = engine._formulas, engine._compile
    return tuple((key, *compile_cell(key[0], formulas[key])) for key in order)


def evaluate_in_order(engine: Spreadsheet, planned: tuple[Step, ...]) -> dict[Key, Any]:
    """Every formula cell's result, as ``Spreadsheet.evaluate_all`` gives it, each step's cell computed in turn
    as ``Spreadsheet.value`` would (a cell's reference shows its value, a blank one as 0). ``engine`` must
    hold the formulas the steps were made from, none computed yet; on any exception it is left half
    computed and must not be used again."""
    known, scalar = engine._known, engine.scalar
    for key, fn, refs in planned:
        if key in known:
            continue  # read first by a branch the recorded workbook did not take, and computed then
        result = fn(engine, refs)
        if result.__class__ is Area:
            result = scalar(result)
        known[key] = 0 if result is None else result
    return {key: known[key] for key in engine._formulas}


def formulas_of(engine: Spreadsheet) -> dict[Key, str]:
    """A copy of ``engine``'s formula cells and their texts, in its order."""
    return dict(engine._formulas)


def names_of(engine: Spreadsheet) -> dict[str, Any]:
    """``engine``'s reading of its defined names (cells, #REF!, a formula computed where used): a copy."""
    return dict(engine._names)


def give_names(engine: Spreadsheet, names: dict[str, Any]) -> None:
    """Names read by ``names_of`` from an engine of the same sheets, as its ``define_name`` calls left them."""
    engine._names.update(names)
