"""The colour each cell gets, worked out by evaluating the conditional-format rules read back from
the generated file with the engine, at boundary values: exactly on target, exactly at the
tolerance, just beyond it. Expected colours are the status rules of kpi-reference.md by hand.

Excel applies the rule of highest priority that holds; that is what ``colour`` does.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter, range_boundaries

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.engine import Spreadsheet
from generator.i18n import Texts
from generator.template.layout import (
    INPUT_GRID,
    KPI_GRID,
    KPI_STATUS_COL,
    SETTINGS_TOLERANCE_COL,
    SETTINGS_VALUE_COL,
    Layout,
)
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions
from generator.workbook.sheet_dashboard import plan_cards

GREEN, AMBER, RED = "FFC6EFCE", "FFFFEB9C", "FFFFC7CE"
GREEN_TEXT, RED_TEXT = "FF006100", "FF9C0006"


class Book:
    """A generated workbook read back: its cells in the engine, its rules by sheet."""

    def __init__(self, catalog: Catalog, locale: str = "en") -> None:
        data = build_workbook(catalog, BuildOptions(locale=locale)).data
        self.book = openpyxl.load_workbook(io.BytesIO(data))
        self.layout = Layout.plan(catalog, sheet_names(Texts.for_build(catalog, locale, "USD")))
        self.overrides: dict[tuple[str, int, int], Any] = {}

    def set(self, sheet: str, row: int, col: int, value: Any) -> None:
        """A value (0-based row and column) that replaces what the cell holds, formula or not."""
        self.overrides[(sheet, row, col)] = value

    def engine(self) -> Spreadsheet:
        engine = Spreadsheet(self.book.sheetnames, strict=True)
        for ws in self.book.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        engine.set_formula(ws.title, c.row - 1, c.column - 1, c.value)
                    elif c.value is not None:
                        engine.set_value(ws.title, c.row - 1, c.column - 1, c.value)
        for name in self.book.defined_names:
            engine.define_name(name, self.book.defined_names[name].attr_text)
        for (sheet, row, col), value in self.overrides.items():
            engine.set_value(sheet, row, col, value)
        return engine

    def colour(self, sheet: str, row: int, col: int, engine: Spreadsheet | None = None) -> tuple[str, str] | None:
        """(fill, font) of the first rule by priority that holds at this cell (0-based), or None."""
        engine = engine or self.engine()
        target = f"{get_column_letter(col + 1)}{row + 1}"
        rules = []
        for entry in self.book[sheet].conditional_formatting:
            for area in str(entry.sqref).split():
                low_col, low_row, high_col, high_row = range_boundaries(area)
                if low_row <= row + 1 <= high_row and low_col <= col + 1 <= high_col:
                    origin = f"{get_column_letter(low_col)}{low_row}"
                    rules += [(rule.priority, rule, origin) for rule in entry.rules]
        for _, rule, origin in sorted(rules, key=lambda item: item[0]):
            formula = Translator("=" + rule.formula[0], origin=origin).translate_formula(target)
            result = engine.evaluate(sheet, formula)
            if result is True or (isinstance(result, int | float) and not isinstance(result, bool) and result != 0):
                fill = rule.dxf.fill.bgColor.rgb if rule.dxf.fill is not None else "-"
                font = rule.dxf.font.color.rgb if rule.dxf.font is not None and rule.dxf.font.color else "-"
                return (fill if fill != "00000000" else "-", font)
        return None


def fill_of(found: tuple[str, str] | None) -> str | None:
    return None if found is None else found[0]


def settings_target(book: Book, kpi_id: str, target: float, tolerance: float) -> None:
    row = book.layout.target_rows[kpi_id]
    book.set(book.layout.sheets.settings, row, SETTINGS_VALUE_COL, target)
    book.set(book.layout.sheets.settings, row, SETTINGS_TOLERANCE_COL, tolerance)


# (KPI, better, target, tolerance) from the catalogue: a higher-is-better rate, a lower-is-better cost.
@pytest.mark.parametrize(
    ("kpi_id", "target", "tolerance", "higher"),
    [("email_ctr", 0.025, 0.1, True), ("customer_acquisition_cost", 350.0, 0.1, False)],
)
def test_kpi_months_are_coloured_at_the_boundaries(
    crm: Catalog, kpi_id: str, target: float, tolerance: float, higher: bool
) -> None:
    book = Book(crm)
    settings_target(book, kpi_id, target, tolerance)
    edge = target - tolerance * abs(target) if higher else target + tolerance * abs(target)
    step = 1e-9 * abs(target)
    worse = -1 if higher else 1
    cases = {
        0: (target, GREEN),  # exactly on target
        1: (target - worse * step, GREEN),  # better than the target
        2: (target + worse * step, AMBER),  # just short of the target
        3: (edge, AMBER),  # exactly at the tolerance
        4: (edge + worse * step, RED),  # just beyond it
        5: (None, None),  # no value: no colour
    }
    row = book.layout.kpi_rows[kpi_id]
    sheet = book.layout.sheets.kpis
    for month, (value, _) in cases.items():
        book.set(sheet, row, KPI_GRID.month(month), value if value is not None else "")
    engine = book.engine()
    for month, (value, colour) in cases.items():
        assert fill_of(book.colour(sheet, row, KPI_GRID.month(month), engine)) == colour, (kpi_id, month, value)


@pytest.mark.parametrize(("kpi_id", "target", "higher"), [("new_leads", 400.0, True), ("complaints", 20.0, False)])
def test_quarters_and_the_year_are_judged_against_scaled_targets(
    crm: Catalog, kpi_id: str, target: float, higher: bool
) -> None:
    """A count's quarter with three months of data is judged against three times the monthly
    target; its year with five months against five times (kpi-reference, period targets)."""
    book = Book(crm)
    settings_target(book, kpi_id, target, 0.1)
    row = book.layout.kpi_rows[kpi_id]
    sheet = book.layout.sheets.kpis
    for month in range(12):
        book.set(sheet, row, KPI_GRID.month(month), target if month < 5 else "")
    # Q1: 3 months with data, target 3x; at 2.5x it is off track whichever way is better.
    q1 = 3 * target * (0.95 if higher else 1.05)  # within 10% of 3x: at risk
    q2 = 2 * target  # Q2 has 2 months with data (April, May): exactly on its target
    ytd = 5 * target * (0.8 if higher else 1.2)  # 20% off 5x: off track
    book.set(sheet, row, KPI_GRID.quarter(0), q1)
    book.set(sheet, row, KPI_GRID.quarter(1), q2)
    book.set(sheet, row, KPI_GRID.ytd, ytd)
    engine = book.engine()
    assert fill_of(book.colour(sheet, row, KPI_GRID.quarter(0), engine)) == AMBER
    assert fill_of(book.colour(sheet, row, KPI_GRID.quarter(1), engine)) == GREEN
    assert fill_of(book.colour(sheet, row, KPI_GRID.ytd, engine)) == RED


def test_status_column_colours(crm: Catalog) -> None:
    book = Book(crm)
    sheet = book.layout.sheets.kpis
    rows = list(book.layout.kpi_rows.values())[:4]
    for row, value in zip(rows, [1, 0, -1, ""], strict=True):
        book.set(sheet, row, KPI_STATUS_COL, value)
    engine = book.engine()
    found = [fill_of(book.colour(sheet, row, KPI_STATUS_COL, engine)) for row in rows]
    assert found == [GREEN, AMBER, RED, None]


@pytest.mark.parametrize(("kpi_id", "higher"), [("email_ctr", True), ("customer_acquisition_cost", False)])
def test_dashboard_change_is_green_when_better_and_red_when_worse(crm: Catalog, kpi_id: str, higher: bool) -> None:
    book = Book(crm)
    groups, _ = plan_cards(crm)
    top, left = next(g.cards[kpi_id] for g in groups if kpi_id in g.cards)
    sheet = book.layout.sheets.dashboard
    up, down = (GREEN_TEXT, RED_TEXT) if higher else (RED_TEXT, GREEN_TEXT)
    for down_rows in (3, 4):  # vs previous month, vs prior year
        found = {}
        for change in (1.0, -1.0, 0.0, ""):
            book.set(sheet, top + down_rows, left + 1, change)
            colour = book.colour(sheet, top + down_rows, left + 1)
            found[change] = None if colour is None else colour[1]
        assert found == {1.0: up, -1.0: down, 0.0: None, "": None}, down_rows


def test_dashboard_status_colours(crm: Catalog) -> None:
    book = Book(crm)
    groups, _ = plan_cards(crm)
    top, left = groups[0].cards["email_ctr"]
    sheet = book.layout.sheets.dashboard
    found = []
    for status in (1, 0, -1, ""):
        book.set(sheet, top + 6, left, status)
        found.append(fill_of(book.colour(sheet, top + 6, left)))
    assert found == [GREEN, AMBER, RED, None]


@pytest.mark.parametrize(
    ("clicks", "sent", "colour"),
    [(120.0, 100.0, RED), (100.0, 100.0, None), (99.0, 100.0, None), (120.0, "", None)],
)
def test_inputs_that_break_a_rule_turn_red(crm: Catalog, clicks: float, sent: Any, colour: str | None) -> None:
    """email_unique_clicks <= emails_sent (an error): March's clicks turn red only when both are typed and it breaks."""
    book = Book(crm)
    sheet = book.layout.sheets.inputs
    book.set(sheet, book.layout.input_rows["email_unique_clicks"], INPUT_GRID.month(2), clicks)
    book.set(sheet, book.layout.input_rows["emails_sent"], INPUT_GRID.month(2), sent)
    assert fill_of(book.colour(sheet, book.layout.input_rows["email_unique_clicks"], INPUT_GRID.month(2))) == colour


