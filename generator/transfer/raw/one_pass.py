"""A table's flow measures (count, distinct, sum, average) in one grouped pass per date column.

Measured one by one, each input scans the table's typed rows again (and again for its last date);
here every flow measure over the same date column is a conditional aggregate of one ``GROUP BY``
month (``SUM(CASE WHEN filter THEN x END)``, ``COUNT(DISTINCT CASE WHEN filter THEN x END)``), the
table's last dates are read once, and the result is unpivoted to ``(month, input, value)`` by a
cross join with the inputs' names. The answers are ``sql.by_period``'s: the grouped value, 0 where
no row counted (NULL for an average), NULL for a month after the table's last date. Built as
sqlglot expressions, so every dialect prints it.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from generator.transfer.raw.model import ColumnType, MeasureKind
from generator.transfer.raw.profile import MeasureSpec, TableSpec
from generator.transfer.raw.sql_terms import MONTH, MONTHS, _ts, _value, condition, last_dates, seen_by

INPUTS = "kpigen_inputs"


def _aggregate(measure: MeasureSpec, types: dict[str, ColumnType]) -> exp.Expr:
    """The measure's aggregate over the rows that pass its own filter (the table's is the WHERE)."""
    passes = condition(measure.filter, types) if measure.filter is not None else None
    if measure.kind is MeasureKind.COUNT:
        if passes is None:
            return exp.Count(this=exp.Star())
        return exp.Count(this=exp.Case(ifs=[exp.If(this=passes, true=exp.Literal.number(1))]))
    assert measure.of is not None  # the profile requires ``of`` for the other flow kinds
    of = _value(measure.of, types)
    kept = of if passes is None else exp.Case(ifs=[exp.If(this=passes, true=of)])
    if measure.kind is MeasureKind.COUNT_DISTINCT:
        return exp.Count(this=exp.Distinct(expressions=[kept]))
    if measure.kind is MeasureKind.SUM:
        return exp.Sum(this=kept)
    return exp.Avg(this=kept)


def _grouped(measures: list[MeasureSpec], table: TableSpec, rows: str, bounds: list[Any], first: int) -> exp.Select:
    """(kpigen_month, v<first>, v<first+1>, ...) of the months with rows passing the table's filter."""
    types = {c.name: c.type for c in table.columns.values()}
    date = exp.column(measures[0].date or "")
    month = exp.cast(exp.TimestampTrunc(this=date, unit=exp.var("MONTH")), exp.DataType.Type.DATE)
    inside = [
        exp.GTE(this=date.copy(), expression=_ts(bounds[0])),
        exp.LT(this=date.copy(), expression=_ts(bounds[12])),
    ]
    where = [exp.paren(condition(table.where, types))] if table.where is not None else []
    values = [exp.alias_(_aggregate(m, types), f"v{first + i}") for i, m in enumerate(measures)]
    return exp.select(exp.alias_(month, MONTH), *values).from_(rows).where(exp.and_(*inside, *where)).group_by(month)


def _names(measures: list[MeasureSpec]) -> exp.Expr:
    selects = [exp.select(exp.alias_(exp.Literal.string(m.input_id), "input_id")) for m in measures]
    union: exp.Expr = selects[0]
    for select in selects[1:]:
        union = exp.union(union, select, distinct=False)
    return union


def table_flows(measures: list[MeasureSpec], table: TableSpec, rows: str, bounds: list[Any]) -> exp.Select:
    """(month, input, value) of every month for each of ``measures`` (flows of one table)."""
    by_date: dict[str, list[MeasureSpec]] = {}
    for measure in measures:
        by_date.setdefault(measure.date or "", []).append(measure)
    key = exp.column(MONTH, table="p")
    query = exp.select().from_(exp.alias_(exp.to_table(MONTHS), "p", table=True))
    picks: list[exp.If] = []
    first = 0
    for i, group in enumerate(by_date.values()):
        alias = f"g{i}"
        grouped = exp.alias_(exp.Subquery(this=_grouped(group, table, rows, bounds, first)), alias, table=True)
        same = exp.EQ(this=exp.column(MONTH, table=alias), expression=key.copy())
        query = query.join(grouped, on=same, join_type="left")
        for j, measure in enumerate(group):
            zero = exp.Null() if measure.kind is MeasureKind.AVERAGE else exp.Literal.number(0)
            filled = exp.Coalesce(this=exp.column(f"v{first + j}", table=alias), expressions=[zero])
            named = exp.EQ(this=exp.column("input_id", table="k"), expression=exp.Literal.string(measure.input_id))
            picks.append(exp.If(this=named, true=exp.cast(filled, exp.DataType.Type.DOUBLE)))
        first += len(group)
    last = exp.alias_(exp.Subquery(this=last_dates(table, rows)), "l", table=True)
    names = exp.alias_(exp.Subquery(this=_names(measures)), "k", table=True)
    value = exp.Case(ifs=[exp.If(this=seen_by(table), true=exp.Case(ifs=picks))])
    return (
        query.select(
            exp.alias_(key.copy(), "month", quoted=True),
            exp.alias_(exp.column("input_id", table="k"), "input", quoted=True),
            exp.alias_(value, "value", quoted=True),
        )
        .join(last, join_type="cross")
        .join(names, join_type="cross")
    )
