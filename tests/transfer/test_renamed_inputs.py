"""Sample data, mapping files and column headers written for an earlier catalogue version still
find their inputs through ``replaces``, with one warning line; ``catalog check`` says where.

crm 1.1.0's ``email_unique_clicks`` replaces 1.0.0's ``email_clicks`` (kpi_catalog/crm.yaml).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog, load_catalog
from generator.catalog.bundled import bundled, resolve_catalog
from generator.cli import main
from generator.paths import CATALOG_DIR
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from generator.workbook.sample import sample_findings

WARNING = "read email_clicks as email_unique_clicks"
README_MAPPING = Path(__file__).resolve().parents[2] / "docs" / "examples" / "crm-report.mapping.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _clicks(path: Path) -> list[object]:
    sheet = openpyxl.load_workbook(path).worksheets[2]
    row = next(r for r in sheet.iter_rows() if r[1].value == "Emails clicked (unique clicks)")
    return [c.value for c in row[3:6]]


def test_a_wide_table_headed_with_the_old_id_fills_the_new_input(tmp_path: Path) -> None:
    data = tmp_path / "report.csv"
    data.write_text("month,emails_sent,email_clicks\n1,1000,50\n2,1100,60\n", encoding="utf-8")
    code, text = run("import", str(data), "--out", str(tmp_path / "out.xlsx"))
    assert code == 0, text
    assert text.count(WARNING) == 1
    assert _clicks(tmp_path / "out.xlsx") == [50, 60, None]


def test_a_long_table_naming_the_old_id_fills_the_new_input(tmp_path: Path) -> None:
    data = tmp_path / "long.csv"
    data.write_text("month,input,value\n1,email_clicks,7\n2,email_clicks,8\n3,emails_sent,100\n", encoding="utf-8")
    code, text = run("import", str(data), "--out", str(tmp_path / "out.xlsx"))
    assert code == 0, text
    assert text.count(WARNING) == 1
    assert _clicks(tmp_path / "out.xlsx") == [7, 8, None]


def test_a_mapping_to_the_old_id_is_followed(tmp_path: Path) -> None:
    """The README's mapping named email_clicks, and import exited 1 (issue 22)."""
    data = tmp_path / "report.csv"
    data.write_text("Dönem;Gönderilen;Tıklanan\nOcak 2026;19.976;444\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text('"Dönem": month\n"Gönderilen": emails_sent\n"Tıklanan": email_clicks\n', encoding="utf-8")
    out = tmp_path / "out.xlsx"
    code, text = run("import", str(data), "--mapping", str(mapping), "--locale", "tr", "--out", str(out))
    assert code == 0, text
    assert text.count(WARNING) == 1
    sheet = openpyxl.load_workbook(out).worksheets[2]
    row = next(r for r in sheet.iter_rows() if r[1].value == "Tıklanan e-posta sayısı (tekil tıklama)")
    assert row[3].value == 444


def _catalogue_with_old_sample(tmp_path: Path) -> Catalog:
    """crm 1.1.0 whose demo file is still 1.0.0's (it names email_clicks)."""
    shutil.copy(CATALOG_DIR / "crm-1.0.0.sample.csv", tmp_path / "old.sample.csv")
    text = (CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8")
    (tmp_path / "crm.yaml").write_text(text.replace("sample: crm.sample.csv", "sample: old.sample.csv"), "utf-8")
    return load_catalog(tmp_path / "crm.yaml")


def test_the_demo_follows_replaces_and_says_so_once(tmp_path: Path) -> None:
    catalog = _catalogue_with_old_sample(tmp_path)
    result = build_workbook(catalog, BuildOptions(sample=True))
    said = [w for w in result.warnings if WARNING in w]
    assert len(said) == 1 and "old.sample.csv" in said[0]
    (tmp_path / "demo.xlsx").write_bytes(result.data)
    # January's 444 clicks in crm-1.0.0.sample.csv
    assert _clicks(tmp_path / "demo.xlsx")[0] == 444


def test_catalog_check_names_the_input_that_replaces_a_sample_id(tmp_path: Path) -> None:
    _catalogue_with_old_sample(tmp_path)
    code, text = run("catalog", "check", str(tmp_path / "crm.yaml"))
    assert code == 0, text
    assert "old.sample.csv:" in text and "'email_clicks' is now 'email_unique_clicks'" in text


def test_catalog_check_refuses_a_sample_id_that_names_no_input(tmp_path: Path) -> None:
    _catalogue_with_old_sample(tmp_path)
    with (tmp_path / "old.sample.csv").open("a", encoding="utf-8") as file:
        file.write("1,emails_snet,5\n")
    code, text = run("catalog", "check", str(tmp_path / "crm.yaml"))
    assert code == 1, text
    assert "error: input 'emails_snet' names no input of catalogue 'crm'" in text


@pytest.mark.parametrize("entry", bundled(), ids=lambda e: f"{e.id}-{e.version}")
def test_every_bundled_sample_names_only_its_own_inputs(entry: object) -> None:
    """bsc's demo used email_clicks after 1.1.0 renamed it, and its CTR card stayed empty (issue 22)."""
    catalog = load_catalog(entry.path)  # type: ignore[attr-defined]
    assert sample_findings(catalog) == ([], [])


def test_an_older_bundled_version_can_be_named(tmp_path: Path) -> None:
    assert resolve_catalog("crm-1.0.0") == CATALOG_DIR / "crm-1.0.0.yaml"
    code, text = run("build", "--catalog", "crm-1.0.0", "--out", str(tmp_path / "old.xlsx"))
    assert code == 0, text
    props = {p.name: p.value for p in openpyxl.load_workbook(tmp_path / "old.xlsx").custom_doc_props.props}
    assert props["catalog_version"] == "1.0.0"
    code, text = run("build", "--catalog", "crm-9.9.9", "--out", str(tmp_path / "none.xlsx"))
    assert code == 2 and "crm-1.1.0, crm-1.0.0" in text


def test_catalog_check_reads_a_mapping_file_against_the_catalogue(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text('"Dönem": month\n"A": emails_sent\n"B": email_clicks\n"C": emails_snet\n', encoding="utf-8")
    code, text = run("catalog", "check", "crm", "--mapping", str(mapping))
    assert code == 1, text
    assert f"{mapping}:3:6: warning: 'email_clicks' is now 'email_unique_clicks'" in text
    assert f"{mapping}:4:6: error: 'C' maps to 'emails_snet', which is neither an input of catalogue 'crm'" in text
    code, text = run("catalog", "check", "crm", "--mapping", str(README_MAPPING))
    assert code == 0 and "warning" not in text, text
