"""Every formula cell of the file recomputed by the engine from the file itself, against the value it shows.

The writer caches each formula's result and a spreadsheet updates them as people type, so a
value that its own formula no longer gives means the file was changed by something that does
not calculate (a script, a library, calculation switched off): a *stale* value, reported as
such, apart from a changed formula (``formulas``) and from a wrong result (``recompute``, the
catalogue's independent evaluation). A file with no calculated values at all is one finding.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.engine import ERRORS, EngineError, EngineLimit, Spreadsheet, XlError
from generator.engine.ordered import evaluate_in_order, give_names
from generator.formula.address import cell
from generator.template.layout import INPUT_GRID, MONTHS
from generator.validate.book import Book
from generator.validate.cell_values import to_serial
from generator.validate.context import Check
from generator.validate.findings import Code, Severity, brief, plain
from generator.validate.sheet_cells import COLUMN_BITS, MAX_COLUMN
from generator.validate.stale_plan import Plan, plan_for, remember

Key = tuple[str, int, int]
_ONE_BY_ONE = 25
"""More stale cells than this are reported per sheet, with examples, not one by one."""


@dataclass
class Calculated:
    """What the engine found: formula cells compared, stale ones, and whether the file holds no results."""

    compared: int = 0
    stale: list[tuple[Key, Any, Any]] = field(default_factory=list)
    never: bool = False


def file_engine(book: Book) -> tuple[Spreadsheet, dict[Key, Any]]:
    """The file's cells and names in an engine (as a user's file: missing sheets compute as #REF!),
    and the value each formula cell shows."""
    constants, formulas, shown = file_cells(book)
    return _engine(book, constants, formulas, book.defined_names(), None), shown


def file_cells(book: Book) -> tuple[dict[Key, Any], dict[Key, str], dict[Key, Any]]:
    """The file's constants and formula cells as the engine takes them, and the value each formula cell
    shows. What ``Book.cells`` gives as typed, the engine gets: text starting with '=' (and more) is a
    formula, computed in row-by-row order; anything else a constant. Every cell is visited once: this
    runs for every cell of every file validated.
    """
    shown: dict[Key, Any] = {}
    constants: dict[Key, Any] = {}
    formulas: dict[Key, str] = {}
    errors, mask = ERRORS, MAX_COLUMN - 1
    for sheet in book.sheetnames:
        cells = book.stored(sheet)
        values, typed = cells.values, cells.formulas
        computed = [key for key, text in typed.items() if text[:1] == "=" and len(text) > 1]
        computed += _constants(sheet, values, typed, constants)  # text spelt as a formula is read as one
        for key, text in typed.items():
            if not (text[:1] == "=" and len(text) > 1):
                constants[(sheet, key >> COLUMN_BITS, key & mask)] = errors.get(text, text)  # an empty <f/>: "="
        computed.sort()
        for key in computed:
            where = (sheet, key >> COLUMN_BITS, key & mask)
            formula = typed.get(key)
            formulas[where] = formula if formula is not None else values[key]
            shown[where] = values.get(key)
    return constants, formulas, shown


def _constants(sheet: str, values: dict[int, Any], typed: dict[int, str], constants: dict[Key, Any]) -> list[int]:
    """The sheet's cells that hold no formula as typed into ``constants``, as the engine takes them; returns
    the keys of those that hold text spelt as a formula (as ``Book.cells`` types it), left out."""
    plain, errors, mask, spelt = _PLAIN, ERRORS, MAX_COLUMN - 1, []
    for key, value in values.items():
        if key in typed:
            continue
        if value.__class__ is str:
            if value[:1] == "=" and len(value) > 1:
                spelt.append(key)
            else:
                constants[(sheet, key >> COLUMN_BITS, key & mask)] = errors.get(value, value)
        else:
            constants[(sheet, key >> COLUMN_BITS, key & mask)] = value if value.__class__ in plain else _constant(value)
    return spelt


def _planned_cells(book: Book, plan: Plan) -> tuple[dict[Key, Any], list[Any]] | None:
    """For a file whose formulas as typed are the plan's (``plan_for``): its constants, and the value each
    formula cell shows in the plan's order; None for a file with text spelt as a formula (not the plan's)."""
    constants: dict[Key, Any] = {}
    shown: list[Any] = []
    for sheet, keys in plan.rows:
        cells = book.stored(sheet)
        if _constants(sheet, cells.values, cells.formulas, constants):
            return None
        shown += map(cells.values.get, keys)
    return constants, shown


def _engine(
    book: Book, constants: dict[Key, Any], formulas: dict[Key, str], names: dict[str, str], plan: Plan | None
) -> Spreadsheet:
    """An engine of these cells and names; a plan's reading of the names (the same names) saves reading each."""
    engine = Spreadsheet(book.sheetnames, strict=False)
    engine.load(constants, formulas)
    if plan is not None:
        give_names(engine, plan.defined)
    else:
        for name, target in names.items():
            engine.define_name(name, target)
    return engine


