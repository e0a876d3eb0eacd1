"""One closure each for the formula shapes that fill a template's sheets.

A template's formula cells are nearly all of a handful of shapes: on the CRM demo, the nine here are
four in five of its 3,000 formula cells. Their general closures (``compile``) make a call per
node (the IF, the comparison, each function, each reference), which is most of the validator's
stale check. A fused closure takes the same steps with the same value functions (``_count``,
``compare``, ``to_number``, ...), in the same order, in one call: the same value, the same error,
the same exception for any cell contents, which tests/engine/test_fused.py checks against the
general closure on random cells (numbers, text, blanks, booleans, errors, blocks, #REF!). The two
changes against the prior year read each of their two cells once when the references are the
template's own (a cell read again gives the value it gave, a difference worked twice the same).
A shape not listed here keeps its general closure. ISNUMBER, COUNT and SUM are ``functions``' own,
so a model of another program's counting (tests/engine/known_differences.py) holds for them too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator.engine.compile import _div, _sub, compile_shape
from generator.engine.functions import _average, _count, _isnumber, _sum
from generator.engine.indexed import change_of, indexed, relative_of
from generator.engine.kept import Kept
from generator.engine.month_label import month_label
from generator.engine.reference import REF_MARK
from generator.engine.values import NA, EngineError, XlError, compare, to_number

if TYPE_CHECKING:
    from generator.engine.compile import Compiled
    from generator.engine.spreadsheet import Spreadsheet

Refs = tuple[Any, ...]


def fused(shape: str) -> Compiled | None:
    """The fused closure of ``shape``, or None when it has none."""
    found = _FUSED.get(shape)
    if found is not None:
        return found
    return _count_guard(shape) or _first_number(shape) or month_label(shape) or _any_counted(shape) or indexed(shape)


_GUARD = re.compile(r'IF\(COUNT\(\x00((?:,\x00)*)\)<([1-9][0-9]?),"",(.+)\)', re.DOTALL)
GUARDS: Kept[Any, tuple[int, int, Compiled]] = Kept()
"""Each count guard's closure -> (cells counted, the count needed, the closure of the rest): ``keyed``'s."""


FIRST_NUMBERS: Kept[Any, int] = Kept()
"""Each ``_first_number`` closure -> its number of (tested, shown) pairs: ``keyed``'s."""


def _first_number(shape: str) -> Compiled | None:
    """``IF(ISNUMBER(a),b,IF(ISNUMBER(c),d,...""))``, an input's closing or opening month of a quarter (twelve
    deep for the year): the first pair whose tested cell is a number gives its shown cell (a reference, as IF
    returns it), else "". Each ISNUMBER is ``functions``' own, the pairs tested in order, no cell after read."""
    pairs = shape.count("IF(ISNUMBER(")
    if not pairs or shape != _PAIR * pairs + '""' + ")" * pairs:
        return None

    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        for index in range(0, 2 * pairs, 2):
            if _isnumber(sheet, [refs[index]]):
                return refs[index + 1]
        return ""

    FIRST_NUMBERS.keep(run, pairs)
    return run


_PAIR = "IF(ISNUMBER(" + REF_MARK + ")," + REF_MARK + ","

_ANY_COUNTED = re.compile(r"IF\(COUNT\(\x00\)>0,([0-9]{1,2}),([0-9]{1,2})\)")
COUNTED: Kept[Any, tuple[float, float]] = Kept()
"""Each ``_any_counted`` closure -> its two results: ``keyed``'s."""


def _any_counted(shape: str) -> Compiled | None:
    """``IF(COUNT(a)>0,12,0)``, the chart data's test of a month with inputs: COUNT is ``functions``' own, and a
    count is a whole number, so ``> 0`` is ``>`` of numbers; the results are the literals, read as floats."""
    found = _ANY_COUNTED.fullmatch(shape)
    if found is None:
        return None
    yes, no = float(found[1]), float(found[2])

    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        return yes if _count(sheet, [refs[0]]) > 0 else no

    COUNTED.keep(run, (yes, no))
    return run


def _count_guard(shape: str) -> Compiled | None:
    """``IF(COUNT(a,b,...)<n,"",rest)``, the guard of most KPI formulas (``(a-b)/(c+d+e)*100`` when all
    their inputs are numbers): COUNT and the comparison in one step, then the rest's own closure with its
    references (those after the counted ones). A count is a whole number, so ``< n`` is ``<`` of numbers;
    IF returns the rest's result as it is (a reference stays one). None for any other shape, or a rest
    that is not one expression of its own (``compile`` then parses the whole, as it would anyway)."""
    found = _GUARD.fullmatch(shape)
    if found is None:
        return None
    counted, needed = found.group(1).count(",") + 1, int(found.group(2))
    try:
        rest, _count_of_rest = compile_shape(found.group(3))
    except EngineError:
        return None

    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        if _count(sheet, list(refs[:counted])) < needed:
            return ""
        return rest(sheet, refs[counted:])

    GUARDS.keep(run, (counted, needed, rest))
    return run


def _number_or_known(sheet: Spreadsheet, reference: Any) -> Any:
    """A reference used by arithmetic, as ``compile._number`` reads it."""
    return to_number(sheet.scalar(reference))


