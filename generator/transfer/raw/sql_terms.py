"""The profile grammar's filters and values, month keys and last dates, as sqlglot expressions.

Shared by the monthly query (``sql``), its one-pass flows (``one_pass``) and the exact periods
(``exact_sql``): text compared without case, each atom false on a missing cell, values as literals
(never pasted into SQL text).
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from generator.transfer.raw.grammar import Bool, Cmp, Col, Days, Filter, In, IsNull, Lit, Not, Value
from generator.transfer.raw.model import ColumnType
from generator.transfer.raw.profile import TableSpec

MONTHS = "kpigen_months"
MONTH, START, END = "kpigen_month", "kpigen_start", "kpigen_end"
_OPS: dict[str, type[exp.Binary]] = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}


def _value(node: Value, types: dict[str, ColumnType]) -> exp.Expr:
    match node:
        case Col(name):
            return exp.column(name)
        case Lit(literal):
            return exp.Literal.number(repr(literal)) if isinstance(literal, float) else exp.Literal.string(literal)
        case Days(start, end):
            as_date = exp.DataType.Type.DATE
            return exp.DateDiff(
                this=exp.cast(exp.column(end.name), as_date),
                expression=exp.cast(exp.column(start.name), as_date),
                unit=exp.var("DAY"),
            )
    raise AssertionError(node)


def _kind(node: Value, types: dict[str, ColumnType]) -> ColumnType:
    match node:
        case Col(name):
            return types[name]
        case Lit(literal):
            return ColumnType.NUMBER if isinstance(literal, float) else ColumnType.TEXT
    return ColumnType.NUMBER


def _false_if_null(condition: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=exp.paren(condition), expressions=[exp.false()])


def condition(node: Filter, types: dict[str, ColumnType]) -> exp.Expr:
    """The filter as a boolean expression; each atom coalesced to false on missing cells."""
    match node:
        case Cmp(op, left, right):
            kinds = {_kind(left, types), _kind(right, types)}
            a, b = _value(left, types), _value(right, types)
            if ColumnType.DATE in kinds:
                a, b = (exp.cast(x, exp.DataType.Type.TIMESTAMP) if isinstance(x, exp.Literal) else x for x in (a, b))
            elif kinds == {ColumnType.TEXT}:
                a, b = exp.Lower(this=a), exp.Lower(this=b)
            return _false_if_null(_OPS[op](this=a, expression=b))
        case In(item, listed, negated):
            if listed is None:
                return exp.true()
            if not listed:
                return exp.false()
            subject = _value(item, types)
            text = _kind(item, types) is ColumnType.TEXT
            literals = [_value(Lit(x), types) for x in listed]
            found: exp.Expr = (
                exp.In(this=exp.Lower(this=subject), expressions=[exp.Lower(this=x) for x in literals])
                if text
                else exp.In(this=subject, expressions=literals)
            )
            return _false_if_null(exp.Not(this=found) if negated else found)
        case IsNull(item, negated):
            test: exp.Expr = exp.Is(this=_value(item, types), expression=exp.null())
            return exp.Not(this=test) if negated else test
        case Bool(op, items):
            parts = [exp.paren(condition(item, types)) for item in items]
            return exp.and_(*parts) if op == "and" else exp.or_(*parts)
        case Not(item):
            return exp.Not(this=exp.paren(condition(item, types)))
    raise AssertionError(node)


def _ts(moment: Any) -> exp.Expr:
    return exp.cast(exp.Literal.string(f"{moment:%Y-%m-%d %H:%M:%S}"), exp.DataType.Type.TIMESTAMP)


def last_dates(table: TableSpec, rows: str) -> exp.Select:
    """One row: the last value of each of the table's date columns (``last_0``, ``last_1``, ...)."""
    dated = [spec.name for spec in table.columns.values() if spec.type is ColumnType.DATE]
    return exp.select(*(exp.alias_(exp.Max(this=exp.column(d)), f"last_{i}") for i, d in enumerate(dated))).from_(rows)


def seen_by(table: TableSpec) -> exp.Expr:
    """The period ``p`` starts on or before one of the table's last dates (``last_dates`` as ``l``)."""
    dated = [spec for spec in table.columns.values() if spec.type is ColumnType.DATE]
    start = exp.column(START, table="p")
    lasts = (exp.column(f"last_{i}", table="l") for i in range(len(dated)))
    return exp.or_(*(exp.LTE(this=start.copy(), expression=last) for last in lasts))
