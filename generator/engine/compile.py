"""Parse a formula shape (``reference.split_shape``) and compile it to a Python closure.

The grammar is Excel's for the part a template uses: numbers, strings, TRUE/FALSE, error
literals, references, defined names, function calls, unary minus and plus, ``%``, ``^``, ``* /``,
``+ -``, ``&`` and comparisons, with Excel's precedence (unary minus binds tighter than ``^``).
A compiled shape is ``fn(sheet, refs)``: ``sheet`` evaluates cells and names, ``refs`` are the
cell's own references in order. Anything outside the grammar raises EngineError.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator.engine import functions
from generator.engine.reference import REF_MARK
from generator.engine.values import DIV0, ERRORS, NUM, EngineError, XlError, compare, finite, to_number, to_text

if TYPE_CHECKING:
    from generator.engine.spreadsheet import Spreadsheet

Compiled = Callable[["Spreadsheet", tuple[Any, ...]], Any]

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<str>"(?:[^"]|"")*")
    |(?P<ref>\x00)
    |(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    |(?P<err>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A))
    |(?P<func>[^\W\d][\w.]*(?=\s*\())
    |(?P<name>[^\W\d][\w.]*)
    |(?P<op><>|<=|>=|[-+*/^&=<>%(),])
    )""",
    re.VERBOSE,
)
MAX_NESTING = 64
"""Levels of brackets and function calls in one formula: Excel's own limit for nested functions
("Excel specifications and limits": 64 nested levels of functions). Bounded here so that parsing
and evaluating a formula never runs out of Python's stack (a RecursionError is a crash, not a finding)."""
_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.")
_COMPARISONS = {
    "=": lambda c: c == 0,
    "<>": lambda c: c != 0,
    "<": lambda c: c < 0,
    ">": lambda c: c > 0,
    "<=": lambda c: c <= 0,
    ">=": lambda c: c >= 0,
}


def tokenize(shape: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos, end = 0, len(shape.rstrip())
    while pos < end:
        found = _TOKEN.match(shape, pos)
        if found is None or found.end() == pos:
            raise EngineError(f"cannot read the formula at {shape[pos : pos + 12]!r}")
        kind = found.lastgroup or ""
        tokens.append((kind, found.group(kind)))
        pos = found.end()
    return tokens


class _Parser:
    def __init__(self, shape: str) -> None:
        self.tokens = tokenize(shape)
        self.pos = 0
        self.refs = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self, value: str) -> bool:
        kind, text = self.peek()
        if kind == "op" and text == value:
            self.pos += 1
            return True
        return False

    def expect(self, value: str) -> None:
        if not self.take(value):
            raise EngineError(f"expected {value!r}, found {self.peek()[1] or 'the end'!r}")

    def formula(self) -> Compiled:
        node = self.comparison()
        if self.pos != len(self.tokens):
            raise EngineError(f"unexpected {self.peek()[1]!r}")
        return node

    def comparison(self) -> Compiled:
        first = self.concat()
        rest: list[tuple[Callable[[int], bool], Compiled]] = []
        while self.peek()[0] == "op" and self.peek()[1] in _COMPARISONS:
            test = _COMPARISONS[self.tokens[self.pos][1]]
            self.pos += 1
            rest.append((test, self.concat()))
        return _compare(first, rest) if rest else first

    def concat(self) -> Compiled:
        parts = [self.additive()]
        while self.take("&"):
            parts.append(self.additive())
        return _concat(parts) if len(parts) > 1 else parts[0]

    def additive(self) -> Compiled:
        return self._chain(self.multiplicative, {"+": _add, "-": _sub})

    def multiplicative(self) -> Compiled:
        return self._chain(self.power, {"*": _mul, "/": _div})

    def power(self) -> Compiled:
        return self._chain(self.unary, {"^": _pow})

    def _chain(self, operand: Callable[[], Compiled], ops: dict[str, Callable[[float, float], Any]]) -> Compiled:
        """``a op b op c ...`` left to right, as one closure with a loop: a 3,000-term sum (legal in
        Excel's 8,192 characters) must not nest 3,000 closures deep."""
        first = operand()
        rest: list[tuple[Callable[[float, float], Any], Compiled]] = []
        while True:
            kind, text = self.peek()
            if kind != "op" or text not in ops:
                return _arithmetic(first, rest) if rest else first
            self.pos += 1
            rest.append((ops[text], operand()))

    def unary(self) -> Compiled:
        negations = 0
        while self.peek()[0] == "op" and self.peek()[1] in "-+":
            negations += self.tokens[self.pos][1] == "-"
            self.pos += 1
        node = self.atom()
        while self.take("%"):
            node = _arithmetic(node, [(_div, _constant(100))])
        return _signed(node, negations % 2 == 1) if negations else node

    def atom(self) -> Compiled:
        kind, text = self.peek()
        self.pos += 1
        if kind == "num":
            number = float(text)
            return _constant(number if math.isfinite(number) else NUM)
        if kind == "str":
            return _constant(text[1:-1].replace('""', '"'))
        if kind == "err":
            return _constant(ERRORS[text])
        if kind == "ref":
            return _reference(self._next_ref())
        if kind == "name":
            upper = text.upper()
            if upper in ("TRUE", "FALSE"):
                return _constant(upper == "TRUE")
            return _name(text)
        if kind == "func":
            return self.call(text)
        if kind == "op" and text == "(":
            node = self.comparison()
            self.expect(")")
            return node
        raise EngineError(f"unexpected {text or 'end of formula'!r}")

    def call(self, name: str) -> Compiled:
        upper = name.upper()
        for prefix in _PREFIXES:
            upper = upper.removeprefix(prefix)
        self.expect("(")
        args: list[Compiled] = []
        if not self.take(")"):
            while True:
                if self.peek() in (("op", ","), ("op", ")")):
                    raise EngineError(f"{upper}: an empty argument is not supported")
                args.append(self.comparison())
                if self.take(")"):
                    break
                self.expect(",")
        return functions.call(upper, args)

    def _next_ref(self) -> int:
        index = self.refs
        self.refs += 1
        return index


