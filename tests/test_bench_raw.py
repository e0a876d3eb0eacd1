"""``python -m bench.raw_speed --tiny`` runs every row on 10,000 deals (timings printed; the verdicts judge
nothing at that size). ``python -m bench --tiny`` runs the same rows (tests/test_bench.py)."""

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
        "whole process: 10,000 deals, 2,000 contacts",
        "| raw import --engine duckdb, csv |",
        "|   / bare DuckDB GROUP BY month, csv (floor) |",
        "| raw import --engine duckdb, parquet |",
        "|   / bare DuckDB GROUP BY month, parquet (floor) |",
        "| raw import --engine duckdb, parquet, typed columns |",
        "|   / bare DuckDB GROUP BY month, parquet, typed columns (floor) |",
        "|   / (2x floor + one build) |",
        "| raw kpigen build (one workbook) |",
        "| raw pandas engine, csv (the reference engine) |",
    ):
        assert row in done.stdout, row
    assert "failed" not in done.stdout and "not measured" not in done.stdout, done.stdout
