"""A workbook of a selection says so where the catalogue's description would promise all its KPIs.

The CRM description begins "Tracks 26 customer relationship KPIs"; a workbook of two of them must
not say that on its Start sheet, its Definitions sheet or in its document properties. The
expected sentences are written here by hand (the Turkish one as in locales/tr).
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.catalog.selection import restrict
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions

SAID = {
    "en": "Your own selection of 2 of this catalogue's 26 KPIs; the Definitions sheet describes each.",
    "tr": "Bu kataloğun 26 KPI'sı arasından kendi seçtiğiniz 2 KPI; her birini Tanımlar sayfası açıklar.",
}


@pytest.mark.parametrize("locale", ["en", "tr"])
def test_a_selection_does_not_promise_the_whole_catalogue(crm: Catalog, locale: str) -> None:
    data = build_workbook(restrict(crm, ["nps", "churn_rate"]), BuildOptions(locale=locale)).data
    book = openpyxl.load_workbook(io.BytesIO(data))
    start, definitions = book.worksheets[0], book[_definitions(book)]
    assert start["B4"].value == SAID[locale]
    assert definitions["B3"].value == SAID[locale]
    assert book.properties.subject == SAID[locale]
    texts = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not any(isinstance(text, str) and "26 customer" in text for text in texts)


def test_the_whole_catalogue_keeps_its_description(crm: Catalog) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(crm, BuildOptions(locale="en")).data))
    assert book.worksheets[0]["B4"].value.startswith("Tracks 26 customer relationship KPIs month by month")


def _definitions(book: openpyxl.Workbook) -> str:
    return next(name for name in book.sheetnames if name in {"Definitions", "Tanımlar"})
