"""Parse a formula shape (``reference.split_shape``) and compile it to a Python closure.

The grammar is Excel's for the part a template uses: numbers, strings, TRUE/FALSE, error
literals, references, defined names, function calls, unary minus and plus, ``%``, ``^``, ``* /``,
``+ -``, ``&`` and comparisons, with Excel's precedence (unary minus binds tighter than ``^``).
A compiled shape is ``fn(sheet, refs)``: ``sheet`` evaluates cells and names, ``refs`` are the
cell's own references in order. Anything outside the grammar raises EngineError.
"""

from __future__ import annotations

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
        left = self.concat()
        while self.peek()[0] == "op" and self.peek()[1] in _COMPARISONS:
            test = _COMPARISONS[self.tokens[self.pos][1]]
            self.pos += 1
            left = _compare(left, self.concat(), test)
        return left

    def concat(self) -> Compiled:
        left = self.additive()
        while self.take("&"):
            left = _concat(left, self.additive())
        return left

    def additive(self) -> Compiled:
        left = self.multiplicative()
        while True:
            if self.take("+"):
                left = _arithmetic(left, self.multiplicative(), _add)
            elif self.take("-"):
                left = _arithmetic(left, self.multiplicative(), _sub)
            else:
                return left

    def multiplicative(self) -> Compiled:
        left = self.power()
        while True:
            if self.take("*"):
                left = _arithmetic(left, self.power(), _mul)
            elif self.take("/"):
                left = _arithmetic(left, self.power(), _div)
            else:
                return left

    def power(self) -> Compiled:
        left = self.unary()
        while self.take("^"):
            left = _arithmetic(left, self.unary(), _pow)
        return left

    def unary(self) -> Compiled:
        if self.take("-"):
            return _negate(self.unary())
        if self.take("+"):
            return self.unary()
        node = self.atom()
        while self.take("%"):
            node = _arithmetic(node, _constant(100), _div)
        return node

    def atom(self) -> Compiled:
        kind, text = self.peek()
        self.pos += 1
        if kind == "num":
            return _constant(float(text))
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
    try:
        node = parser.formula()
    except RecursionError:  # thousands of nested brackets or signs: Excel itself stops at 64 levels
        raise EngineError("the formula is nested too deeply to compute") from None
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


def _negate(operand: Compiled) -> Compiled:
    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        value = to_number(sheet.scalar(operand(sheet, refs)))
        return value if value.__class__ is XlError else -value  # type: ignore[operator]

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


def _arithmetic(left: Compiled, right: Compiled, op: Callable[[float, float], Any]) -> Compiled:
    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        a = _number(sheet, left(sheet, refs))
        if a.__class__ is XlError:
            return a
        b = _number(sheet, right(sheet, refs))
        if b.__class__ is XlError:
            return b
        return op(a, b)

    return run


def _concat(left: Compiled, right: Compiled) -> Compiled:
    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        a = to_text(sheet.scalar(left(sheet, refs)))
        if a.__class__ is XlError:
            return a
        b = to_text(sheet.scalar(right(sheet, refs)))
        if b.__class__ is XlError:
            return b
        return a + b  # type: ignore[operator]

    return run


def _compare(left: Compiled, right: Compiled, test: Callable[[int], bool]) -> Compiled:
    def run(sheet: Spreadsheet, refs: tuple[Any, ...]) -> Any:
        order = compare(sheet.scalar(left(sheet, refs)), sheet.scalar(right(sheet, refs)))
        return order if order.__class__ is XlError else test(order)  # type: ignore[arg-type]

    return run
