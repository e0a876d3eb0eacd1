"""The closed set of functions a template's formulas call, with Excel's rules for each.

Arguments arrive compiled; most functions take their values (a reference stays an ``Area`` so
that SUM skips text in a range but refuses it typed directly, as Excel does), IF and IFERROR
take the closures and evaluate only the branch they need. Any other function is an
EngineError: a formula the engine cannot compute must fail loudly, never be cached as 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from generator.engine.values import (
    DIV0,
    NA,
    NUM,
    REF,
    VALUE,
    EngineError,
    XlError,
    fold,
    is_number,
    text_to_bool,
    text_to_number,
    to_bool,
    to_number,
)
from generator.formula.reference import Area

if TYPE_CHECKING:
    from generator.engine.compile import Compiled
    from generator.engine.spreadsheet import Spreadsheet

__all__ = ["SUPPORTED", "call"]

Refs = tuple[Any, ...]


def call(name: str, args: list[Compiled]) -> Compiled:
    """The compiled call of ``name`` with ``args``; EngineError for a function outside the set."""
    if name in _LAZY:
        low, high, make = _LAZY[name]
        _arity(name, args, low, high)
        return make(args)
    if name not in _EAGER:
        raise EngineError(f"function {name} is not supported by the engine")
    low, high, impl = _EAGER[name]
    _arity(name, args, low, high)
    if len(args) == 1:  # one or two arguments (most calls) listed without a comprehension's own call
        (only,) = args
        return lambda sheet, refs: impl(sheet, [only(sheet, refs)])
    if len(args) == 2:
        first, second = args
        return lambda sheet, refs: impl(sheet, [first(sheet, refs), second(sheet, refs)])

    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        return impl(sheet, [arg(sheet, refs) for arg in args])

    return run


def _arity(name: str, args: list[Compiled], low: int, high: int) -> None:
    if not low <= len(args) <= high:
        raise EngineError(f"{name} takes {low} to {high} arguments, not {len(args)}")


# ------------------------------------------------------------------------------------------- lazy


def _if(args: list[Compiled]) -> Compiled:
    test, yes = args[0], args[1]
    no = args[2] if len(args) > 2 else None

    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        condition = test(sheet, refs)
        condition = to_bool(sheet.scalar(condition) if condition.__class__ is Area else condition)
        if condition.__class__ is XlError:
            return condition
        if condition:
            return yes(sheet, refs)
        return no(sheet, refs) if no is not None else False

    return run


def _iferror(args: list[Compiled]) -> Compiled:
    value, fallback = args

    def run(sheet: Spreadsheet, refs: Refs) -> Any:
        found = value(sheet, refs)
        if sheet.scalar(found).__class__ is XlError:
            return fallback(sheet, refs)
        return found  # a reference stays one, as IF's result does: MIN(IFERROR(C3,0),5) skips a blank C3

    return run


_LAZY: dict[str, tuple[int, int, Callable[[list[Compiled]], Compiled]]] = {
    "IF": (2, 3, _if),
    "IFERROR": (2, 2, _iferror),
}

# ------------------------------------------------------------------------------------------- eager


def _numbers(sheet: Spreadsheet, args: list[Any]) -> Iterator[float | XlError]:
    """The numbers SUM, AVERAGE, MIN and MAX use: in a range only numbers (errors propagate),
    typed directly also booleans and numeric text (other text is #VALUE!)."""
    for arg in args:
        if arg.__class__ is Area:
            for value in sheet.values(arg):
                if is_number(value) or value.__class__ is XlError:
                    yield value
        elif arg.__class__ is XlError:
            yield arg
        else:
            yield to_number(arg)


def _collect(sheet: Spreadsheet, args: list[Any]) -> list[float] | XlError:
    found: list[float] = []
    for value in _numbers(sheet, args):
        if value.__class__ is XlError:
            return value
        found.append(value)  # type: ignore[arg-type]
    return found


def _sum(sheet: Spreadsheet, args: list[Any]) -> Any:
    found = _collect(sheet, args)
    if isinstance(found, XlError):
        return found
    try:
        return math.fsum(found)
    except OverflowError:  # partial sums past the largest float: Excel shows #NUM!
        return NUM


def _average(sheet: Spreadsheet, args: list[Any]) -> Any:
    found = _collect(sheet, args)
    if isinstance(found, XlError):
        return found
    if not found:
        return DIV0
    try:
        return math.fsum(found) / len(found)
    except OverflowError:  # partial sums past the largest float: Excel shows #NUM!
        return NUM


def _min(sheet: Spreadsheet, args: list[Any]) -> Any:
    found = _collect(sheet, args)
    return found if isinstance(found, XlError) else min(found, default=0)


def _max(sheet: Spreadsheet, args: list[Any]) -> Any:
    found = _collect(sheet, args)
    return found if isinstance(found, XlError) else max(found, default=0)


def _count(sheet: Spreadsheet, args: list[Any]) -> Any:
    """Numbers in ranges; typed directly, also booleans and numeric text. Errors are not counted."""
    count = 0
    for arg in args:
        if arg.__class__ is Area:
            count += sum(1 for value in sheet.values(arg) if is_number(value))
        elif (
            is_number(arg)
            or arg.__class__ is bool
            or (isinstance(arg, str) and text_to_number(arg).__class__ is not XlError)
        ):
            count += 1
    return count


def _logical(sheet: Spreadsheet, args: list[Any]) -> list[bool] | XlError:
    """AND's and OR's truth values: booleans and numbers; errors propagate, the first one met.

    Text in a range and blanks are skipped (Excel's AND function page: "If an array or reference
    argument contains text or empty cells, those values are ignored"; no logical value at all is
    #VALUE!). Text typed directly is read when it spells TRUE or FALSE and otherwise skipped too:
    Excel-saved workbooks show AND(TRUE,"0") as TRUE and AND(TRUE,"0",#REF!) as #REF!."""
    found: list[bool] = []
    for arg in args:
        values = sheet.values(arg) if arg.__class__ is Area else [arg]
        for value in values:
            cls = value.__class__
            if cls is XlError:
                return value  # type: ignore[no-any-return]
            if cls is bool:
                found.append(value)
            elif cls is float or cls is int:
                found.append(value != 0)
            elif cls is str and arg.__class__ is not Area:
                truth = text_to_bool(value)
                if truth is not None:
                    found.append(truth)
    return found if found else VALUE


def _and(sheet: Spreadsheet, args: list[Any]) -> Any:
    found = _logical(sheet, args)
    return found if isinstance(found, XlError) else all(found)


def _or(sheet: Spreadsheet, args: list[Any]) -> Any:
    found = _logical(sheet, args)
    return found if isinstance(found, XlError) else any(found)


def _not(sheet: Spreadsheet, args: list[Any]) -> Any:
    truth = to_bool(sheet.scalar(args[0]))
    return truth if truth.__class__ is XlError else not truth


def _number_arg(sheet: Spreadsheet, arg: Any) -> float | XlError:
    return to_number(sheet.scalar(arg))


def _abs(sheet: Spreadsheet, args: list[Any]) -> Any:
    x = _number_arg(sheet, args[0])
    return x if x.__class__ is XlError else abs(x)  # type: ignore[arg-type]


def _int(sheet: Spreadsheet, args: list[Any]) -> Any:
    x = _number_arg(sheet, args[0])
    if x.__class__ is XlError:
        return x
    floor = math.floor(x)  # type: ignore[arg-type]
    return floor if -1e15 < floor < 1e15 else float(floor)  # a float beyond 2**53 stays a float


def _mod(sheet: Spreadsheet, args: list[Any]) -> Any:
    """n - d*INT(n/d): the result takes the divisor's sign, as Python's % does."""
    n = _number_arg(sheet, args[0])
    if n.__class__ is XlError:
        return n
    d = _number_arg(sheet, args[1])
    if d.__class__ is XlError:
        return d
    return DIV0 if d == 0 else n % d  # type: ignore[operator]


def _isnumber(sheet: Spreadsheet, args: list[Any]) -> Any:
    return is_number(sheet.scalar(args[0]))


def _na(sheet: Spreadsheet, args: list[Any]) -> Any:
    return NA


def _position(sheet: Spreadsheet, arg: Any) -> int | XlError:
    number = _number_arg(sheet, arg)
    if number.__class__ is XlError:
        return number
    return VALUE if number < 0 else int(number)  # type: ignore[operator, arg-type]


def _index(sheet: Spreadsheet, args: list[Any]) -> Any:
    """INDEX(range, n) along a one-row or one-column range, or INDEX(range, row, column)."""
    area = args[0]
    if area.__class__ is XlError:
        return area
    if area.__class__ is not Area:
        raise EngineError("INDEX needs a range as its first argument")
    row = _position(sheet, args[1])
    if row.__class__ is XlError:
        return row
    if len(args) == 3:
        col = _position(sheet, args[2])
        if col.__class__ is XlError:
            return col
    elif area.rows == 1:
        row, col = 1, row
    elif area.cols == 1:
        col = 1
    else:
        return REF
    if row > area.rows or col > area.cols:  # type: ignore[operator]
        return REF
    first_row = area.first_row + row - 1 if row else area.first_row  # type: ignore[operator]
    last_row = first_row if row else area.last_row
    first_col = area.first_col + col - 1 if col else area.first_col  # type: ignore[operator]
    last_col = first_col if col else area.last_col
    return Area(area.sheet, first_row, first_col, last_row, last_col)


def _wildcard(pattern: str) -> re.Pattern[str]:
    """Excel's * and ? (with ~ escaping them) as a regular expression, ignoring case."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern) and pattern[i + 1] in "*?~":
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def _match(sheet: Spreadsheet, args: list[Any]) -> Any:
    """MATCH(value, range, 0): the 1-based position of the first equal value, else #N/A."""
    if len(args) < 3 or sheet.scalar(args[2]) != 0:
        raise EngineError("MATCH is supported with match type 0 (exact) only")
    wanted = sheet.scalar(args[0])
    if wanted.__class__ is XlError:
        return wanted
    area = args[1]
    if area.__class__ is XlError:
        return area
    if area.__class__ is not Area:
        raise EngineError("MATCH needs a range as its second argument")
    if wanted is None or (area.rows > 1 and area.cols > 1):
        return NA
    if isinstance(wanted, str):
        pattern = _wildcard(fold(wanted)) if any(ch in wanted for ch in "*?~") else None
        folded = fold(wanted)
        for position, value in sheet.positioned(area):
            if isinstance(value, str) and (
                pattern.fullmatch(fold(value)) if pattern is not None else fold(value) == folded
            ):
                return position
        return NA
    for position, value in sheet.positioned(area):
        same_kind = value.__class__ is wanted.__class__ or (is_number(value) and is_number(wanted))
        if same_kind and value == wanted:
            return position
    return NA


_EAGER: dict[str, tuple[int, int, Callable[[Spreadsheet, list[Any]], Any]]] = {
    "ABS": (1, 1, _abs),
    "AND": (1, 255, _and),
    "AVERAGE": (1, 255, _average),
    "COUNT": (1, 255, _count),
    "INDEX": (2, 3, _index),
    "INT": (1, 1, _int),
    "ISNUMBER": (1, 1, _isnumber),
    "MATCH": (2, 3, _match),
    "MAX": (1, 255, _max),
    "MIN": (1, 255, _min),
    "MOD": (2, 2, _mod),
    "NA": (0, 0, _na),
    "NOT": (1, 1, _not),
    "OR": (1, 255, _or),
    "SUM": (1, 255, _sum),
}

SUPPORTED = frozenset(_EAGER) | frozenset(_LAZY)
"""Every function the engine computes: the writer's formulas must call only these."""
