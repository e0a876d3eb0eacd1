"""The validator's two comparisons, each alone and without LibreOffice: fast enough to run for every
mutant of ``recompute.py`` and ``calculated.py`` (the mutation run of issue 24).

The workbook is the writer's sample year, whose cached values the writer computed: clean as
delivered. Each test changes cached results in the XML (as a script that writes values without
recalculating would) and checks the finding: its code, cell, fields and the words a user reads.
Counts are worked out by hand from the template (README, "The workbook").
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.engine.values import XlError
from generator.formula.address import cell
from generator.template.layout import INPUT_GRID, KPI_GRID, KPI_LATEST_COL, KPI_STATUS_COL, KPI_TARGET_COL, Layout
from generator.template.periods import kpi_status, kpi_values
from generator.validate import calculated
from generator.validate.calculated import agrees
from generator.validate.findings import Code
from generator.validate.recompute import _cached, _same
from generator.validate.run import Options, validate
from generator.workbook.context import BuildOptions
from generator.workbook.sample import read_sample

from . import fill
from .test_validator_catches import sheet_part, with_cached

YEAR = 2026


@pytest.fixture(scope="module")
def sample(crm: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill.build(tmp_path_factory.mktemp("comparisons"), "sample.xlsx", crm, None, sample=True, year=YEAR)


@pytest.fixture
def recompute_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calculated, "check_calculated", lambda check, trusted=True: calculated.Calculated())


def _layout(crm: Catalog) -> Layout:
    return fill.writer_layout(crm, BuildOptions())


def test_the_sample_is_clean_and_every_cell_is_compared(sample: Path, crm: Catalog) -> None:
    """45 inputs x (4 quarters + year) = 225; 26 KPIs x (12 months + 4 quarters + year + latest) = 468;
    23 targets and 23 statuses (26 KPIs, 3 of them informational): 739 cells."""
    report = validate(sample, Options())
    assert report.findings == []
    assert report.kpis_checked == 26
    assert report.cells_compared == 225 + 468 + 23 + 23


def test_a_kpi_month_off_by_one_percent_is_stale(sample: Path, crm: Catalog, tmp_path: Path) -> None:
    layout = _layout(crm)
    address = fill.kpi_address(layout, "email_ctr", KPI_GRID.month(2))
    path, before = with_cached(sample, tmp_path / "off.xlsx", layout.sheets.kpis, {address: lambda v: v * 1.01})
    report = validate(path, Options())
    assert report.cells_compared == 739 - 1, "the stale cell is not compared again"
    (finding,) = report.findings
    assert (finding.code, finding.sheet, finding.cell, finding.kpi, finding.input) == (
        Code.STALE_VALUE.value,
        layout.sheets.kpis,
        address,
        "email_ctr",
        None,
    )
    assert finding.value == pytest.approx(before[address] * 1.01, rel=1e-12)
    assert finding.expected == pytest.approx(before[address], rel=1e-12)
    assert finding.message.startswith("Email click-through rate (CTR) shows ")
    assert "but its formula gives" in finding.message and finding.message.endswith("or pass --recalc.")


def test_an_input_total_off_is_stale_and_names_the_input(sample: Path, crm: Catalog, tmp_path: Path) -> None:
    layout = _layout(crm)
    address = cell(layout.input_rows["emails_sent"], INPUT_GRID.quarter(1))
    path, before = with_cached(sample, tmp_path / "q.xlsx", layout.sheets.inputs, {address: lambda v: v + 1})
    (finding,) = validate(path, Options()).findings
    where = (finding.code, finding.cell, finding.input, finding.kpi)
    assert where == (Code.STALE_VALUE.value, address, "emails_sent", None)
    assert (finding.value, finding.expected) == (before[address] + 1, before[address])
    name = crm.inputs["emails_sent"].name["en"]
    assert finding.message == (
        f"{name} shows {before[address] + 1:,.0f}, but its formula gives {before[address]:,.0f}: the file was saved "
        "without recalculating after a change (by a script, or with calculation switched off). Recalculate and "
        "save it in Excel or LibreOffice (Ctrl+Alt+F9 or Ctrl+Shift+F9), or pass --recalc."
    )


def test_many_stale_cells_are_one_finding_per_sheet(sample: Path, crm: Catalog, tmp_path: Path) -> None:
    """More than 25 stale cells: one finding per sheet, counting them and naming the first three."""
    layout = _layout(crm)
    kpis = list(layout.kpi_rows)[:3]
    changes = {fill.kpi_address(layout, k, KPI_GRID.month(m)): (lambda v: v * 2 + 1) for k in kpis for m in range(9)}
    path, _ = with_cached(sample, tmp_path / "many.xlsx", layout.sheets.kpis, changes)
    (finding,) = validate(path, Options()).findings
    first = [fill.kpi_address(layout, kpis[0], KPI_GRID.month(m)) for m in range(3)]
    assert finding.code == Code.STALE_VALUE.value and finding.cell == first[0]
    counted = f"27 formula cells show values their formulas no longer give (such as {', '.join(first)})"
    assert finding.message.startswith(counted)


def test_a_file_never_calculated_is_one_finding(sample: Path, crm: Catalog, tmp_path: Path) -> None:
    """Every cached result removed, as a library writes formulas: one finding, no value comparisons."""
    target = tmp_path / "never.xlsx"
    with zipfile.ZipFile(sample) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in package.infolist():
            data = package.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"(<f>[^<]*</f>|<f[^>]*/>)<v>[^<]*</v>", rb"\1", data)
                data = re.sub(rb'(<c [^>]*?) t="(?:str|b|e)"([^>]*><f)', rb"\1\2", data)
            out.writestr(item, data)
    report = validate(target, Options())
    assert [(f.code, f.severity, f.sheet) for f in report.findings] == [(Code.NOT_RECALCULATED.value, "error", "KPIs")]
    assert report.findings[0].message == (
        "The file holds no calculated results (it was saved by a program that does not calculate, such as a script), "
        "so the KPI values cannot be compared. Open and save it in Excel or LibreOffice, or pass --recalc."
    )
    assert report.cells_compared == 0 and report.kpis_checked == 0


@pytest.mark.usefixtures("recompute_alone")
def test_the_comparison_alone_names_kpi_month_value_and_expected(sample: Path, crm: Catalog, tmp_path: Path) -> None:
    layout = _layout(crm)
    address = fill.kpi_address(layout, "churn_rate", KPI_GRID.month(4))
    path, before = with_cached(sample, tmp_path / "off.xlsx", layout.sheets.kpis, {address: lambda v: v * 1.001})
    report = validate(path, Options())
    (finding,) = report.findings
    assert (finding.code, finding.cell, finding.kpi, finding.input, finding.month) == (
        Code.VALUE_MISMATCH.value,
        address,
        "churn_rate",
        None,
        "May 2026",
    )
    assert finding.expected == pytest.approx(before[address], rel=1e-12)
    assert finding.severity == "error" and finding.value == pytest.approx(before[address] * 1.001, rel=1e-12)
    assert finding.message == (
        f"Churn rate (attrition): the file shows {before[address] * 1.001!r}, but the catalogue's formula gives "
        f"{finding.expected!r}; recalculate the workbook (open and save it) or look for a changed formula or input."
    )
    assert report.cells_compared == 739


@pytest.mark.usefixtures("recompute_alone")
def test_the_comparison_alone_checks_totals_latest_and_target(sample: Path, crm: Catalog, tmp_path: Path) -> None:
    layout = _layout(crm)
    row = layout.kpi_rows["new_leads"]
    total = cell(layout.input_rows["new_leads"], INPUT_GRID.ytd)
    changes = {cell(row, KPI_LATEST_COL): lambda v: v + 1, cell(row, KPI_TARGET_COL): lambda v: v * 10}
    path, _ = with_cached(sample, tmp_path / "kpi.xlsx", layout.sheets.kpis, changes)
    path, _ = with_cached(path, tmp_path / "both.xlsx", layout.sheets.inputs, {total: lambda v: v - 1})
    found = {(f.code, f.sheet, f.cell, f.kpi, f.input, f.month) for f in validate(path, Options()).findings}
    mismatch = Code.VALUE_MISMATCH.value
    assert found == {
        (mismatch, layout.sheets.inputs, total, None, "new_leads", "Year to date"),
        (mismatch, layout.sheets.kpis, cell(row, KPI_LATEST_COL), "new_leads", None, "Latest month"),
        (mismatch, layout.sheets.kpis, cell(row, KPI_TARGET_COL), "new_leads", None, "Monthly target"),
    }


@pytest.mark.usefixtures("recompute_alone")
def test_the_comparison_alone_reports_each_wrong_status(sample: Path, crm: Catalog, tmp_path: Path) -> None:
    """Every status turned to another (1 -> -1, 0 -> 1, -1 -> 0): one finding each, with both words."""
    layout = _layout(crm)
    values = read_sample(crm, "USD")
    assert values is not None
    expected = {
        k: kpi_status(crm, k, row, crm.target(crm.kpis[k], "USD"), crm.tolerance(crm.kpis[k]))
        for k, row in kpi_values(crm, values).items()
        if crm.kpis[k].better is not Better.INFO
    }
    other = {1: -1, 0: 1, -1: 0}
    changes = {cell(layout.kpi_rows[k], KPI_STATUS_COL): (lambda _, s=s: other[s]) for k, s in expected.items()}
    path, before = with_cached(sample, tmp_path / "status.xlsx", layout.sheets.kpis, changes)
    shown = {before[cell(layout.kpi_rows[k], KPI_STATUS_COL)] for k in expected}
    assert shown == set(other), "the sample has all three statuses"
    findings = validate(path, Options()).findings
    assert {(f.code, f.kpi, f.value, f.expected) for f in findings} == {
        (Code.STATUS_MISMATCH.value, k, other[s], s) for k, s in expected.items()
    }
    words = {1: "On track", 0: "At risk", -1: "Off track"}
    for f in findings:
        assert f.month == "Status (latest month)"
        said = f"shows the status {words[f.value]}, but the latest month and the target give {words[f.expected]}."
        assert said in f.message


@pytest.mark.parametrize(
    ("value", "readable", "number"),
    [(None, True, None), ("", True, None), (" ", False, None), ("12", False, None), (True, False, None), (3, True, 3)],
)
def test_what_a_cached_cell_holds(value: object, readable: bool, number: float | None) -> None:
    assert _cached(value) == (readable, number)


def test_blank_is_only_the_same_as_no_value() -> None:
    assert _same(None, None) and _same("", None)
    assert not _same(None, 0.0) and not _same(0.0, None) and not _same("x", None) and not _same(float("inf"), None)


@pytest.mark.parametrize(
    ("shown", "computed", "same"),
    [
        ("#DIV/0!", XlError("#DIV/0!"), True),
        ("#N/A", XlError("#DIV/0!"), False),
        (0.0, XlError("#DIV/0!"), False),
        (True, True, True),
        (1, True, False),
        (True, 1.0, False),
        ("On track", "On track", True),
        ("on track", "On track", False),
        (None, "", True),
        ("", "", True),
        (None, "x", False),
        ("1", 1.0, False),
        (None, 0.0, False),
        (0.0, 1e-13, True),  # near zero the engine's check is absolute, to 1e-12
        (0.0, 1e-11, False),
    ],
)
def test_what_the_engine_check_calls_the_same(shown: object, computed: object, same: bool) -> None:
    assert agrees(shown, computed) is same


def _edit_sheet(source: Path, target: Path, sheet: str, edit: Callable[[str], str]) -> Path:
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        part = sheet_part(package, sheet)
        for item in package.infolist():
            data = package.read(item.filename)
            out.writestr(item, edit(data.decode()).encode() if item.filename == part else data)
    return target


@pytest.mark.parametrize(("first_month", "last_month"), [(0, 2), (9, 11)])
def test_merged_months_leave_their_input_and_kpis_uncompared(
    sample: Path, crm: Catalog, tmp_path: Path, first_month: int, last_month: int
) -> None:
    """avg_sale_value's months merged (the first three, or the last three): one finding; its 5 totals
    and LTV's 20 cells (17 periods, latest, target, status) are neither compared nor called stale:
    739 - 25 cells. A stale cell elsewhere is still reported."""
    layout = _layout(crm)
    first = fill.input_address(layout, "avg_sale_value", first_month)
    block = f"{first}:{fill.input_address(layout, 'avg_sale_value', last_month)}"

    def merge(xml: str) -> str:
        assert "<mergeCells" not in xml
        return xml.replace("</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{block}"/></mergeCells>')

    path = _edit_sheet(sample, tmp_path / "merged.xlsx", layout.sheets.inputs, merge)
    report = validate(path, Options())
    assert [(f.code, f.cell, f.value) for f in report.findings] == [(Code.MERGED_CELLS.value, first, block)]
    assert report.cells_compared == 739 - 5 - 20 and report.kpis_checked == 25
    other = fill.kpi_address(layout, "email_ctr", KPI_GRID.month(first_month + 1))
    path, _ = with_cached(path, tmp_path / "both.xlsx", layout.sheets.kpis, {other: lambda v: v * 1.01})
    found = [(f.code, f.cell) for f in validate(path, Options()).findings]
    assert found == [(Code.MERGED_CELLS.value, first), (Code.STALE_VALUE.value, other)]


@pytest.mark.usefixtures("recompute_alone")
def test_an_error_shown_where_a_number_belongs(sample: Path, crm: Catalog, tmp_path: Path) -> None:
    layout = _layout(crm)
    address = fill.kpi_address(layout, "roi", KPI_GRID.month(0))

    def error(xml: str) -> str:
        found = re.search(rf'<c r="{address}"([^>]*)><f>([^<]*)</f><v>[^<]*</v></c>', xml)
        assert found, address
        return xml.replace(found[0], f'<c r="{address}"{found[1]} t="e"><f>{found[2]}</f><v>#NUM!</v></c>')

    path = _edit_sheet(sample, tmp_path / "error.xlsx", layout.sheets.kpis, error)
    (finding,) = validate(path, Options()).findings
    assert (finding.code, finding.cell, finding.value) == (Code.VALUE_MISMATCH.value, address, "#NUM!")
    assert finding.message == (
        f"Return on investment (ROI): the file shows the error #NUM!, but the catalogue's formula gives "
        f"{finding.expected!r}; look for a huge or mistyped figure among the inputs of this column."
    )


@pytest.mark.usefixtures("recompute_alone")
@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (' t="str"><f>{f}</f><v>good</v>', '"good"'),
        ("><f>{f}</f><v>2</v>", "2"),
        (' t="str"><f>{f}</f><v></v>', "an empty cell"),
    ],
)
def test_a_status_cell_holding_what_no_status_is(
    sample: Path, crm: Catalog, tmp_path: Path, stored: str, shown: str
) -> None:
    """Text, a number that is no status, or nothing where the status belongs: each named in the message."""
    layout = _layout(crm)
    address = cell(layout.kpi_rows["nps"], KPI_STATUS_COL)

    def edit(xml: str) -> str:
        found = re.search(rf'<c r="{address}"([^>]*)><f>([^<]*)</f><v>[^<]*</v></c>', xml)
        assert found, address
        return xml.replace(found[0], f'<c r="{address}"{found[1]}' + stored.format(f=found[2]) + "</c>")

    path = _edit_sheet(sample, tmp_path / "status.xlsx", layout.sheets.kpis, edit)
    (finding,) = validate(path, Options()).findings
    where = (finding.code, finding.severity, finding.sheet, finding.cell, finding.kpi)
    assert where == (Code.STATUS_MISMATCH.value, "error", layout.sheets.kpis, address, "nps")
    words = {1: "On track", 0: "At risk", -1: "Off track"}
    assert finding.message == (
        f"Net Promoter Score (NPS): the file shows the status {shown}, but the latest month and the target give "
        f"{words[int(finding.expected)]}."
    )
