"""`kpigen export` judges each KPI as the workbook does and writes counts as whole numbers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main


def _export(tmp_path: Path, output_format: str) -> str:
    book = tmp_path / "crm.xlsx"
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--sample", "--year", "2026", "--out", str(book)])
    assert built.exit_code == 0, built.output
    out = tmp_path / f"crm.{output_format}"
    done = runner.invoke(main, ["export", str(book), "--format", output_format, "--out", str(out)])
    assert done.exit_code == 0, done.output
    return out.read_text(encoding="utf-8")


def test_nps_tolerance_is_five_points_not_five_times_the_target(tmp_path: Path) -> None:
    """Worked by hand: target 30, tolerance 5 points, so 25 and above is at risk, below 25 off track.
    The demo's May (22.8) and September (21.5) were exported as at_risk (issue 22)."""
    rows = list(csv.DictReader(io.StringIO(_export(tmp_path, "csv"))))
    nps = {r["period"]: r for r in rows if r["id"] == "nps" and r["period_type"] == "month"}
    assert round(float(nps["2026-05"]["value"]), 1) == 22.8 and nps["2026-05"]["status"] == "off_track"
    assert float(nps["2026-09"]["value"]) == 21.5 and nps["2026-09"]["status"] == "off_track"
    assert round(float(nps["2026-04"]["value"]), 1) == 25.4 and nps["2026-04"]["status"] == "at_risk"
    assert float(nps["2026-01"]["value"]) > 30 and nps["2026-01"]["status"] == "on_track"


def test_counts_are_written_as_whole_numbers(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(tmp_path, "csv"))))
    campaigns = next(r for r in rows if r["id"] == "email_campaigns" and r["period"] == "2026-01")
    assert campaigns["value"] == "4"  # crm.sample.csv, month 1
    (tmp_path / "json").mkdir()
    records = json.loads(_export(tmp_path / "json", "json"))["rows"]
    first = next(r for r in records if r["id"] == "email_campaigns" and r["period"] == "2026-01")
    assert first["value"] == 4 and isinstance(first["value"], int)
    rate = next(r for r in records if r["id"] == "email_ctr" and r["period"] == "2026-01")
    assert isinstance(rate["value"], float)
