"""A profile's measures as one SQL query returning (month, input, value), built as sqlglot expressions.

The same rules as the pandas engine (``semantics``): cells trimmed and read as text, numbers
matched by one pattern, dates tried in the table's formats then ISO, UTC columns moved to the
profile's zone, text compared without case, atoms on missing cells false, months after the
table's last date empty. Nothing is pasted into SQL text: column headers become quoted
identifiers and every value a literal, so a profile cannot inject a statement.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from generator.transfer.raw.grammar import Bool, Cmp, Col, Days, Filter, In, IsNull, Lit, Not, Value, columns_of
from generator.transfer.raw.model import SNAPSHOTS, ColumnType, MeasureKind
from generator.transfer.raw.profile import ColumnSpec, MeasureSpec, Profile, TableSpec
from generator.transfer.raw.semantics import NUMBER_PATTERN, date_formats, format_pattern, month_bounds

MONTHS = "kpigen_months"
MONTH, START, END = "kpigen_month", "kpigen_start", "kpigen_end"
_OPS: dict[str, type[exp.Binary]] = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}


def rows_name(table: str) -> str:
    return f"{table}__rows"


def cell_text(header: str) -> exp.Expr:
    """The cell trimmed of spaces, NULL when empty. Trimming allocates a new string for each cell,
    about a third of the typing on a large file; most cells have no space to trim, so only a cell
    that starts or ends with one is trimmed (the same text as trimming every cell)."""
    cell = exp.cast(exp.column(header, quoted=True), exp.DataType.Type.VARCHAR)
    padded = exp.or_(*(exp.Like(this=cell.copy(), expression=exp.Literal.string(s)) for s in (" %", "% ")))
    trimmed = exp.Nullif(this=exp.Trim(this=cell.copy()), expression=exp.Literal.string(""))
    empty = exp.EQ(this=cell.copy(), expression=exp.Literal.string(""))
    return exp.Case(ifs=[exp.If(this=empty, true=exp.null()), exp.If(this=padded, true=trimmed)], default=cell)


def typed_column(spec: ColumnSpec, table: TableSpec, zone: str, text: exp.Expr | None = None) -> exp.Expr:
    """The column in its type, from ``text`` (the cell's trimmed text; by default read here)."""
    text = cell_text(spec.header) if text is None else text
    if spec.type is ColumnType.TEXT:
        return text
    if spec.type is ColumnType.NUMBER:
        matches = exp.RegexpLike(this=text, expression=exp.Literal.string(NUMBER_PATTERN))
        return exp.Case(ifs=[exp.If(this=matches, true=exp.cast(text, exp.DataType.Type.DOUBLE))])
    if spec.utc:  # ISO's "Z" says UTC, which the column declares; some dialects read it as a zone field
        text = exp.Trim(this=text, expression=exp.Literal.string("Z"), position="TRAILING")
    formats = date_formats(table.date_formats)
    tries = [
        exp.Case(
            ifs=[
                exp.If(
                    this=exp.RegexpLike(this=text, expression=exp.Literal.string(format_pattern(fmt))),
                    true=exp.StrToTime(this=text, format=exp.Literal.string(fmt), safe=True),
                )
            ]
        )
        for fmt in formats
    ]
    parsed: exp.Expr = exp.cast(exp.Coalesce(this=tries[0], expressions=tries[1:]), exp.DataType.Type.TIMESTAMP)
    return _local(parsed, spec, zone)


def _local(parsed: exp.Expr, spec: ColumnSpec, zone: str) -> exp.Expr:
    if spec.utc:  # a wall time (as Postgres' TO_TIMESTAMP reads it too) taken as UTC, then made local
        in_utc = exp.AtTimeZone(this=parsed, zone=exp.Literal.string("UTC"))
        parsed = exp.AtTimeZone(this=in_utc, zone=exp.Literal.string(zone))
    return exp.cast(parsed, exp.DataType.Type.TIMESTAMP)


TYPED_DATES = {"TIMESTAMP", "DATE"}
TYPED_NUMBERS = {"DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT"}
"""DuckDB types of a source column (a Parquet file's) taken as they are, without the text round trip:
their text (as pandas writes it) reads back to the same value. A decimal's or a zoned timestamp's
does not always, so those are read as text."""


def typed_cell(spec: ColumnSpec, table: TableSpec, zone: str, source: str = "VARCHAR") -> tuple[exp.Expr, exp.Expr]:
    """The cell (NULL when missing) and its typed value, for a source column of DuckDB type ``source``.
    A cell that is not missing but has no typed value is an unreadable one. A column already a
    timestamp, a date or a number is used as it is (a NaN is missing, an infinity unreadable, as
    the pandas engine reads them); any other is read from its text."""
    column = exp.column(spec.header, quoted=True)
    if spec.type is ColumnType.DATE and source in TYPED_DATES:
        return column, _local(exp.cast(column.copy(), exp.DataType.Type.TIMESTAMP), spec, zone)
    if spec.type is ColumnType.NUMBER and source in TYPED_NUMBERS:
        number = exp.cast(column, exp.DataType.Type.DOUBLE)
        cell = exp.Case(ifs=[exp.If(this=exp.func("isnan", number.copy()), true=exp.null())], default=number)
        return cell, exp.Case(ifs=[exp.If(this=exp.func("isfinite", cell.copy()), true=cell.copy())])
    text = cell_text(spec.header)
    return text, typed_column(spec, table, zone, text.copy())


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


def _months(year: int, first_month: int) -> exp.Expr:
    bounds = month_bounds(year, first_month)
    selects = []
    for i in range(12):
        selects.append(
            exp.select(
                exp.alias_(exp.cast(exp.Literal.string(bounds[i].date().isoformat()), "DATE"), MONTH),
                exp.alias_(exp.cast(exp.Literal.string(f"{bounds[i]:%Y-%m-%d %H:%M:%S}"), "TIMESTAMP"), START),
                exp.alias_(exp.cast(exp.Literal.string(f"{bounds[i + 1]:%Y-%m-%d %H:%M:%S}"), "TIMESTAMP"), END),
            )
        )
    union: exp.Expr = selects[0]
    for select in selects[1:]:
        union = exp.union(union, select, distinct=False)
    return union


def _where(measure: MeasureSpec, table: TableSpec, types: dict[str, ColumnType]) -> list[exp.Expr]:
    return [exp.paren(condition(f, types)) for f in (table.where, measure.filter) if f is not None]


def _ts(moment: Any) -> exp.Expr:
    return exp.cast(exp.Literal.string(f"{moment:%Y-%m-%d %H:%M:%S}"), exp.DataType.Type.TIMESTAMP)


def _covers(kind: MeasureKind, start: exp.Expr, end: exp.Expr) -> exp.Expr:
    """An interval [start, end) holding the month's first moment (opening) or its last (closing)."""
    open_ended = exp.Is(this=end, expression=exp.null())
    if kind is MeasureKind.OPENING:
        moment = exp.column(START, table="m")
        return exp.and_(
            exp.LTE(this=start, expression=moment), exp.or_(open_ended, exp.GT(this=end, expression=moment))
        )
    moment = exp.column(END, table="m")
    return exp.and_(exp.LT(this=start, expression=moment), exp.or_(open_ended, exp.GTE(this=end, expression=moment)))


def _snapshot(measure: MeasureSpec, rows: str, filters: list[exp.Expr]) -> exp.Select:
    assert measure.start is not None and measure.end is not None
    covers = _covers(measure.kind, exp.column(measure.start), exp.column(measure.end))
    return (
        exp.select(exp.alias_(exp.column(MONTH, table="m"), MONTH), exp.alias_(exp.Count(this=exp.Star()), "value"))
        .from_(exp.alias_(exp.to_table(MONTHS), "m", table=True))
        .join(exp.alias_(exp.to_table(rows), "r", table=True), on=exp.and_(covers, *filters), join_type="inner")
        .group_by(exp.column(MONTH, table="m"))
    )


def _flow(
    measure: MeasureSpec, rows: str, filters: list[exp.Expr], types: dict[str, ColumnType], bounds: list[Any]
) -> exp.Select:
    assert measure.date is not None
    date = exp.column(measure.date)
    month = exp.cast(exp.TimestampTrunc(this=date, unit=exp.var("MONTH")), exp.DataType.Type.DATE)
    of = _value(measure.of, types) if measure.of is not None else exp.Star()
    aggregate: exp.Expr
    if measure.kind is MeasureKind.COUNT:
        aggregate = exp.Count(this=exp.Star())
    elif measure.kind is MeasureKind.COUNT_DISTINCT:
        aggregate = exp.Count(this=exp.Distinct(expressions=[of]))
    elif measure.kind is MeasureKind.SUM:
        aggregate = exp.Sum(this=of)
    else:
        aggregate = exp.Avg(this=of)
    inside = [exp.GTE(this=date, expression=_ts(bounds[0])), exp.LT(this=date, expression=_ts(bounds[12]))]
    return (
        exp.select(exp.alias_(month, MONTH), exp.alias_(aggregate, "value"))
        .from_(rows)
        .where(exp.and_(*inside, *filters))
        .group_by(month)
    )


def _measure(measure: MeasureSpec, table: TableSpec, bounds: list[Any]) -> exp.Select:
    types = {c.name: c.type for c in table.columns.values()}
    rows = rows_name(measure.table)
    filters = _where(measure, table, types)
    if measure.kind in SNAPSHOTS:
        grouped = _snapshot(measure, rows, filters)
    else:
        grouped = _flow(measure, rows, filters, types, bounds)
    zero = exp.Null() if measure.kind is MeasureKind.AVERAGE else exp.Literal.number(0)
    return by_period(measure.input_id, table, rows, grouped, (MONTHS, MONTH, "month"), zero)


def by_period(
    input_id: str, table: TableSpec, rows: str, grouped: exp.Expr, periods: tuple[str, str, str], zero: exp.Expr
) -> exp.Select:
    """(period, input, value) for every period of ``periods`` (its table, key column and the label to
    return it under): the grouped value, ``zero`` where no row counted, and NULL for a period that
    starts after the table's last date (nothing was recorded for it yet, so nothing is claimed)."""
    table_name, key, label = periods
    dated = [spec.name for spec in table.columns.values() if spec.type is ColumnType.DATE]
    last = exp.select(*(exp.alias_(exp.Max(this=exp.column(d)), f"last_{i}") for i, d in enumerate(dated))).from_(rows)
    start = exp.column(START, table="p")
    seen = exp.or_(*(exp.LTE(this=start, expression=exp.column(f"last_{i}", table="l")) for i in range(len(dated))))
    filled = exp.Coalesce(this=exp.column("value", table="a"), expressions=[zero])
    value = exp.Case(ifs=[exp.If(this=seen, true=exp.cast(filled, exp.DataType.Type.DOUBLE))])
    same = exp.EQ(this=exp.column(key, table="a"), expression=exp.column(key, table="p"))
    return (
        exp.select(
            exp.alias_(exp.column(key, table="p"), label, quoted=True),
            exp.alias_(exp.Literal.string(input_id), "input", quoted=True),
            exp.alias_(value, "value", quoted=True),
        )
        .from_(exp.alias_(exp.to_table(table_name), "p", table=True))
        .join(exp.alias_(exp.Subquery(this=grouped), "a", table=True), on=same, join_type="left")
        .join(exp.alias_(exp.Subquery(this=last), "l", table=True), join_type="cross")
    )


BAD = "bad__"
"""Prefix of a flag kept beside each typed column by ``rows_select(flags=True)``: its text was not empty
and did not read as its type, so unreadable cells are counted without reading the file again."""


def used_columns(profile: Profile, name: str) -> list[ColumnSpec]:
    """The columns a measure or the table's filter reads, and every typed one (whose cells are checked)."""
    table = profile.tables[name]
    used = {c.name for c in columns_of(table.where)} if table.where is not None else set()
    for measure in profile.measures.values():
        if measure.table == name:
            used |= {n for n in (measure.date, measure.start, measure.end) if n is not None}
            used |= {c.name for node in (measure.of, measure.filter) if node is not None for c in columns_of(node)}
    return [spec for spec in table.columns.values() if spec.name in used or spec.type is not ColumnType.TEXT]


def _cell_to(name: str, cell: exp.Expr) -> Any:
    """A transform putting the inner select's column ``name`` where the typed value reads ``cell``."""

    def swap(node: exp.Expr) -> exp.Expr:
        return exp.column(name) if node == cell else node

    return swap


def _subquery(select: exp.Select, alias: str) -> exp.Subquery:
    return exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(alias)))


