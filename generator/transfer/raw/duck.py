"""Run a profile's query with DuckDB (embedded, no server) over files or frames, for large inputs.

The query is ``sql.build_query``'s, printed in DuckDB's dialect: the same text ``kpigen sql``
gives a data team. Files are read by DuckDB itself (CSV as text, Parquet as typed: a timestamp,
date or number column is used as it is, not printed and parsed again), so no whole table is
copied into Python.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.errors import EnvironmentProblem, UnreadableInput
from generator.transfer.raw.profile import Profile
from generator.transfer.raw.semantics import month_bounds

Values = dict[str, list[float | None]]
EXTRA = "pip install 'kpi-template-generator[raw]'"


def need_raw_extra() -> None:
    """DuckDB and sqlglot, or one line saying which extra brings them (exit 5)."""
    try:
        import duckdb  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as exc:
        raise EnvironmentProblem(f"this needs {exc.name}: {EXTRA}") from None


MEMORY_LIMIT = "256MB"
"""DuckDB's own memory in an import: past it, the typed rows spill to a private folder on disk, so
an import's peak memory grows little with the rows (measured for the whole process: 1M deal rows
245 MiB, 3M 313 MiB; 3M took 440 MiB without the limit)."""


@contextmanager
def session() -> Iterator[Any]:
    """A connection whose spilled rows go to a folder of its own, removed (with them) at the end."""
    with tempfile.TemporaryDirectory(prefix="kpigen-duckdb-") as folder:
        con = connect(Path(folder))
        try:
            yield con
        finally:
            con.close()


def connect(spill: Path | None = None) -> Any:
    """A connection on 2 threads; with ``spill``, DuckDB's memory is limited and the rest goes there."""
    need_raw_extra()
    import duckdb

    config: dict[str, str | bool | int | float | list[str]] = {"threads": 2}
    if spill is not None:
        config |= {"memory_limit": MEMORY_LIMIT, "temp_directory": str(spill)}
    con = duckdb.connect(config=config)
    con.execute("SET enable_progress_bar = false")  # constant settings, no user text
    # Rows are only aggregated, so they need not keep the file's order: less work and memory for the
    # typed rows (``stats.first_bad``, which numbers rows in the file's order, turns it back on).
    con.execute("SET preserve_insertion_order = false")
    return con


def register(con: Any, name: str, source: Path | Any) -> dict[str, str]:
    """A file (CSV or Parquet) or a pandas frame as the view ``name``, read lazily by DuckDB; returns
    the type of each column not read as text (``source_types``; none for a CSV, read as text)."""
    from sqlglot import exp

    if not isinstance(source, Path):
        con.register(name, source)
        return source_types(con, name)
    suffix = source.suffix.lower()
    if suffix in (".parquet", ".pq"):
        reader = exp.func("read_parquet", exp.Literal.string(str(source)))
    elif suffix in (".csv", ".txt", ".tsv"):
        options = [exp.EQ(this=exp.var(k), expression=exp.true()) for k in ("header", "all_varchar")]
        reader = exp.func("read_csv", exp.Literal.string(str(source)), *options)
    else:
        raise UnreadableInput(f"{source}: DuckDB reads CSV or Parquet; give a .csv or .parquet file")
    view = exp.Create(this=exp.to_table(name), kind="VIEW", expression=exp.select(exp.Star()).from_(reader))
    try:
        con.execute(view.sql(dialect="duckdb"))
        return {} if suffix in (".csv", ".txt", ".tsv") else source_types(con, name)
    except Exception as exc:  # duckdb's own error types: all mean "cannot read this file"
        raise UnreadableInput(f"{source}: cannot read it ({' '.join(str(exc).split())[:200]})") from None


def source_types(con: Any, name: str) -> dict[str, str]:
    """DuckDB's type of each column of the view ``name``: VARCHAR for a CSV, the file's own for Parquet."""
    from sqlglot import exp

    described = con.execute(exp.Describe(this=exp.to_table(name)).sql(dialect="duckdb")).fetchall()
    return {str(row[0]): str(row[1]) for row in described}


def materialize(con: Any, profile: Profile, name: str, sources: dict[str, str] | None = None) -> None:
    """The table's typed rows, parsed once into ``<name>__rows`` (with the text of typed columns),
    so the measures and the counts read them instead of parsing the file again for each.
    ``sources``: the column types ``register`` returned (asked of DuckDB when not given)."""
    from sqlglot import exp

    from generator.transfer.raw.sql import rows_name, rows_select

    table = exp.to_table(rows_name(name))
    try:
        sources = source_types(con, name) if sources is None else sources  # given by ``register``
        create = exp.Create(
            this=table,
            kind="TABLE",
            properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
            expression=rows_select(profile, name, flags=True, sources=sources),
        )
        con.execute(create.sql(dialect="duckdb"))
    except Exception as exc:  # duckdb's own error types: a file it cannot read (the view reads it here)
        raise UnreadableInput(f"table {name}: cannot read its file ({' '.join(str(exc).split())[:200]})") from None


def run(profile: Profile, sources: dict[str, Path | Any], year: int, first_month: int) -> Values:
    """Every input measured on the given tables, 12 months each."""
    from generator.transfer.raw.sql import build_query

    with session() as con:
        for name, source in sources.items():
            materialize(con, profile, name, register(con, name, source))
        query = build_query(profile, year, first_month, set(sources), materialized=True).sql(dialect="duckdb")
        return to_values(con.execute(query).fetchall(), year, first_month)


def to_values(rows: list[tuple[Any, str, Any]], year: int, first_month: int) -> Values:
    """(month, input, value) rows as 12 values per input."""
    starts = [bound.date() for bound in month_bounds(year, first_month)[:12]]
    values: Values = {}
    for month, input_id, value in rows:
        day = month.date() if isinstance(month, dt.datetime) else month
        values.setdefault(input_id, [None] * 12)[starts.index(day)] = None if value is None else float(value)
    return values
