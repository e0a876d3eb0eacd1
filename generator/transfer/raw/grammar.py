"""The closed filter grammar of a profile's measures, parsed to a small tree both engines walk.

    filter  := or ;  or := and ("or" and)* ;  and := not ("and" not)* ;  not := "not" not | atom
    atom    := "(" filter ")" | value ("=" | "!=" | "<" | "<=" | ">" | ">=") value
             | value ["not"] "in" (list | VOCABULARY) | value "is" ["not"] "null"
    value   := COLUMN | NUMBER | 'text' | days(COLUMN, COLUMN)

As in the formula grammar (``generator.formula.parse``), errors carry a 1-based column so a
profile's problem points at the character. Nothing here is ever SQL text: the SQL compiler
builds expressions from this tree, so a user's filter cannot inject a statement.
Text compares without case and surrounding spaces; an atom on an empty cell is false.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from generator.formula import FormulaError

CompareOp = Literal["=", "!=", "<", "<=", ">", ">="]
_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|'(?P<text>[^']*)'"
    r"|(?P<op><=|>=|!=|<>|=|<|>|\(|\)|\[|\]|,))"
)
KEYWORDS = {"and", "or", "not", "in", "is", "null", "days"}
MAX_LENGTH = 1000


@dataclass(frozen=True)
class Col:
    name: str
    at: int


@dataclass(frozen=True)
class Lit:
    value: str | float


@dataclass(frozen=True)
class Days:
    """Whole calendar days from ``start`` to ``end`` (local dates), as a number."""

    start: Col
    end: Col


Value = Col | Lit | Days


@dataclass(frozen=True)
class Cmp:
    op: CompareOp
    left: Value
    right: Value


@dataclass(frozen=True)
class In:
    value: Value
    items: tuple[str | float, ...] | None
    """None: a vocabulary of ``any`` (every row passes)."""
    negated: bool = False


@dataclass(frozen=True)
class IsNull:
    value: Value
    negated: bool = False


@dataclass(frozen=True)
class Bool:
    op: Literal["and", "or"]
    items: tuple[Filter, ...]


@dataclass(frozen=True)
class Not:
    item: Filter


Filter = Cmp | In | IsNull | Bool | Not


def columns_of(node: Filter | Value) -> list[Col]:
    """Every column the node reads, in order."""
    match node:
        case Col():
            return [node]
        case Days(start, end):
            return [start, end]
        case Cmp(_, left, right):
            return columns_of(left) + columns_of(right)
        case In(value) | IsNull(value):
            return columns_of(value)
        case Bool(_, items):
            return [c for item in items for c in columns_of(item)]
        case Not(item):
            return columns_of(item)
    return []


class _Parser:
    def __init__(self, text: str, vocabulary: dict[str, list[str] | None]) -> None:
        self.text = text
        self.vocabulary = vocabulary
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if not text[pos:].strip():
                break
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                column = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
                raise FormulaError(f"unexpected character {text[column - 1]!r}", column)
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind), match.start(kind) + 1))
            pos = match.end()
        self.index = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.index] if self.index < len(self.tokens) else ("end", "", len(self.text) + 1)

    def word(self, *words: str) -> bool:
        kind, value, _ = self.peek()
        if kind == "name" and value.lower() in words:
            self.index += 1
            return True
        return False

    def expect(self, op: str) -> None:
        kind, value, at = self.peek()
        if not (kind == "op" and value == op):
            raise FormulaError(f"expected '{op}'" + (f", found '{value}'" if value else " at the end"), at)
        self.index += 1

    def filter(self) -> Filter:
        items = [self.conjunction()]
        while self.word("or"):
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else Bool("or", tuple(items))

    def conjunction(self) -> Filter:
        items = [self.negation()]
        while self.word("and"):
            items.append(self.negation())
        return items[0] if len(items) == 1 else Bool("and", tuple(items))

    def negation(self) -> Filter:
        if self.word("not"):
            return Not(self.negation())
        kind, value, _ = self.peek()
        if kind == "op" and value == "(":
            self.index += 1
            inner = self.filter()
            self.expect(")")
            return inner
        return self.atom()

    def atom(self) -> Filter:
        left = self.value()
        kind, value, at = self.peek()
        if kind == "op" and value in ("=", "!=", "<>", "<", "<=", ">", ">="):
            self.index += 1
            op: CompareOp = "!=" if value == "<>" else value  # type: ignore[assignment]
            return Cmp(op, left, self.value())
        negated = self.word("not")
        if self.word("in"):
            return In(left, self.items(), negated)
        if not negated and self.word("is"):
            negated = self.word("not")
            if not self.word("null"):
                raise FormulaError("expected 'null' after 'is'", self.peek()[2])
            return IsNull(left, negated)
        raise FormulaError("expected a comparison, 'in' or 'is null'" + (f", found '{value}'" if value else ""), at)

    def items(self) -> tuple[str | float, ...] | None:
        kind, value, at = self.peek()
        if kind == "name":
            self.index += 1
            if value not in self.vocabulary:
                known = ", ".join(sorted(self.vocabulary)) or "none"
                raise FormulaError(f"'{value}' is not a vocabulary list (known: {known})", at)
            listed = self.vocabulary[value]
            return None if listed is None else tuple(listed)
        self.expect("[")
        found: list[str | float] = []
        while True:
            literal = self.value()
            if not isinstance(literal, Lit):
                raise FormulaError("a list holds 'text' or numbers", self.peek()[2])
            found.append(literal.value)
            kind, value, at = self.peek()
            if kind == "op" and value == "]":
                self.index += 1
                return tuple(found)
            self.expect(",")

    def value(self) -> Value:
        kind, value, at = self.peek()
        self.index += 1
        if kind == "number":
            return Lit(float(value))
        if kind == "text":
            return Lit(value)
        if kind == "name" and value.lower() == "days":
            self.expect("(")
            start = self.column()
            self.expect(",")
            end = self.column()
            self.expect(")")
            return Days(start, end)
        if kind == "name" and value.lower() not in KEYWORDS:
            return Col(value, at)
        self.index -= 1
        raise FormulaError(f"expected a column, a number or 'text', found '{value}'" if value else "unexpected end", at)

    def column(self) -> Col:
        found = self.value()
        if not isinstance(found, Col):
            raise FormulaError("days() takes two date columns", self.peek()[2])
        return found

    def done(self) -> None:
        kind, value, at = self.peek()
        if kind != "end":
            raise FormulaError(f"unexpected '{value}'", at)


def _checked(text: str) -> None:
    if not text.strip():
        raise FormulaError("empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"longer than {MAX_LENGTH} characters")


def parse_filter(text: str, vocabulary: dict[str, list[str] | None]) -> Filter:
    """The filter tree of ``text``; FormulaError with a 1-based column if it is not in the grammar."""
    _checked(text)
    parser = _Parser(text, vocabulary)
    try:
        found = parser.filter()
    except RecursionError:
        raise FormulaError("nested too deeply") from None
    parser.done()
    return found


def parse_value(text: str) -> Value:
    """What a measure sums, averages or counts distinct: a column or ``days(a, b)``."""
    _checked(text)
    parser = _Parser(text, {})
    found = parser.value()
    parser.done()
    if isinstance(found, Lit):
        raise FormulaError("expected a column or days(start, end)")
    return found
