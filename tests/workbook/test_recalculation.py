"""Generated workbooks recalculated by LibreOffice agree with the Python evaluation, cell by cell.

The private profile makes LibreOffice recalculate on load, whatever values the file carries, so
every number read back here was computed by LibreOffice from the formulas; the expected numbers
come from the catalogue's formulas evaluated in Python over the same inputs.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.catalog.model import Better, Unit
from generator.recalc import LibreOffice
from generator.template.layout import HEADER_ROW, INPUT_GRID, KPI_GRID, KPI_LATEST_COL, KPI_STATUS_COL, Layout
from generator.template.periods import PERIODS, input_periods, kpi_status, kpi_values, latest
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions
from generator.workbook.sample import read_sample

Values = dict[str, list[float | None]]


def random_values(catalog: Catalog, seed: int) -> Values:
    """Inputs with blanks, zeros, negatives, fractions and very large numbers mixed in."""
    rng = random.Random(seed)
    values: Values = {}
    for input_id in catalog.inputs:
        row: list[float | None] = []
        for _ in range(12):
            roll = rng.random()
            if roll < 0.15:
                row.append(None)
            elif roll < 0.25:
                row.append(0.0)
            elif roll < 0.30:
                row.append(float(rng.randint(10**8, 10**11)))
            elif roll < 0.35:
                row.append(-float(rng.randint(1, 500)))
            elif roll < 0.55:
                row.append(round(rng.uniform(0, 1), 4))
            else:
                row.append(float(rng.randint(1, 5000)))
        values[input_id] = row
    return values


def blank(value: object) -> bool:
    return value is None or value == ""


def assert_same(actual: object, expected: float | None, where: str) -> None:
    if expected is None:
        assert blank(actual), f"{where}: expected blank, LibreOffice has {actual!r}"
        return
    assert isinstance(actual, int | float) and not isinstance(actual, bool), (
        f"{where}: expected {expected!r}, LibreOffice has {actual!r}"
    )
    assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9), f"{where}: {actual!r} != {expected!r}"


def check_workbook(path: Path, catalog: Catalog, values: Values, locale: str = "en") -> int:
    """Compare every input aggregate, KPI period value and status; return the cells compared."""
    from generator.i18n import Texts

    texts = Texts.for_build(catalog, locale, "USD")
    layout = Layout.plan(catalog, sheet_names(texts))
    book = openpyxl.load_workbook(path, data_only=True)
    inputs, kpis = book[layout.sheets.inputs], book[layout.sheets.kpis]
    compared = 0
    for input_id, row in input_periods(catalog, values).items():
        r = layout.input_rows[input_id] + 1
        for q in range(5):
            col = INPUT_GRID.quarter(0) + q + 1
            assert_same(inputs.cell(r, col).value, row[12 + q], f"{input_id} period {q}")
            compared += 1
    expected = kpi_values(catalog, values)
    for kpi_id, row in expected.items():
        r = layout.kpi_rows[kpi_id] + 1
        for p in range(PERIODS):
            col = (KPI_GRID.month(p) if p < 12 else KPI_GRID.quarter(0) + p - 12) + 1
            assert_same(kpis.cell(r, col).value, row[p], f"{kpi_id} column {p}")
            compared += 1
        assert_same(kpis.cell(r, KPI_LATEST_COL + 1).value, latest(row), f"{kpi_id} latest month")
        compared += 1
        kpi = catalog.kpis[kpi_id]
        if kpi.better is not Better.INFO:
            status = kpi_status(catalog, kpi_id, row, catalog.target(kpi, "USD"), catalog.tolerance(kpi))
            actual = kpis.cell(r, KPI_STATUS_COL + 1).value
            assert (None if blank(actual) else actual) == status, f"{kpi_id} status {actual!r} != {status!r}"
            compared += 1
    return compared


def write(tmp_path: Path, name: str, catalog: Catalog, values: Values | None, **options: object) -> Path:
    result = build_workbook(catalog, BuildOptions(**options), values)  # type: ignore[arg-type]
    path = tmp_path / name
    path.write_bytes(result.data)
    return path


@pytest.fixture(scope="module")
def recalculated(crm: Catalog, bsc: Catalog, libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory):
    """Every scenario built, then recalculated in one LibreOffice run."""
    source = tmp_path_factory.mktemp("built")
    scenarios: dict[str, tuple[Catalog, Values, str]] = {
        "sample": (crm, read_sample(crm), "en"),
        "empty": (crm, {}, "en"),
        "random1": (crm, random_values(crm, 1), "en"),
        "random2": (crm, random_values(crm, 2), "en"),
        "random3": (crm, random_values(crm, 3), "en"),
        "bsc": (bsc, random_values(bsc, 4), "en"),
    }
    first_months = {"random2": 5, "random3": 12}
    paths = [
        write(source, f"{name}.xlsx", catalog, values, locale=locale, first_month=first_months.get(name, 1))
        for name, (catalog, values, locale) in scenarios.items()
    ]
    out = libreoffice.recalculate(paths, tmp_path_factory.mktemp("recalculated"))
    return {name: (path, *scenario) for (name, scenario), path in zip(scenarios.items(), out, strict=True)}


@pytest.mark.parametrize("scenario", ["sample", "empty", "random1", "random2", "random3", "bsc"])
def test_libreoffice_agrees_with_python(recalculated, scenario: str) -> None:
    path, catalog, values, locale = recalculated[scenario]
    compared = check_workbook(path, catalog, values, locale)
    assert compared >= len(catalog.kpis) * PERIODS


def test_sample_year_shows_every_status(recalculated, crm: Catalog) -> None:
    """The demo data must make the dashboard look alive: all three statuses appear."""
    _, catalog, values, _ = recalculated["sample"]
    statuses = {
        kpi_status(catalog, k, row, catalog.target(catalog.kpis[k], "USD"), catalog.tolerance(catalog.kpis[k]))
        for k, row in kpi_values(catalog, values).items()
    }
    assert {1, 0, -1} <= statuses


def test_month_labels_follow_first_month(recalculated) -> None:
    """random2 starts in May (first_month=5): labels run from May of this year to April of the next."""
    path, catalog, _, locale = recalculated["random2"]
    from generator.i18n import Texts, month_names

    layout = Layout.plan(catalog, sheet_names(Texts.for_build(catalog, locale, "USD")))
    sheet = openpyxl.load_workbook(path, data_only=True)[layout.sheets.inputs]
    labels = [sheet.cell(HEADER_ROW + 1, INPUT_GRID.month(m) + 1).value for m in range(12)]
    short = month_names(locale, "abbreviated")
    assert labels[0] == f"{short[4]} 2026"
    assert labels[-1] == f"{short[3]} 2027"


@pytest.mark.parametrize("scenario", ["sample", "random1", "random3", "bsc"])
def test_dashboard_cards_show_the_latest_month(recalculated, scenario: str) -> None:
    """With the selector left empty, every card shows the last month with any input: its value,
    target, change on the month before, year to date and status, as the catalogue computes them."""
    from generator.i18n import Texts
    from generator.template.periods import status
    from generator.workbook.sheet_dashboard import INDEX_CELL, plan_cards

    path, catalog, values, locale = recalculated[scenario]
    layout = Layout.plan(catalog, sheet_names(Texts.for_build(catalog, locale, "USD")))
    sheet = openpyxl.load_workbook(path, data_only=True)[layout.sheets.dashboard]
    months_with_data = [m + 1 for m in range(12) if any(row[m] is not None for row in values.values())]
    index = max(months_with_data, default=1)
    assert sheet[INDEX_CELL.replace("$", "")].value == index
    expected = kpi_values(catalog, values)
    groups, _ = plan_cards(catalog)
    cards = {kpi_id: place for group in groups for kpi_id, place in group.cards.items()}
    assert set(cards) == set(catalog.kpis)
    for kpi_id, (top, left) in cards.items():
        kpi, row = catalog.kpis[kpi_id], expected[kpi_id]
        value, previous = row[index - 1], row[index - 2] if index > 1 else None

        def at(r: int, c: int, top: int = top, left: int = left) -> object:
            """A cell of this card: r rows below its title, c columns right of its left edge."""
            return sheet.cell(top + r + 1, left + c + 1).value

        assert_same(at(1, 0), value, f"{kpi_id} card value")
        change = value - previous if value is not None and previous is not None else None
        places = kpi.decimals + (2 if kpi.unit in (Unit.PERCENT, Unit.RATIO) else 0)  # percent: of 100
        if change is not None and abs(change) < 0.5 / 10**places:
            change = 0.0  # too small to show: 0, never "-0" (USD shows 2 decimals, as every KPI asks)
        assert_same(at(3, 1), change, f"{kpi_id} card change")
        assert_same(at(5, 1), row[PERIODS - 1], f"{kpi_id} card year to date")
        if kpi.better is Better.INFO:
            continue
        assert_same(at(2, 1), catalog.target(kpi, "USD"), f"{kpi_id} card target")
        shown = at(6, 0)
        wanted = status(
            value, catalog.target(kpi, "USD"), catalog.tolerance(kpi), kpi.better, points=catalog.points(kpi.id)
        )
        assert (None if blank(shown) else shown) == wanted


def test_scorecard_rows_follow_the_goals(recalculated) -> None:
    """Each goal's KPIs in order, with the latest month, target, status and year to date."""
    from generator.i18n import Texts
    from generator.workbook.sheet_scorecard import HEADER

    path, catalog, values, locale = recalculated["bsc"]
    layout = Layout.plan(catalog, sheet_names(Texts.for_build(catalog, locale, "USD")))
    sheet = openpyxl.load_workbook(path, data_only=True)[layout.sheets.scorecard]
    expected = kpi_values(catalog, values)
    row = HEADER + 2
    assert len(catalog.scorecard) == 6
    for goal in catalog.scorecard:
        for kpi_id in goal.kpis:
            kpi, values_row = catalog.kpis[kpi_id], expected[kpi_id]
            assert sheet.cell(row, 4).value == Texts.for_build(catalog, locale, "USD").kpi(kpi).name
            assert_same(sheet.cell(row, 5).value, latest(values_row), f"{kpi_id} latest")
            assert_same(sheet.cell(row, 6).value, catalog.target(kpi, "USD"), f"{kpi_id} target")
            assert_same(sheet.cell(row, 8).value, values_row[PERIODS - 1], f"{kpi_id} year to date")
            status = kpi_status(catalog, kpi_id, values_row, catalog.target(kpi, "USD"), catalog.tolerance(kpi))
            shown = sheet.cell(row, 7).value
            assert (None if blank(shown) else shown) == status, kpi_id
            row += 1


