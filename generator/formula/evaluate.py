"""Evaluate an expression tree in Python with the workbook's blank rules.

A blank (``None``) input or a zero denominator makes the whole value blank, exactly as the
compiled Excel formula shows an empty cell, so the validator can compare cell by cell.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from generator.formula.by_identity import ByIdentity
from generator.formula.expr import Binary, Call, Compare, Expr, Neg, Num, Ref

Values = Mapping[str, float | None]
Compiled = Callable[[Values], float | None]
"""An expression as nested Python functions: its value, or None when it is blank."""

MOST_COMPILED = 4096
"""A few catalogues' formulas and rules; beyond this the table starts again (it is only a cache)."""
_compiled: ByIdentity[Expr, Compiled] = ByIdentity(lambda expr: _finite(_compile(expr)), MOST_COMPILED)
"""Each expression's functions, by identity (the catalogue's trees are parsed once and kept): the
validator evaluates every KPI for 17 periods per file, and walking the tree with ``match`` cost
several times what the arithmetic does."""


def evaluate(expr: Expr, values: Values) -> float | None:
    """The value of ``expr``, or None when an input is blank or a denominator is zero."""
    return evaluator(expr)(values)


def evaluator(expr: Expr) -> Compiled:
    """``evaluate`` of ``expr`` as one function of the values: for one tree over many tables of values."""
    return _compiled(expr)


def _finite(compiled: Compiled) -> Compiled:
    """A value beyond a double (the spreadsheet's #NUM!) is blank as well."""

    def value(values: Values) -> float | None:
        result = compiled(values)
        return result if result is not None and math.isfinite(result) else None

    return value


def holds(rule: Compare, values: Values) -> bool | None:
    """Whether a rule holds; None when a side is blank (nothing to check)."""
    return rule_test(rule)(values)


Test = Callable[[Values], bool | None]
_tests: ByIdentity[Compare, Test] = ByIdentity(lambda rule: _test(rule), MOST_COMPILED)
"""Each rule's test, by identity, as ``_compiled`` keeps the formulas (a rule is checked for every month)."""


def rule_test(rule: Compare) -> Test:
    """``holds`` of ``rule`` as one function of the values: for one rule over many months."""
    return _tests(rule)


def _test(rule: Compare) -> Test:
    left, right, op = evaluator(rule.left), evaluator(rule.right), rule.op

    def test(values: Values) -> bool | None:
        a, b = left(values), right(values)
        if a is None or b is None:
            return None
        tolerance = 1e-9 * max(abs(a), abs(b), 1.0)
        if op == "<=":
            return a <= b + tolerance
        if op == ">=":
            return a >= b - tolerance
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        return abs(a - b) <= tolerance

    return test


def _compile(node: Expr) -> Compiled:
    """``node`` as functions that give None as soon as a part is blank (a blank input, a zero denominator)."""
    match node:
        case Num(value):
            return lambda values: value
        case Ref(name):
            return _ref(name)
        case Neg(operand):
            inner = _compile(operand)
            return lambda values: None if (a := inner(values)) is None else -a
        case Binary(op, left, right):
            return _binary(op, _compile(left), _compile(right))
        case Call(func, args):
            return _call(func, [_compile(a) for a in args])
        case Compare():
            return _fails(TypeError("a comparison has no numeric value; use holds()"))
    return _fails(TypeError(f"not an expression: {node!r}"))


def _ref(name: str) -> Compiled:
    def read(values: Values) -> float | None:
        found = values.get(name)
        return None if found is None else float(found)

    return read


def _binary(op: str, left: Compiled, right: Compiled) -> Compiled:
    def apply(values: Values) -> float | None:
        a = left(values)
        if a is None:
            return None
        b = right(values)
        if b is None:
            return None
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return None if b == 0 else a / b

    return apply


def _call(func: str, args: list[Compiled]) -> Compiled:
    def apply(values: Values) -> float | None:
        evaluated = []
        for arg in args:
            value = arg(values)
            if value is None:
                return None
            evaluated.append(value)
        return {"min": min, "max": max}[func](evaluated) if func != "abs" else abs(evaluated[0])

    return apply


def _fails(error: Exception) -> Compiled:
    """What evaluating a node that is not a number raises, raised when evaluated (as the tree walk did)."""

    def apply(values: Values) -> float | None:
        raise error

    return apply
