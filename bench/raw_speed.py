"""Issue 26's speed rows in ``python -m bench`` (``raw_rows``), or alone: ``python -m bench.raw_speed``.

Writes 1,000,000 HubSpot-style deal rows and 200,000 contact rows as CSV and as Parquet (with
DuckDB, from a fixed seed), then times, interleaved round by round, each as a whole process:
``kpigen import --profile hubspot --engine duckdb`` (CSV; Parquet of text columns, as the CSV;
Parquet of timestamp and double columns), a bare DuckDB ``GROUP BY``
month over the same files (the floor: reading them and counting rows per month), one ``kpigen
build`` (the workbook the import also writes), and the pandas engine on the CSV (the reference
engine: ``pandas.read_csv`` and its measures; ``import`` itself refuses CSV files over 50 MiB on
that path). The goal, ``<= 2x the floor plus one build``, is judged round by round. Needs the
``raw`` and ``parquet`` extras.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.measure import Sample, Series, interleaved, ratio, run_process

Line = tuple[str, str, str, str]  # work, measured, target, verdict
TIME_TARGET, PEAK_TARGET = 5.0, 400.0

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
TYPED = "parquet, typed columns"
"""The same rows as Parquet with timestamp and double columns, as a warehouse or pandas writes them."""
_DEALS_TYPES = """TRY_CAST(NULLIF("Amount", '') AS DOUBLE) AS "Amount",
  strptime("Create Date", '%Y-%m-%d %H:%M') AS "Create Date", strptime("Close Date", '%Y-%m-%d %H:%M') AS "Close Date"
"""
_CONTACTS_TYPES = """strptime("Became a Lead Date", '%Y-%m-%d %H:%M') AS "Became a Lead Date",
  strptime(NULLIF("Became a Customer Date", ''), '%Y-%m-%d') AS "Became a Customer Date"
"""
_FLOOR = """
import sys, duckdb
con = duckdb.connect(config={"threads": 2})
for path in sys.argv[1:]:
    column = "Close Date" if "deals" in path else "Became a Lead Date"
    csv = f"read_csv('{path}', header=true, all_varchar=true)"
    source = csv if path.endswith(".csv") else f"read_parquet('{path}')"
    date = f"\\"{column}\\"" if "typed" in path else f"try_strptime(\\"{column}\\", '%Y-%m-%d %H:%M')"
    month = f"date_trunc('month', {date})"
    print(con.execute(f"SELECT {month} AS m, count(*) FROM {source} GROUP BY m").fetchall()[:1])
