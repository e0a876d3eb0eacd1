"""Validator messages a user reads: numbers as the workbook's language writes them (Babel CLDR): 21.000,5 in a
Turkish sentence, 21,000.5 in an English one, never Python's 21000.5 (issue 22)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.cli import main
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions


@pytest.mark.parametrize(("locale", "written"), [("tr", "21.000,5"), ("en", "21,000.5")])
def test_a_rule_finding_writes_numbers_in_the_workbooks_language(
    crm: Catalog, tmp_path: Path, locale: str, written: str
) -> None:
    values: dict[str, list[float | None]] = {i: [None] * 12 for i in crm.inputs}
    values["company_sales"][0] = 21000.5  # more than the market: the rule company_sales <= market_sales breaks
    values["market_sales"][0] = 20000
    book = tmp_path / f"crm-{locale}.xlsx"
    book.write_bytes(build_workbook(crm, BuildOptions(locale=locale), values).data)
    result = CliRunner().invoke(main, ["validate", str(book), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    messages = [f["message"] for f in report["findings"] if f.get("input") == "company_sales"]
    assert messages, report["findings"]
    assert any(written in m for m in messages), messages
    assert not any("21000.5" in m for m in messages), messages


def test_another_catalogue_than_the_workbooks_stops_at_one_line(crm: Catalog, tmp_path: Path) -> None:
    """`validate --catalog bsc` on a crm workbook printed 1,185 lines of findings (issue 22)."""
    book = tmp_path / "crm.xlsx"
    book.write_bytes(build_workbook(crm, BuildOptions(sample=True)).data)
    said = f"{book}: this workbook is crm, not bsc; leave out --catalog to check it against the crm catalogue"
    table = CliRunner().invoke(main, ["validate", str(book), "--catalog", "bsc"])
    assert table.exit_code == 2 and table.stdout == ""
    assert table.stderr.splitlines() == [f"Error: {said} it was built from"]
    document = CliRunner().invoke(main, ["validate", str(book), "--catalog", "bsc", "--format", "json"])
    assert document.exit_code == 2 and len(document.stderr.splitlines()) == 1
    assert json.loads(document.stdout)["error"]["message"].startswith(said)  # docs/validation.md: JSON even then
    older = CliRunner().invoke(main, ["validate", str(book), "--catalog", "crm-1.0.0"])
    assert older.exit_code in (0, 1) and "not crm" not in older.output  # another version of crm is checked
