"""``python -m bench.raw_speed``: raw CRM exports to a filled workbook (issue 26's speed rows).

Writes 1,000,000 HubSpot-style deal rows and 200,000 contact rows as CSV and as Parquet (with
DuckDB, from a fixed seed), then times, round by round: ``kpigen import --profile hubspot
--engine duckdb`` as a whole process (CSV, Parquet), a bare DuckDB ``GROUP BY`` month over the
same files (the floor: reading them and counting won deals per month), one ``kpigen build``
(the workbook the import also writes), and the pandas engine in process on the CSV (the
reference engine; ``import`` itself refuses CSV files over 50 MiB on that path). Prints medians
with min and max, and each process's peak memory. Needs the ``raw`` and ``parquet`` extras.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import Sample, run_process

DEALS, CONTACTS = 1_000_000, 200_000
_DEALS_SQL = """
COPY (
  SELECT i AS "Record ID", 'Deal ' || i AS "Deal Name",
    ['closedwon', 'Closed Won', 'closedlost', 'appointmentscheduled', 'CLOSEDWON'][1 + (hash(i) % 5)::INT]
      AS "Deal Stage",
    'default' AS "Pipeline",
    CASE WHEN i % 50 = 0 THEN '' ELSE printf('%.2f', (hash(i * 7) % 1000000) / 100.0) END AS "Amount",
    strftime(TIMESTAMP '2025-06-01' + to_minutes((hash(i * 3) % 700000)::BIGINT), '%Y-%m-%d %H:%M') AS "Create Date",
    strftime(TIMESTAMP '2025-10-01' + to_minutes((hash(i * 5) % 600000)::BIGINT), '%Y-%m-%d %H:%M') AS "Close Date",
    'Owner ' || (i % 40) AS "Deal owner"
  FROM range(1, {n} + 1) t(i)
) TO '{path}' {options}
"""
_CONTACTS_SQL = """
COPY (
  SELECT i AS "Record ID", 'First' || i AS "First Name", 'Last' AS "Last Name", 'p' || i || '@example.com' AS "Email",
    'lead' AS "Lifecycle Stage",
    strftime(TIMESTAMP '2025-06-01' + to_minutes((hash(i) % 800000)::BIGINT), '%Y-%m-%d') AS "Create Date",
    strftime(TIMESTAMP '2025-09-01' + to_minutes((hash(i * 11) % 600000)::BIGINT), '%Y-%m-%d %H:%M')
      AS "Became a Lead Date",
    CASE WHEN i % 3 = 0 THEN strftime(TIMESTAMP '2025-12-01' + to_minutes((hash(i * 13) % 500000)::BIGINT), '%Y-%m-%d')
      ELSE '' END AS "Became a Customer Date"
  FROM range(1, {n} + 1) t(i)
) TO '{path}' {options}
"""
_FLOOR = """
import sys, duckdb
con = duckdb.connect(config={"threads": 2})
for path in sys.argv[1:]:
    column = "Close Date" if "deals" in path else "Became a Lead Date"
    csv = f"read_csv('{path}', header=true, all_varchar=true)"
    source = csv if path.endswith(".csv") else f"read_parquet('{path}')"
    month = f"date_trunc('month', try_strptime(\\"{column}\\", '%Y-%m-%d %H:%M'))"
    print(con.execute(f"SELECT {month} AS m, count(*) FROM {source} GROUP BY m").fetchall()[:1])
"""


def prepare(folder: Path, deals: int, contacts: int) -> dict[str, list[Path]]:
    import duckdb

    con = duckdb.connect()
    files: dict[str, list[Path]] = {"csv": [], "parquet": []}
    for kind, options in (("csv", "(HEADER, DELIMITER ',')"), ("parquet", "(FORMAT parquet)")):
        for name, sql, n in (("deals", _DEALS_SQL, deals), ("contacts", _CONTACTS_SQL, contacts)):
            path = folder / f"hubspot-{name}.{kind}"
            con.execute(sql.format(n=n, path=path, options=options))
            files[kind].append(path)
    return files


def _pandas_engine(paths: list[Path]) -> None:
    import pandas as pd

    from generator.transfer.raw import pandas_engine
    from generator.transfer.raw.profile import load_profile

    profile = load_profile("hubspot")
    frames = {}
    for name, path in zip(("deals", "contacts"), paths, strict=True):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames[name], _ = pandas_engine.prepare(frame, profile.tables[name], profile.time_zone)
    pandas_engine.compute(profile, frames, 2026, 1)


def _in_process(action: object) -> Sample:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return Sample(time.perf_counter() - start, 0.0, 0.0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.raw_speed")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="10,000 and 2,000 rows, one round (a smoke run)")
    args = parser.parse_args(argv)
    deals, contacts, runs = (10_000, 2_000, 1) if args.tiny else (DEALS, CONTACTS, args.runs)
    kpigen = [sys.executable, "-m", "generator.cli"]
    with tempfile.TemporaryDirectory(prefix="kpigen-raw-bench-") as name:
        folder = Path(name)
        started = time.perf_counter()
        files = prepare(folder, deals, contacts)
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.0f} MiB" for kind in files.values() for p in kind)
        took = time.perf_counter() - started
        print(f"inputs: {deals:,} deals, {contacts:,} contacts ({sizes}), written in {took:.1f} s")
        rows: dict[str, list[Sample]] = {}
        for _ in range(runs):
            for kind, paths in files.items():
                out = folder / f"out-{kind}.xlsx"
                command = [*kpigen, "import", "--profile", "hubspot", "--engine", "duckdb", *map(str, paths)]
                command += ["--year", "2026", "--out", str(out), "--force"]
                rows.setdefault(f"import --engine duckdb, {kind}", []).append(run_process(command))
                floor = [sys.executable, "-c", _FLOOR, *map(str, paths)]
                rows.setdefault(f"bare DuckDB GROUP BY month, {kind} (floor)", []).append(run_process(floor))
            build = [*kpigen, "build", "--year", "2026", "--out", str(folder / "built.xlsx"), "--force"]
            rows.setdefault("kpigen build (one workbook)", []).append(run_process(build))
            rows.setdefault("pandas engine in process, csv (read_csv + measures)", []).append(
                _in_process(lambda: _pandas_engine(files["csv"]))
            )
        print("| work | median wall | min-max | peak memory |")
        print("|---|---|---|---|")
        for work, samples in rows.items():
            walls = [s.wall for s in samples]
            peak = max(s.peak_mib for s in samples)
            memory = f"{peak:.0f} MiB" if peak else "(in this process)"
            print(f"| {work} | {statistics.median(walls):.2f} s | {min(walls):.2f}-{max(walls):.2f} s | {memory} |")


if __name__ == "__main__":
    main()
