"""The prior year in every workbook: its inputs, its KPIs and the change against it.

Expected values come from ``generator.template.periods`` (the Python rules of kpi-reference,
not the workbook's formulas) over the prior year's inputs, and the change from the issue's rule
worked by hand here: points (a difference) for percentages, a relative change otherwise.
LibreOffice recalculates every cell of workbooks with both years filled.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.catalog.model import Unit
from generator.formula.reference import parse_target
from generator.i18n import Texts
from generator.recalc import LibreOffice
from generator.template.layout import KPI_GRID, MONTHS, Layout
from generator.template.periods import PERIODS, kpi_values
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions
from tests.workbook.test_cached_values import agree
from tests.workbook.test_recalculation import assert_same, random_values

Values = dict[str, list[float | None]]


def hand_change(unit: Unit, now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    if unit in (Unit.PERCENT, Unit.RATIO):
        return now - before
    return None if before == 0 else (now - before) / abs(before)


@pytest.fixture(scope="module")
def both_years(
    crm: Catalog, bsc: Catalog, libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, Path, Catalog, Values, Values, str]]:
    folder = tmp_path_factory.mktemp("prior")
    scenarios = {"crm-en-1": (crm, "en", 1, 11), "crm-tr-5": (crm, "tr", 5, 12), "bsc-en-12": (bsc, "en", 12, 13)}
    built: dict[str, tuple[Path, Catalog, Values, Values, str]] = {}
    for name, (catalog, locale, first, seed) in scenarios.items():
        values, prior = random_values(catalog, seed), random_values(catalog, seed + 100)
        options = BuildOptions(locale=locale, first_month=first)
        path = folder / f"{name}.xlsx"
        path.write_bytes(build_workbook(catalog, options, values, prior_values=prior).data)
        built[name] = (path, catalog, values, prior, locale)
    out = libreoffice.recalculate([b[0] for b in built.values()], folder / "recalculated")
    return {name: (b[0], lo, *b[1:]) for (name, b), lo in zip(built.items(), out, strict=True)}


@pytest.mark.parametrize("name", ["crm-en-1", "crm-tr-5", "bsc-en-12"])
def test_prior_year_names_cover_twelve_months_of_every_input_and_kpi(both_years, name: str) -> None:
    path, _lo, catalog, _values, prior, _locale = both_years[name]
    book = openpyxl.load_workbook(path)
    names = {n: book.defined_names[n].attr_text for n in book.defined_names}
    assert {n[6:] for n in names if n.startswith("py_in_")} == set(catalog.inputs)
    assert {n[7:] for n in names if n.startswith("py_kpi_")} == set(catalog.kpis)
    data = openpyxl.load_workbook(path, data_only=True)
    for input_id, row in prior.items():
        area = parse_target(names[f"py_in_{input_id}"])
        assert area is not None and len(area.cells()) == MONTHS
        typed = [data[area.sheet.replace("''", "'")].cell(r + 1, c + 1).value for r, c in area.cells()]
        assert typed == row, input_id


@pytest.mark.parametrize("name", ["crm-en-1", "crm-tr-5", "bsc-en-12"])
def test_libreoffice_computes_the_prior_year_and_the_change(both_years, name: str) -> None:
    _path, recalculated, catalog, values, prior, locale = both_years[name]
    layout = Layout.plan(catalog, sheet_names(Texts.for_build(catalog, locale, "USD")))
    sheet = openpyxl.load_workbook(recalculated, data_only=True)[layout.sheets.prior_kpis]
    now, before = kpi_values(catalog, values), kpi_values(catalog, prior)
    columns = [KPI_GRID.month(m) for m in range(MONTHS)] + [KPI_GRID.quarter(q) for q in range(4)] + [KPI_GRID.ytd]
    compared = 0
    for kpi_id in catalog.kpis:
        unit = catalog.kpis[kpi_id].unit
        for p, col in enumerate(columns):
            shown = sheet.cell(layout.py_kpi_rows[kpi_id] + 1, col + 1).value
            assert_same(shown, before[kpi_id][p], f"{kpi_id} prior year, period {p}")
            change = hand_change(unit, now[kpi_id][p], before[kpi_id][p])
            if change is not None and not math.isfinite(change):
                change = None
            assert_same(sheet.cell(layout.change_rows[kpi_id] + 1, col + 1).value, change, f"{kpi_id} change {p}")
            compared += 2
    assert compared == len(catalog.kpis) * PERIODS * 2


def test_every_cached_value_agrees_with_libreoffice_with_both_years_filled(both_years) -> None:
    for name, (path, recalculated, *_rest) in both_years.items():
        formulas = openpyxl.load_workbook(path)
        ours = openpyxl.load_workbook(path, data_only=True)
        theirs = openpyxl.load_workbook(recalculated, data_only=True)
        compared, differ = 0, []
        prior_sheets = 0
        for ws in formulas.worksheets:
            cells: list[Any] = [c for row in ws.iter_rows() for c in row]
            found = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
            for c in found:
                mine, office = ours[ws.title][c.coordinate].value, theirs[ws.title][c.coordinate].value
                if not agree(mine, office):
                    differ.append(f"{ws.title}!{c.coordinate}: {mine!r} != {office!r}")
            compared += len(found)
            prior_sheets += len(found) if formulas.worksheets.index(ws) in (5, 6) else 0
        assert differ == [], f"{name}: {len(differ)} of {compared} differ: {differ[:5]}"
        assert prior_sheets > 400, name
