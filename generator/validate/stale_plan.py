"""The stale check's evaluation plans: per template, the order its formula cells can be computed in.

A server or a batch validates many files of the same few templates, whose formula cells are the
same thousands of texts each time. A plan, made from a file whose every formula the engine computed,
is the order in which they were finished with each cell's closure (``engine.ordered``). Making one
costs about as much as a sixth of the stale check, so it is made from the second such file of a
template's shape (sheets, number of formulas, number of names), never for a file validated alone.
It serves a later file exactly when that file's formula cells, their texts and its defined names
equal the plan's (dicts compared with ``==``, no hash of thousands of texts per file): the file's
cells are then read through the same references, in an order with each cell's precedents first.
Kept like ``planned``'s tables: bounded, least recently used first out, behind a lock for the
server's threads. A plan holds formula texts and names, never a value a user typed.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from generator.engine import Spreadsheet
from generator.engine.ordered import Step, formulas_of, names_of, recorded_order, steps
from generator.validate.book import Book
from generator.validate.sheet_cells import COLUMN_BITS

Key = tuple[str, int, int]
MOST_KEPT = 8
"""Plans kept at once: a server sees a few catalogues in a few languages and layouts."""


@dataclass(frozen=True)
class Plan:
    """The formulas and names a plan was made from, and its steps (cell, closure, blocks read)."""

    typed: dict[str, dict[int, str]]
    """Each sheet's formulas as ``Book.stored`` gives them (every one a formula): a file's are compared with these."""
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    """Every sheet (in order) with its formula cells as ``Book.stored`` keys them, in the engine's order."""
    formulas: dict[Key, str]
    names: dict[str, str]
    steps: tuple[Step, ...]
    defined: dict[str, Any]
    """The engine's reading of ``names`` (``ordered.names_of``), given as it is to a later engine."""


Shape = tuple[tuple[str, ...], int, int]
_kept: OrderedDict[int, tuple[Shape, Plan]] = OrderedDict()
"""Plans by the order they were made in, most recently used last: a shape may have several (the same
template saved by the writer and by LibreOffice spells its formulas differently), tried in turn."""
_serials = itertools.count()
_seen: OrderedDict[Shape, None] = OrderedDict()
"""The shapes of files validated the general way, most recent last (``MOST_SEEN``): a plan is made on the second."""
MOST_SEEN = 64
_lock = threading.Lock()


def _key(book: Book, names: dict[str, str]) -> Shape:
    return tuple(book.sheetnames), sum(len(book.stored(sheet).formulas) for sheet in book.sheetnames), len(names)


def plan_for(book: Book, names: dict[str, str]) -> Plan | None:
    """The kept plan that serves a file of these formulas as typed and these defined names, if any (a file
    that also holds text spelt as a formula is not served: ``calculated`` finds that as it reads the cells)."""
    key = _key(book, names)
    with _lock:
        candidates = [(serial, plan) for serial, (shape, plan) in reversed(_kept.items()) if shape == key]
    for serial, plan in candidates:
        typed = plan.typed
        if plan.names == names and all(book.stored(sheet).formulas == typed[sheet] for sheet in book.sheetnames):
            with _lock:
                if serial in _kept:
                    _kept.move_to_end(serial)
            return plan
    return None


def remember(engine: Spreadsheet, names: dict[str, str], book: Book) -> None:
    """Keep a plan made from ``engine`` once it has computed its every formula cell without an error, if its
    formula cells are exactly the file's formulas as typed and a file of its shape was seen before (nothing
    is kept otherwise); ``names`` are the defined names it was given, ``book`` the file its cells were read from."""
    key = _key(book, names)
    with _lock:
        if key not in _seen:  # the first file of its shape: perhaps the only one (a command line's)
            _seen[key] = None
            while len(_seen) > MOST_SEEN:
                _seen.popitem(last=False)
            return
    order = recorded_order(engine)
    if order is None:
        return
    formulas = formulas_of(engine)
    typed = {sheet: dict(book.stored(sheet).formulas) for sheet in book.sheetnames}
    rows: dict[str, list[int]] = {sheet: [] for sheet in book.sheetnames}
    for sheet, row, col in formulas:
        rows[sheet].append(row << COLUMN_BITS | col)
    if any(set(rows[sheet]) != typed[sheet].keys() for sheet in book.sheetnames):
        return  # a text spelt as a formula, or an empty <f/>: such a file goes the general way
    plan = Plan(
        typed,
        tuple((sheet, tuple(keys)) for sheet, keys in rows.items()),
        formulas,
        dict(names),
        steps(engine, order),
        names_of(engine),
    )
    with _lock:
        _kept[next(_serials)] = (key, plan)
        while len(_kept) > MOST_KEPT:
            _kept.popitem(last=False)


def forget() -> None:
    """Drop every plan and every shape seen (tests: the first two validations of a file then take the general way)."""
    with _lock:
        _kept.clear()
        _seen.clear()
