"""Each bundled profile's fixture export imports to its hand-worked inputs, through both engines,
and the SQL `kpigen sql` prints gives them too, in DuckDB and transpiled back from each dialect."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import load_catalog
from generator.cli import main
from generator.paths import CATALOG_DIR
from tests.transfer.helpers import input_values
from tests.transfer.raw.expected import EXAMPLES, EXPECTED, FILES

duckdb = pytest.importorskip("duckdb")
sqlglot = pytest.importorskip("sqlglot")
INPUTS = list(load_catalog(CATALOG_DIR / "crm.yaml").inputs)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def expected_all(name: str) -> dict[str, list[float | None]]:
    return {i: EXPECTED[name].get(i, [None] * 12) for i in INPUTS}


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_fixture_imports_to_hand_worked_inputs(name: str, engine: str, tmp_path: Path) -> None:
    files = [str(EXAMPLES / f) for f in FILES[name]]
    before = {f: Path(f).read_bytes() for f in files}
    out = tmp_path / "filled.xlsx"
    code, stdout, stderr = run(
        "import", "--profile", name, *files, "--year", "2026", "--engine", engine, "--out", str(out)
    )
    assert code == 0, stderr
    assert input_values(out) == expected_all(name)
    assert {f: Path(f).read_bytes() for f in files} == before  # raw files are only read
    assert f"{len(EXPECTED[name])} inputs filled ({engine})" in stdout


def test_hubspot_summary_and_problems(tmp_path: Path) -> None:
    files = [str(EXAMPLES / f) for f in FILES["hubspot"]]
    out = tmp_path / "filled.xlsx"
    code, stdout, stderr = run("import", "--profile", "hubspot", *files, "--year", "2026", "--out", str(out))
    assert code == 0
    assert "read deals 8 rows, contacts 6 rows; 1 rows outside fiscal year 2026 (from month 1)" in stdout
    assert stderr.splitlines() == [
        f"warning: {files[0]}: row 9, column 'Close Date': '31/03/2026' is not a date "
        "(%Y-%m-%d %H:%M, %Y-%m-%d); skipped"
    ]
    code, stdout, stderr = run("import", "--profile", "hubspot", *files, "--strict", "--out", str(tmp_path / "s.xlsx"))
    assert code == 1 and "1 problems, nothing written (--strict)" in stderr and not (tmp_path / "s.xlsx").exists()
    code, _, stderr = run(
        "import", "--profile", "hubspot", "--engine", "duckdb", *files, "--strict", "--out", str(tmp_path)
    )
    assert code == 1 and "column 'Close Date': 1 cells are not dates" in stderr


def test_tables_named_or_recognised(tmp_path: Path) -> None:
    deals = str(EXAMPLES / FILES["hubspot"][0])
    code, stdout, _ = run("import", "--profile", "hubspot", f"deals={deals}", "--year", "2026", "--out", str(tmp_path))
    assert code == 0 and "read deals 8 rows;" in stdout
    contacts = str(EXAMPLES / FILES["hubspot"][1])
    code, _, stderr = run("import", "--profile", "hubspot", f"deals={contacts}", "--out", str(tmp_path / "x.xlsx"))
    assert code == 1
    assert "no column 'Deal Name', 'Deal Stage', 'Pipeline', 'Amount', 'Close Date'" in stderr
    leads = str(EXAMPLES / FILES["zoho"][1])
    code, _, stderr = run("import", "--profile", "hubspot", leads, "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and "not recognised as a table of profile hubspot" in stderr


def _values(rows: list[tuple[object, str, object]]) -> dict[str, list[float | None]]:
    from generator.transfer.raw.duck import to_values

    return to_values(rows, 2026, 1)  # type: ignore[arg-type]


def _connect(name: str) -> object:
    con = duckdb.connect()
    from generator.transfer.raw.files import assign
    from generator.transfer.raw.profile import load_profile

    for raw in assign(load_profile(name), [str(EXAMPLES / f) for f in FILES[name]]):
        con.read_csv(str(raw.path), header=True, all_varchar=True).create_view(raw.table)
    return con


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "bigquery", "snowflake", "spark"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_sql_command_output_gives_the_same_numbers(name: str, dialect: str) -> None:
    code, stdout, stderr = run("sql", "--profile", name, "--dialect", dialect, "--year", "2026")
    assert code == 0, stderr
    parsed = sqlglot.parse_one(stdout.rstrip().rstrip(";"), read=dialect)  # parses back in its own dialect
    con = _connect(name)
    assert _values(con.execute(parsed.sql(dialect="duckdb")).fetchall()) == EXPECTED[name]  # type: ignore[attr-defined]


def test_sql_result_imports_in_long_form(tmp_path: Path) -> None:
    """What a warehouse returns, saved as CSV, is the long form `kpigen import` reads."""
    code, stdout, _ = run("sql", "--profile", "zoho", "--year", "2026")
    assert code == 0
    con = _connect("zoho")
    result = tmp_path / "result.csv"
    copy = f"COPY ({stdout.rstrip().rstrip(';')}) TO '{result}' (HEADER)"
    con.execute(copy)  # type: ignore[attr-defined]
    out = tmp_path / "filled.xlsx"
    code, stdout, stderr = run("import", str(result), "--out", str(out))
    assert code == 0, stderr
    assert input_values(out) == expected_all("zoho")
