"""The validator reports small lies in a file's results, at their cell: a KPI value off by 0.1%,
a status that is not the one the latest month and target give, while a difference at the last
bits of a double (1e-13 relative) stays quiet.

The file is filled, recalculated by LibreOffice, then its cached results are edited in the XML,
as a script that writes values without recalculating would.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.formula.address import cell
from generator.recalc import LibreOffice
from generator.template.layout import KPI_GRID, KPI_STATUS_COL
from generator.template.periods import kpi_status, kpi_values
from generator.validate.findings import Code
from generator.validate.run import Options, validate
from generator.workbook.context import BuildOptions

from . import fill


@pytest.fixture(scope="module")
def recalculated(crm: Catalog, libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("lies")
    values = fill.valid_values(crm, 11, blank=0.0, zero=0.0)
    path = fill.build(source, "filled.xlsx", crm, values)
    return libreoffice.recalculate([path], tmp_path_factory.mktemp("lies-recalculated"))[0]


def sheet_part(package: zipfile.ZipFile, sheet: str) -> str:
    """The XML part of a sheet, found through the workbook and its relationships."""
    workbook = package.read("xl/workbook.xml").decode()
    rels = package.read("xl/_rels/workbook.xml.rels").decode()
    escaped = sheet.replace("&", "&amp;").replace("'", "&apos;")
    rid = re.search(rf'<sheet name="(?:{re.escape(sheet)}|{re.escape(escaped)})"[^>]*r:id="([^"]+)"', workbook)
    assert rid, sheet
    target = re.search(rf'Id="{rid[1]}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid[1]}"', rels)
    assert target
    return "xl/" + (target[1] or target[2]).removeprefix("/xl/")


def with_cached(
    source: Path, target: Path, sheet: str, changes: dict[str, Callable[[float], float]]
) -> tuple[Path, dict[str, float]]:
    """A copy whose cached results at these cells are changed; returns it and the values it had."""
    before: dict[str, float] = {}
    with zipfile.ZipFile(source) as package:
        part = sheet_part(package, sheet)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in package.infolist():
                data = package.read(item.filename)
                if item.filename == part:
                    text = data.decode()
                    for address, change in changes.items():
                        pattern = re.compile(
                            rf'(<c r="{address}"[^>]*>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)?<v>)([^<]*)(</v>)'
                        )
                        match = pattern.search(text)
                        assert match, f"{address} has no cached value"
                        before[address] = float(match[2])
                        text = text[: match.start(2)] + repr(change(float(match[2]))) + text[match.end(2) :]
                    data = text.encode()
                out.writestr(item, data)
    return target, before


def test_the_recalculated_file_is_clean(recalculated: Path) -> None:
    assert validate(recalculated, Options()).findings == []


def test_a_value_off_by_a_tenth_of_a_percent_is_reported(recalculated: Path, crm: Catalog, tmp_path: Path) -> None:
    layout = fill.writer_layout(crm, BuildOptions())
    address = fill.kpi_address(layout, "email_ctr", KPI_GRID.month(2))
    path, before = with_cached(recalculated, tmp_path / "off.xlsx", layout.sheets.kpis, {address: lambda v: v * 1.001})
    report = validate(path, Options())
    assert {(f.sheet, f.cell) for f in report.findings} == {(layout.sheets.kpis, address)}, report.findings
    # The engine sees the formula no longer gives the cached value (stale-value); either way the cell is named.
    finding = next(f for f in report.findings if f.code in {Code.VALUE_MISMATCH.value, Code.STALE_VALUE.value})
    assert finding.kpi == "email_ctr" and finding.expected == pytest.approx(before[address], rel=1e-12)


def test_a_rounding_difference_is_not_reported(recalculated: Path, crm: Catalog, tmp_path: Path) -> None:
    layout = fill.writer_layout(crm, BuildOptions())
    address = fill.kpi_address(layout, "email_ctr", KPI_GRID.month(2))
    path, _ = with_cached(recalculated, tmp_path / "ulp.xlsx", layout.sheets.kpis, {address: lambda v: v * (1 + 1e-13)})
    assert validate(path, Options()).findings == []


def test_a_wrong_status_is_reported(recalculated: Path, crm: Catalog, tmp_path: Path) -> None:
    layout = fill.writer_layout(crm, BuildOptions())
    values = fill.valid_values(crm, 11, blank=0.0, zero=0.0)
    expected = {
        k: kpi_status(crm, k, row, crm.target(crm.kpis[k], "USD"), crm.tolerance(crm.kpis[k]))
        for k, row in kpi_values(crm, values).items()
        if crm.kpis[k].better is not Better.INFO
    }
    kpi_id = next(k for k, status in expected.items() if status is not None)
    address = cell(layout.kpi_rows[kpi_id], KPI_STATUS_COL)
    wrong = 1 if expected[kpi_id] != 1 else -1
    path, before = with_cached(recalculated, tmp_path / "status.xlsx", layout.sheets.kpis, {address: lambda _: wrong})
    assert before[address] == expected[kpi_id], "LibreOffice's status is the hand-checked one"
    report = validate(path, Options())
    assert {(f.sheet, f.cell) for f in report.findings} == {(layout.sheets.kpis, address)}, report.findings
    wrong_codes = {Code.STATUS_MISMATCH.value, Code.STALE_VALUE.value}
    found = [(f.cell, f.expected, f.value) for f in report.findings if f.code in wrong_codes]
    assert found == [(address, expected[kpi_id], wrong)], report.findings


@pytest.fixture
def recompute_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's stale-value check switched off, so what is found is the catalogue comparison's own
    (each of the two must catch a lie by itself: one loosened or silenced is otherwise hidden)."""
    from generator.validate import calculated

    monkeypatch.setattr(calculated, "check_calculated", lambda check, trusted=True: calculated.Calculated())


