"""Reading a filled workbook into plain data: as written, after openpyxl edits, without properties,
and after LibreOffice saved it with a default profile.

Expected values come from what the test typed (the writer's input or openpyxl edits), never
from the reader.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.errors import UnreadableWorkbook
from generator.formula.address import cell
from generator.template.layout import SETTINGS_TOLERANCE_COL, SETTINGS_VALUE_COL
from generator.transfer.filled import Stray, read_filled
from generator.workbook.context import BuildOptions
from tests.validate import fill


def _target_address(catalog: Catalog, options: BuildOptions, kpi_id: str, col: int) -> str:
    return cell(fill.writer_layout(catalog, options).target_rows[kpi_id], col)


def test_reads_what_the_writer_wrote(crm: Catalog, tmp_path: Path) -> None:
    values = fill.valid_values(crm, 3)
    path = fill.build(
        tmp_path, "tr.xlsx", crm, values, locale="tr", company="Örnek A.Ş.", year=2031, first_month=4, currency="EUR"
    )
    filled = read_filled(path)
    assert (filled.catalog_id, filled.catalog_version, filled.locale) == ("crm", crm.version, "tr")
    assert (filled.settings.company, filled.settings.year, filled.settings.first_month) == ("Örnek A.Ş.", 2031, 4)
    assert filled.settings.currency == "EUR"
    assert filled.inputs == values
    assert not filled.changed_targets and not filled.changed_tolerances and not filled.strays and not filled.problems
    assert filled.targets == {k: crm.target(kpi, "EUR") for k, kpi in crm.kpis.items() if kpi.better != "info"}


def test_user_edits_are_read_and_marked_as_changed(crm: Catalog, tmp_path: Path) -> None:
    options = BuildOptions(locale="en")
    layout = fill.writer_layout(crm, options)
    empty = fill.build(tmp_path, "empty.xlsx", crm, None)
    settings, inputs = layout.sheets.settings, layout.sheets.inputs
    edited = fill.edit_cells(
        empty,
        tmp_path / "edited.xlsx",
        {
            (settings, _target_address(crm, options, "churn_rate", SETTINGS_VALUE_COL)): 0.035,
            (settings, _target_address(crm, options, "nps", SETTINGS_TOLERANCE_COL)): 0.25,
            (settings, _target_address(crm, options, "csat", SETTINGS_VALUE_COL)): None,
            (settings, cell(layout.settings_rows["first_month"], SETTINGS_VALUE_COL)): "July",
            (settings, cell(layout.settings_rows["year"], SETTINGS_VALUE_COL)): 2030,
            (inputs, fill.input_address(layout, "new_leads", 0)): 120,
            (inputs, fill.input_address(layout, "new_leads", 1)): "about 90",
            (inputs, fill.input_address(layout, "new_leads", 2)): "=100+5",
        },
    )
    filled = read_filled(edited)  # openpyxl kept no calculated values: typed cells only
    assert filled.targets["churn_rate"] == 0.035 and filled.tolerances["nps"] == 0.25
    assert filled.targets["csat"] is None
    assert filled.changed_targets == {"churn_rate", "csat"} and filled.changed_tolerances == {"nps"}
    assert (filled.settings.first_month, filled.settings.year) == (7, 2030)
    assert filled.inputs["new_leads"][:3] == [120.0, None, None]
    assert set(filled.strays) == {Stray("input", "new_leads", 1, "about 90"), Stray("input", "new_leads", 2, "=100+5")}


def test_lost_properties(bsc: Catalog, tmp_path: Path) -> None:
    """Google Sheets downloads drop the custom properties: the names still identify the template."""
    values = fill.valid_values(bsc, 5)
    path = fill.build(tmp_path, "bsc.xlsx", bsc, values, locale="tr")
    stripped = tmp_path / "no-properties.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "docProps/custom.xml":
                target.writestr(item, source.read(item.filename))
    filled = read_filled(stripped)
    assert (filled.catalog_id, filled.locale, filled.inferred) == ("bsc", "tr", True)
    assert filled.inputs == values


def test_not_a_template(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(UnreadableWorkbook, match=r"plain\.xlsx: not a kpigen workbook"):
        read_filled(path)


def test_saved_by_libreoffice_with_a_default_profile(crm: Catalog, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is required")
    values = fill.valid_values(crm, 8)
    path = fill.build(tmp_path, "in.xlsx", crm, values, locale="tr", first_month=10, year=2027)
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    filled = read_filled(out / "in.xlsx")
    assert filled.inputs == values
    assert (filled.locale, filled.settings.first_month, filled.settings.year) == ("tr", 10, 2027)
    assert not filled.changed_targets and not filled.changed_tolerances and not filled.strays
