"""The prior year in every workbook: its inputs, its KPIs, the change against it, the Dashboard cards'
"vs prior year" and the charts' prior-year series.

Expected values come from ``generator.template.periods`` (the Python rules of kpi-reference,
not the workbook's formulas) over the prior year's inputs, and the change from the issue's rule
worked by hand here: points (a difference) for percentages, a relative change otherwise;
a change too small for the last decimal shown is 0 (cards and sheet alike). LibreOffice recalculates every cell of
workbooks with both years filled, and of one whose prior year is empty.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.catalog.model import Kpi, Unit
from generator.formula.reference import parse_target
from generator.i18n import Texts
from generator.recalc import LibreOffice
from generator.template.dashboard_formulas import INDEX_CELL, card_cell, plan_cards
from generator.template.layout import KPI_GRID, MONTHS, Layout
from generator.template.periods import PERIODS, kpi_values
from generator.template.sheet_formulas import change_formula
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions
from tests.engine.one_sheet import run
from tests.workbook.test_cached_values import agree
from tests.workbook.test_recalculation import assert_same, random_values

Values = dict[str, list[float | None]]


def hand_change(unit: Unit, now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    if unit in (Unit.PERCENT, Unit.RATIO):
        return now - before
    return None if before == 0 else (now - before) / abs(before)


def hand_shown_change(kpi: Kpi, now: float | None, before: float | None, point_decimals: int) -> float | None:
    """The change as shown: 0 when under half a unit of the last decimal shown (``point_decimals`` of a
    percentage in points, one decimal of a percent for a relative change), so it never reads "-0.0"."""
    change = hand_change(kpi.unit, now, before)
    if change is None or not math.isfinite(change):
        return None
    points = kpi.unit in (Unit.PERCENT, Unit.RATIO)
    half = 0.5 / 10 ** (point_decimals + 2) if points else 0.0005
    return 0.0 if abs(change) < half else change


def hand_card_change(kpi: Kpi, now: float | None, before: float | None) -> float | None:
    """A card's "vs prior year": a percentage's own decimals in points."""
    return hand_shown_change(kpi, now, before, kpi.decimals)


def hand_sheet_change(kpi: Kpi, now: float | None, before: float | None) -> float | None:
    """The Prior-year KPIs sheet's change: points shown with at least one decimal (+0.4 points)."""
    return hand_shown_change(kpi, now, before, max(kpi.decimals, 1))


@pytest.fixture(scope="module")
def both_years(
    crm: Catalog, bsc: Catalog, libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, Path, Catalog, Values, Values, str]]:
    folder = tmp_path_factory.mktemp("prior")
    scenarios = {
        "crm-en-1": (crm, "en", 1, 11),
        "crm-tr-5": (crm, "tr", 5, 12),
        "bsc-en-12": (bsc, "en", 12, 13),
        "crm-en-3-no-prior": (crm, "en", 3, 14),
    }
    built: dict[str, tuple[Path, Catalog, Values, Values, str]] = {}
    for name, (catalog, locale, first, seed) in scenarios.items():
        values, prior = random_values(catalog, seed), random_values(catalog, seed + 100)
        if name.endswith("no-prior"):
            prior = {input_id: [None] * MONTHS for input_id in catalog.inputs}
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
        kpi = catalog.kpis[kpi_id]
        for p, col in enumerate(columns):
            shown = sheet.cell(layout.py_kpi_rows[kpi_id] + 1, col + 1).value
            assert_same(shown, before[kpi_id][p], f"{kpi_id} prior year, period {p}")
            change = hand_sheet_change(kpi, now[kpi_id][p], before[kpi_id][p])
            assert_same(sheet.cell(layout.change_rows[kpi_id] + 1, col + 1).value, change, f"{kpi_id} change {p}")
            compared += 2
    assert compared == len(catalog.kpis) * PERIODS * 2


def test_every_cached_value_agrees_with_libreoffice_with_both_years_filled(both_years) -> None:
    for name, (path, recalculated, catalog, *_rest) in both_years.items():
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
        dashboard = formulas.worksheets[4]
        cards = [c for row in dashboard.iter_rows() for c in row if "INDEX(py_kpi_" in str(c.value)]
        assert len(cards) == len(catalog.kpis), name  # every card's "vs prior year" was among those compared
        chart_data = formulas.worksheets[-1]
        rows = {
            row + 1
            for row in Layout.plan(catalog, sheet_names(Texts.for_build(catalog, "en", "USD"))).py_chart_rows.values()
        }
        series = [c for r in rows for c in chart_data[r] if str(c.value).startswith("=IF(ISNUMBER(")]
        assert len(series) == len(catalog.kpis) * MONTHS, name  # and the charts' prior-year rows


