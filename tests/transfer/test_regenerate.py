"""kpigen regenerate: values, settings and changed targets carried into a fresh workbook.

The new workbook is read back with openpyxl at the addresses the writer's own layout gives
(``fill.writer_layout``), not through the reader under test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog, load_catalog
from generator.cli import main
from generator.formula.address import cell
from generator.paths import CATALOG_DIR
from generator.template.layout import INPUT_GRID, MONTHS, SETTINGS_TOLERANCE_COL, SETTINGS_VALUE_COL
from generator.transfer.filled import read_filled
from generator.workbook.context import BuildOptions
from tests.validate import fill


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args])


def typed(path: Path, catalog: Catalog, options: BuildOptions) -> dict[str, Any]:
    """Inputs, targets and tolerances as typed cells at the writer's addresses."""
    layout = fill.writer_layout(catalog, options)
    book = openpyxl.load_workbook(path)
    inputs, settings = book[layout.sheets.inputs], book[layout.sheets.settings]
    values = {
        i: [inputs[cell(row, INPUT_GRID.month(m))].value for m in range(MONTHS)] for i, row in layout.input_rows.items()
    }
    return {
        "inputs": {i: [None if v is None else float(v) for v in row] for i, row in values.items()},
        "targets": {k: settings[cell(r, SETTINGS_VALUE_COL)].value for k, r in layout.target_rows.items()},
        "tolerances": {k: settings[cell(r, SETTINGS_TOLERANCE_COL)].value for k, r in layout.target_rows.items()},
        "year": settings[cell(layout.settings_rows["year"], SETTINGS_VALUE_COL)].value,
        "company": settings[cell(layout.settings_rows["company"], SETTINGS_VALUE_COL)].value,
        "sheets": book.sheetnames,
        "book": book,
    }


def test_into_another_language_with_changed_targets(crm: Catalog, tmp_path: Path) -> None:
    values = fill.valid_values(crm, 21)
    en = BuildOptions(locale="en", company="Acme & Co", year=2028, first_month=7, currency="EUR")
    source = fill.build(tmp_path, "en.xlsx", crm, values, **en.__dict__)
    layout = fill.writer_layout(crm, en)
    edited = fill.edit_cells(
        source,
        tmp_path / "edited.xlsx",
        {
            (layout.sheets.settings, cell(layout.target_rows["churn_rate"], SETTINGS_VALUE_COL)): 0.031,
            (layout.sheets.settings, cell(layout.target_rows["csat"], SETTINGS_TOLERANCE_COL)): 0.2,
        },
    )
    before = edited.read_bytes()
    result = run("regenerate", edited, "--locale", "tr", "--out", tmp_path / "tr.xlsx")
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 and "en -> tr" in result.output
    assert edited.read_bytes() == before  # the source is only read
    tr = typed(tmp_path / "tr.xlsx", crm, BuildOptions(locale="tr", currency="EUR"))
    assert tr["inputs"] == values
    assert (tr["year"], tr["company"]) == (2028, "Acme & Co")
    expected_targets = {k: crm.target(kpi, "EUR") for k, kpi in crm.kpis.items() if k in tr["targets"]}
    assert tr["targets"] == {**expected_targets, "churn_rate": 0.031}
    assert tr["tolerances"]["csat"] == 0.2 and tr["tolerances"]["nps"] == crm.tolerance(crm.kpis["nps"])
    assert "Aktarılanlar" not in tr["sheets"]  # nothing without a place


