"""``python -m bench.raw_speed --tiny`` runs every row on 10,000 deals (timings printed, never judged)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")


def test_raw_benchmark_runs_on_a_tiny_case() -> None:
    command = [sys.executable, "-m", "bench.raw_speed", "--tiny"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    for row in (
        "inputs: 10,000 deals, 2,000 contacts",
        "| import --engine duckdb, csv |",
        "| bare DuckDB GROUP BY month, csv (floor) |",
        "| import --engine duckdb, parquet |",
        "| kpigen build (one workbook) |",
        "| pandas engine in process, csv (read_csv + measures) |",
    ):
        assert row in done.stdout, row