def test_a_broken_warning_rule_turns_amber(crm: Catalog) -> None:
    """customers_end == customers_start + new_customers - customers_lost is a warning."""
    book = Book(crm)
    sheet = book.layout.sheets.inputs
    rows = book.layout.input_rows
    for input_id, value in {"customers_start": 100, "new_customers": 10, "customers_lost": 5}.items():
        book.set(sheet, rows[input_id], INPUT_GRID.month(0), value)
    book.set(sheet, rows["customers_end"], INPUT_GRID.month(0), 104)
    assert fill_of(book.colour(sheet, rows["customers_end"], INPUT_GRID.month(0))) == AMBER
    book.set(sheet, rows["customers_end"], INPUT_GRID.month(0), 105)
    assert fill_of(book.colour(sheet, rows["customers_end"], INPUT_GRID.month(0))) is None


def test_empty_status_cells_stay_plain(crm: Catalog) -> None:
    """A status with no data (the formula's "" in a fresh workbook) and a status cell a user cleared
    (blank, which equals 0 to Excel: without ISNUMBER it would turn amber) get no colour at all."""
    book = Book(crm)
    sheet = book.layout.sheets.kpis
    rows = [row for kpi_id, row in book.layout.kpi_rows.items() if crm.kpis[kpi_id].better is not Better.INFO]
    engine = book.engine()
    assert {engine.value(sheet, row, KPI_STATUS_COL) for row in rows} == {""}, "a fresh workbook: no status"
    assert {fill_of(book.colour(sheet, row, KPI_STATUS_COL, engine)) for row in rows} == {None}
    book.set(sheet, rows[0], KPI_STATUS_COL, None)
    assert fill_of(book.colour(sheet, rows[0], KPI_STATUS_COL)) is None
