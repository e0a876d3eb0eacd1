"""The text a number format shows, as Excel documents its codes, and the room a column keeps."""

from __future__ import annotations

import io

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from generator.workbook.widths import shown, text_width


@pytest.mark.parametrize(
    ("value", "code", "text"),
    [
        (1234.5, "#,##0.00", "1,234.50"),
        (1234.5, "0", "1235"),
        (-98765.4, '"TRY"" "#,##0.00', "-TRY 98,765.40"),
        (0.253, "0.0%", "25.3%"),
        (0.253, '"%"0.0', "%0.3"),
        (14000, '#,##0" ₺"', "14,000 ₺"),
        (34.25, '#,##0.0" min"', "34.3 min"),
        (1, '[=1]"On";[=-1]"Off";"Risk"', "On"),
    ],
)
def test_shown_follows_the_format_code(value: float, code: str, text: str) -> None:
    assert shown(value, code) == text


def test_a_wider_text_needs_a_wider_column() -> None:
    assert text_width("1,000,000.00") > text_width("100,000.00") > text_width("1.0")
    assert text_width("100", size=20, bold=True) > 2 * text_width("100") - 2


def _month_width(data: bytes, sheet: int) -> float:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return float(book.worksheets[sheet].column_dimensions["D"].width)


def test_a_lira_workbook_has_wider_money_columns_than_a_dollar_one(crm: Catalog) -> None:
    """Sized for dollars, TRY 982,884.00 printed as ### (issue 22): lira amounts are 40 times longer."""
    dollars = build_workbook(crm, BuildOptions(locale="en", currency="USD")).data
    lira = build_workbook(crm, BuildOptions(locale="en", currency="TRY")).data
    assert _month_width(lira, 2) > _month_width(dollars, 2) + 2


def test_empty_and_demo_workbooks_share_their_widths(crm: Catalog) -> None:
    empty = build_workbook(crm, BuildOptions(locale="tr", currency="TRY")).data
    demo = build_workbook(crm, BuildOptions(locale="tr", currency="TRY", sample=True)).data
    assert _month_width(empty, 2) == _month_width(demo, 2)
