"""Every hyperlink is followed: it lands on an existing sheet, inside its used area, and a link
that names a KPI lands on the row of the sheet that describes that KPI (not one above or below)."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from generator.catalog import Catalog
from generator.i18n import Texts
from generator.template.layout import Layout
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions


def links(book: openpyxl.Workbook) -> list[tuple[str, str, str, object]]:
    """(sheet, cell, location, shown text) of every hyperlink."""
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if c.hyperlink is not None:
                    found.append((sheet.title, c.coordinate, c.hyperlink.location or "", c.value))
    return found


def land(book: openpyxl.Workbook, location: str) -> tuple[str, int, int]:
    match = re.fullmatch(r"'((?:[^']|'')+)'!\$?([A-Z]+)\$?(\d+)", location)
    assert match, f"not an internal link: {location!r}"
    sheet = match[1].replace("''", "'")
    assert sheet in book.sheetnames, f"{location!r} names no sheet"
    return sheet, int(match[3]), column_index_from_string(match[2])


@pytest.mark.parametrize(("catalog_name", "locale"), [("crm", "en"), ("crm", "tr"), ("bsc", "en")])
def test_every_link_lands_where_it_says(request: pytest.FixtureRequest, catalog_name: str, locale: str) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    texts = Texts.for_build(catalog, locale, "USD")
    names = sheet_names(texts)
    layout = Layout.plan(catalog, names)
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(catalog, BuildOptions(locale=locale)).data))
    kpi_names = {texts.kpi(kpi).name: kpi_id for kpi_id, kpi in catalog.kpis.items()}
    found = links(book)
    to_definitions = 0
    for sheet, ref, location, shown in found:
        target, row, col = land(book, location)
        where = f"{sheet}!{ref} -> {location}"
        if shown in kpi_names:
            # A KPI's name links to its definition: that row of the Definitions sheet names the same KPI.
            assert target == names.definitions, where
            definition_row = [c.value for c in book[target][row]]
            assert shown in definition_row, f"{where}: lands on {definition_row[:4]}"
            assert catalog.kpis[kpi_names[shown]].number in definition_row, where
            to_definitions += 1
        else:
            # Navigation: the top of a sheet (the start page, a sheet from the start page, the inputs).
            assert (row, col) == (1, 1), where
            assert target != sheet, f"{where}: links to itself"
    assert to_definitions == len(catalog.kpis), "each KPI's name on the KPI sheet links to its definition"
    back = [link for link in found if link[2] == f"'{names.start}'!A1"]
    assert len(back) >= len(book.sheetnames) - 2, "every visible sheet but the start page links back to it"
    start_targets = {land(book, location)[0] for sheet, _, location, _ in found if sheet == names.start}
    visible = {ws.title for ws in book.worksheets if ws.sheet_state == "visible"} - {names.start}
    assert visible <= start_targets, "the start page links to every visible sheet"
    assert layout.sheets.inputs in {
        land(book, location)[0] for sheet, _, location, _ in found if sheet == names.dashboard
    }
