"""A workbook filled from raw rows keeps its exact distinct counts (custom document properties):
`kpigen export` shows them beside the workbook's average month, regenerate keeps them, a
LibreOffice save keeps them, and a changed month or another fiscal year drops them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.recalc import LibreOffice
from tests.transfer.raw.test_exact_distinct import ORDERS, PROFILE

pytest.importorskip("duckdb")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def imported(tmp_path: Path, engine: str = "pandas") -> Path:
    (tmp_path / "shop.yaml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    out = tmp_path / f"shop-{engine}.xlsx"
    code, stdout, stderr = run(
        "import", "--profile", str(tmp_path / "shop.yaml"), str(tmp_path / "orders.csv"),
        "--year", "2026", "--first-month", "4", "--engine", engine, "--out", str(out),
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout.rstrip().endswith(
        f"1 inputs filled ({engine}); exact quarters and year kept for purchasing_customers"
    )
    return out


def exported(workbook: Path) -> tuple[dict[tuple[str, str], dict[str, str]], str]:
    """(rows by (input or KPI id, period), what export says on stderr)."""
    result = CliRunner().invoke(main, ["export", str(workbook), "--out", "-"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[-1] == "exact"
    return {(r["id"], r["period"]): r for r in rows}, result.stderr


def exact_column(rows: dict[tuple[str, str], dict[str, str]]) -> dict[str, str]:
    return {period: rows["purchasing_customers", period]["exact"] for period in PERIODS}


PERIODS = ["2026-04", "FY2026-Q1", "FY2026-Q2", "FY2026-Q3", "FY2026-Q4", "FY2026"]
# By hand (test_exact_distinct): months April-August 1, 1, 1, 1, 1, then empty. The workbook's quarter and
# year show the average month (1); the exact counts are Q1 {ann, bob}, Q2 {ann, cy}, year {ann, bob, cy}.
EXACT = {"2026-04": "", "FY2026-Q1": "2", "FY2026-Q2": "2", "FY2026-Q3": "", "FY2026-Q4": "", "FY2026": "3"}


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_export_shows_the_exact_count_beside_the_average_month(engine: str, tmp_path: Path) -> None:
    rows, stderr = exported(imported(tmp_path, engine))
    assert exact_column(rows) == EXACT
    assert [rows["purchasing_customers", p]["value"] for p in PERIODS] == ["1", "1", "1", "", "", "1"]
    assert "warning" not in stderr
    others = [r["exact"] for (i, _), r in rows.items() if i != "purchasing_customers"]
    assert others and not any(others)  # KPIs and the other inputs (repeat_customers too) have none


def test_regenerate_keeps_them_and_another_year_drops_them(tmp_path: Path) -> None:
    source = imported(tmp_path)
    turkish = tmp_path / "tr.xlsx"
    code, _, stderr = run("regenerate", str(source), "--locale", "tr", "--currency", "TRY", "--out", str(turkish))
    assert code == 0, stderr
    assert exact_column(exported(turkish)[0]) == EXACT
    rolled = tmp_path / "next.xlsx"
    code, _, stderr = run("regenerate", str(source), "--year", "2027", "--out", str(rolled))
    assert code == 0, stderr
    rows, _ = exported(rolled)
    assert not any(r["exact"] for r in rows.values())


def test_a_changed_month_drops_them_with_a_warning(tmp_path: Path) -> None:
    source = imported(tmp_path)
    book = openpyxl.load_workbook(source)
    target = book.defined_names["in_purchasing_customers"].attr_text
    sheet_name, _, cells = target.rpartition("!")
    first = cells.split(":")[0].replace("$", "")
    book[sheet_name.strip("'")][first] = 5  # April: 5 customers instead of 1
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    rows, stderr = exported(edited)
    assert rows["purchasing_customers", "2026-04"]["value"] == "5"
    assert not any(exact_column(rows).values())
    assert "warning: purchasing_customers: its months changed after the raw import" in stderr


def test_a_workbook_filled_without_raw_rows_shows_none(tmp_path: Path) -> None:
    sample = tmp_path / "sample.xlsx"
    code, _, stderr = run("build", "--sample", "--year", "2026", "--out", str(sample))
    assert code == 0, stderr
    rows, _ = exported(sample)
    assert rows["purchasing_customers", "FY2026-Q1"]["value"]  # the sample has distinct counts, but no raw rows
    assert not any(r["exact"] for r in rows.values())


def test_a_libreoffice_save_keeps_them(tmp_path: Path, libreoffice: LibreOffice) -> None:
    saved = libreoffice.convert(imported(tmp_path), tmp_path / "saved")
    assert exact_column(exported(saved)[0]) == EXACT


def test_the_export_imports_back_without_a_word_about_its_exact_column(tmp_path: Path) -> None:
    from tests.transfer.helpers import input_values

    source = imported(tmp_path)
    table = tmp_path / "table.csv"
    assert run("export", str(source), "--out", str(table))[0] == 0
    again = tmp_path / "again.xlsx"
    code, _, stderr = run("import", str(table), "--out", str(again))
    assert code == 0 and "exact" not in stderr, stderr
    assert input_values(again) == input_values(source)
