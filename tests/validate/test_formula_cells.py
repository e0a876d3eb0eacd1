"""Every formula cell is checked, not only the KPI rows: the Dashboard's cards and month helpers, the
hidden chart data and the Scorecard.

Each case types a number over one formula, deletes one or changes one with openpyxl, then the edited
files are recalculated in one LibreOffice run (so the file is otherwise as a user saves it, and a
stale value cannot be the reason for a finding). The cells are written here by hand from the sheets'
plans (card rows: title, value, target, change, change against the prior year, year to date, status;
chart data: a row of months with data, the labels, then each KPI's values and target, then each
KPI's prior year), and each case first checks that the
built file holds the formula it edits there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.cli import main
from generator.recalc import LibreOffice
from generator.validate.run import validate

from . import fill

UNO_PYTHON = "/usr/bin/python3"
UNO_EDIT = Path(__file__).parents[1] / "corpus" / "uno_edit.py"

Edit = Callable[[Any], None]
"""Changes one openpyxl cell."""


def typed(number: float) -> Edit:
    def edit(target: Any) -> None:
        target.value = number

    return edit


def deleted(target: Any) -> None:
    target.value = None


def changed(old: str, new: str) -> Edit:
    def edit(target: Any) -> None:
        assert old in target.value, target.value
        target.value = target.value.replace(old, new)

    return edit


# name: (catalogue, sheet, cell, what the built cell holds, the edit, the finding's code, its KPI)
CASES: dict[str, tuple[str, str, str, str, Edit, str, str | None]] = {
    # crm: the second card of the first group is the email click-through rate, at E8 (title) .. E14 (status).
    "card-target-typed": (
        "crm",
        "Dashboard",
        "F10",
        '=IF(ISNUMBER(target_email_ctr),target_email_ctr,"")',
        typed(0.5),
        "formula-overwritten",
        "email_ctr",
    ),
    "card-status-deleted": (
        "crm",
        "Dashboard",
        "E14",
        "=IF(OR(NOT(ISNUMBER(E9)),NOT(ISNUMBER(target_email_ctr))),",
        deleted,
        "formula-missing",
        "email_ctr",
    ),
    "card-ytd-changed": ("crm", "Dashboard", "F13", "='KPIs'!U8", changed("U8", "T8"), "formula-changed", "email_ctr"),
    "card-prior-typed": (
        "crm",
        "Dashboard",
        "F12",
        "=IF(AND(ISNUMBER(E9),ISNUMBER(INDEX(py_kpi_email_ctr,$Z$1))),",
        typed(0.01),
        "formula-overwritten",
        "email_ctr",
    ),
    "company-typed": ("crm", "Dashboard", "B3", "='Settings'!$D$5", typed(2026), "formula-overwritten", None),
    "month-index-changed": (
        "crm",
        "Dashboard",
        "Z1",
        "=IFERROR(MATCH($D$4,month_labels,0),MAX(1,MAX('Chart data'!$B$1:$M$1)))",
        changed("MAX(1,", "MAX(2,"),
        "formula-changed",
        None,
    ),
    # Chart data: row 1 months with data, row 2 labels, rows 3/4 the first KPI (informational: no target),
    # rows 5/6 the email click-through rate and its target.
    "chart-value-typed": (
        "crm",
        "Chart data",
        "D5",
        "=IF(ISNUMBER('KPIs'!G8),'KPIs'!G8,NA())",
        typed(0.25),
        "formula-overwritten",
        "email_ctr",
    ),
    # Below the 26 KPIs' value and target rows (3..54), row 55 on: each KPI's prior year, in catalogue order.
    "chart-prior-changed": (
        "crm",
        "Chart data",
        "G56",
        "=IF(ISNUMBER('Prior-year KPIs'!J8),'Prior-year KPIs'!J8,NA())",
        changed("NA()", "0"),
        "formula-changed",
        "email_ctr",
    ),
    "chart-has-data-deleted": (
        "crm",
        "Chart data",
        "C1",
        "=IF(COUNT('Inputs'!E7:E55)>0,2,0)",
        deleted,
        "formula-missing",
        None,
    ),
    "chart-target-changed": (
        "crm",
        "Chart data",
        "H6",
        "=IF(ISNUMBER('Settings'!$D$",
        changed("NA()", "0"),
        "formula-changed",
        "email_ctr",
    ),
    # bsc's Scorecard: the first line (row 6) is the Net Promoter Score, KPI sheet row 20.
    "scorecard-latest-typed": (
        "bsc",
        "Scorecard",
        "E6",
        "='KPIs'!V20",
        typed(42),
        "formula-overwritten",
        "nps",
    ),
    "scorecard-status-deleted": ("bsc", "Scorecard", "G6", "='KPIs'!Y20", deleted, "formula-missing", "nps"),
    "scorecard-target-changed": (
        "bsc",
        "Scorecard",
        "F6",
        '=IF(ISNUMBER(target_nps),target_nps,"")',
        changed('""', "0"),
        "formula-changed",
        "nps",
    ),
}


@pytest.fixture(scope="module")
def built(crm: Catalog, bsc: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formula-cells")
    return {
        "crm": fill.build(folder, "crm.xlsx", crm, None, sample=True),
        "bsc": fill.build(folder, "bsc.xlsx", bsc, None, sample=True),
    }


@pytest.fixture(scope="module")
def edited(
    built: dict[str, Path], libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each case's file, edited with openpyxl, then every file recalculated in one LibreOffice run; and
    the selector case: a month typed in the Dashboard's month cell, a user's input, not a formula."""
    folder = tmp_path_factory.mktemp("formula-cells-edited")
    paths: dict[str, Path] = {}
    for name, (catalog, sheet, address, holds, edit, _code, _kpi) in CASES.items():
        book = openpyxl.load_workbook(built[catalog])
        target = book[sheet][address]
        assert isinstance(target.value, str) and target.value.startswith(holds), (name, target.value)
        edit(target)
        paths[name] = folder / f"{name}.xlsx"
        book.save(paths[name])
    book = openpyxl.load_workbook(built["crm"])
    assert book["Dashboard"]["D4"].value is None
    book["Dashboard"]["D4"].value = "Mar 2026"
    paths["selector"] = folder / "selector.xlsx"
    book.save(paths["selector"])
    out = libreoffice.recalculate(list(paths.values()), tmp_path_factory.mktemp("formula-cells-recalculated"))
    return dict(zip(paths, out, strict=True))