def card_index(values: Values) -> int:
    """The month the cards show with the selector empty: the last with any input, else the first."""
    return max((m + 1 for m in range(MONTHS) if any(row[m] is not None for row in values.values())), default=1)


@pytest.mark.parametrize("name", ["crm-en-1", "crm-tr-5", "bsc-en-12", "crm-en-3-no-prior"])
def test_cards_show_the_change_against_the_same_month_of_the_prior_year(both_years, name: str) -> None:
    """Worked by hand from the two years' KPI values (``periods``), read from LibreOffice's recalculation:
    blank where either year has no value (all of them when the prior year is empty)."""
    _path, recalculated, catalog, values, prior, locale = both_years[name]
    layout = Layout.plan(catalog, sheet_names(Texts.for_build(catalog, locale, "USD")))
    sheet = openpyxl.load_workbook(recalculated, data_only=True)[layout.sheets.dashboard]
    index = card_index(values)
    assert sheet[INDEX_CELL.replace("$", "")].value == index
    now, before = kpi_values(catalog, values), kpi_values(catalog, prior)
    groups, _end = plan_cards(catalog)
    shown = 0
    for group in groups:
        for kpi_id, (top, left) in group.cards.items():
            row, col = card_cell(top, left, "prior")
            assert sheet.cell(row + 1, col).value == ("önceki yıla göre" if locale == "tr" else "vs prior year")
            wanted = hand_card_change(catalog.kpis[kpi_id], now[kpi_id][index - 1], before[kpi_id][index - 1])
            assert_same(sheet.cell(row + 1, col + 1).value, wanted, f"{kpi_id} vs prior year, month {index}")
            shown += wanted is not None
    if name.endswith("no-prior"):
        assert shown == 0
    else:
        assert shown >= len(catalog.kpis) // 3, "too few cards with both years to test anything"


@pytest.mark.parametrize("name", ["crm-en-1", "bsc-en-12", "crm-en-3-no-prior"])
def test_charts_prior_year_rows_hold_the_prior_year_or_na(both_years, name: str) -> None:
    """Each KPI's prior-year chart row: its prior-year month values, #N/A where blank, so an empty prior
    year draws no columns at all (never a row of zeros)."""
    _path, recalculated, catalog, _values, prior, locale = both_years[name]
    layout = Layout.plan(catalog, sheet_names(Texts.for_build(catalog, locale, "USD")))
    sheet = openpyxl.load_workbook(recalculated, data_only=True)[layout.sheets.chart_data]
    before = kpi_values(catalog, prior)
    for kpi_id, row in layout.py_chart_rows.items():
        for m in range(MONTHS):
            got, wanted = sheet.cell(row + 1, m + 2).value, before[kpi_id][m]
            if wanted is None or not math.isfinite(wanted):
                assert got == "#N/A", (kpi_id, m, got)
            else:
                assert_same(got, wanted, f"{kpi_id} prior year in the chart, month {m + 1}")


@pytest.mark.parametrize(
    ("unit", "now", "before", "wanted"),
    [
        (Unit.PERCENT, 0.12340, 0.12344, 0.0),  # -0.004 points: shows 0.0, never "-0.0"
        (Unit.PERCENT, 0.12340, 0.12400, -0.0006),  # -0.06 points shows -0.1
        (Unit.COUNT, 1000.0, 1000.4, 0.0),  # -0.04% shows 0.0%
        (Unit.COUNT, 1000.0, 1001.0, -1 / 1001),  # -0.1%
        (Unit.COUNT, 5.0, 0.0, ""),  # no base to compare with
    ],
)
def test_a_change_too_small_to_show_is_zero_on_the_sheet(unit: Unit, now: float, before: float, wanted: object) -> None:
    formula = change_formula(unit, "A1", "B1", 0.5 / 10 ** (1 + 2))  # one decimal of a percent shown
    got = run(formula.removeprefix("="), A1=now, B1=before)
    assert got == pytest.approx(wanted) if isinstance(wanted, float) else got == wanted