def test_a_chosen_month_and_changed_settings_drive_the_labels_and_cards(
    crm: Catalog, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    """As a user would: pick March in the selector, move the fiscal year to start in July 2025."""
    from generator.i18n import Texts
    from generator.workbook.sheet_dashboard import INDEX_CELL, SELECTOR_ROW, plan_cards

    values = read_sample(crm)
    built = write(tmp_path, "chosen.xlsx", crm, values)
    layout = Layout.plan(crm, sheet_names(Texts.for_build(crm, "en", "USD")))
    book = openpyxl.load_workbook(built)
    book[layout.sheets.settings].cell(layout.settings_rows["year"] + 1, 4).value = 2025
    book[layout.sheets.settings].cell(layout.settings_rows["first_month"] + 1, 4).value = "July"
    book[layout.sheets.dashboard].cell(SELECTOR_ROW + 1, 4).value = "Sep 2025"  # the 3rd month from July
    edited = tmp_path / "edited" / "chosen.xlsx"
    edited.parent.mkdir()
    book.save(edited)
    out = libreoffice.recalculate([edited], tmp_path / "out")[0]
    result = openpyxl.load_workbook(out, data_only=True)
    labels = [result[layout.sheets.inputs].cell(HEADER_ROW + 1, INPUT_GRID.month(m) + 1).value for m in range(12)]
    assert labels[0] == "Jul 2025" and labels[5] == "Dec 2025" and labels[6] == "Jan 2026" and labels[11] == "Jun 2026"
    dashboard = result[layout.sheets.dashboard]
    assert dashboard[INDEX_CELL.replace("$", "")].value == 3
    groups, _ = plan_cards(crm)
    top, left = groups[0].cards["email_ctr"]
    assert_same(dashboard.cell(top + 2, left + 1).value, kpi_values(crm, values)["email_ctr"][2], "card in September")
