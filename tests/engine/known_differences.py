"""The known ways LibreOffice departs from Excel (the reference), each with its source and a model: a
patch that makes the engine compute as LibreOffice does in that one respect. The differential test
(test_differential.py) accepts a disagreement only when some of these models predict LibreOffice's result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from generator.engine import Spreadsheet, compile, functions, values


@dataclass(frozen=True)
class Difference:
    name: str
    source: str
    model: Callable[[pytest.MonkeyPatch], None]
    """Patches the engine so that it computes as LibreOffice does in this one respect."""
    numeric: bool = False
    """LibreOffice's result is compared as a number (it writes a logical result as 1 or 0, or the reverse)."""


def _booleans_are_numbers(patch: pytest.MonkeyPatch) -> None:
    """LibreOffice has no boolean type: TRUE is the number 1 formatted as a logical, so ranges sum and
    count it, TRUE=1 is TRUE and TRUE&1 is "11"."""
    patch.setattr(values, "is_number", lambda v: v.__class__ in (float, int, bool))
    patch.setattr(functions, "is_number", lambda v: v.__class__ in (float, int, bool))
    rank = dict(values._RANK)
    rank[bool] = 0
    patch.setattr(values, "_RANK", rank)
    to_text = values.to_text
    patch.setattr(compile, "to_text", lambda v: ("1" if v else "0") if v.__class__ is bool else to_text(v))
    match = functions._match

    def match_logical_text(sheet: Spreadsheet, args: list[Any]) -> Any:
        wanted = sheet.scalar(args[0])
        truth = values.text_to_bool(wanted) if isinstance(wanted, str) else None
        return match(sheet, [truth, *args[1:]] if truth is not None else args)

    patch.setitem(functions._EAGER, "MATCH", (2, 3, match_logical_text))


def _modulo_rounds_the_quotient(patch: pytest.MonkeyPatch) -> None:
    """LibreOffice's MOD floors the quotient after rounding it to 15 digits (approxFloor): MOD(3,0.01) is 0."""
    mod = functions._mod

    def modulo(sheet: Spreadsheet, args: list[Any]) -> Any:
        found = mod(sheet, args)
        if found.__class__ is values.XlError:
            return found
        n, d = (values.to_number(sheet.scalar(a)) for a in args)
        quotient = float(f"{n / d:.15g}")  # type: ignore[operator]
        return n - d * math.floor(quotient)  # type: ignore[operator]

    patch.setitem(functions._EAGER, "MOD", (2, 2, modulo))


def _power_rules(patch: pytest.MonkeyPatch) -> None:
    """LibreOffice: 0^0 is 1, 0 to a negative power #NUM!, and odd roots of negative bases are real."""
    original = compile._pow

    def power(a: float, b: float) -> Any:
        if a == 0 and b <= 0:
            return 1.0 if b == 0 else values.NUM
        if a < 0 and b != int(b) and abs(1 / b - round(1 / b)) < 1e-9 and round(1 / b) % 2:
            return -((-a) ** b)
        return original(a, b)

    patch.setattr(compile, "_pow", power)


def _logical_text_is_an_error(patch: pytest.MonkeyPatch) -> None:
    """LibreOffice: any text typed directly into AND/OR is #VALUE!, even "TRUE"."""
    original = functions._logical

    def logical(sheet: Spreadsheet, args: list[Any]) -> Any:
        if any(isinstance(arg, str) for arg in args):
            return values.VALUE
        return original(sheet, args)

    patch.setattr(functions, "_logical", logical)


def _index_outside_is_value(patch: pytest.MonkeyPatch) -> None:
    original = functions._index

    def index(sheet: Spreadsheet, args: list[Any]) -> Any:
        found = original(sheet, args)
        return values.VALUE if found is values.REF else found

    patch.setitem(functions._EAGER, "INDEX", (2, 3, index))


def _text_arguments_are_errors(patch: pytest.MonkeyPatch) -> None:
    original = functions._numbers

    def numbers(sheet: Spreadsheet, args: list[Any]) -> Iterator[Any]:
        for arg in args:
            if isinstance(arg, str):
                yield values.VALUE
            else:
                yield from original(sheet, [arg])

    patch.setattr(functions, "_numbers", numbers)


def _text_conversion(patch: pytest.MonkeyPatch) -> None:
    """LibreOffice's own reading of text as a number: TRUE/FALSE as 1/0, a spelling past the float range as
    the largest double; in a condition, numeric text counts as its number."""
    original = values.text_to_number

    def text_to_number(text: str) -> Any:
        truth = values.text_to_bool(text)
        if truth is not None:
            return 1.0 if truth else 0.0
        found = values._NUMERIC_TEXT.fullmatch(text)
        if found is not None and original(text) is values.VALUE:
            return -1.7976931348623157e308 if text.startswith("-") else 1.7976931348623157e308
        return original(text)

    to_bool = values.to_bool

    def condition(value: Any) -> Any:
        if isinstance(value, str) and values.text_to_bool(value) is None:
            number = text_to_number(value)
            return number if number.__class__ is values.XlError else number != 0
        return to_bool(value)

    patch.setattr(values, "text_to_number", text_to_number)
    patch.setattr(functions, "text_to_number", text_to_number)
    for module in (values, functions):
        patch.setattr(module, "to_bool", condition)