def rows_select(
    profile: Profile, name: str, *, flags: bool = False, sources: dict[str, str] | None = None
) -> exp.Select:
    """The columns measures use, by their profile names, typed (each cell trimmed once, in an inner
    select); with ``flags``, a ``bad__<column>`` flag beside each typed one (computed from the typed
    value, not by typing the cell twice). ``sources``: DuckDB's type of each header (``typed_cell``);
    text by default, as in a CSV and in every warehouse query."""
    table = profile.tables[name]
    specs = used_columns(profile, name)
    read = [typed_cell(spec, table, profile.time_zone, (sources or {}).get(spec.header, "VARCHAR")) for spec in specs]
    cells = exp.select(*(exp.alias_(cell, f"c{i}") for i, (cell, _) in enumerate(read)))
    cells = cells.from_(exp.to_table(name))
    typed = [
        exp.alias_(value.transform(_cell_to(f"c{i}", cell)), spec.name)
        for i, (spec, (cell, value)) in enumerate(zip(specs, read, strict=True))
    ]
    if not flags:
        return exp.select(*typed).from_(_subquery(cells, "cells"))
    checked = [i for i, spec in enumerate(specs) if spec.type is not ColumnType.TEXT]
    inner = exp.select(*typed, *(exp.column(f"c{i}") for i in checked)).from_(_subquery(cells, "cells"))
    bad = [
        exp.alias_(
            exp.and_(
                exp.Not(this=exp.Is(this=exp.column(f"c{i}"), expression=exp.null())),
                exp.Is(this=exp.column(specs[i].name), expression=exp.null()),
            ),
            BAD + specs[i].name,
        )
        for i in checked
    ]
    return exp.select(*(exp.column(spec.name) for spec in specs), *bad).from_(_subquery(inner, "typed"))


def build_query(
    profile: Profile, year: int, first_month: int, tables: set[str] | None = None, *, materialized: bool = False
) -> exp.Expr:
    """One query over the profile's tables (named as it names them); ``tables`` limits it to those given.
    ``materialized``: the typed rows are already tables named ``<table>__rows`` (``rows_select``)."""
    bounds = month_bounds(year, first_month)
    measures = [m for m in profile.measures.values() if tables is None or m.table in tables]
    used = sorted({m.table for m in measures})
    if not measures:
        raise ValueError("no measure on the given tables")
    ctes: list[tuple[str, exp.Expr]] = [(MONTHS, _months(year, first_month))]
    if not materialized:
        ctes += [(rows_name(name), rows_select(profile, name)) for name in used]
    parts = [_measure(m, profile.tables[m.table], bounds) for m in measures]
    union: exp.Expr = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    measured = exp.Subquery(this=union, alias=exp.TableAlias(this=exp.to_identifier("measured")))
    query = exp.select(exp.Star()).from_(measured)
    for name, body in ctes:
        query = query.with_(name, as_=body)
    return query.order_by(exp.column("input", quoted=True), exp.column("month", quoted=True))
