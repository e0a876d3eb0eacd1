"""Workbooks of earlier layouts still validate: their cards have no prior-year row (layout 3 added it).

The two files in ``earlier/`` were built by the generator of their day (``kpigen build --sample --year
2026``): layout 1 at commit 9066395 (en), layout 2 at e0ce21c (tr, with the prior year's sheets). Every
formula in them is compared (only the KPI sheet's month headings are not, as in a fresh file) and
only the layout version is reported; a card typed over is found at the cell it had then.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest

from generator.validate.findings import Code
from generator.validate.run import validate

EARLIER = Path(__file__).parent / "earlier"
FILES = {"1": EARLIER / "crm-en-layout1.xlsx", "2": EARLIER / "crm-tr-layout2.xlsx"}


def formula_cells(path: Path) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl does not read sparklines, and says so
        book = openpyxl.load_workbook(path)
    return sum(
        isinstance(c.value, str) and c.value.startswith("=")
        for ws in book.worksheets[1:]  # the start page's company line is not checked
        for row in ws.iter_rows()
        for c in row
    )


@pytest.mark.parametrize("version", ["1", "2"])
def test_an_earlier_layout_validates_with_only_its_version_noted(version: str) -> None:
    report = validate(FILES[version])
    assert [(f.code, f.value) for f in report.findings] == [(Code.LAYOUT_VERSION, version)]
    assert "`kpigen regenerate`" in report.findings[0].message  # the earlier-release note, in the file's language
    assert report.kpis_checked == 26
    kpi_header_labels = 12
    assert report.formulas_compared == formula_cells(FILES[version]) - kpi_header_labels


@pytest.mark.parametrize("version", ["1", "2"])
def test_a_card_typed_over_in_an_earlier_layout_is_found_at_its_old_cell(version: str, tmp_path: Path) -> None:
    """The email click-through rate's card: year to date at F12 then (F13 in layout 3, where F12 is the
    change against the prior year)."""
    edited = tmp_path / FILES[version].name
    shutil.copy(FILES[version], edited)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(edited)
    dashboard = book.worksheets[4]
    assert str(dashboard["F12"].value).endswith("!U8")  # the KPI sheet's year to date of email_ctr
    dashboard["F12"].value = 0.5
    book.save(edited)
    noted = (Code.LAYOUT_VERSION, Code.NOT_RECALCULATED)  # openpyxl saves no cached values
    findings = [f for f in validate(edited).findings if f.code not in noted]
    assert [(f.code, f.cell, f.kpi) for f in findings] == [(Code.FORMULA_OVERWRITTEN, "F12", "email_ctr")]