def _last_argument_first(patch: pytest.MonkeyPatch, comparisons: bool = True) -> None:
    """LibreOffice's interpreter pops arguments from a stack: where two arguments are errors, the last
    one (the right operand) is the result; Excel gives the first, left to right."""

    def arithmetic(first: Any, rest: list[tuple[Any, Any]]) -> Any:
        def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
            a = compile._number(sheet, first(sheet, refs))
            for op, operand in rest:
                b = compile._number(sheet, operand(sheet, refs))
                if b.__class__ is values.XlError:
                    return b
                if a.__class__ is values.XlError:
                    return a
                a = op(a, b)
            return a

        return run

    def compare(first: Any, rest: list[tuple[Any, Any]]) -> Any:
        def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
            left = sheet.scalar(first(sheet, refs))
            for test, operand in rest:
                right = sheet.scalar(operand(sheet, refs))
                for side in (right, left):
                    if side.__class__ is values.XlError:
                        return side
                left = test(values.compare(left, right))
            return left

        return run

    numbers, logical, mod = functions._numbers, functions._logical, functions._mod

    def numbers_reversed(sheet: Spreadsheet, args: list[Any]) -> Iterator[Any]:
        for arg in reversed(args):
            yield from numbers(sheet, [arg])

    patch.setattr(compile, "_arithmetic", arithmetic)
    if comparisons:
        patch.setattr(compile, "_compare", compare)
    patch.setattr(functions, "_numbers", numbers_reversed)
    patch.setattr(functions, "_logical", lambda sheet, args: logical(sheet, args[::-1]))
    patch.setitem(functions._EAGER, "MOD", (2, 2, lambda sheet, args: _mod_divisor_first(mod, sheet, args)))


def _mod_divisor_first(mod: Callable[[Spreadsheet, list[Any]], Any], sheet: Spreadsheet, args: list[Any]) -> Any:
    divisor = values.to_number(sheet.scalar(args[1]))
    if divisor.__class__ is values.XlError or divisor == 0:
        return values.DIV0 if divisor == 0 else divisor
    return mod(sheet, args)


_FN = "support.microsoft.com/office, the {} function page"
KNOWN: list[Difference] = [
    Difference(
        "booleans are numbers",
        "LibreOffice Help, 'Logical functions' (TRUE and FALSE are 1 and 0); "
        + _FN.format("SUM, COUNT, AVERAGE, MIN, MAX")
        + " (logical values in a reference are ignored); MS-OI29500 §18.17 (a logical never equals a number)",
        _booleans_are_numbers,
        numeric=True,
    ),
    Difference(
        "0^0, 0^-n and odd roots of negative numbers",
        "Excel-saved workbooks (issue 24): 0^0 and (-8)^(1/3) are #NUM!, 0^-1 #DIV/0!; LibreOffice Help, "
        "'Operators': 0^0 is 1",
        _power_rules,
    ),
    Difference(
        "text typed into AND/OR",
        'Excel-saved workbooks (issue 24): AND(TRUE,"0") is TRUE; LibreOffice: #VALUE!',
        _logical_text_is_an_error,
    ),
    Difference(
        "INDEX outside its range",
        _FN.format("INDEX") + ": #REF!; LibreOffice: Err:502, saved as #VALUE!",
        _index_outside_is_value,
    ),
    Difference(
        "text typed into SUM/AVERAGE/MIN/MAX",
        _FN.format("SUM") + ' ("text representations of numbers that you type directly" are counted); '
        "LibreOffice: #VALUE!",
        _text_arguments_are_errors,
    ),
    Difference(
        "LibreOffice's text-to-number setting",
        "MS-OI29500 §18.17.2 and Excel's VALUE page (spaces around a number, TRUE is no number, no double past "
        "9.99E+307); LibreOffice Help, 'Formula options: detailed calculation settings' (conversion from text "
        "to number)",
        _text_conversion,
    ),
    Difference(
        "which error when two arguments are errors",
        "MS-OI29500 §18.17.2.4 (operands evaluated left to right: the first error is the result); LibreOffice "
        "takes arguments from a stack, the last first",
        _last_argument_first,
    ),
    Difference(
        "MOD of fractions",
        _FN.format("MOD") + " (MOD(n, d) = n - d*INT(n/d), in doubles); LibreOffice rounds n/d to 15 digits "
        "before INT (rtl::math::approxFloor), so MOD(3,0.01) is 0 there",
        _modulo_rounds_the_quotient,
    ),
    Difference(
        "which error when two arguments are errors",
        "as above; in some comparisons LibreOffice keeps the left operand's error",
        lambda patch: _last_argument_first(patch, comparisons=False),
    ),
]
