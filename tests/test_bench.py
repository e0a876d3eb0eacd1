"""``python -m bench --tiny`` runs every row end to end on a small case (timings are printed, never judged)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench  # about 3 minutes: its own step of .ci/run, not in the README's test command

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_on_a_tiny_case() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny"], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for row in (
        "| validate, whole process |",
        "/ openpyxl data_only load",
        "| validate, in process |",
        "| build, whole process |",
        "/ python-calamine in process (floor)",
        "| reading the file |",
        "| stale check (the engine recomputes every formula cell) |",
        "/ bare XlsxWriter script",
        "| build with the prior year, in process |",
        "|   ratio with / without, in process |",
        "|   ratio with / without, whole process |",
        "| build --batch of 4 workbooks",
        "| --help, whole process |",
        "| catalog check, whole process |",
        "a phantom row 1048576 (LibreOffice)",
        "| 26 |",
        "| import, long CSV of",
        "| raw import --engine duckdb, csv |",
        "| raw import --engine duckdb, parquet |",
        "|   / (2x floor + one build) |",
        "| raw pandas engine, csv (the reference engine) |",
    ):
        assert row in out, row
    assert "failed" not in out, out
