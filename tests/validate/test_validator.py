"""The validator on real files: built by the writer or filled like a user would, recalculated by LibreOffice.

Every scenario is built first and recalculated in one LibreOffice run (start-up is most of its
cost); the only other run is the CLI's own ``--recalc``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.cli import main
from generator.formula.address import cell
from generator.i18n import month_names
from generator.recalc import LibreOffice
from generator.template.layout import INPUT_GRID, KPI_GRID, KPI_STATUS_COL, KPI_TARGET_COL, SETTINGS_VALUE_COL, Layout
from generator.template.periods import kpi_status, kpi_values
from generator.validate.findings import Code, Severity
from generator.validate.report import CSV_FIELDS, SCHEMA
from generator.validate.run import Options, validate
from generator.workbook.context import BuildOptions

from . import fill

YEAR = 2026


@dataclass
class Scenario:
    path: Path
    catalog: Catalog
    values: fill.Values
    options: BuildOptions
    layout: Layout

    def label(self, month: int) -> str:
        """The month header the file shows, from Babel's names (not from the validator)."""
        position = self.options.first_month - 1 + month
        return f"{month_names(self.options.locale, 'abbreviated')[position % 12]} {YEAR + position // 12}"


def customers_chain(values: fill.Values) -> None:
    """Customer counts that balance and carry over: start + new - lost = end = next month's start."""
    start = 1000.0
    for m in range(12):
        values["customers_start"][m] = start
        values["new_customers"][m] = 50.0
        values["customers_lost"][m] = 20.0
        values["customers_end"][m] = start + 30.0
        start += 30.0


def errors_edits(layout: Layout) -> tuple[dict[tuple[str, str], Any], set[tuple[str, str, str, str, int]]]:
    """Typed mistakes (cell edits) and the findings they must give: (severity, code, cell, input, month)."""
    inputs = layout.sheets.inputs

    def at(input_id: str, month: int) -> tuple[str, str]:
        return inputs, fill.input_address(layout, input_id, month)

    edits: dict[tuple[str, str], Any] = {
        at("emails_sent", 0): "lots",
        at("website_visits", 1): "1200",
        at("sales_calls", 2): -5,
        at("sms_sent", 3): 10.5,
        at("profit_margin", 4): 25,
        at("emails_sent", 5): 100,
        at("email_unique_clicks", 5): 150,
        at("csat_responses", 6): 10,
        at("csat_score_total", 6): 60,
        at("csat_responses", 7): 10,
        at("csat_score_total", 7): 5,
        at("customers_start", 5): 1000 + 5 * 30 + 7,  # continuity broken, balance kept by new customers - 7
        at("new_customers", 5): 43,
        at("customers_end", 11): 1000 + 12 * 30 + 13,  # balance broken in the last month (nothing follows)
    }
    expected = {
        ("error", "not-a-number", "emails_sent", 0),
        ("error", "number-as-text", "website_visits", 1),
        ("error", "negative", "sales_calls", 2),
        ("error", "not-integer", "sms_sent", 3),
        ("error", "percent-range", "profit_margin", 4),
        ("error", "rule:clicks_within_sent", "email_unique_clicks", 5),
        ("error", "rule:csat_total_at_most_five_per_response", "csat_score_total", 6),
        ("error", "rule:csat_total_at_least_responses", "csat_score_total", 7),
        ("warning", "continuity", "customers_start", 5),
        ("warning", "rule:customer_balance", "customers_end", 11),
    }
    return edits, {(sev, code, fill.input_address(layout, i, m), i, m) for sev, code, i, m in expected}


