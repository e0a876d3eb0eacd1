"""One closure each for the dashboard's changes against a KPI's month picked by INDEX of its defined name.

``IF(AND(ISNUMBER(a),ISNUMBER(INDEX(kpi_x,p))),IF(ABS(a-INDEX(kpi_x,p))<0.0005,0,a-INDEX(kpi_x,p)),"")``, its
relative form, and the month before (``IF(p>1,...INDEX(kpi_x,p-1)...,"")``), with any threshold: the general
closure looks the name up and picks the month again at each INDEX, five times in the relative form. With the
template's own references (each a the same cell, each p the same cell) the month is picked once: INDEX of the
same name and position gives the same cell, whose value read again is the value read first, and INDEX reads
no cell through a range, so nothing is charged twice. The steps before the pick are the general closure's, in
its order (the KPI's cell read, then the name looked up, then the position read), and the rest are
``fused``'s for two values read once. Other references take the general closure. tests/engine/test_fused.py
holds each to it on random cells and names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from generator.engine.compile import _div, _number, _sub, compile_shape
from generator.engine.functions import _index, _isnumber
from generator.engine.reference import REF_MARK
from generator.engine.values import XlError, compare, to_number

if TYPE_CHECKING:
    from generator.engine.compile import Compiled
    from generator.engine.spreadsheet import Spreadsheet

Refs = tuple[Any, ...]


def _pattern(template: str) -> re.Pattern[str]:
    """``template`` with @ a reference, NAME one defined name (the same each time), LIMIT a number."""
    text = re.escape(template).replace("@", REF_MARK)
    text = text.replace("NAME", "(?P<name>[A-Za-z_][A-Za-z0-9_.]*)", 1).replace("NAME", "(?P=name)")
    return re.compile(text.replace("LIMIT", "(?P<limit>[0-9]+(?:\\.[0-9]+)?)"))


_CHANGE = _pattern('IF(AND(ISNUMBER(@),ISNUMBER(INDEX(NAME,@))),IF(ABS(@-INDEX(NAME,@))<LIMIT,0,@-INDEX(NAME,@)),"")')
_RELATIVE = _pattern(
    'IF(AND(ISNUMBER(@),ISNUMBER(INDEX(NAME,@))),IF(INDEX(NAME,@)=0,"",IF(ABS((@-INDEX(NAME,@))/ABS(INDEX(NAME,@)))'
    '<LIMIT,0,(@-INDEX(NAME,@))/ABS(INDEX(NAME,@)))),"")'
)
_BEFORE = _pattern(
    'IF(@>1,IF(AND(ISNUMBER(@),ISNUMBER(INDEX(NAME,@-1))),IF(ABS(@-INDEX(NAME,@-1))<LIMIT,0,@-INDEX(NAME,@-1)),""),"")'
)


def indexed(shape: str) -> Compiled | None:
    """The closure of one of the three shapes, else None."""
    for pattern, make in ((_CHANGE, _change), (_RELATIVE, _relative), (_BEFORE, _before)):
        found = pattern.fullmatch(shape)
        if found is not None and found["name"].upper() not in ("TRUE", "FALSE"):  # those are the booleans
            return make(found["name"].lower(), float(found["limit"]), compile_shape(shape)[0])
    return None


def _change(key: str, limit: float, general: Compiled) -> Compiled:
    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        now, position = refs[0], refs[1]
        if refs[2:] != (now, position, now, position):
            return general(sheet, refs)
        value = sheet.scalar(now)
        return change_of(sheet, value, sheet.scalar(_index(sheet, [sheet.name(key), position])), limit)

    return run


def _relative(key: str, limit: float, general: Compiled) -> Compiled:
    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        now, position = refs[0], refs[1]
        if refs[1:] != (position, position, now, position, position, now, position, position):
            return general(sheet, refs)
        value = sheet.scalar(now)
        return relative_of(sheet, value, sheet.scalar(_index(sheet, [sheet.name(key), position])), limit)

    return run


def _before(key: str, limit: float, general: Compiled) -> Compiled:
    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        position, now = refs[0], refs[1]
        if refs != (position, now, position, now, position, now, position):
            return general(sheet, refs)
        order = compare(sheet.scalar(position), 1.0)  # p>1
        if order.__class__ is XlError:
            return order
        if not order > 0:  # type: ignore[operator]
            return ""
        value = sheet.scalar(now)
        area = sheet.name(key)
        month = _number(sheet, position)  # p-1, as compile._arithmetic computes it
        if month.__class__ is not XlError:
            month = _sub(month, 1.0)
        return change_of(sheet, value, sheet.scalar(_index(sheet, [area, month])), limit)

    return run


def _numbers(sheet: Spreadsheet, now: Any, before: Any) -> bool:
    """``AND(ISNUMBER(a),ISNUMBER(b))`` of two values read: ISNUMBER is ``functions``' own, as ``fused``'s."""
    first = _isnumber(sheet, [now])
    second = _isnumber(sheet, [before])
    return bool(first and second)


def _gap(now: Any, before: Any) -> Any:
    """``a - b`` of two values read, as ``compile._arithmetic`` computes it."""
    a: Any = to_number(now)
    if a.__class__ is XlError:
        return a
    b: Any = to_number(before)
    return b if b.__class__ is XlError else _sub(a, b)


def change_of(sheet: Spreadsheet, now: Any, before: Any, limit: float) -> Any:
    """``IF(AND(ISNUMBER(a),ISNUMBER(b)),IF(ABS(a-b)<limit,0,a-b),"")`` of two values read once."""
    if not _numbers(sheet, now, before):
        return ""
    gap = _gap(now, before)
    if gap.__class__ is XlError:
        return gap
    return 0.0 if compare(abs(gap), limit) == -1 else gap


def relative_of(sheet: Spreadsheet, now: Any, before: Any, limit: float) -> Any:
    """``IF(AND(ISNUMBER(a),ISNUMBER(b)),IF(b=0,"",IF(ABS((a-b)/ABS(b))<limit,0,(a-b)/ABS(b))),"")`` of two
    values read once."""
    if not _numbers(sheet, now, before):
        return ""
    order = compare(before, 0.0)
    if order.__class__ is XlError:
        return order
    if order == 0:
        return ""
    gap = _gap(now, before)
    if gap.__class__ is XlError:
        return gap
    base: Any = to_number(before)
    if base.__class__ is XlError:
        return base
    ratio = _div(gap, abs(base))
    if ratio.__class__ is XlError:
        return ratio
    return 0.0 if compare(abs(ratio), limit) == -1 else ratio