def _shown_or_na(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(ISNUMBER(a),b,NA())``: the cell itself (a reference, as IF returns it) or #N/A."""
    return refs[1] if _isnumber(sheet, [refs[0]]) else NA


def _shown_or_blank(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(ISNUMBER(a),b,"")``."""
    return refs[1] if _isnumber(sheet, [refs[0]]) else ""


def _shown_or_zero(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(ISNUMBER(a),b,0)``: the literal 0 is read as the float 0.0, as ``compile`` reads it."""
    return refs[1] if _isnumber(sheet, [refs[0]]) else 0.0


def _shown_if_any(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(COUNT(a)<1,"",b)``: a count is a whole number, so ``< 1`` is ``== 0``."""
    return "" if _count(sheet, [refs[0]]) < 1 else refs[1]


def _average_if_any(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(COUNT(a)=0,"",AVERAGE(b))``."""
    return "" if _count(sheet, [refs[0]]) == 0 else _average(sheet, [refs[1]])


def _sum_if_any(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(COUNT(a)=0,"",SUM(b))``: a count is a whole number, so ``= 0`` is ``== 0``."""
    if _count(sheet, [refs[0]]) == 0:
        return ""
    return _sum(sheet, [refs[1]])


def _ratio_if_both(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(COUNT(a,b)<2,"",IF(c=0,"",d/e))``."""
    if _count(sheet, [refs[0], refs[1]]) < 2:
        return ""
    order = compare(sheet.scalar(refs[2]), 0.0)
    if order.__class__ is XlError:
        return order
    if order == 0:
        return ""
    a = _number_or_known(sheet, refs[3])
    if a.__class__ is XlError:
        return a
    b = _number_or_known(sheet, refs[4])
    if b.__class__ is XlError:
        return b
    return _div(a, b)


def _difference(sheet: Spreadsheet, refs: Refs, first: int) -> Any:
    """``refs[first] - refs[first + 1]`` as ``compile._arithmetic`` computes it."""
    a = _number_or_known(sheet, refs[first])
    if a.__class__ is XlError:
        return a
    b = _number_or_known(sheet, refs[first + 1])
    if b.__class__ is XlError:
        return b
    return _sub(a, b)


def _both_numbers(sheet: Spreadsheet, refs: Refs) -> bool:
    """``AND(ISNUMBER(a),ISNUMBER(b))``: both cells read (AND takes its arguments eagerly), two booleans."""
    first = _isnumber(sheet, [refs[0]])
    second = _isnumber(sheet, [refs[1]])
    return bool(first and second)


def _change(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(AND(ISNUMBER(a),ISNUMBER(b)),IF(ABS(c-d)<0.0005,0,e-f),"")``."""
    now, before = refs[0], refs[1]
    if refs[2:] == (now, before, now, before):  # the template's own (c, e = a; d, f = b): each cell read once
        return change_of(sheet, sheet.scalar(now), sheet.scalar(before), 0.0005)
    if not _both_numbers(sheet, refs):
        return ""
    gap = _difference(sheet, refs, 2)
    if gap.__class__ is XlError:
        return gap
    near = compare(abs(gap), 0.0005) == -1  # two numbers: -1, 0 or 1, never an error
    return 0.0 if near else _difference(sheet, refs, 4)


def _relative_change(sheet: Spreadsheet, refs: Refs) -> Any:
    """``IF(AND(ISNUMBER(a),ISNUMBER(b)),IF(c=0,"",IF(ABS((d-e)/ABS(f))<0.0005,0,(g-h)/ABS(i))),"")``."""
    now, before = refs[0], refs[1]
    if refs[2:] == (before, now, before, before, now, before, before):  # the template's own: read once
        return relative_of(sheet, sheet.scalar(now), sheet.scalar(before), 0.0005)
    if not _both_numbers(sheet, refs):
        return ""
    order = compare(sheet.scalar(refs[2]), 0.0)
    if order.__class__ is XlError:
        return order
    if order == 0:
        return ""
    ratio = _over_abs(sheet, refs, 3)
    if ratio.__class__ is XlError:
        return ratio
    near = compare(abs(ratio), 0.0005) == -1
    return 0.0 if near else _over_abs(sheet, refs, 6)


def _over_abs(sheet: Spreadsheet, refs: Refs, first: int) -> Any:
    """``(refs[first] - refs[first + 1]) / ABS(refs[first + 2])``, errors in ``_arithmetic``'s order."""
    gap = _difference(sheet, refs, first)
    if gap.__class__ is XlError:
        return gap
    base = _number_or_known(sheet, refs[first + 2])
    if base.__class__ is XlError:
        return base
    return _div(gap, abs(base))


def _shape(text: str) -> str:
    return text.replace("@", REF_MARK)


_FUSED: dict[str, Callable[[Spreadsheet, Refs], Any]] = {
    _shape("IF(ISNUMBER(@),@,NA())"): _shown_or_na,
    _shape('IF(ISNUMBER(@),@,"")'): _shown_or_blank,
    _shape("IF(ISNUMBER(@),@,0)"): _shown_or_zero,
    _shape('IF(COUNT(@)<1,"",@)'): _shown_if_any,
    _shape('IF(COUNT(@)=0,"",AVERAGE(@))'): _average_if_any,
    _shape('IF(COUNT(@)=0,"",SUM(@))'): _sum_if_any,
    _shape('IF(COUNT(@,@)<2,"",IF(@=0,"",@/@))'): _ratio_if_both,
    _shape('IF(AND(ISNUMBER(@),ISNUMBER(@)),IF(ABS(@-@)<0.0005,0,@-@),"")'): _change,
    _shape(
        'IF(AND(ISNUMBER(@),ISNUMBER(@)),IF(@=0,"",IF(ABS((@-@)/ABS(@))<0.0005,0,(@-@)/ABS(@))),"")'
    ): _relative_change,
}
