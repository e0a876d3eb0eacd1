"""A Parquet export whose columns are already typed (a timestamp, a date, a double) imports to the
same inputs through both engines: DuckDB takes those columns as they are, pandas reads their
text; a NaN is a missing amount and an infinity an unreadable one, in both. Worked by hand."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.transfer.helpers import input_values

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

N = None
# Record ID, Deal Stage, Amount (double), Create Date (date), Close Date (timestamp)
DEALS = [
    (1, "Closed Won", 100.0, dt.date(2026, 1, 1), dt.datetime(2026, 1, 10, 10, 0)),
    (2, "closedwon", math.nan, dt.date(2026, 1, 5), dt.datetime(2026, 1, 31, 23, 59, 59)),
    (3, "Closed Won", math.inf, dt.date(2026, 2, 1), dt.datetime(2026, 2, 3)),
    (4, "closedlost", 50.0, dt.date(2026, 1, 1), dt.datetime(2026, 2, 10)),
    (5, "closedwon", 25.5, dt.date(2026, 2, 20), dt.datetime(2026, 3, 1)),
    (6, "Closed Won", None, None, None),
]
# won deals by Close Date: 1 and 2 in January, 3 in February, 5 on 1 March at midnight; the last
# date is 1 March, so April on is empty. 2's amount is missing (NaN), 3's (row 4 under the header) unreadable.
EXPECTED = {
    "deals_won": [2, 1, 1, N, N, N, N, N, N, N, N, N],
    "company_sales": [100, 0, 25.5, N, N, N, N, N, N, N, N, N],
    "sales_cycle_days_total": [9 + 26, 2, 9, N, N, N, N, N, N, N, N, N],  # 20 Feb to 1 Mar: 9 days
    "avg_sale_value": [100, N, 25.5, N, N, N, N, N, N, N, N, N],
}


def _write(path: Path) -> None:
    columns = list(zip(*DEALS, strict=True))
    table = pa.table(
        {
            "Record ID": pa.array(columns[0], pa.int64()),
            "Deal Name": pa.array([f"Deal {i}" for i in columns[0]]),
            "Deal Stage": pa.array(columns[1]),
            "Pipeline": pa.array(["default"] * len(DEALS)),
            "Amount": pa.array(columns[2], pa.float64()),
            "Create Date": pa.array(columns[3], pa.date32()),
            "Close Date": pa.array(columns[4], pa.timestamp("us")),
        }
    )
    pq.write_table(table, path)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_typed_parquet_columns(engine: str, tmp_path: Path) -> None:
    deals = tmp_path / "deals.parquet"
    _write(deals)
    out = tmp_path / "filled.xlsx"
    args = ["import", "--profile", "hubspot", "--engine", engine, f"deals={deals}", "--year", "2026", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    values = input_values(out)
    assert {k: values[k] for k in EXPECTED} == EXPECTED
    assert "read deals 6 rows; 1 rows outside fiscal year 2026" in result.stdout  # 6 has no date
    problem = "row 4, column 'Amount': 'inf' is not a number" if engine == "pandas" else "(row 4: 'inf')"
    assert problem in result.stderr and "'nan'" not in result.stderr


def test_duckdb_engine_does_not_import_pyarrow(tmp_path: Path) -> None:
    """``--engine duckdb`` reads a Parquet file's headers with DuckDB too: pyarrow (about 0.3 s to
    import) is not imported at all."""
    import subprocess
    import sys

    deals = tmp_path / "deals.parquet"
    _write(deals)
    args = ["import", "--profile", "hubspot", "--engine", "duckdb", str(deals), "--year", "2026"]
    args += ["--out", str(tmp_path)]
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom generator.cli import main\n"
        f"result = CliRunner().invoke(main, {args!r})\n"
        "assert result.exit_code == 0, result.stderr\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pyarrow'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