@pytest.mark.parametrize("name", list(CASES))
def test_an_edited_formula_is_reported_at_its_cell(edited: dict[str, Path], name: str) -> None:
    _catalog, sheet, address, _holds, _edit, code, kpi = CASES[name]
    report = validate(edited[name])
    assert [(f.code, f.sheet, f.cell, f.kpi) for f in report.findings] == [(code, sheet, address, kpi)], [
        f.message for f in report.findings
    ]
    result = CliRunner().invoke(main, ["validate", str(edited[name])])
    assert result.exit_code == 1, result.output


def test_findings_name_the_kpi_and_the_part_of_the_card(edited: dict[str, Path]) -> None:
    (finding,) = validate(edited["card-target-typed"]).findings
    assert finding.month == "Dashboard card: target"
    assert finding.message.startswith("Email click-through rate (CTR) (Dashboard card: target): a typed value")
    assert finding.value == 0.5
    assert finding.expected == '=IF(ISNUMBER(target_email_ctr),target_email_ctr,"")'
    (finding,) = validate(edited["chart-has-data-deleted"]).findings
    assert finding.message.startswith("Chart data: months with data: the formula was deleted")
    assert finding.month == "Feb 2026"


def test_a_month_picked_on_the_dashboard_is_an_input(edited: dict[str, Path]) -> None:
    report = validate(edited["selector"])
    assert report.findings == [], [f.message for f in report.findings]
    assert CliRunner().invoke(main, ["validate", str(edited["selector"])]).exit_code == 0


@pytest.mark.parametrize("catalog", ["crm", "bsc"])
@pytest.mark.parametrize("locale", ["en", "tr"])
@pytest.mark.parametrize("sample", [False, True])
def test_fresh_templates_validate_clean(
    crm: Catalog, bsc: Catalog, tmp_path: Path, catalog: str, locale: str, sample: bool
) -> None:
    path = fill.build(tmp_path, "fresh.xlsx", {"crm": crm, "bsc": bsc}[catalog], None, locale=locale, sample=sample)
    report = validate(path)
    assert report.findings == [], [f.message for f in report.findings]
    # Every formula on the Dashboard, the chart data and the Scorecard is compared, besides the others.
    book = openpyxl.load_workbook(path)
    formulas = sum(
        isinstance(c.value, str) and c.value.startswith("=")
        for ws in book.worksheets[1:]  # the start page's company line is not checked
        for row in ws.iter_rows()
        for c in row
    )
    kpi_header_labels = 12  # the KPI sheet's month headings: the one formula row no name places
    assert report.formulas_compared == formulas - kpi_header_labels
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0