@pytest.fixture(scope="module")
def files(
    crm: Catalog, bsc: Catalog, libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Scenario]:
    """Every scenario built (and edited), then recalculated in one LibreOffice run."""
    source = tmp_path_factory.mktemp("filled")
    locales = fill.tr_locales(tmp_path_factory.mktemp("locales"))
    made: dict[str, tuple[Path, Catalog, fill.Values, BuildOptions, Layout]] = {}

    def built(name: str, catalog: Catalog, values: fill.Values, **options: Any) -> Path:
        build_options = BuildOptions(**options)
        path = fill.build(source, f"{name}.xlsx", catalog, values, **options)
        made[name] = (path, catalog, values, build_options, fill.writer_layout(catalog, build_options))
        return path

    built("random1", crm, fill.valid_values(crm, 1))
    built("random2", crm, fill.valid_values(crm, 2, blank=0.3, zero=0.2), first_month=5)
    built("bsc", bsc, fill.valid_values(bsc, 4), first_month=12)
    built("tr", crm, fill.valid_values(crm, 9), locale="tr", fallback="en", first_month=7)

    # A user fills an empty template (openpyxl: as typed, no cached values).
    empty = built("empty", crm, {})
    options, layout = made["empty"][3:]
    user_values = fill.valid_values(crm, 3)
    made["user"] = (
        fill.fill_inputs(empty, source / "user.xlsx", layout, user_values),
        crm,
        user_values,
        options,
        layout,
    )

    # Typed mistakes of every kind.
    base = fill.valid_values(crm, 5, blank=0.0, zero=0.0)
    customers_chain(base)
    built("errors_base", crm, base)
    layout = made["errors_base"][4]
    edits, _expected = errors_edits(layout)
    edits[(layout.sheets.settings, cell(layout.target_rows["email_ctr"], SETTINGS_VALUE_COL))] = "high"
    made["errors"] = (
        fill.edit_cells(made["errors_base"][0], source / "errors.xlsx", edits),
        crm,
        base,
        made["errors_base"][3],
        layout,
    )

    # Formulas overwritten, changed, deleted.
    built("tamper_base", crm, fill.valid_values(crm, 6, blank=0.0))
    made["tampered"] = (
        _tamper(made["tamper_base"][0], source / "tampered.xlsx", made["tamper_base"][4]),
        *made["tamper_base"][1:],
    )

    # Rows inserted above an input, a KPI and the targets; one mistake below the insertion.
    shifted_values = fill.valid_values(crm, 7)
    shifted_values["complaints"][3] = 2.5
    with fill.rows_inserted("customers_start", "churn_rate"):
        built("shifted", crm, shifted_values)

    # Turkish with a sheet name that needs quoting (KPI'lar) and one broken rule.
    quote_values = fill.valid_values(crm, 8, blank=0.0)
    quote_values["emails_sent"][2], quote_values["email_unique_clicks"][2] = 100.0, 120.0
    built("tr_quote", crm, quote_values, locale="tr", fallback="en", first_month=4, locales_dir=locales)

    names = [n for n in made if n not in ("errors_base", "tamper_base")]
    out = libreoffice.recalculate([made[n][0] for n in names], tmp_path_factory.mktemp("recalculated"))
    return {name: Scenario(path, *made[name][1:]) for name, path in zip(names, out, strict=True)}


def _tamper(source: Path, target: Path, layout: Layout) -> Path:
    book = openpyxl.load_workbook(source)
    kpis, inputs = book[layout.sheets.kpis], book[layout.sheets.inputs]
    kpis[fill.kpi_address(layout, "email_ctr", KPI_GRID.month(2))].value = 0.5
    churn = kpis[fill.kpi_address(layout, "churn_rate", KPI_GRID.month(4))]
    churn.value = churn.value.replace("/", "*")
    aggregate = inputs[cell(layout.input_rows["emails_sent"], INPUT_GRID.quarter(0))]
    aggregate.value = aggregate.value.replace("SUM", "AVERAGE")
    kpis[fill.kpi_address(layout, "nps", KPI_STATUS_COL)].value = None
    book.save(target)
    return target


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12)


# ----------------------------------------------------------------------------------------- clean files


