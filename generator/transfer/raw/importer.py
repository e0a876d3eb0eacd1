"""Import raw CRM exports through a profile: files -> measures per month -> a filled workbook.

The guarantees of the monthly import (``generator.transfer.importer``) hold here too: every
unreadable cell is named (by row and column with pandas; with DuckDB counted per column, the
first few by row) and skipped, or with ``options.strict`` refuses the import before anything is written;
the summary says how many rows each table had and how many fell outside the fiscal year; raw
files are only read.
A distinct input's exact quarters and year (``exact``) are kept in the workbook's properties.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.catalog import Catalog
from generator.errors import CatalogError, DataError
from generator.output import plan_workbook_output, write_planned
from generator.transfer.exact_kept import to_properties
from generator.transfer.import_options import ImportOptions
from generator.transfer.raw.check import check_profile
from generator.transfer.raw.exact import Exact
from generator.transfer.raw.files import RawFile, assign, read_frame
from generator.transfer.raw.profile import Profile
from generator.transfer.raw.semantics import month_bounds
from generator.transfer.raw.stats import TableStats

Values = dict[str, list[float | None]]
LARGE = 40 * 1024 * 1024
"""With ``engine="auto"``, files together larger than this go through DuckDB (when installed)."""


@dataclass(frozen=True)
class RawImportRequest:
    files: list[str]
    profile: Profile
    catalog: Catalog
    options: ImportOptions
    engine: str = "auto"


@dataclass
class RawImportResult:
    out: Path
    values: Values
    year: int
    first_month: int
    engine: str
    tables: dict[str, TableStats]
    warnings: list[str] = field(default_factory=list)
    exact: Exact = field(default_factory=dict)
    """Distinct input id -> its exact Q1-Q4 and year counts (kept in the workbook's properties)."""

    @property
    def inputs_filled(self) -> int:
        return sum(1 for row in self.values.values() if any(v is not None for v in row))

    def summary(self) -> str:
        read = ", ".join(f"{name} {stats.rows:,} rows" for name, stats in self.tables.items())
        outside = sum(stats.outside for stats in self.tables.values())
        exact = f"; exact quarters and year kept for {', '.join(sorted(self.exact))}" if self.exact else ""
        return (
            f"wrote {self.out}: read {read}; {outside:,} rows outside fiscal year {self.year} "
            f"(from month {self.first_month}); {self.inputs_filled} inputs filled ({self.engine}){exact}"
        )


def _engine(request: RawImportRequest, files: list[RawFile]) -> str:
    if request.engine != "auto":
        return request.engine
    if sum(f.path.stat().st_size for f in files) <= LARGE or any(f.path.suffix.lower() == ".xlsx" for f in files):
        return "pandas"
    try:
        import duckdb  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError:
        return "pandas"
    return "duckdb"


def _fiscal_year(request: RawImportRequest, latest: list[dt.datetime | None]) -> tuple[int, int]:
    """The year asked, else the fiscal year holding the latest date no later than today."""
    first = request.options.first_month or 1
    if request.options.year is not None:
        return request.options.year, first
    today = dt.datetime.now()
    known = [min(x, today) for x in latest if x is not None]
    moment = max(known) if known else today
    return (moment.year if moment.month >= first else moment.year - 1), first


def import_raw(request: RawImportRequest) -> RawImportResult:
    from generator.workbook.build import build_workbook, default_file_name

    profile, chosen = request.profile, request.options
    problems, _ = check_profile(profile, request.catalog)
    if problems:
        raise CatalogError(problems)
    files = assign(profile, request.files, duckdb=request.engine == "duckdb")
    reads = [f.path for f in files]
    plan_out = plan_workbook_output(chosen.out, force=chosen.force, reads=reads)
    checked = chosen.checked()
    engine = _engine(request, files)
    run = _run_duckdb if engine == "duckdb" else _run_pandas
    values, tables, year, first_month, exact = run(request, files)
    issues = [line for stats in tables.values() for line in stats.problems]
    if issues and chosen.strict:
        raise DataError(f"{len(issues)} problems, nothing written (--strict):\n" + "\n".join(issues))
    filled = {input_id: values.get(input_id, [None] * 12) for input_id in request.catalog.inputs}
    options = chosen.for_year(checked, year, first_month)
    exact = {input_id: row for input_id, row in exact.items() if input_id in filled}
    built = build_workbook(request.catalog, options, values=filled, properties=to_properties(exact, filled))
    out = write_planned(
        plan_out, default_file_name(request.catalog, built.options), built.data, force=chosen.force, reads=reads
    )
    absent = sorted({m.table for m in profile.measures.values()} - {f.table for f in files})
    notes = [f"no file for table {name}: its inputs are left empty" for name in absent]
    return RawImportResult(out, filled, year, first_month, engine, tables, notes + issues + built.warnings, exact)


Run = tuple[Values, dict[str, TableStats], int, int, Exact]
"""What an engine gives: the months, each table's stats, the fiscal year and first month, the exact periods."""


def _run_pandas(request: RawImportRequest, files: list[RawFile]) -> Run:
    from generator.transfer.raw import pandas_engine
    from generator.transfer.raw.exact import compute_exact
    from generator.transfer.raw.stats import latest_of, outside_of

    profile = request.profile
    frames: dict[str, Any] = {}
    tables: dict[str, TableStats] = {}
    for raw in files:
        frame: Any = read_frame(raw)
        spec = profile.tables[raw.table]
        prepared, bad = pandas_engine.prepare(frame, spec, profile.time_zone)
        source = frame.attrs["table"]
        stats = TableStats(rows=len(frame), latest=latest_of(prepared, spec))
        stats.problems = [
            f"{raw.path}: {source.where(c.row, source.headers.index(c.header))}: {c.message}" for c in bad
        ]
        frames[raw.table], tables[raw.table] = prepared, stats
    year, first = _fiscal_year(request, [s.latest for s in tables.values()])
    bounds = month_bounds(year, first)
    for name, stats in tables.items():
        stats.outside = outside_of(frames[name], profile.tables[name], bounds[0], bounds[12])
    exact = compute_exact(profile, frames, year, first)
    return pandas_engine.compute(profile, frames, year, first), tables, year, first, exact


def _run_duckdb(request: RawImportRequest, files: list[RawFile]) -> Run:
    from generator.transfer.raw import duck
    from generator.transfer.raw.exact_sql import run_exact
    from generator.transfer.raw.sql import build_query
    from generator.transfer.raw.stats import duck_outside, duck_stats

    profile = request.profile
    tables: dict[str, TableStats] = {}
    with duck.session() as con:
        for raw in files:
            duck.materialize(con, profile, raw.table, duck.register(con, raw.table, raw.path))
            stats = duck_stats(con, profile.tables[raw.table])
            stats.problems = [f"{raw.path}: {line}" for line in stats.problems]
            tables[raw.table] = stats
        year, first = _fiscal_year(request, [s.latest for s in tables.values()])
        bounds = month_bounds(year, first)
        for name, stats in tables.items():
            stats.outside = duck_outside(con, profile.tables[name], bounds[0], bounds[12])
        query = build_query(profile, year, first, set(tables), materialized=True).sql(dialect="duckdb")
        exact = run_exact(con, profile, year, first, set(tables))
        return duck.to_values(con.execute(query).fetchall(), year, first), tables, year, first, exact
