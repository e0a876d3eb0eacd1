"""The stale check's kept evaluation plan never changes a report: each file here is validated once with a plan
made from the clean file of its template and once the general way, and the two reports are the same.

The files are a LibreOffice-recalculated CRM workbook and copies edited in the XML, as a script that does
not recalculate would leave them: cached values changed (stale cells, found with the plan), a formula
turned into a circular reference, a formula changed in one cell, a defined name renamed (the last three
are files the plan does not serve, so the general way must take them). The expected findings are the
edits made here: the cells edited, the values written, the value LibreOffice had cached.
"""

from __future__ import annotations

import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.catalog import Catalog
from generator.recalc import LibreOffice
from generator.template.layout import KPI_GRID
from generator.validate import calculated, stale_plan
from generator.validate.book import Book
from generator.validate.findings import Code
from generator.validate.report import to_json
from generator.validate.run import Options, validate
from generator.workbook.context import BuildOptions

from . import fill
from .test_validator_catches import sheet_part, with_cached


@pytest.fixture(scope="module")
def clean(crm: Catalog, libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("plan")
    path = fill.build(source, "filled.xlsx", crm, fill.valid_values(crm, 29, blank=0.0, zero=0.0))
    return libreoffice.recalculate([path], tmp_path_factory.mktemp("plan-recalculated"))[0]


@pytest.fixture
def planned_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each stale check since took the plan's way and finished on it (True) or not (False)."""
    runs: list[bool] = []
    original = calculated._planned

    def counted(*args: Any) -> Any:
        found = original(*args)
        runs.append(found is not None)
        return found

    monkeypatch.setattr(calculated, "_planned", counted)
    stale_plan.forget()
    yield runs
    stale_plan.forget()


def _both_ways(clean: Path, path: Path, monkeypatch: pytest.MonkeyPatch, runs: list[bool]) -> tuple[Any, bool]:
    """The report on ``path`` after a plan was made from ``clean``; asserts the general way's is the same.
    Also says whether the plan served ``path``."""
    stale_plan.forget()
    for _time in range(2):  # the general way; the second keeps a plan
        assert validate(clean, Options()).findings == []
    runs.clear()
    report = validate(path, Options())
    served = runs == [True]
    with monkeypatch.context() as patch:
        patch.setattr(calculated, "plan_for", lambda *args: None)
        assert to_json(validate(path, Options())) == to_json(report)
    return report, served


def test_the_clean_file_takes_the_plan_the_third_time(clean: Path, planned_runs: list[bool]) -> None:
    """The first validation of a shape makes no plan (a file validated alone pays nothing for one)."""
    reports = [validate(clean, Options()) for _time in range(3)]
    assert planned_runs == [True]  # the first saw the shape, the second made the plan, the third used it
    assert [report.findings for report in reports] == [[], [], []]


def test_stale_cells_are_found_on_the_plan(
    clean: Path, crm: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned_runs: list[bool]
) -> None:
    layout = fill.writer_layout(crm, BuildOptions())
    address = fill.kpi_address(layout, "email_ctr", KPI_GRID.month(2))
    path, before = with_cached(clean, tmp_path / "stale.xlsx", layout.sheets.kpis, {address: lambda v: v * 1.001})
    report, served = _both_ways(clean, path, monkeypatch, planned_runs)
    assert served
    found = [(f.code, f.sheet, f.cell) for f in report.findings]
    assert found == [(Code.STALE_VALUE.value, layout.sheets.kpis, address)]
    assert report.findings[0].expected == pytest.approx(before[address], rel=1e-12)
    assert report.findings[0].value == pytest.approx(before[address] * 1.001, rel=1e-12)


def test_many_stale_cells_at_random_are_each_found_on_the_plan(
    clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned_runs: list[bool]
) -> None:
    """Property-style: random formula cells of the Chart data and KPIs sheets, cached values
    made 1% larger; more than 25 on a sheet are reported by sheet, with examples, so few per sheet here."""
    book = Book.open(clean)
    rng = random.Random(29)
    edits: dict[str, list[str]] = {}
    for sheet in ("Chart data", "KPIs"):
        numbers = sorted(
            (row, col)
            for row, col, typed, shown in book.cells(sheet)
            if isinstance(typed, str) and typed.startswith("=") and isinstance(shown, float) and shown > 1
        )
        edits[sheet] = [_address(row, col) for row, col in rng.sample(numbers, 6)]
    path = clean
    for number, (sheet, addresses) in enumerate(edits.items()):
        path, _before = with_cached(path, tmp_path / f"stale{number}.xlsx", sheet, dict.fromkeys(addresses, _larger))
    report, served = _both_ways(clean, path, monkeypatch, planned_runs)
    assert served
    stale = {(f.sheet, f.cell) for f in report.findings if f.code == Code.STALE_VALUE.value}
    assert stale == {(sheet, address) for sheet, addresses in edits.items() for address in addresses}


def _larger(value: float) -> float:
    return value * 1.01


def _address(row: int, col: int) -> str:
    from generator.formula.address import cell

    return cell(row, col)


def test_a_circular_reference_in_a_user_formula_is_found(
    clean: Path, crm: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned_runs: list[bool]
) -> None:
    layout = fill.writer_layout(crm, BuildOptions())
    path = _with_cell(clean, tmp_path / "cycle.xlsx", layout.sheets.kpis, 300, "A300+1", 1)
    report, served = _both_ways(clean, path, monkeypatch, planned_runs)
    assert not served  # its formulas are not the plan's
    unchecked = [f for f in report.findings if f.code == Code.UNCHECKED_FORMULA.value]
    assert [(f.sheet, f.cell) for f in unchecked] == [(layout.sheets.kpis, "A300")]
    assert "circular reference" in unchecked[0].message


def test_a_user_formula_showing_another_value_is_found(
    clean: Path, crm: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned_runs: list[bool]
) -> None:
    layout = fill.writer_layout(crm, BuildOptions())
    path = _with_cell(clean, tmp_path / "own.xlsx", layout.sheets.kpis, 300, "2+2", 5)
    report, served = _both_ways(clean, path, monkeypatch, planned_runs)
    assert not served
    found = [(f.code, f.sheet, f.cell, f.value, f.expected) for f in report.findings]
    assert found == [(Code.STALE_VALUE.value, layout.sheets.kpis, "A300", 5, 4)]


def test_text_spelt_as_a_formula_is_not_read_on_the_plan(
    clean: Path, crm: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned_runs: list[bool]
) -> None:
    """Text typed as "=2+2" is read as a formula (as ``Book.cells`` types it): a cell the plan does not have,
    though the file's formulas as typed are the plan's. Its shown text is not the 4 it gives: stale."""
    layout = fill.writer_layout(crm, BuildOptions())
    spelt = '<c r="A300" t="inlineStr"><is><t>=2+2</t></is></c>'
    path = _with_xml(clean, tmp_path / "spelt.xlsx", layout.sheets.kpis, 300, spelt)
    report, served = _both_ways(clean, path, monkeypatch, planned_runs)
    assert not served and planned_runs == [False]  # found by its formulas as typed, left at the text
    found = [(f.code, f.sheet, f.cell, f.value, f.expected) for f in report.findings]
    assert found == [(Code.STALE_VALUE.value, layout.sheets.kpis, "A300", "=2+2", 4)]


def test_a_template_formula_changed_in_one_cell_is_found(
    clean: Path, crm: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned_runs: list[bool]
) -> None:
    """Reported as a changed formula (so not also as a stale value: ``check_calculated`` skips flagged cells)."""
    layout = fill.writer_layout(crm, BuildOptions())
    address = fill.kpi_address(layout, "email_ctr", KPI_GRID.month(2))
    path = _with_formula(clean, tmp_path / "changed.xlsx", layout.sheets.kpis, address, "2+2")
    report, served = _both_ways(clean, path, monkeypatch, planned_runs)
    assert not served
    at_cell = {f.code for f in report.findings if (f.sheet, f.cell) == (layout.sheets.kpis, address)}
    assert at_cell == {Code.FORMULA_CHANGED.value}


def test_a_renamed_defined_name_is_found(
    clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned_runs: list[bool]
) -> None:
    """The month list renamed: the month labels' MATCH reads an unknown name (#NAME?, IFERROR gives "")."""
    path = fill.edit_part(
        clean,
        tmp_path / "renamed.xlsx",
        "xl/workbook.xml",
        lambda text: text.replace('name="list_months"', 'name="list_months_old"', 1),
    )
    report, served = _both_ways(clean, path, monkeypatch, planned_runs)
    assert not served
    assert report.findings, "a renamed month list is reported"


def _with_formula(source: Path, target: Path, sheet: str, address: str, formula: str) -> Path:
    """A copy whose formula at ``address`` reads ``formula`` (no '='), its cached value kept."""
    with zipfile.ZipFile(source) as package:
        part = sheet_part(package, sheet)
        text = package.read(part).decode()
    pattern = re.compile(rf'(<c r="{address}"[^>]*><f[^>]*>)([^<]*)(</f>)')
    assert pattern.search(text), f"{address} has no formula"
    changed = pattern.sub(lambda found: found[1] + formula + found[3], text, count=1)
    return fill.edit_part(source, target, part, lambda _text: changed)


def _with_cell(source: Path, target: Path, sheet: str, row: int, formula: str, cached: int) -> Path:
    """A copy with a formula of the user's own in column A of a new 1-based ``row`` (below the template's)."""
    return _with_xml(source, target, sheet, row, f'<c r="A{row}"><f>{formula}</f><v>{cached}</v></c>')


def _with_xml(source: Path, target: Path, sheet: str, row: int, cell_xml: str) -> Path:
    """A copy with this ``<c>`` element alone in a new 1-based ``row`` (below the template's)."""
    with zipfile.ZipFile(source) as package:
        part = sheet_part(package, sheet)
    added = f'<row r="{row}">{cell_xml}</row>'

    def edit(text: str) -> str:
        later = next((m for m in re.finditer(r'<row r="([0-9]+)"', text) if int(m[1]) > row), None)
        at = later.start() if later is not None else text.index("</sheetData>")
        return text[:at] + added + text[at:]

    return fill.edit_part(source, target, part, edit)


def test_a_template_spelt_two_ways_keeps_a_plan_for_each(
    clean: Path, crm: Catalog, tmp_path: Path, planned_runs: list[bool]
) -> None:
    """The writer's file and LibreOffice's save of it have the same shape but spell formulas differently: a
    server validating both in turn keeps a plan for each instead of making one again for every file."""
    written = fill.build(tmp_path, "written.xlsx", crm, fill.valid_values(crm, 29, blank=0.0, zero=0.0))
    for path in (clean, clean, written, written, clean, written):
        validate(path, Options())
    # the clean file's second validation makes its plan, the writer's first makes another (its shape was
    # seen), and each later file is served by its own (one plan per shape would serve only the last)
    assert planned_runs == [True, True, True]
