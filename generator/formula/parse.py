"""Parse formula text into the expression tree with Python's ``ast`` and a strict whitelist.

``ast`` gives a real, well-tested parser with column numbers; the whitelist keeps the
language tiny (numbers, input ids, + - * /, parentheses, unary minus, min/max/abs, and one
comparison at the top of a rule). Nothing is ever evaluated by Python itself.
"""

from __future__ import annotations

import ast
import math

from generator.formula.expr import FUNCTIONS, Binary, BinaryOp, Call, Compare, CompareOp, Expr, Neg, Num, Ref

_BINARY: dict[type[ast.operator], BinaryOp] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARE: dict[type[ast.cmpop], CompareOp] = {ast.LtE: "<=", ast.GtE: ">=", ast.Lt: "<", ast.Gt: ">", ast.Eq: "=="}
MAX_LENGTH = 2000
LARGEST = 9.99999999999999e307
"""The largest number Excel accepts; a literal above it would be refused or changed by Excel."""
MAX_DEPTH = 100
"""Deepest nesting of operations; deeper trees would exhaust Python's recursion limit."""


class FormulaError(ValueError):
    """A formula that is not in the language; ``column`` is 1-based within the formula text."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def parse(text: str, *, comparison: bool = False) -> Expr:
    """Parse a KPI formula, or with ``comparison`` a rule such as ``a <= b``."""
    try:
        return _parse(text, comparison)
    except (RecursionError, MemoryError):  # Python's own parser or unparser on a deep tree
        raise FormulaError(f"formula is nested more than {MAX_DEPTH} levels deep") from None


def _parse(text: str, comparison: bool) -> Expr:
    if not text.strip():
        raise FormulaError("formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters")
    source = text.strip()
    if "\n" in source or "\r" in source:
        raise FormulaError("formula must be on one line")
    offset = len(text) - len(text.lstrip())
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        # offset is 1-based in characters; 0 or None when the text ended too early
        column = min(exc.offset, len(source) + 1) if exc.offset else len(source) + 1
        raise FormulaError(f"syntax error: {exc.msg}", column + offset) from None
    body = tree.body
    if isinstance(body, ast.Compare):
        if not comparison:
            raise FormulaError("a comparison is only allowed in a rule's check", body.col_offset + 1 + offset)
        if len(body.ops) != 1:
            raise FormulaError("use one comparison, not a chain", body.col_offset + 1 + offset)
        op = _COMPARE.get(type(body.ops[0]))
        if op is None:
            raise FormulaError("comparison must be one of <= >= < > ==", body.col_offset + 1 + offset)
        return Compare(op, _convert(body.left, offset, source), _convert(body.comparators[0], offset, source))
    if comparison:
        raise FormulaError("a rule's check must compare two values, e.g. 'a <= b'")
    return _convert(body, offset, source)


def _convert(node: ast.expr, offset: int, source: str = "", depth: int = 0) -> Expr:
    # ast's col_offset counts UTF-8 bytes; the column counts characters
    column = len(source.encode("utf-8")[: getattr(node, "col_offset", 0)].decode("utf-8", "ignore")) + 1 + offset
    if depth > MAX_DEPTH:
        raise FormulaError(f"formula is nested more than {MAX_DEPTH} levels deep", column)

    def convert(child: ast.expr) -> Expr:
        return _convert(child, offset, source, depth + 1)

    match node:
        case ast.Constant(value=bool()):
            raise FormulaError("True/False are not numbers", column)
        case ast.Constant(value=int() | float() as value):
            try:
                number = float(value)
            except OverflowError:  # an integer literal of hundreds of digits
                number = math.inf
            if not math.isfinite(number) or abs(number) > LARGEST:
                raise FormulaError("number is too large for a spreadsheet (at most 9.99E+307)", column)
            return Num(number)
        case ast.Name(id=name):
            if name in FUNCTIONS:
                raise FormulaError(f"'{name}' is a function: write {name}(...)", column)
            return Ref(name)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            inner = convert(operand)
            return Num(-inner.value) if isinstance(inner, Num) else Neg(inner)
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return convert(operand)
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _BINARY:
            return Binary(_BINARY[type(op)], convert(left), convert(right))
        case ast.BinOp(op=op):
            symbol = {ast.Pow: "**", ast.Mod: "%", ast.FloorDiv: "//"}.get(type(op), type(op).__name__)
            raise FormulaError(f"operator {symbol} is not allowed; use + - * /", column)
        case ast.Call(func=ast.Name(id=func), args=args, keywords=[]) if func in FUNCTIONS:
            if not args or (func == "abs" and len(args) != 1):
                raise FormulaError(f"{func}() takes {'one argument' if func == 'abs' else 'arguments'}", column)
            if any(isinstance(a, ast.Starred) for a in args):
                raise FormulaError("* arguments are not allowed", column)
            return Call(func, tuple(convert(a) for a in args))
        case ast.Call(func=ast.Name(id=func)) if func in FUNCTIONS:
            raise FormulaError(f"{func}() takes no named arguments", column)
        case ast.Call(func=ast.Name(id=func)):
            allowed = ", ".join(FUNCTIONS)
            raise FormulaError(f"unknown function '{func}'; allowed: {allowed}", column)
        case ast.Constant():
            raise FormulaError("only numbers are allowed as constants", column)
        case _:
            raise FormulaError(f"'{ast.unparse(node)}' is not allowed in a formula", column)
