"""Broken settings are reported at their cell, by name; never as a file that was not calculated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.validate.run import validate

from . import fill


@pytest.fixture(scope="module")
def fresh(crm: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill.build(tmp_path_factory.mktemp("settings"), "fresh.xlsx", crm, None, sample=True)


@pytest.mark.parametrize(
    ("address", "typed", "setting"),
    [("D6", "abc", "Fiscal year"), ("D6", -1, "Fiscal year"), ("D7", 0, "First month"), ("D7", 13, "First month")],
)
def test_bad_setting_is_reported_at_its_cell(
    fresh: Path, tmp_path: Path, address: str, typed: Any, setting: str
) -> None:
    path = fill.edit_cells(fresh, tmp_path / "edited.xlsx", {("Settings", address): typed})
    findings = validate(path).findings
    assert [(f.code, f.sheet, f.cell) for f in findings] == [("bad-setting", "Settings", address)]
    assert findings[0].message.startswith(setting + ": ") and str(typed) in findings[0].message


def test_bad_setting_saved_by_a_spreadsheet(fresh: Path, tmp_path: Path, libreoffice: Any) -> None:
    """LibreOffice recalculates: the month labels go empty, which is the setting's fault, not a stale file."""
    (tmp_path / "in").mkdir()
    path = fill.edit_cells(fresh, tmp_path / "in" / "edited.xlsx", {("Settings", "D6"): "abc"})
    recalculated = libreoffice.recalculate([path], tmp_path / "out")[0]
    findings = validate(recalculated).findings
    assert [(f.code, f.cell) for f in findings] == [("bad-setting", "D6")]


def test_deleted_settings_sheet_is_named(fresh: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(fresh)
    del book["Settings"]
    book.save(tmp_path / "no-settings.xlsx")
    findings = validate(tmp_path / "no-settings.xlsx").findings
    assert ("missing-sheet", "Settings") in {(f.code, f.sheet) for f in findings}
    assert "not-recalculated" not in {f.code for f in findings}