def test_removed_inputs_and_kpis_are_carried_over(crm: Catalog, tmp_path: Path) -> None:
    """Regenerating a CRM workbook with the BSC catalogue: CRM inputs BSC lacks go to 'Carried over'."""
    bsc_path = CATALOG_DIR / "bsc.yaml"
    bsc = load_catalog(bsc_path)
    values = fill.valid_values(crm, 4)
    source = fill.build(tmp_path, "crm.xlsx", crm, values, year=2026)
    result = run("regenerate", source, "--catalog", bsc_path, "--out", tmp_path / "bsc.xlsx")
    assert result.exit_code == 0, result.output
    removed = [
        (i, m, v) for i, row in values.items() if i not in bsc.inputs for m, v in enumerate(row) if v is not None
    ]
    assert f"{len(removed)} values without a place listed on sheet 'Carried over'" in result.output
    new = typed(tmp_path / "bsc.xlsx", bsc, BuildOptions())
    assert new["inputs"] == {i: values.get(i, [None] * MONTHS) for i in bsc.inputs}  # BSC's own inputs start blank
    sheet = new["book"]["Carried over"]
    rows = [[c.value for c in row[1:7]] for row in sheet.iter_rows(min_row=6)]
    assert sorted((r[1], r[3], r[4]) for r in rows) == sorted((i, f"2026-{m + 1:02d}", v) for i, m, v in removed)
    assert all(r[0] == "Input" for r in rows)

    # Regenerating again keeps the carried rows (and the BSC values) without a loss.
    again = run("regenerate", tmp_path / "bsc.xlsx", "--locale", "tr", "--out", tmp_path / "bsc-tr.xlsx")
    assert again.exit_code == 0, again.output
    book = openpyxl.load_workbook(tmp_path / "bsc-tr.xlsx")
    rows_tr = [[c.value for c in row[1:7]] for row in book["Aktarılanlar"].iter_rows(min_row=6)]
    assert [r[1:5] for r in rows_tr] == [r[1:5] for r in rows]


