"""Evaluate an expression tree in Python with the workbook's blank rules.

A blank (``None``) input or a zero denominator makes the whole value blank, exactly as the
compiled Excel formula shows an empty cell, so the validator can compare cell by cell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from generator.formula.expr import Binary, Call, Compare, Expr, Neg, Num, Ref


class _Blank(Exception):
    """Raised inside evaluation when the result must be blank."""


def evaluate(expr: Expr, values: Mapping[str, float | None]) -> float | None:
    """The value of ``expr``, or None when an input is blank or a denominator is zero."""
    try:
        result = _eval(expr, values)
    except _Blank:
        return None
    return result if math.isfinite(result) else None


def holds(rule: Compare, values: Mapping[str, float | None]) -> bool | None:
    """Whether a rule holds; None when a side is blank (nothing to check)."""
    left, right = evaluate(rule.left, values), evaluate(rule.right, values)
    if left is None or right is None:
        return None
    scale = max(abs(left), abs(right), 1.0)
    tolerance = 1e-9 * scale
    match rule.op:
        case "<=":
            return left <= right + tolerance
        case ">=":
            return left >= right - tolerance
        case "<":
            return left < right
        case ">":
            return left > right
        case _:
            return abs(left - right) <= tolerance


def _eval(node: Expr, values: Mapping[str, float | None]) -> float:
    match node:
        case Num(value):
            return value
        case Ref(name):
            found = values.get(name)
            if found is None:
                raise _Blank
            return float(found)
        case Neg(operand):
            return -_eval(operand, values)
        case Binary(op, left, right):
            a, b = _eval(left, values), _eval(right, values)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if b == 0:
                raise _Blank
            return a / b
        case Call(func, args):
            evaluated = [_eval(a, values) for a in args]
            return {"min": min, "max": max}[func](evaluated) if func != "abs" else abs(evaluated[0])
        case Compare():
            raise TypeError("a comparison has no numeric value; use holds()")
    raise TypeError(f"not an expression: {node!r}")
