"""Compile an expression tree to Excel formula text.

The text uses only operators and functions that Excel, LibreOffice and Google Sheets compute
alike (IF, COUNT, MIN, MAX, ABS), English names and comma separators, as the file format wants.
Blank inputs and zero denominators give an empty string, so a month without data shows an
empty cell, never 0 or #DIV/0!.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.formula.expr import Binary, Call, Compare, Expr, Neg, Num, Ref, refs, walk

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_ATOM = 4


def to_excel(expr: Expr, ref: Callable[[str], str]) -> str:
    """A whole cell formula (starting with ``=``) for ``expr``, with ``ref`` giving each input's cell."""
    body = render(expr, ref)
    for denominator in reversed(_denominators(expr, ref)):
        body = f'IF({denominator}=0,"",{body})'
    names = refs(expr)
    if names:
        cells = ",".join(ref(name) for name in names)
        body = f'IF(COUNT({cells})<{len(names)},"",{body})'
    return "=" + body


def render(expr: Expr, ref: Callable[[str], str]) -> str:
    """The bare Excel expression, without guards (used inside guards and for rules)."""
    text, _ = _render(expr, ref)
    return text


def number(value: float) -> str:
    """A number as Excel reads it back to the same double."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value).upper()


def _denominators(expr: Expr, ref: Callable[[str], str]) -> list[str]:
    """Right operands of divisions, inner ones first, each once; constants other than 0 need no guard."""
    seen: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, Binary) and node.op == "/":
            if isinstance(node.right, Num) and node.right.value != 0:
                continue
            seen.setdefault(render(node.right, ref), None)
    return list(seen)


def _render(node: Expr, ref: Callable[[str], str]) -> tuple[str, int]:
    match node:
        case Num(value):
            text = number(value)
            return (f"({text})", _ATOM) if value < 0 else (text, _ATOM)
        case Ref(name):
            return ref(name), _ATOM
        case Neg(operand):
            inner, precedence = _render(operand, ref)
            return "-" + (inner if precedence >= 3 else f"({inner})"), 3
        case Binary(op, left, right):
            level = _PRECEDENCE[op]
            lhs, lp = _render(left, ref)
            rhs, rp = _render(right, ref)
            if lp < level:
                lhs = f"({lhs})"
            if rp <= level:  # keep a-(b-c), a/(b/c) and also a+(b+c), a*(b/c): Excel computes in the tree's order
                rhs = f"({rhs})"
            return f"{lhs}{op}{rhs}", level
        case Call(func, args):
            return f"{func.upper()}({','.join(render(a, ref) for a in args)})", _ATOM
        case Compare(op, left, right):
            return f"{render(left, ref)}{'=' if op == '==' else op}{render(right, ref)}", 0
    raise TypeError(f"not an expression: {node!r}")