def test_a_card_typed_over_in_libreoffice_is_reported(built: dict[str, Path], tmp_path: Path) -> None:
    """LibreOffice itself (UNO) types over a card's target and picks a month; it rewrites every formula
    in its own spelling on save, so the other cards, the chart data and the helpers must still match."""
    if shutil.which("soffice") is None or not Path(UNO_PYTHON).exists():
        pytest.fail("LibreOffice and python3-uno are required: run scripts/setup.sh as root")
    target = tmp_path / "uno.xlsx"
    edits = [
        {"op": "value", "sheet": "Dashboard", "cell": "F10", "value": 0.5},
        {"op": "text", "sheet": "Dashboard", "cell": "D4", "value": "Mar 2026"},
    ]
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps([{"source": str(built["crm"]), "target": str(target), "edits": edits}]))
    done = subprocess.run(
        [UNO_PYTHON, str(UNO_EDIT), str(tmp_path / "profile"), str(jobs)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    ours, theirs = openpyxl.load_workbook(built["crm"]), openpyxl.load_workbook(target)
    assert theirs["Dashboard"]["F10"].value == 0.5
    respelled = [
        (sheet, c.coordinate)
        for sheet in ("Dashboard", "Chart data")
        for row in ours[sheet].iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=") and theirs[sheet][c.coordinate].value != c.value
    ]
    assert len(respelled) > 100, "LibreOffice saves formulas in its own spelling"
    report = validate(target)
    found = [(f.code, f.sheet, f.cell, f.kpi) for f in report.findings]
    assert found == [("formula-overwritten", "Dashboard", "F10", "email_ctr")], [f.message for f in report.findings]
    assert CliRunner().invoke(main, ["validate", str(target)]).exit_code == 1


def test_the_hint_may_be_reworded_but_not_rewired(built: dict[str, Path], tmp_path: Path) -> None:
    """The hint's words come from the translation, which a later version may improve: other words pass;
    a changed condition is reported. Edited in the XML, so the cached values stay as they were."""
    dashboard = "xl/worksheets/sheet5.xml"  # start, settings, inputs, KPIs, dashboard
    reworded = fill.edit_part(
        built["crm"],
        tmp_path / "reworded.xlsx",
        dashboard,
        lambda text: text.replace("No figures yet: start on the Inputs sheet", "Nothing typed yet: begin on Inputs", 1),
    )
    assert validate(reworded).findings == []
    rewired = fill.edit_part(
        built["crm"], tmp_path / "rewired.xlsx", dashboard, lambda text: text.replace('$M$1)=0,"No', '$M$1)=1,"No', 1)
    )
    found = [(f.code, f.sheet, f.cell) for f in validate(rewired).findings]
    assert ("formula-changed", "Dashboard", "H4") in found


def test_libreoffice_spelling_shortcut_means_the_same(crm: Catalog, bsc: Catalog, tmp_path: Path) -> None:
    """The comparison's shortcut (plain sheet names unquoted, as LibreOffice saves them) agrees with
    ``normalise`` on every formula of crm and bsc in English and Turkish, and leaves string literals alone."""
    from generator.validate.spelling import normalise, plain_sheets, unquoted

    for catalog in (crm, bsc):
        for locale in ("en", "tr"):
            path = fill.build(tmp_path, f"{catalog.id}-{locale}.xlsx", catalog, None, locale=locale)
            book = openpyxl.load_workbook(path)
            bare = plain_sheets(book.sheetnames)
            assert bare, book.sheetnames
            for ws in book.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        if isinstance(c.value, str) and c.value.startswith("="):
                            assert normalise(unquoted(c.value, bare), ws.title) == normalise(c.value, ws.title)
    assert unquoted("=IF(Inputs!A1=1,\"'Inputs'!A1\",'Inputs'!A1)", [("'Inputs'!", "Inputs!")]) == (
        "=IF(Inputs!A1=1,\"'Inputs'!A1\",Inputs!A1)"
    )