_PLAIN = {int, float, bool, type(None)}
"""Constants the engine takes as they are (a float past the double range becomes #NUM! there)."""


def _constant(value: Any) -> Any:
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return to_serial(value)
    if isinstance(value, str) and value in ERRORS:
        return ERRORS[value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


_AGREE_WHEN_EQUAL = frozenset({float, int, str, bool})
"""Kinds whose equal values ``agrees`` always accepts (numbers, text, booleans alike): nearly every cell.
An int shown (LibreOffice writes whole numbers as ``5``) equal to a float computed is accepted too."""


_TOLERANCE = 1e-9
"""Relative difference within which a number shown is the number computed (15 significant digits written)."""


def close(shown: float, computed: float) -> bool:
    """A sufficient test of ``agrees`` for two floats, without its checks of kind: LibreOffice writes a
    result to 15 significant digits, so about 1,700 cells of the demo differ from the engine's in
    the last bits. An infinite or NaN ``computed`` is left to ``agrees``."""
    return abs(shown - computed) <= _TOLERANCE * abs(computed) < math.inf


def agrees(shown: Any, computed: Any) -> bool:
    """Whether a cached value is what the formula gives: "" and an empty value alike, numbers to 1e-9."""
    if isinstance(computed, XlError):
        return bool(shown == computed.code)
    if isinstance(computed, bool) or isinstance(shown, bool):
        return shown is computed
    if isinstance(computed, str):
        return shown == computed or (computed == "" and shown is None)
    if isinstance(shown, int | float):
        return math.isclose(shown, computed, rel_tol=_TOLERANCE, abs_tol=1e-12)
    return False


def check_calculated(check: Check, *, trusted: bool = True) -> Calculated:
    """Compare every formula cell the engine can compute with its cached value; stale cells are reported
    and flagged (so the catalogue comparison skips them).

    Not ``trusted`` (a broken setting, a missing sheet or name): that is reported where it is, and no
    cell is called stale. A missing sheet or name turns references into #REF! or #NAME?; with a broken setting the month
    labels are empty, and spreadsheets differ on matching an empty selector against empty labels
    (LibreOffice finds it, Excel gives #N/A).
    """
    book = check.book
    names = book.defined_names()
    plan = plan_for(book, names)
    planned = _planned(book, names, plan) if plan is not None else None
    unchecked: list[tuple[Key, EngineError]] = []
    if planned is not None:
        results, shown = planned
        every: Iterable[Any] = shown
    else:  # the general way; also for a file whose plan met an error, from the start, to find it where it is
        constants, formulas, shown_at = file_cells(book)
        engine = _engine(book, constants, formulas, names, None)
        results = _each(check, engine, unchecked)
        remember(engine, names, book)
        every = shown_at.values()  # a cell that failed shows a value too
        shown = list(every) if len(results) == len(shown_at) else [shown_at[key] for key in results]
    _report_unchecked(check, unchecked)
    found = Calculated(compared=len(results))
    if all(value is None for value in every) and any(r != "" for r in results.values()):
        found.never = True
        return found
    simple, flagged = _AGREE_WHEN_EQUAL, check.flagged
    for key, computed, value in zip(results, results.values(), shown, strict=True):
        if value == computed:  # nearly every cell: its kind looked at only then
            kind = value.__class__
            if (kind is computed.__class__ and kind in simple) or (kind is int and computed.__class__ is float):
                continue  # what ``agrees`` says of these equal values (5 shown for 5.0 too), without its call
        elif value.__class__ is float is computed.__class__ and close(value, computed):
            continue
        if key not in flagged and not agrees(value, computed):
            found.stale.append((key, value, computed))
    if not trusted:
        found.stale.clear()
    merged = _reading_merged_cells(check, [key for key, _shown, _computed in found.stale], results)
    check.flagged.update(merged)  # the merged-cells finding says their totals and KPIs are not compared
    found.stale = [item for item in found.stale if item[0] not in merged]
    _report(check, found.stale)
    check.flagged.update(key for key, _shown, _computed in found.stale)
    return found


MERGED_PROBE = 7_654_321.5
"""What the hidden cells of a merged block are set to in the second evaluation: no template value."""


def _planned(book: Book, names: dict[str, str], plan: Plan) -> tuple[dict[Key, Any], list[Any]] | None:
    """Every formula cell's result computed in the plan's order, and the value each shows, in the engine's
    order; None for a file the plan does not serve after all, or if the engine raised on the way."""
    cells = _planned_cells(book, plan)
    if cells is None:
        return None
    constants, shown = cells
    try:
        return evaluate_in_order(_engine(book, constants, plan.formulas, names, plan), plan.steps), shown
    except (EngineError, RecursionError):
        return None


def _each(check: Check, engine: Spreadsheet, unchecked: list[tuple[Key, EngineError]]) -> dict[Key, Any]:
    """Every formula cell's result, each asked for in turn; the cells that cannot be computed go to ``unchecked``."""
    results: dict[Key, Any] = {}
    for key in engine.formula_cells():
        try:
            results[key] = engine.value(*key)
        except EngineLimit as error:
            unchecked.append((key, error))  # every further range would hit the limit too: stop here
            break
        except EngineError as error:
            # reported where it arises: not at the cells that read it, nor at a changed template formula
            # (its own check reports that)
            if key not in check.flagged and str(error).startswith(_where(key)):
                unchecked.append((key, error))
    return results


def _reading_merged_cells(check: Check, keys: list[Key], results: dict[Key, Any]) -> set[Key]:
    """Of these formula cells, those whose result depends on the hidden cells of a merged block.

    Excel empties all but the first cell of a merge; LibreOffice keeps their values and computes
    with them, while the file shows them as blank. So a cell that reads them cannot be called
    stale (recalculating cannot make it agree: issue 24 saw nine such errors advising --recalc
    after the one merged-cells finding). The engine is run again with the hidden cells holding a
    probe value: a cell whose result changes reads them.
    """
    if not check.merged or not keys:
        return set()
    engine, _shown = file_engine(check.book)
    months = range(INPUT_GRID.month(0), INPUT_GRID.month(MONTHS - 1) + 1)
    for block in check.merged:  # only the month cells of inputs: a hostile block may span the whole sheet
        for row in sorted(set(check.layout.input_rows.values())):
            for col in months:
                inside = block.first_row <= row <= block.last_row and block.first_col <= col <= block.last_col
                if inside and (row, col) != (block.first_row, block.first_col):
                    engine.set_value(block.sheet, row, col, MERGED_PROBE)
    reading: set[Key] = set()
    for key in keys:
        try:
            probed = engine.value(*key)
        except EngineError:
            continue
        if not agrees(probed, results[key]):
            reading.add(key)
    return reading


def _report(check: Check, stale: list[tuple[Key, Any, Any]]) -> None:
    _ = check.gettext
    advice = _(
        "the file was saved without recalculating after a change (by a script, or with calculation "
        "switched off). Recalculate and save it in Excel or LibreOffice (Ctrl+Alt+F9 or Ctrl+Shift+F9), "
        "or pass --recalc."
    )
    if len(stale) > _ONE_BY_ONE:
        by_sheet: dict[str, list[tuple[Key, Any, Any]]] = {}
        for item in stale:
            by_sheet.setdefault(item[0][0], []).append(item)
        for items in by_sheet.values():
            examples = ", ".join(cell(row, col) for (_sheet, row, col), _s, _c in items[:3])
            message = _(
                "{count} formula cells show values their formulas no longer give (such as {examples}): {advice}"
            ).format(count=len(items), examples=examples, advice=advice)
            _add(check, items[0], message)
        return
    kpis = {row: kpi for kpi, row in check.layout.kpi_rows.items()}
    inputs = {row: input_id for input_id, row in check.layout.input_rows.items()}
    for item in stale:
        (sheet, row, col), value, computed = item
        kpi = kpis.get(row) if sheet == check.layout.sheets.kpis else None
        input_id = inputs.get(row) if sheet == check.layout.sheets.inputs else None
        what = check.kpi_name(kpi) if kpi else check.input_name(input_id) if input_id else f"{sheet}!{cell(row, col)}"
        message = _("{what} shows {value}, but its formula gives {expected}: {advice}").format(
            what=what, value=_shown(check, value), expected=_shown(check, computed), advice=advice
        )
        _add(check, item, message, kpi=kpi, input_id=input_id)


def _report_unchecked(check: Check, unchecked: list[tuple[Key, EngineError]]) -> None:
    """A warning at each cell (the first 25) whose formula the engine cannot compute: a user's own formula
    outside its functions, a circular reference, a file past the cells one check may read."""
    _ = check.gettext
    for (sheet, row, col), error in unchecked[:_ONE_BY_ONE]:
        reason = str(error).removeprefix(_where((sheet, row, col)))
        check.add(
            Severity.WARNING,
            Code.UNCHECKED_FORMULA,
            _("{where}: this formula could not be checked ({reason}); the value it shows is taken as it is.").format(
                where=f"{sheet}!{cell(row, col)}", reason=brief(reason, 160)
            ),
            sheet=sheet,
            row=row,
            col=col,
        )
    if len(unchecked) > _ONE_BY_ONE:
        check.add(
            Severity.WARNING,
            Code.UNCHECKED_FORMULA,
            _("{count} more formula cells could not be checked.").format(count=len(unchecked) - _ONE_BY_ONE),
        )


def _add(
    check: Check, item: tuple[Key, Any, Any], message: str, kpi: str | None = None, input_id: str | None = None
) -> None:
    """One stale-value finding at the cell of ``item`` (its key, the value shown, the value computed)."""
    (sheet, row, col), value, computed = item
    check.add(
        Severity.ERROR,
        Code.STALE_VALUE,
        message,
        sheet=sheet,
        row=row,
        col=col,
        kpi=kpi,
        input=input_id,
        value=plain(value),
        expected=_plain(computed),
    )


def _where(key: Key) -> str:
    """How the engine's messages start for a cell (``'Inputs'!E42: ``)."""
    return "'" + key[0].replace("'", "''") + "'!" + cell(key[1], key[2]) + ": "


def _plain(value: Any) -> Any:
    return value.code if isinstance(value, XlError) else plain(value)


def _shown(check: Check, value: Any) -> str:
    if value is None or value == "":
        return check.gettext("an empty cell")
    if isinstance(value, XlError):
        return value.code
    if isinstance(value, int | float) and not isinstance(value, bool):
        return check.show(value)
    return f'"{brief(value)}"'