"""


def prepare(folder: Path, deals: int, contacts: int) -> dict[str, list[Path]]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    files: dict[str, list[Path]] = {"csv": [], "parquet": []}
    for kind, options in (("csv", "(HEADER, DELIMITER ',')"), ("parquet", "(FORMAT parquet)")):
        for name, sql, n in (("deals", _DEALS_SQL, deals), ("contacts", _CONTACTS_SQL, contacts)):
            path = folder / f"hubspot-{name}.{kind}"
            con.execute(sql.format(n=n, path=path, options=options))
            files[kind].append(path)
    files[TYPED] = []
    for name, types in (("deals", _DEALS_TYPES), ("contacts", _CONTACTS_TYPES)):
        path = folder / f"hubspot-{name}.typed.parquet"
        text = f"read_csv('{folder / f'hubspot-{name}.csv'}', header=true, all_varchar=true)"
        con.execute(f"COPY (SELECT * REPLACE ({types}) FROM {text}) TO '{path}' (FORMAT parquet)")
        files[TYPED].append(path)
    return files


def _pandas_engine(paths: list[str]) -> None:
    """The reference engine on the CSV files (deals, contacts), as ``--pandas`` runs it in its own process."""
    import pandas as pd

    from generator.transfer.raw import pandas_engine
    from generator.transfer.raw.profile import load_profile

    profile = load_profile("hubspot")
    frames = {}
    for name, path in zip(("deals", "contacts"), paths, strict=True):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames[name], _ = pandas_engine.prepare(frame, profile.tables[name], profile.time_zone)
    pandas_engine.compute(profile, frames, 2026, 1)


def _alternatives(folder: Path, files: dict[str, list[Path]]) -> list[tuple[str, Callable[[], Sample]]]:
    kpigen = [sys.executable, "-m", "generator.cli"]
    options: list[tuple[str, Callable[[], Sample]]] = []
    for kind, paths in files.items():
        command = [*kpigen, "import", "--profile", "hubspot", "--engine", "duckdb", *map(str, paths)]
        command += ["--year", "2026", "--out", str(folder / f"out-{kind}.xlsx"), "--force"]
        floor = [sys.executable, "-c", _FLOOR, *map(str, paths)]
        options.append((f"import --engine duckdb, {kind}", partial(run_process, command)))
        options.append((f"bare DuckDB GROUP BY month, {kind} (floor)", partial(run_process, floor)))
    build = [*kpigen, "build", "--year", "2026", "--out", str(folder / "built.xlsx"), "--force"]
    options.append(("kpigen build (one workbook)", partial(run_process, build)))
    pandas = [sys.executable, "-m", "bench.raw_speed", "--pandas", *map(str, files["csv"])]
    options.append(("pandas engine, csv (read_csv + measures)", partial(run_process, pandas, timeout=1200)))
    return options


def _goal(ours: Series, floor: Series, build: Series, cpu: bool) -> list[float]:
    """Ours over (2x the floor + one build), round by round: at most 1.0 meets the goal."""

    def pick(sample: Sample) -> float:
        return sample.cpu if cpu else sample.wall

    rounds = zip(ours.samples, floor.samples, build.samples, strict=False)
    return [pick(a) / (2 * pick(f) + pick(b)) for a, f, b in rounds if pick(f) + pick(b) > 0]


def _judged(ours: Series, floor: Series, build: Series, cpu: bool) -> list[Line]:
    """The rows of one input kind: time and memory against the targets, the goal, the floor."""
    if not ours.samples:
        return [(f"raw {ours.label}", ours.summary(), f"<= {TIME_TARGET:g} s, <= {PEAK_TARGET:g} MiB", "GAP")]
    seconds = statistics.median(s.cpu if cpu else s.wall for s in ours.samples)
    peak = max(s.peak_mib or 0.0 for s in ours.samples)
    within = seconds <= TIME_TARGET and 0 < peak <= PEAK_TARGET
    goal = _goal(ours, floor, build, cpu)
    reached = f"{statistics.median(goal):.2f} (min {min(goal):.2f}, max {max(goal):.2f})" if goal else "n/a"
    return [
        (f"raw {ours.label}", ours.summary(), f"<= {TIME_TARGET:g} s, <= {PEAK_TARGET:g} MiB", _met(within)),
        ("  / (2x floor + one build)", reached, "<= 1.0", _met(bool(goal) and statistics.median(goal) <= 1.0)),
        (f"  / {floor.label}", ratio(ours, floor), "(reference)", ""),
    ]


def _met(ok: bool) -> str:
    return "met" if ok else "GAP"


def raw_rows(work: Path, rounds: int, tiny: bool, cpu: bool = False) -> list[Line]:
    """Issue 26's rows: 1,000,000 deals and 200,000 contacts (``tiny``: 10,000 and 2,000, judged all the
    same) to a filled workbook; ``cpu`` judges CPU time (a loaded machine) instead of wall time."""
    deals, contacts = (10_000, 2_000) if tiny else (DEALS, CONTACTS)
    folder = work / "raw"
    folder.mkdir(exist_ok=True)
    started = time.perf_counter()
    try:
        files = prepare(folder, deals, contacts)
    except ImportError as exc:
        missing = f"not measured: needs {exc.name} (the raw and parquet extras)"
        return [("raw CRM exports to a workbook", missing, "", "")]
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.1f} MiB" for kind in files.values() for p in kind)
    print(f"\n## raw CRM exports to a filled workbook, whole process: {deals:,} deals, {contacts:,} contacts")
    print(f"inputs: {sizes}, written in {time.perf_counter() - started:.1f} s")
    series = interleaved(_alternatives(folder, files), rounds)
    for found in series:
        print(f"- {found.label}: {found.summary()}")
    by_label = {found.label: found for found in series}
    build = by_label["kpigen build (one workbook)"]
    lines: list[Line] = []
    for kind in files:
        floor = by_label[f"bare DuckDB GROUP BY month, {kind} (floor)"]
        lines += _judged(by_label[f"import --engine duckdb, {kind}"], floor, build, cpu)
    pandas = by_label["pandas engine, csv (read_csv + measures)"]
    lines.append(("raw pandas engine, csv (the reference engine)", pandas.summary(), "(reference)", ""))
    lines.append(("  / import --engine duckdb, csv", ratio(pandas, by_label["import --engine duckdb, csv"]), "", ""))
    lines.append(("raw kpigen build (one workbook)", build.summary(), "(reference)", ""))
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.raw_speed")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="10,000 and 2,000 rows, one round (a smoke run)")
    parser.add_argument("--cpu", action="store_true", help="judge CPU time instead of wall time (a loaded machine)")
    parser.add_argument("--pandas", nargs=2, metavar="CSV", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pandas:
        _pandas_engine(args.pandas)
        return
    with tempfile.TemporaryDirectory(prefix="kpigen-raw-bench-") as name:
        lines = raw_rows(Path(name), 1 if args.tiny else args.runs, args.tiny, cpu=args.cpu)
    print("\n| work | measured | target | verdict |\n|---|---|---|---|")
    for line in lines:
        print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    main()
