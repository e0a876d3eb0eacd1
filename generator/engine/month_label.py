"""One closure for a month's label, the heading of each month column of the KPI and prior-year sheets.

``IFERROR(INDEX(list_months_short,MOD(MATCH(a,list_months,0)-1+k,12)+1)&" "&(b-1+INT((MATCH(c,list_months,0)
-1+k)/12)),"")`` ("Mar 2025" from the first month and year of the Settings sheet; ``b+INT(...)`` for this
year's). Its general closure is some twenty calls, one per node; this one makes the same calls to the same
value functions (``_match``, ``_mod``, ``_index``, ``_int``, ``_number``, ``to_text``) in the same order, the
names looked up where the general one looks them up, the year's INT read only when the year is a number:
the same value, error or exception for any cell contents and names (tests/engine/test_fused.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from generator.engine.compile import _add, _div, _number, _sub
from generator.engine.functions import _index, _int, _match, _mod
from generator.engine.reference import REF_MARK
from generator.engine.values import XlError, to_text

if TYPE_CHECKING:
    from generator.engine.compile import Compiled
    from generator.engine.spreadsheet import Spreadsheet

_LABEL = re.compile(
    re.escape("IFERROR(INDEX(list_months_short,MOD(MATCH(@,list_months,0)-1+").replace("@", REF_MARK)
    + r"([0-9]{1,2})"
    + re.escape(',12)+1)&" "&(@').replace("@", REF_MARK)
    + r"(-1)?"
    + re.escape("+INT((MATCH(@,list_months,0)-1+").replace("@", REF_MARK)
    + r"([0-9]{1,2})"
    + re.escape(')/12)),"")')
)


def month_label(shape: str) -> Compiled | None:
    """The closure of a month label's shape (any month offsets, this year or the prior one), else None."""
    found = _LABEL.fullmatch(shape)
    if found is None:
        return None
    first, back, second = float(found[1]), found[2] is not None, float(found[3])

    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        label = _label(sheet, refs, first, back, second)
        return "" if sheet.scalar(label).__class__ is XlError else label  # IFERROR(..., "")

    return run


def _matched(sheet: Spreadsheet, ref: Any) -> tuple[Any, int]:
    """``MATCH(ref,list_months,0)``, and the cells its walk charged."""
    before = sheet.cells_left
    found = _match(sheet, [ref, sheet.name("list_months"), 0.0])
    return found, before - sheet.cells_left


def _again(sheet: Spreadsheet, matched: tuple[Any, int]) -> Any:
    """The same MATCH again (the same cell, the same list, both read: no cell computed, none changed): its
    position, its cells charged again as its walk would charge them (``keyed._charged``)."""
    sheet.name("list_months")  # looked up again, as the general closure does (a name formula is kept once computed)
    found, charged = matched
    sheet.cells_left -= charged
    if sheet.cells_left < 0:
        sheet._charge(0)
    return found


def _months(sheet: Spreadsheet, position: Any, offset: float) -> Any:
    """``MATCH(...)-1+offset`` of a MATCH's result, as ``compile._arithmetic`` computes it."""
    value = _number(sheet, position)
    if value.__class__ is XlError:
        return value
    value = _sub(value, 1.0)
    return value if value.__class__ is XlError else _add(value, offset)


def _label(sheet: Spreadsheet, refs: tuple[Any, ...], first: float, back: bool, second: float) -> Any:
    """The ``&`` of the month's short name, " " and the year: each part read as text in turn, the first error
    met the result (the parts after it not computed)."""
    short = sheet.name("list_months_short")  # INDEX's first argument, looked up before its second
    matched = _matched(sheet, refs[0])
    position = _number(sheet, _mod(sheet, [_months(sheet, matched[0], first), 12.0]))
    if position.__class__ is not XlError:
        position = _add(position, 1.0)
    name = to_text(sheet.scalar(_index(sheet, [short, position])))
    if name.__class__ is XlError:
        return name
    year = _number(sheet, refs[1])
    if back and year.__class__ is not XlError:
        year = _sub(year, 1.0)
    if year.__class__ is not XlError:
        again = _again(sheet, matched) if refs[2] == refs[0] else _matched(sheet, refs[2])[0]
        whole = _number(sheet, _months(sheet, again, second))
        if whole.__class__ is not XlError:
            whole = _div(whole, 12.0)
        whole = _number(sheet, _int(sheet, [whole]))
        year = whole if whole.__class__ is XlError else _add(year, whole)
    text = to_text(sheet.scalar(year))
    if text.__class__ is XlError:
        return text
    return name + " " + text  # type: ignore[operator]