def compile_shape(shape: str) -> tuple[Compiled, int]:
    """The closure for a shape, and how many references it reads."""
    parser = _Parser(shape)
    depth = deepest = 0
    # Brackets (a function call's too) are the only recursion of the parser and of the closures it builds:
    # counted first, so 5,000 of them are refused before any recursion and 64 always fit Python's stack.
    for kind, text in parser.tokens:
        if kind == "op" and text == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "op" and text == ")":
            depth -= 1
    if deepest > MAX_NESTING:
        raise EngineError(f"the formula is nested more than {MAX_NESTING} levels deep")
    node = parser.formula()
    if REF_MARK in shape and parser.refs != shape.count(REF_MARK):
        raise EngineError("a reference sits where the grammar does not allow one")
    return node, parser.refs


def _constant(value: Any) -> Compiled:
    return lambda sheet, refs: value


def _reference(index: int) -> Compiled:
    return lambda sheet, refs: refs[index]


def _name(name: str) -> Compiled:
    key = name.lower()
    return lambda sheet, refs: sheet.name(key)


def _signed(operand: Compiled, negative: bool) -> Compiled:
    """One or more signs before an operand: the value as a number, negated when the minus signs are odd."""

    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        value = to_number(sheet.scalar(operand(sheet, refs)))
        if value.__class__ is XlError or not negative:
            return value
        return -value  # type: ignore[operator]

    return run


def _add(a: float, b: float) -> Any:
    return finite(a + b)


def _sub(a: float, b: float) -> Any:
    return finite(a - b)


def _mul(a: float, b: float) -> Any:
    return finite(a * b)


def _div(a: float, b: float) -> Any:
    return DIV0 if b == 0 else finite(a / b)


def _pow(a: float, b: float) -> Any:
    if a == 0 and b <= 0:
        return NUM if b == 0 else DIV0
    try:
        result = a**b
    except OverflowError:
        return NUM
    return NUM if isinstance(result, complex) else finite(result)


def _number(sheet: Spreadsheet, value: Any) -> Any:
    """An operand as a number (or the error it gives); the common case, a number, costs no call."""
    cls = value.__class__
    if cls is float or cls is int:
        return value
    return to_number(sheet.scalar(value))


def _arithmetic(first: Compiled, rest: list[tuple[Callable[[float, float], Any], Compiled]]) -> Compiled:
    """``first op1 second op2 third ...`` left to right; the first error met is the result, and the
    operands after it are not evaluated (as Excel: a formula's first error wins)."""
    steps = tuple(rest)

    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        a = _number(sheet, first(sheet, refs))
        for op, operand in steps:
            if a.__class__ is XlError:
                return a
            b = _number(sheet, operand(sheet, refs))
            if b.__class__ is XlError:
                return b
            a = op(a, b)
        return a

    return run


def _concat(parts: list[Compiled]) -> Compiled:
    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        texts = []
        for part in parts:
            text = to_text(sheet.scalar(part(sheet, refs)))
            if text.__class__ is XlError:
                return text
            texts.append(text)
        return "".join(texts)  # type: ignore[arg-type]

    return run


def _compare(first: Compiled, rest: list[tuple[Callable[[int], bool], Compiled]]) -> Compiled:
    """``a < b = c``: left to right, each comparison's boolean compared with the next operand."""
    steps = tuple(rest)

    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        left = sheet.scalar(first(sheet, refs))
        for test, operand in steps:
            order = compare(left, sheet.scalar(operand(sheet, refs)))
            if order.__class__ is XlError:
                return order
            left = test(order)  # type: ignore[arg-type]
        return left

    return run
