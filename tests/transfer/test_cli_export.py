"""`kpigen export` through click's runner: the tidy table's numbers worked out by hand, and export
then import giving back every input value."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.cli import main
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from tests.transfer.helpers import input_values


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def filled(path: Path, catalog: Catalog, values: dict[str, list[float | None]], **options: object) -> Path:
    path.write_bytes(build_workbook(catalog, BuildOptions(**options), values=values).data)  # type: ignore[arg-type]
    return path


def random_values(catalog: Catalog, seed: int) -> dict[str, list[float | None]]:
    """Whole numbers for counts and money, fractions for percents, some months left blank."""
    rng = random.Random(seed)
    values: dict[str, list[float | None]] = {}
    for input_id, spec in catalog.inputs.items():
        high = spec.max if spec.max is not None else 5000.0
        row: list[float | None] = []
        for _ in range(12):
            number = rng.uniform(0, high)
            row.append(None if rng.random() < 0.15 else float(round(number)) if spec.integer else number)
        values[input_id] = row
    return values


def test_export_states_inputs_and_kpis_per_period_as_worked_out_by_hand(tmp_path: Path, crm: Catalog) -> None:
    sent = [1000.0, 2000.0, 4000.0] + [None] * 9
    clicks = [30.0, 40.0, 100.0] + [None] * 9
    source = filled(
        tmp_path / "f.xlsx",
        crm,
        {"emails_sent": sent, "email_unique_clicks": clicks},
        first_month=7,
        year=2025,
        locale="tr",
    )
    before = source.read_bytes()
    code, out, err = run("export", str(source), "--format", "csv", "--out", "-")
    assert code == 0, err
    assert err.startswith("exported 1207 rows (6 input values typed, 26 KPIs)")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert source.read_bytes() == before
    ctr = {r["period"]: r for r in rows if r["id"] == "email_ctr"}
    # Hand work: July 30/1000 = 3% (target 2.5%: on track); August 40/2000 = 2% (more than 10% below:
    # off track); September 100/4000 = 2.5%; Q1 = (30+40+100)/(1000+2000+4000) = 170/7000.
    assert ctr["2025-07"]["value"] == "0.03" and ctr["2025-07"]["status"] == "on_track"
    assert ctr["2025-08"]["value"] == "0.02" and ctr["2025-08"]["status"] == "off_track"
    assert ctr["2025-09"]["value"] == "0.025" and ctr["2025-09"]["status"] == "on_track"
    assert float(ctr["FY2025-Q1"]["value"]) == pytest.approx(170 / 7000)
    assert ctr["FY2025-Q1"]["start"] == "2025-07-01" and ctr["FY2025-Q1"]["end"] == "2025-09-30"
    assert ctr["FY2025-Q2"]["value"] == "" and ctr["FY2025"]["period_type"] == "year"
    assert ctr["FY2025"]["end"] == "2026-06-30"
    assert ctr["2025-07"]["name"] == "E-posta Tıklama Oranı (CTR)" and ctr["2025-07"]["target"] == "0.025"
    sent_rows = {r["period"]: r for r in rows if r["id"] == "emails_sent"}
    assert sent_rows["FY2025-Q1"]["value"] == "7000" and sent_rows["2025-07"]["kind"] == "input"
    assert {r["unit"] for r in rows if r["id"] == "net_profit"} == {"TRY"}


@pytest.mark.parametrize(("fmt", "seed"), [("csv", 1), ("xlsx", 2), ("json", 3), ("parquet", 4)])
def test_export_then_import_gives_back_every_input(tmp_path: Path, crm: Catalog, fmt: str, seed: int) -> None:
    values = random_values(crm, seed)
    locale = "tr" if seed % 2 else "en"
    source = filled(tmp_path / "f.xlsx", crm, values, locale=locale, first_month=1 + seed * 3 % 12, year=2027)
    table = tmp_path / f"t.{fmt}"
    code, out, err = run("export", str(source), "--out", str(table))
    assert code == 0, out + err
    code, out, err = run("import", str(table), "--locale", locale, "--out", str(tmp_path / "back.xlsx"))
    assert (code, err) == (0, ""), out + err
    assert input_values(tmp_path / "back.xlsx") == input_values(source)
    # The workbook keeps 16 significant digits (XlsxWriter writes numbers with %.16g).
    assert input_values(source) == {
        i: [None if v is None else float(f"{v:.16g}") for v in row] for i, row in values.items()
    }


def test_json_export_is_one_document(tmp_path: Path, crm: Catalog) -> None:
    source = filled(tmp_path / "f.xlsx", crm, {"emails_sent": [5.0] + [None] * 11})
    code, _out, err = run("export", str(source), "--out", str(tmp_path / "t.json"))
    assert code == 0, err
    document = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert document["format"] == "kpigen.export/1" and len(document["rows"]) == 1207
    first = next(r for r in document["rows"] if r["id"] == "emails_sent")
    assert first["value"] == 5.0 and first["start"].endswith("-01-01") and first["period_type"] == "month"


def test_export_refusals_keep_the_contract(tmp_path: Path, crm: Catalog) -> None:
    source = filled(tmp_path / "f.xlsx", crm, {})
    (tmp_path / "t.csv").write_text("mine")
    code, _out, err = run("export", str(source), "--out", str(tmp_path / "t.csv"))
    assert code == 4 and "already exists" in err and (tmp_path / "t.csv").read_text() == "mine"
    code, _out, err = run("export", str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "u.csv"))
    assert code == 3 and "Traceback" not in err
    code, _out, err = run("export", str(source), "--out", str(tmp_path / "u.csv"), "--format", "pdf")
    assert code == 2
    for name in ("u.doc", "u.tsv", "u.xls"):
        code, _out, err = run("export", str(source), "--out", str(tmp_path / name))
        assert code == 2 and f"--out {tmp_path / name}: export writes .csv, .xlsx, .json, .parquet" in err
        assert not (tmp_path / name).exists()
    code, _out, err = run("export", str(source), "--out", str(tmp_path / "plain"))
    assert code == 0 and (tmp_path / "plain").read_text(encoding="utf-8").startswith("period_type,")
    code, _out, err = run("export", str(source), "--out", str(tmp_path / "v.tsv"), "--format", "csv")
    assert code == 0 and (tmp_path / "v.tsv").exists()