def test_a_renamed_input_follows_replaces(crm: Catalog, tmp_path: Path) -> None:
    text = (CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8")
    renamed = text.replace(
        "- id: sms_sent\n    category", "- id: sms_messages_sent\n    replaces: [sms_sent]\n    category"
    )
    renamed = re.sub(r"formula: sms_sent\b", "formula: sms_messages_sent", renamed)
    assert renamed.count("sms_messages_sent") == 2, "the test's edit of crm.yaml no longer applies"
    new_path = tmp_path / "crm-renamed.yaml"
    new_path.write_text(renamed, encoding="utf-8")
    new = load_catalog(new_path)
    values = fill.valid_values(crm, 9)
    source = fill.build(tmp_path, "old.xlsx", crm, values)
    result = run("regenerate", source, "--catalog", new_path, "--out", tmp_path / "new.xlsx")
    assert result.exit_code == 0, result.output
    assert "without a place" not in result.output
    assert typed(tmp_path / "new.xlsx", new, BuildOptions())["inputs"]["sms_messages_sent"] == values["sms_sent"]


def test_a_new_first_month_moves_the_values_or_is_refused(crm: Catalog, tmp_path: Path) -> None:
    values: dict[str, list[float | None]] = {i: [None] * MONTHS for i in crm.inputs}
    values["new_leads"][3:6] = [10.0, 20.0, 30.0]  # Apr-Jun 2026 of a calendar fiscal year
    source = fill.build(tmp_path, "cal.xlsx", crm, values, year=2026, first_month=1)
    moved = run("regenerate", source, "--first-month", "4", "--out", tmp_path / "apr.xlsx")
    assert moved.exit_code == 0, moved.output
    apr = typed(tmp_path / "apr.xlsx", crm, BuildOptions())
    assert apr["inputs"]["new_leads"][:3] == [10.0, 20.0, 30.0] and apr["inputs"]["new_leads"][3:] == [None] * 9
    # A fiscal year from June 2026: April and May fall in its prior year (the workbook holds both).
    moved = run("regenerate", source, "--first-month", "6", "--out", tmp_path / "jun.xlsx")
    assert moved.exit_code == 0, moved.output
    jun = read_filled(tmp_path / "jun.xlsx")
    assert jun.inputs["new_leads"] == [30.0] + [None] * 11
    assert jun.prior_inputs["new_leads"] == [None] * 10 + [10.0, 20.0]
    # Two years on, the data would fall before the prior year too: refused, naming the months.
    refused = run("regenerate", source, "--year", "2028", "--out", tmp_path / "late.xlsx")
    assert refused.exit_code == 2
    assert "2026-04, 2026-05, 2026-06" in refused.output
    assert not (tmp_path / "late.xlsx").exists()


def test_refusals(crm: Catalog, tmp_path: Path) -> None:
    source = fill.build(tmp_path, "a.xlsx", crm, fill.valid_values(crm, 2))
    (tmp_path / "b.xlsx").write_bytes(b"typed by the user")
    exists = run("regenerate", source, "--out", tmp_path / "b.xlsx")
    assert exists.exit_code == 4 and "--force" in exists.output
    assert (tmp_path / "b.xlsx").read_bytes() == b"typed by the user"
    assert run("regenerate", source, "--out", tmp_path / "b.xlsx", "--force").exit_code == 0
    itself = run("regenerate", source, "--out", source, "--force")
    assert itself.exit_code == 2 and "another file" in itself.output
    missing = run("regenerate", tmp_path / "nope.xlsx", "--out", tmp_path / "c.xlsx")
    assert missing.exit_code == 3 and "nope.xlsx" in missing.output
    assert run("regenerate", source, "--locale", "xx", "--out", tmp_path / "d.xlsx").exit_code == 2
    assert not (tmp_path / "c.xlsx").exists() and not (tmp_path / "d.xlsx").exists()


@pytest.mark.parametrize("locale", ["en", "tr"])
def test_help_and_summary_are_one_line(crm: Catalog, tmp_path: Path, locale: str) -> None:
    source = fill.build(tmp_path, "a.xlsx", crm, None, locale=locale)
    result = run("regenerate", source, "--out", tmp_path / "b.xlsx")
    assert result.exit_code == 0 and result.output.startswith(f"wrote {tmp_path / 'b.xlsx'}")
    assert len(result.output.splitlines()) == 1


def test_a_file_saved_by_libreoffice_after_edits(tmp_path: Path) -> None:
    """Typed into with openpyxl, saved by LibreOffice with a default profile, regenerated to crm 1.1.0 in Turkish."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is required")
    old = load_catalog(CATALOG_DIR / "crm-1.0.0.yaml")
    new = load_catalog(CATALOG_DIR / "crm.yaml")
    options = BuildOptions(locale="en", year=2027, first_month=4)
    layout = fill.writer_layout(old, options)
    values = fill.valid_values(old, 17)
    empty = fill.build(tmp_path, "empty.xlsx", old, None, **options.__dict__)
    edits: dict[tuple[str, str], Any] = {
        (layout.sheets.inputs, fill.input_address(layout, i, m)): v
        for i, row in values.items()
        for m, v in enumerate(row)
        if v is not None
    }
    edits[(layout.sheets.settings, cell(layout.settings_rows["company"], SETTINGS_VALUE_COL))] = "Kuzey Ltd"
    edits[(layout.sheets.settings, cell(layout.target_rows["csat"], SETTINGS_VALUE_COL))] = 4.4
    typed_in = fill.edit_cells(empty, tmp_path / "typed.xlsx", edits)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "saved"), str(typed_in)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    saved = tmp_path / "saved" / "typed.xlsx"
    result = run("regenerate", saved, "--locale", "tr", "--out", tmp_path / "tr.xlsx")
    assert result.exit_code == 0, result.output
    assert "crm 1.0.0 -> crm 1.1.0" in result.output and "1 targets" in result.output
    tr = typed(tmp_path / "tr.xlsx", new, BuildOptions(locale="tr"))
    expected = {i: values.get(i, [None] * MONTHS) for i in new.inputs} | {"email_unique_clicks": values["email_clicks"]}
    assert tr["inputs"] == expected
    assert (tr["company"], tr["year"], tr["targets"]["csat"]) == ("Kuzey Ltd", 2027, 4.4)


def test_a_new_currency_needs_a_rate_and_converts_money(crm: Catalog, tmp_path: Path) -> None:
    """USD to TRY at 40: money inputs and the changed money target times 40 (hand work), nothing else."""
    values = fill.valid_values(crm, 8)
    usd = BuildOptions(locale="en", year=2027, currency="USD")
    source = fill.build(tmp_path, "usd.xlsx", crm, values, **usd.__dict__)
    layout = fill.writer_layout(crm, usd)
    edited = fill.edit_cells(
        source,
        tmp_path / "edited.xlsx",
        {(layout.sheets.settings, cell(layout.target_rows["cost_per_lead"], SETTINGS_VALUE_COL)): 30},
    )
    refused = run("regenerate", edited, "--currency", "TRY", "--out", tmp_path / "try.xlsx")
    assert refused.exit_code == 2 and refused.output.count("\n") == 1, refused.output
    assert "are in USD" in refused.output and "--exchange-rate" in refused.output
    assert not (tmp_path / "try.xlsx").exists()

    result = run("regenerate", edited, "--currency", "TRY", "--exchange-rate", "40", "--out", tmp_path / "try.xlsx")
    assert result.exit_code == 0, result.output
    assert ", money USD -> TRY at 40, rounded to 2 decimals)" in result.output and result.output.count("\n") == 1
    new = typed(tmp_path / "try.xlsx", crm, BuildOptions(locale="en", currency="TRY"))
    money = {"interaction_cost", "campaign_cost", "marketing_cost", "sales_cost", "net_profit", "investment_cost"}
    money |= {"avg_sale_value", "company_sales", "market_sales"}
    assert money == {i for i, spec in crm.inputs.items() if spec.unit == "currency"}
    for input_id, row in values.items():
        factor = 40 if input_id in money else 1
        got = new["inputs"][input_id]
        assert [v is None for v in got] == [v is None for v in row]
        want = [round(v * 40, 2) if factor == 40 else v for v in row if v is not None]  # TRY has 2 decimals
        assert [v for v in got if v is not None] == pytest.approx(want, rel=1e-12)
    assert new["targets"]["cost_per_lead"] == 1200  # the changed 30 USD
    assert new["targets"]["customer_acquisition_cost"] == crm.target(crm.kpis["customer_acquisition_cost"], "TRY")
    assert new["targets"]["churn_rate"] == crm.target(crm.kpis["churn_rate"], "TRY")

    same = run("regenerate", edited, "--exchange-rate", "40", "--out", tmp_path / "same.xlsx")
    assert same.exit_code == 2 and "stays in USD" in same.output
    assert (
        run("regenerate", edited, "--currency", "TRY", "--exchange-rate", "0", "--out", tmp_path / "z.xlsx").exit_code
        == 2
    )
    assert (
        run("regenerate", edited, "--currency", "TRY", "--exchange-rate", "nan", "--out", tmp_path / "z.xlsx").exit_code
        == 2
    )
    assert not (tmp_path / "same.xlsx").exists() and not (tmp_path / "z.xlsx").exists()


def test_out_follows_the_rule_of_every_command(crm: Catalog, tmp_path: Path) -> None:
    """A folder receives the default name; a name that is not .xlsx is refused before any work."""
    source = fill.build(tmp_path, "a.xlsx", crm, fill.valid_values(crm, 5))
    folder = tmp_path / "new"
    folder.mkdir()
    result = run("regenerate", source, "--locale", "tr", "--out", folder)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {folder / 'crm-tr.xlsx'} ")
    assert [p.name for p in folder.iterdir()] == ["crm-tr.xlsx"]
    for bad in ("b.xls", "b.xlsm", "b"):
        refused = run("regenerate", source, "--out", tmp_path / bad)
        assert refused.exit_code == 2 and "--out" in refused.output and refused.output[-1] == "\n", refused.output
        assert not (tmp_path / bad).exists()
    again = run("regenerate", source, "--locale", "tr", "--out", folder)
    assert again.exit_code == 4 and "--force" in again.output


@pytest.mark.parametrize(
    ("currency", "rate", "expected", "said"),
    [("TRY", 40, 25978.0, "2 decimals"), ("JPY", 150.3, 97612.0, "0 decimals")],
)
def test_converted_money_is_rounded_to_the_new_currencys_digits(
    crm: Catalog, tmp_path: Path, currency: str, rate: float, expected: float, said: str
) -> None:
    """Hand work: 649.4499 USD at 40 is 25977.996 TRY, written as 25978.00 (CLDR: TRY has 2 decimals);
    at 150.3 it is 97612.32 JPY, written as 97612 (JPY has none)."""
    values: dict[str, list[float | None]] = {i: [None] * MONTHS for i in crm.inputs}
    values["marketing_cost"][0] = 649.4499
    source = fill.build(tmp_path, "usd.xlsx", crm, values, locale="en", year=2027, currency="USD")
    out = tmp_path / f"{currency}.xlsx"
    result = run("regenerate", source, "--currency", currency, "--exchange-rate", str(rate), "--out", out)
    assert result.exit_code == 0, result.output
    assert f"money USD -> {currency} at {rate:g}, rounded to {said})" in result.output
    new = typed(out, crm, BuildOptions(locale="en", currency=currency))
    assert new["inputs"]["marketing_cost"][0] == expected
