"""What an import says about each raw table: rows read, the latest date, rows outside the year,
cells that could not be read. The same counts from pandas (naming each bad cell's row) and from
DuckDB (counting them per column, without copying the table into Python, and naming the first
few rows of a column that has any, with a second query over the file run only then)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from generator.transfer.raw.model import ColumnType
from generator.transfer.raw.profile import ColumnSpec, TableSpec


@dataclass
class TableStats:
    rows: int = 0
    latest: dt.datetime | None = None
    outside: int = 0
    """Rows with no date in the fiscal year (undated rows too)."""
    problems: list[str] = field(default_factory=list)


def _dates(table: TableSpec) -> list[str]:
    return [c.name for c in table.columns.values() if c.type is ColumnType.DATE]


def latest_of(frame: Any, table: TableSpec) -> dt.datetime | None:
    import pandas as pd

    found = [frame[name].max() for name in _dates(table)]
    present = [x for x in found if not pd.isna(x)]
    return max(present).to_pydatetime() if present else None


def outside_of(frame: Any, table: TableSpec, start: dt.datetime, end: dt.datetime) -> int:
    import pandas as pd

    inside = pd.Series(False, index=frame.index)
    for name in _dates(table):
        inside |= (frame[name] >= pd.Timestamp(start)) & (frame[name] < pd.Timestamp(end))
    return int((~inside).sum())


NAMED = 5
"""Bad cells named by row in a DuckDB column's problem line (the rest are counted)."""


def duck_stats(con: Any, table: TableSpec) -> TableStats:
    """Rows, latest date, and unreadable cells per column, from the materialized typed rows; a column
    with unreadable cells names the first few by row (``first_bad``)."""
    from sqlglot import exp

    from generator.transfer.raw.sql import BAD, rows_name

    selects: list[exp.Expr] = [exp.alias_(exp.Count(this=exp.Star()), "n")]
    typed = [c for c in table.columns.values() if c.type is not ColumnType.TEXT]
    for spec in typed:
        bad = exp.column(BAD + spec.name)
        one, zero = exp.Literal.number(1), exp.Literal.number(0)
        selects.append(exp.Sum(this=exp.Case(ifs=[exp.If(this=bad, true=one)], default=zero)))
    dated = [c for c in typed if c.type is ColumnType.DATE]
    selects.extend(exp.Max(this=exp.column(c.name)) for c in dated)
    query = exp.select(*selects).from_(exp.to_table(rows_name(table.name)))
    row = con.execute(query.sql(dialect="duckdb")).fetchall()[0]
    stats = TableStats(rows=int(row[0]))
    for spec, count in zip(typed, row[1 : 1 + len(typed)], strict=True):
        if count:
            what = "numbers" if spec.type is ColumnType.NUMBER else f"dates ({', '.join(table.date_formats)})"
            named = "; ".join(f"row {row}: {text!r}" for row, text in first_bad(con, table, spec))
            more = f"; and {int(count) - NAMED:,} more" if count > NAMED else ""
            stats.problems.append(f"column {spec.header!r}: {int(count)} cells are not {what}; skipped ({named}{more})")
    latest = [x for x in row[1 + len(typed) :] if x is not None]
    stats.latest = max(latest) if latest else None
    return stats


def duck_outside(con: Any, table: TableSpec, start: dt.datetime, end: dt.datetime) -> int:
    from sqlglot import exp

    from generator.transfer.raw.sql import rows_name

    low, high = (
        exp.cast(exp.Literal.string(f"{x:%Y-%m-%d %H:%M:%S}"), exp.DataType.Type.TIMESTAMP) for x in (start, end)
    )
    inside = [
        exp.and_(exp.GTE(this=exp.column(c.name), expression=low), exp.LT(this=exp.column(c.name), expression=high))
        for c in table.columns.values()
        if c.type is ColumnType.DATE
    ]
    if not inside:
        return 0
    anywhere = exp.Coalesce(this=exp.paren(exp.or_(*inside)), expressions=[exp.false()])
    query = (
        exp.select(exp.Count(this=exp.Star())).from_(exp.to_table(rows_name(table.name))).where(exp.Not(this=anywhere))
    )
    return int(con.execute(query.sql(dialect="duckdb")).fetchall()[0][0])


def first_bad(con: Any, table: TableSpec, spec: ColumnSpec) -> list[tuple[int, str]]:
    """The first cells of the column that are not empty and do not read as its type: (row, text),
    rows numbered as a spreadsheet shows them (the header is row 1). The file is read again, in
    order, so this runs only for a column with such cells."""
    from sqlglot import exp

    from generator.transfer.raw.duck import source_types
    from generator.transfer.raw.sql import typed_cell

    cell, value = typed_cell(spec, table, "UTC", source_types(con, table.name).get(spec.header, "VARCHAR"))
    row = exp.alias_(exp.Add(this=exp.Window(this=exp.RowNumber()), expression=exp.Literal.number(1)), "r")
    cells = exp.select(row, exp.alias_(cell, "c"), exp.alias_(value, "v"))
    inner = exp.Subquery(this=cells.from_(exp.to_table(table.name)), alias=exp.TableAlias(this=exp.to_identifier("t")))
    bad = exp.and_(exp.Not(this=exp.Is(this=exp.column("c"), expression=exp.null())), exp.column("v").is_(exp.null()))
    query = exp.select("r", "c").from_(inner).where(bad).order_by("r").limit(NAMED)
    con.execute("SET preserve_insertion_order = true")  # rows numbered in the file's order (a constant)
    try:
        return [(int(r), str(c)) for r, c in con.execute(query.sql(dialect="duckdb")).fetchall()]
    finally:
        con.execute("SET preserve_insertion_order = false")
