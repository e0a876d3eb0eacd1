"""The exact quarter and year distinct counts (``exact``) as one query, built as sqlglot expressions.

It returns ``(period, input, value)`` rows, ``period`` one of ``Q1``..``Q4`` and ``year``, under
the rules the monthly query follows (``sql``): the same typed rows and filters, each period empty
when it starts after the table's last date. Nothing is pasted into SQL text.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from generator.transfer.exact_kept import PERIODS
from generator.transfer.raw.exact import Exact, distinct_measures, period_bounds
from generator.transfer.raw.profile import MeasureSpec, Profile
from generator.transfer.raw.sql import START, _ts, _value, _where, by_period, rows_name, rows_select

PERIOD_TABLE = "kpigen_periods"
PERIOD = "kpigen_period"


def _periods(year: int, first_month: int) -> exp.Expr:
    selects = [
        exp.select(exp.alias_(exp.Literal.string(name), PERIOD), exp.alias_(_ts(start), START))
        for name, (start, _) in zip(PERIODS, period_bounds(year, first_month), strict=True)
    ]
    union: exp.Expr = selects[0]
    for select in selects[1:]:
        union = exp.union(union, select, distinct=False)
    return union


def _counted(measure: MeasureSpec, profile: Profile, year: int, first_month: int) -> exp.Expr:
    """(kpigen_period, value) of the periods with rows: each row's quarter from comparisons with the
    quarters' literal bounds (no join on a periods table, which DuckDB runs slower), then the year."""
    assert measure.date is not None
    table = profile.tables[measure.table]
    types = {c.name: c.type for c in table.columns.values()}
    date = exp.column(measure.date)
    of = _value(measure.of, types) if measure.of is not None else date
    bounds = period_bounds(year, first_month)
    inside = [exp.GTE(this=date, expression=_ts(bounds[-1][0])), exp.LT(this=date, expression=_ts(bounds[-1][1]))]
    where = exp.and_(*inside, *_where(measure, table, types))
    quarter = exp.Case(
        ifs=[
            exp.If(this=exp.LT(this=date, expression=_ts(end)), true=exp.Literal.string(name))
            for name, (_, end) in zip(PERIODS[:3], bounds[:3], strict=True)
        ],
        default=exp.Literal.string(PERIODS[3]),
    )
    count = exp.alias_(exp.Count(this=exp.Distinct(expressions=[of])), "value")
    rows = exp.to_table(rows_name(measure.table))
    by_quarter = exp.select(exp.alias_(quarter, PERIOD), count).from_(rows).where(where).group_by(quarter.copy())
    whole_year = exp.select(exp.alias_(exp.Literal.string(PERIODS[4]), PERIOD), count.copy()).from_(rows).where(where)
    return exp.union(by_quarter, whole_year, distinct=False)


def _measure(measure: MeasureSpec, profile: Profile, year: int, first_month: int) -> exp.Select:
    table = profile.tables[measure.table]
    rows = rows_name(measure.table)
    counted = _counted(measure, profile, year, first_month)
    periods = (PERIOD_TABLE, PERIOD, "period")
    return by_period(measure.input_id, table, rows, counted, periods, exp.Literal.number(0))


def build_exact_query(
    profile: Profile, year: int, first_month: int, tables: set[str] | None = None, *, materialized: bool = False
) -> exp.Expr | None:
    """One query over the profile's tables for its distinct inputs' exact periods; None when it has none.
    ``materialized``: the typed rows are already tables named ``<table>__rows`` (``sql.rows_select``)."""
    measures = distinct_measures(profile, tables)
    if not measures:
        return None
    parts = [_measure(m, profile, year, first_month) for m in measures]
    union: exp.Expr = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    measured = exp.Subquery(this=union, alias=exp.TableAlias(this=exp.to_identifier("counted")))
    query = exp.select(exp.Star()).from_(measured).with_(PERIOD_TABLE, as_=_periods(year, first_month))
    if not materialized:
        for name in sorted({m.table for m in measures}):
            query = query.with_(rows_name(name), as_=rows_select(profile, name))
    return query.order_by(exp.column("input", quoted=True), exp.column("period", quoted=True))


def to_exact(rows: list[tuple[Any, str, Any]]) -> Exact:
    """(period, input, value) rows as the five values per input."""
    found: Exact = {}
    for period, input_id, value in rows:
        found.setdefault(input_id, [None] * len(PERIODS))[PERIODS.index(period)] = (
            None if value is None else float(value)
        )
    return found


def run_exact(con: Any, profile: Profile, year: int, first_month: int, tables: set[str]) -> Exact:
    """The exact periods on a DuckDB connection holding the tables' materialized typed rows."""
    query = build_exact_query(profile, year, first_month, tables, materialized=True)
    if query is None:
        return {}
    return to_exact(con.execute(query.sql(dialect="duckdb")).fetchall())
