"""Expression tree of the formula language.

The tree is the one shared form of a KPI formula: the Excel compiler and the Python evaluator
both walk it, so the workbook and the validator cannot compute different things.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from generator.formula.by_identity import ByIdentity

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
    return list(_refs(node))


def _inputs(node: Expr) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Ref):
            seen.setdefault(n.name, None)
    return tuple(seen)


_MOST_REFS = 4096
_refs: ByIdentity[Expr, tuple[str, ...]] = ByIdentity(_inputs, _MOST_REFS)
"""Each tree's inputs, by identity: the validator asks for every KPI's and rule's inputs once per file,
and the catalogue's trees are parsed once and kept."""


def time_degree(node: Expr, is_flow: Mapping[str, bool]) -> int | None:
    """How the value grows with the length of the period it covers.

    A flow (counted during the month) has degree 1, a stock, level or constant degree 0;
    products add degrees and quotients subtract them. So a count has degree 1 (a year holds
    twelve months of it), churn (lost / customers at start) too, a click rate (clicks / sent)
    degree 0. A sum of parts of different degrees, such as retention ((end - new) / start),
    has none: no monthly target can judge its year.
    """
    match node:
        case Num():
            return 0
        case Ref(name):
            return 1 if is_flow.get(name, False) else 0
        case Neg(operand) | Call("abs", (operand,)):
            return time_degree(operand, is_flow)
        case Binary(op, left, right):
            a, b = time_degree(left, is_flow), time_degree(right, is_flow)
            if a is None or b is None:
                return None
            if op in "+-":
                return a if a == b else None
            return a + b if op == "*" else a - b
        case Call(_, args):
            degrees = {time_degree(a, is_flow) for a in args}
            return degrees.pop() if len(degrees) == 1 else None
    return None


def never_negative(node: Expr, non_negative: Mapping[str, bool]) -> bool:
    """Whether the expression is >= 0 whatever its inputs, given which inputs cannot be negative.

    A sign analysis, not a range one: sums, products and quotients of non-negative parts stay
    non-negative; a subtraction or a negation may not (retention, ROI, NPS).
    """
    match node:
        case Num(value):
            return value >= 0
        case Ref(name):
            return non_negative.get(name, False)
        case Call("abs", _):
            return True
        case Call("max", args):
            return any(never_negative(a, non_negative) for a in args)
        case Binary(op, left, right) if op != "-":
            return never_negative(left, non_negative) and never_negative(right, non_negative)
        case Call(_, args):
            return all(never_negative(a, non_negative) for a in args)
    return False
