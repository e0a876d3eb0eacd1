"""A row's formulas kept per process (``sheet_formulas._kept``) are the ones its layout asks for.

Expected texts are spelt by hand from the layout's rows (the CRM catalogue's first KPI, email
campaigns, is its first input: row 7 of the Inputs sheet, row 7 of the KPI sheet).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.catalog import Catalog
from generator.engine.kept import Kept
from generator.template import sheet_formulas
from generator.template.layout import Layout, SheetNames
from generator.template.sheet_formulas import change_formulas, input_period_formulas, kpi_formulas

NAMES = SheetNames("Start", "Settings", "Inputs", "KPIs", "Dashboard", "Definitions", "Scorecard", "Chart data")


@pytest.fixture(autouse=True)
def _fresh_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_formulas, "_KEPT", Kept(4_096))


def test_kept_rows_follow_the_rows_and_sheets_they_read(crm: Catalog) -> None:
    layout = Layout.plan(crm, NAMES)
    first = kpi_formulas(crm, layout, "email_campaigns")
    assert first[4] == "=IF(COUNT('Inputs'!D7)<1,\"\",'Inputs'!D7)"
    moved = replace(layout, input_rows={**layout.input_rows, "email_campaigns": 40})
    assert kpi_formulas(crm, moved, "email_campaigns")[4] == "=IF(COUNT('Inputs'!D41)<1,\"\",'Inputs'!D41)"
    renamed = replace(layout, sheets=replace(NAMES, inputs="Girdiler"))
    assert kpi_formulas(crm, renamed, "email_campaigns")[20] == "=IF(COUNT('Girdiler'!T7)<1,\"\",'Girdiler'!T7)"
    assert kpi_formulas(crm, layout, "email_campaigns") == first
    assert input_period_formulas(crm, moved, "email_campaigns")[19] == '=IF(COUNT(D41:O41)=0,"",SUM(D41:O41))'
    assert input_period_formulas(crm, layout, "email_campaigns")[15] == '=IF(COUNT(D7:F7)=0,"",SUM(D7:F7))'
    guarded = change_formulas(crm, layout, "email_campaigns")[4]
    assert guarded == (
        "=IF(AND(ISNUMBER('KPIs'!E7),ISNUMBER(E7)),IF(E7=0,\"\","
        "IF(ABS(('KPIs'!E7-E7)/ABS(E7))<0.0005,0,('KPIs'!E7-E7)/ABS(E7))),\"\")"
    )
    unguarded = change_formulas(crm, layout, "email_campaigns", guarded=False)[4]
    assert unguarded == "=IF(AND(ISNUMBER('KPIs'!E7),ISNUMBER(E7)),IF(E7=0,\"\",('KPIs'!E7-E7)/ABS(E7)),\"\")"


def test_a_caller_changing_its_row_changes_no_other(crm: Catalog) -> None:
    layout = Layout.plan(crm, NAMES)
    mine = kpi_formulas(crm, layout, "email_campaigns")
    mine[4] = "=0"
    mine.clear()
    assert kpi_formulas(crm, layout, "email_campaigns")[4] == "=IF(COUNT('Inputs'!D7)<1,\"\",'Inputs'!D7)"


def test_the_kept_table_stays_bounded(crm: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_formulas._KEPT, "most", 5)
    layout = Layout.plan(crm, NAMES)
    for kpi_id in crm.kpis:
        kpi_formulas(crm, layout, kpi_id)
        assert len(sheet_formulas._KEPT) <= 5