@pytest.mark.parametrize("name", ["random1", "random2", "bsc", "tr", "user"])
def test_valid_fills_validate_clean(files: dict[str, Scenario], name: str) -> None:
    scenario = files[name]
    report = validate(scenario.path)
    assert report.findings == [], [f.message for f in report.findings]
    catalog = scenario.catalog
    targeted = sum(1 for k in catalog.kpis.values() if k.better is not Better.INFO)
    assert report.kpis_checked == len(catalog.kpis)
    # inputs: 4 quarters + year; KPIs: 17 periods + the latest month; targeted KPIs: target + status
    assert report.cells_compared == len(catalog.inputs) * 5 + len(catalog.kpis) * 18 + 2 * targeted
    expected = kpi_values(catalog, scenario.values)
    for kpi_id, row in expected.items():
        mine = report.kpis[kpi_id].values
        assert all(same(a, b) for a, b in zip(mine, row, strict=True)), (kpi_id, mine, row)


def test_json_report_matches_schema(files: dict[str, Scenario]) -> None:
    scenario = files["random2"]
    result = CliRunner().invoke(main, ["validate", str(scenario.path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == SCHEMA
    assert data["file"] == str(scenario.path)
    assert data["template"]["catalog_id"] == "crm"
    assert data["template"]["locale"] == "en"
    assert data["template"]["first_month"] == 5
    assert set(data["summary"]) >= {"errors", "warnings", "kpis_checked", "cells_compared"}
    assert data["summary"]["errors"] == 0 and data["findings"] == []
    expected = kpi_values(scenario.catalog, scenario.values)
    assert set(data["kpis"]) == set(expected)
    for kpi_id, entry in data["kpis"].items():
        assert len(entry["months"]) == 12 and len(entry["quarters"]) == 4
        row = [*entry["months"], *entry["quarters"], entry["ytd"]]
        assert all(same(a, b) for a, b in zip(row, expected[kpi_id], strict=True)), kpi_id
        assert entry["status"] in (1, 0, -1, None)


# ----------------------------------------------------------------------------------------- typed mistakes


def test_each_input_mistake_is_reported_where_it_is(files: dict[str, Scenario]) -> None:
    scenario = files["errors"]
    report = validate(scenario.path)
    _, expected = errors_edits(scenario.layout)
    inputs = scenario.layout.sheets.inputs
    found = {(f.severity.value, f.code, f.cell, f.input, f.month) for f in report.findings if f.sheet == inputs}
    wanted = {(sev, code, address, i, scenario.label(m)) for sev, code, address, i, m in expected}
    assert found == wanted
    target = [f for f in report.findings if f.sheet == scenario.layout.sheets.settings]
    assert [(f.code, f.kpi, f.value) for f in target] == [("not-a-number", "email_ctr", "high")]
    assert len(report.findings) == len(wanted) + 1, "LibreOffice and Python disagree on a value"
    by_code = {f.code: f for f in report.findings if f.sheet == inputs}
    assert by_code["rule:clicks_within_sent"].message.startswith("Emails clicked cannot exceed emails sent.")
    assert by_code["rule:clicks_within_sent"].value == 150 and by_code["rule:clicks_within_sent"].expected == "<= 100"
    assert by_code["continuity"].value == 1157 and by_code["continuity"].expected == 1150
    assert by_code["not-a-number"].value == "lots"


def test_csv_has_one_row_per_finding(files: dict[str, Scenario]) -> None:
    result = CliRunner().invoke(main, ["validate", str(files["errors"].path), "--format", "csv"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0].keys()) == CSV_FIELDS
    assert len(rows) == len(validate(files["errors"].path).findings)
    assert any(r["code"] == "negative" and r["value"] == "-5" for r in rows)


def test_table_is_coloured_on_a_terminal(files: dict[str, Scenario]) -> None:
    result = CliRunner().invoke(main, ["validate", str(files["errors"].path)], color=True)
    assert result.exit_code == 1
    assert "\x1b[31m" in result.stdout and "\x1b[33m" in result.stdout
    plain = CliRunner().invoke(main, ["validate", str(files["errors"].path)])
    assert "\x1b[" not in plain.stdout
    address = fill.input_address(files["errors"].layout, "sales_calls", 2)
    assert f"{files['errors'].layout.sheets.inputs}!{address}" in plain.stdout


# ----------------------------------------------------------------------------------------- formulas


def test_tampered_formulas_are_reported_with_their_cells(files: dict[str, Scenario]) -> None:
    scenario = files["tampered"]
    layout = scenario.layout
    report = validate(scenario.path)
    found = {(f.code, f.sheet, f.cell) for f in report.findings}
    assert (
        "formula-overwritten",
        layout.sheets.kpis,
        fill.kpi_address(layout, "email_ctr", KPI_GRID.month(2)),
    ) in found
    assert ("formula-changed", layout.sheets.kpis, fill.kpi_address(layout, "churn_rate", KPI_GRID.month(4))) in found
    assert (
        "formula-changed",
        layout.sheets.inputs,
        cell(layout.input_rows["emails_sent"], INPUT_GRID.quarter(0)),
    ) in found
    assert ("formula-missing", layout.sheets.kpis, fill.kpi_address(layout, "nps", KPI_STATUS_COL)) in found
    # The changed aggregate feeds the email CTR of the first quarter: that value no longer matches.
    assert ("value-mismatch", layout.sheets.kpis, fill.kpi_address(layout, "email_ctr", KPI_GRID.quarter(0))) in found
    overwritten = next(f for f in report.findings if f.code == "formula-overwritten")
    assert overwritten.value == 0.5 and overwritten.kpi == "email_ctr" and overwritten.month == scenario.label(2)
    assert str(overwritten.expected).startswith("=IF(COUNT(")


def test_stale_values_are_reported(files: dict[str, Scenario], tmp_path: Path) -> None:
    """A target changed while calculation was off: the cells that use it still show the old results."""
    scenario = files["random1"]
    layout = scenario.layout
    address = cell(layout.target_rows["email_ctr"], SETTINGS_VALUE_COL)
    path = fill.edit_part(
        scenario.path,
        tmp_path / "stale.xlsx",
        "xl/worksheets/sheet2.xml",  # Settings, the second sheet
        lambda text: text.replace(
            f'<c r="{address}" s="21" t="n"><v>0.025</v>', f'<c r="{address}" s="21" t="n"><v>1000</v>', 1
        ),
    )
    report = validate(path)
    row = layout.kpi_rows["email_ctr"]
    found = {(f.code, f.sheet, f.cell): f for f in report.findings}
    target = found[("stale-value", layout.sheets.kpis, cell(row, KPI_TARGET_COL))]
    assert (target.value, target.expected, target.kpi) == (0.025, 1000, "email_ctr")
    assert "without recalculating" in target.message
    ytd = kpi_values(scenario.catalog, scenario.values)["email_ctr"]
    before = kpi_status(scenario.catalog, "email_ctr", ytd, 0.025, 0.1)
    after = kpi_status(scenario.catalog, "email_ctr", ytd, 1000, 0.1)
    assert (("stale-value", layout.sheets.kpis, cell(row, KPI_STATUS_COL)) in found) == (before != after)
    assert {f.code for f in report.findings} == {"stale-value"}, "stale, not a changed formula or a wrong value"
    dashboard = {f.sheet for f in report.findings} - {layout.sheets.kpis}
    assert dashboard == {"Dashboard", "Chart data"}, "every formula cell is checked, the cards' too"


def test_input_changed_by_a_script_is_stale_not_overwritten(crm: Catalog, tmp_path: Path) -> None:
    """An input rewritten in the XML (formulas and their old results kept): the KPI cells are stale."""
    built = fill.build(tmp_path, "built.xlsx", crm, None, sample=True)
    layout = fill.writer_layout(crm, BuildOptions(sample=True))
    row = layout.input_rows["emails_sent"]
    address = cell(row, INPUT_GRID.month(0))
    path = fill.edit_part(
        built,
        tmp_path / "script.xlsx",
        "xl/worksheets/sheet3.xml",  # Inputs
        lambda text: re.sub(rf'(<c r="{address}"[^>]*>)<v>[^<]*</v>', r"\g<1><v>1</v>", text, count=1),
    )
    report = validate(path)
    codes = {f.code for f in report.findings}
    assert "stale-value" in codes and not codes & {"formula-overwritten", "formula-changed", "value-mismatch"}
    stale = {(f.sheet, f.cell) for f in report.findings if f.code == "stale-value"}
    ctr_row = layout.kpi_rows["email_ctr"]
    assert (layout.sheets.kpis, cell(ctr_row, KPI_GRID.month(0))) in stale or any(
        f.code == "stale-value" and f.sheet == layout.sheets.kpis for f in report.findings
    )


# ----------------------------------------------------------------------------------------- layout changes


def test_inserted_rows_still_validate(files: dict[str, Scenario]) -> None:
    scenario = files["shifted"]
    plain_layout = fill.writer_layout(scenario.catalog, scenario.options)
    assert scenario.layout.input_rows["complaints"] != plain_layout.input_rows["complaints"]
    report = validate(scenario.path)
    assert [(f.code, f.cell, f.input) for f in report.findings] == [
        ("not-integer", fill.input_address(scenario.layout, "complaints", 3), "complaints")
    ]
    assert report.kpis_checked == len(scenario.catalog.kpis)


def test_turkish_workbook_with_quoted_sheet_name(files: dict[str, Scenario]) -> None:
    scenario = files["tr_quote"]
    assert scenario.layout.sheets.kpis == "KPI'lar"
    report = validate(scenario.path)
    assert report.template["locale"] == "tr"
    assert [(f.code, f.sheet, f.cell, f.month) for f in report.findings] == [
        (
            "rule:clicks_within_sent",
            "Girdiler",
            fill.input_address(scenario.layout, "email_unique_clicks", 2),
            scenario.label(2),
        )
    ]
    assert report.findings[0].message.startswith("Tıklanan e-posta sayısı gönderilen e-posta sayısını aşamaz.")
    assert report.kpis_checked == len(scenario.catalog.kpis)


def test_renamed_sheet_is_one_finding(files: dict[str, Scenario], tmp_path: Path) -> None:
    path = fill.rename_sheet_only(files["random1"].path, tmp_path / "renamed.xlsx", "KPIs", "KPI results")
    report = validate(path)
    assert [(f.code, f.sheet) for f in report.findings] == [("missing-sheet", "KPIs")]
    assert "KPIs" in report.findings[0].message
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_deleted_sheet_is_reported(files: dict[str, Scenario], tmp_path: Path) -> None:
    book = openpyxl.load_workbook(files["random1"].path)
    del book["Settings"]
    book.save(tmp_path / "no-settings.xlsx")
    report = validate(tmp_path / "no-settings.xlsx")
    assert ("missing-sheet", "Settings") in {(f.code, f.sheet) for f in report.findings}
    assert report.exit_code() == 1


def test_deleted_defined_name(files: dict[str, Scenario], tmp_path: Path) -> None:
    path = fill.drop_defined_name(files["random1"].path, tmp_path / "one-name.xlsx", "in_emails_sent")
    report = validate(path)
    assert [(f.code, f.input, f.expected) for f in report.findings] == [
        ("missing-name", "emails_sent", "in_emails_sent")
    ]
    assert report.kpis_checked == len(files["random1"].catalog.kpis), "the input's other names still place it"
    path = tmp_path / "kpi-names.xlsx"
    fill.copy(files["random1"].path, path)
    for prefix in ("kpi_", "kpiq_", "kpiytd_", "status_"):
        fill.drop_defined_name(path, path, prefix + "email_ctr")
    report = validate(path)
    assert {f.code for f in report.findings} == {"missing-name"}
    assert {f.kpi for f in report.findings} == {"email_ctr"}
    assert "is not checked" in report.findings[0].message
    assert report.kpis_checked == len(files["random1"].catalog.kpis) - 1


def test_broken_and_moved_names(files: dict[str, Scenario], tmp_path: Path) -> None:
    source = files["random1"].path
    broken = fill.edit_part(
        source, tmp_path / "ref.xlsx", "xl/workbook.xml", lambda t: t.replace(">Inputs!$D$8:$O$8<", ">#REF!<", 1)
    )
    report = validate(broken)
    assert [(f.code, f.input) for f in report.findings] == [("broken-name", "emails_sent")]
    moved = fill.edit_part(
        source,
        tmp_path / "moved.xlsx",
        "xl/workbook.xml",
        lambda t: t.replace(">Inputs!$D$8:$O$8<", ">Inputs!$E$8:$P$8<", 1),
    )
    report = validate(moved)
    assert [(f.code, f.input, f.value) for f in report.findings] == [("moved-cells", "emails_sent", "Inputs!E8:P8")]


def test_catalogue_version_warning_and_strict(files: dict[str, Scenario], tmp_path: Path) -> None:
    source, version = files["random1"].catalog.source, files["random1"].catalog.version
    text = source.read_text(encoding="utf-8")
    assert f'version: "{version}"' in text
    (tmp_path / source.name).write_text(text.replace(f'version: "{version}"', 'version: "9.9.0"', 1), encoding="utf-8")
    sample = files["random1"].catalog.sample
    assert sample is not None
    fill.copy(sample, tmp_path / sample.name)
    args = ["validate", str(files["random1"].path), "--catalog", str(tmp_path / source.name)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "catalog" in result.stdout
    report = validate(files["random1"].path, Options(catalog=tmp_path / source.name))
    assert [(f.code, f.value, f.expected) for f in report.findings] == [("catalog-version", version, "9.9.0")]
    assert CliRunner().invoke(main, [*args, "--strict"]).exit_code == 1


# ----------------------------------------------------------------------------------------- never calculated


@pytest.mark.parametrize("sample", [True, False])
def test_fresh_template_validates_clean(crm: Catalog, tmp_path: Path, sample: bool) -> None:
    """The writer caches every formula's result, so a template validates as delivered."""
    path = fill.build(tmp_path, "fresh.xlsx", crm, None, sample=sample)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_never_recalculated_file_then_recalc(crm: Catalog, tmp_path: Path) -> None:
    """Saved by a library that keeps no calculated results (openpyxl): reported once, then --recalc."""
    built = fill.build(tmp_path, "built.xlsx", crm, None, sample=True)
    path = tmp_path / "fresh.xlsx"
    openpyxl.load_workbook(built).save(path)
    built.unlink()
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    report = validate(path)
    assert [f.code for f in report.findings] == ["not-recalculated"]
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and "--recalc" in result.stdout
    result = CliRunner().invoke(main, ["validate", str(path), "--recalc", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["recalculated"] is True and data["findings"] == [] and data["summary"]["kpis_checked"] == len(crm.kpis)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.xlsx"], "nothing written beside the file"


def test_user_fill_without_recalculation_is_reported(files: dict[str, Scenario], crm: Catalog, tmp_path: Path) -> None:
    layout = files["user"].layout
    empty = fill.build(tmp_path, "empty.xlsx", crm, None)
    path = fill.fill_inputs(empty, tmp_path / "typed.xlsx", layout, fill.valid_values(crm, 11))
    assert [f.code for f in validate(path).findings] == ["not-recalculated"]


@pytest.mark.parametrize("name", ["tr", "bsc"])
def test_lost_properties_are_recognised_by_defined_names(files: dict[str, Scenario], tmp_path: Path, name: str) -> None:
    """Google Sheets drops custom document properties: the names still say which template it is."""
    import zipfile

    scenario = files[name]
    stripped = tmp_path / "no-properties.xlsx"
    with zipfile.ZipFile(scenario.path) as source, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "docProps/custom.xml":
                target.writestr(item, source.read(item.filename))
    report = validate(stripped)
    assert [(f.severity, f.code) for f in report.findings] == [(Severity.WARNING, Code.PROPERTIES_LOST)]
    assert report.template["catalog_id"] == scenario.catalog.id
    assert report.template["locale"] == scenario.options.locale
    assert report.kpis_checked == len(scenario.catalog.kpis)
