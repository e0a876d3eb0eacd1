"""The DuckDB engine names the rows of unreadable cells, as the pandas engine does, on a file of
400,000 rows (about 24 MiB, read on two threads): the rows are counted in the file's order, from
the top of the file to its last rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

ROWS = 400_000
BAD_DATES = {5: "31/03/2026", 250_000: "n/a", 399_998: "2026-13-45"}
"""0-based data row -> the Close Date written there; every other row's reads."""
BAD_AMOUNTS = {7: '"12,5"', 100_001: "abc"}  # quoted as CSV quotes a comma
HEADER = "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Create Date,Close Date\n"


def _write(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(HEADER)
        for i in range(ROWS):
            closed = BAD_DATES.get(i, f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d} 10:00")
            amount = BAD_AMOUNTS.get(i, str(i % 1000))
            out.write(f"{i},Deal {i},closedwon,default,{amount},2026-01-01,{closed}\n")


def test_duckdb_names_the_rows_in_file_order(tmp_path: Path) -> None:
    deals = tmp_path / "deals.csv"
    _write(deals)
    result = CliRunner().invoke(
        main,
        [
            "import",
            "--profile",
            "hubspot",
            "--engine",
            "duckdb",
            f"deals={deals}",
            "--year",
            "2026",
            "--strict",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1, result.stderr
    # spreadsheet rows: the header is row 1, so 0-based data row i is row i + 2
    assert (
        f"{deals}: column 'Amount': 2 cells are not numbers; skipped (row 9: '12,5'; row 100003: 'abc')"
        in result.stderr.splitlines()
    )
    assert (
        f"{deals}: column 'Close Date': 3 cells are not dates (%Y-%m-%d %H:%M, %Y-%m-%d); skipped "
        "(row 7: '31/03/2026'; row 250002: 'n/a'; row 400000: '2026-13-45')"
    ) in result.stderr.splitlines()
    assert "2 problems, nothing written (--strict)" in result.stderr