@pytest.mark.usefixtures("recompute_alone")
def test_the_catalogue_comparison_alone_reports_a_value_off_by_one_percent(
    recalculated: Path, crm: Catalog, tmp_path: Path
) -> None:
    layout = fill.writer_layout(crm, BuildOptions())
    address = fill.kpi_address(layout, "email_ctr", KPI_GRID.month(2))
    path, before = with_cached(recalculated, tmp_path / "off.xlsx", layout.sheets.kpis, {address: lambda v: v * 1.01})
    report = validate(path, Options())
    found = [(f.code, f.sheet, f.cell, f.kpi) for f in report.findings]
    assert found == [(Code.VALUE_MISMATCH.value, layout.sheets.kpis, address, "email_ctr")]
    assert report.findings[0].expected == pytest.approx(before[address], rel=1e-12)


@pytest.mark.usefixtures("recompute_alone")
def test_the_catalogue_comparison_alone_reports_a_wrong_status(
    recalculated: Path, crm: Catalog, tmp_path: Path
) -> None:
    layout = fill.writer_layout(crm, BuildOptions())
    values = fill.valid_values(crm, 11, blank=0.0, zero=0.0)
    kpi_id = next(
        k
        for k, row in kpi_values(crm, values).items()
        if crm.kpis[k].better is not Better.INFO
        and kpi_status(crm, k, row, crm.target(crm.kpis[k], "USD"), crm.tolerance(crm.kpis[k])) == 1
    )
    address = cell(layout.kpi_rows[kpi_id], KPI_STATUS_COL)
    path, _ = with_cached(recalculated, tmp_path / "status.xlsx", layout.sheets.kpis, {address: lambda _: -1})
    report = validate(path, Options())
    found = [(f.code, f.cell, f.kpi, f.value, f.expected) for f in report.findings]
    assert found == [(Code.STATUS_MISMATCH.value, address, kpi_id, -1, 1)]


@pytest.mark.parametrize(
    ("shown", "computed", "same"),
    [
        (1.0, 1.0, True),
        (1.0 + 1e-13, 1.0, True),  # the last bits of a double: another spreadsheet's rounding
        (1.0 + 5e-10, 1.0, True),  # within 1e-9 relative
        (1.0 + 2e-9, 1.0, False),  # beyond it
        (1.0001, 1.0, False),
        (1.01, 1.0, False),
        (1.04, 1.0, False),  # inside a 5% tolerance: still a different number
        (0.0, 1e-13, True),  # near zero, absolute: 1e-12 for the engine, 1e-9 for the comparison
        (0.0, 1e-6, False),
    ],
)
def test_numbers_agree_to_a_billionth(shown: float, computed: float, same: bool) -> None:
    """Both comparisons (the engine's stale check, the catalogue recomputation) hold a value to 1e-9 relative."""
    from generator.validate.calculated import agrees
    from generator.validate.recompute import _same

    assert agrees(shown, computed) is same
    assert _same(shown, computed) is same
