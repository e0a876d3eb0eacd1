"""Expression tree of the formula language.

The tree is the one shared form of a KPI formula: the Excel compiler and the Python evaluator
both walk it, so the workbook and the validator cannot compute different things.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

BinaryOp = Literal["+", "-", "*", "/"]
CompareOp = Literal["<=", ">=", "<", ">", "=="]
FUNCTIONS = ("min", "max", "abs")
"""Functions Excel, LibreOffice and Google Sheets all compute the same way."""


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Expr


@dataclass(frozen=True)
class Binary:
    op: BinaryOp
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Compare:
    """Only at the top of a rule (``email_clicks <= emails_sent``), never inside a KPI formula."""

    op: CompareOp
    left: Expr
    right: Expr


Expr = Num | Ref | Neg | Binary | Call | Compare


def children(node: Expr) -> tuple[Expr, ...]:
    match node:
        case Neg(operand):
            return (operand,)
        case Binary(_, left, right) | Compare(_, left, right):
            return (left, right)
        case Call(_, args):
            return args
        case _:
            return ()


def walk(node: Expr) -> Iterator[Expr]:
    """Every node, children before their parent (so inner divisions come first)."""
    for child in children(node):
        yield from walk(child)
    yield node


def refs(node: Expr) -> list[str]:
    """Input ids the expression reads, in first-use order, each once."""
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Ref):
            seen.setdefault(n.name, None)
    return list(seen)


def is_additive(node: Expr, is_flow: dict[str, bool]) -> bool:
    """True when the value adds up over months (a sum of flows, scaled by constants).

    Such a KPI's target is per month, so a quarter or year-to-date is judged against the
    target times the number of months with data; a ratio or average is judged as it is.
    """
    match node:
        case Ref(name):
            return is_flow.get(name, False)
        case Neg(operand):
            return is_additive(operand, is_flow)
        case Binary("+" | "-", left, right):
            return is_additive(left, is_flow) and is_additive(right, is_flow)
        case Binary("*", Num(), other) | Binary("*", other, Num()) | Binary("/", other, Num()):
            return is_additive(other, is_flow)
        case _:
            return False
