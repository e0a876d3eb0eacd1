"""The expected formulas kept per template (``planned``): never one file's answer for another.

The files are the writer's own (so every formula is the template's: no formula finding) and edited
copies whose one changed formula is known here; a kept entry given to the wrong file would either
report the writer's formulas as changed or miss the edit.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.validate import planned
from generator.validate.findings import Code
from generator.validate.run import Report, validate

from . import fill
from .test_validator_catches import sheet_part

YEAR = 2026
FORMULA_CODES = {Code.FORMULA_CHANGED, Code.FORMULA_MISSING, Code.FORMULA_OVERWRITTEN}


def _formula_findings(report: Report) -> list[tuple[str | None, str | None, str]]:
    return [(f.sheet, f.cell, f.code) for f in report.findings if f.code in FORMULA_CODES]


def _changed(source: Path, target: Path) -> Path:
    """KPIs!F8 (email_ctr, February) with its comparison turned from < 2 to < 3, its value kept."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        part = sheet_part(package, "KPIs")
        for item in package.infolist():
            data = package.read(item.filename)
            if item.filename == part:
                text = data.decode()
                found = re.search(r'<c r="F8"[^>]*><f>([^<]*)</f>', text)
                assert found and "&lt;2," in found[1]
                data = (text[: found.start(1)] + found[1].replace("&lt;2,", "&lt;3,") + text[found.end(1) :]).encode()
            out.writestr(item, data)
    return target


@pytest.fixture(scope="module")
def files(crm: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("planned")
    sample = fill.build(folder, "sample.xlsx", crm, None, sample=True, year=YEAR)
    with fill.rows_inserted("customers_start", "churn_rate"):
        moved = fill.build(folder, "moved.xlsx", crm, None, sample=True, year=YEAR)
    april = fill.build(folder, "april.xlsx", crm, None, sample=True, year=YEAR, first_month=4)
    return {"sample": sample, "moved": moved, "april": april, "changed": _changed(sample, folder / "changed.xlsx")}


def test_files_of_one_template_each_get_their_own_findings(files: dict[str, Path]) -> None:
    order = ["sample", "changed", "moved", "april", "sample", "moved", "changed", "april"]
    found = {name: _formula_findings(validate(files[name])) for name in order}
    assert found == {
        "sample": [],
        "changed": [("KPIs", "F8", Code.FORMULA_CHANGED)],
        "moved": [],
        "april": [],
    }


def test_a_second_validation_reports_the_same(files: dict[str, Path]) -> None:
    first = validate(files["changed"]).as_dict()
    validate(files["moved"])
    assert validate(files["changed"]).as_dict() == first


def test_entries_differ_by_layout_and_month_labels(files: dict[str, Path]) -> None:
    planned._kept.clear()
    for name in ("sample", "moved", "april", "changed"):
        validate(files[name])
    assert len(planned._kept) == 3  # the changed copy has the sample's template: its entry is shared


def test_the_entries_kept_are_bounded(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planned._kept, "most", 2)
    planned._kept.clear()
    for name in ("sample", "moved", "april", "sample"):
        validate(files[name])
    assert len(planned._kept) == 2


def test_threads_validating_in_turn_get_their_own_findings(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server validates in threads; with one entry kept, every lookup races an eviction."""
    from concurrent.futures import ThreadPoolExecutor

    alone = {name: _formula_findings(validate(path)) for name, path in files.items()}
    monkeypatch.setattr(planned._kept, "most", 1)
    names = list(files) * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda name: _formula_findings(validate(files[name])), names))
    assert found == [alone[name] for name in names]
