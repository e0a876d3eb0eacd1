"""Locales as people write them (README, "Locales as people write them"): expected values by hand
from that table and from CLDR (en-GB abbreviates September "Sept" and pays in GBP)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.cli import main
from generator.i18n.locales import UnknownLocale, resolve_locale
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions


@pytest.mark.parametrize(
    ("spelling", "code", "language"),
    [
        ("tr", "tr", "tr"),
        ("TR", "tr", "tr"),
        ("tr_TR", "tr_TR", "tr"),
        ("tr-TR", "tr_TR", "tr"),
        ("tr_TR.UTF-8", "tr_TR", "tr"),
        ("en-GB", "en_GB", "en"),
        ("en_us", "en_US", "en"),
        ("C", "en_US", "en"),
        ("de-AT", "de_AT", None),
    ],
)
def test_spellings_resolve(spelling: str, code: str, language: str | None) -> None:
    resolved = resolve_locale(spelling, ["en", "tr"])
    assert (resolved.code, resolved.language) == (code, language)


def test_unknown_language_lists_the_available_ones() -> None:
    with pytest.raises(UnknownLocale) as caught:
        resolve_locale("xx", ["en", "tr"])
    assert str(caught.value) == "unknown locale 'xx'; available: en, tr (a region may follow: en-US, tr-TR)"
    assert caught.value.exit_code == 2


def _properties(data: bytes) -> dict[str, str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {p.name: str(p.value) for p in book.custom_doc_props.props}


def test_a_region_sets_currency_and_month_names(crm: Catalog) -> None:
    us = build_workbook(crm, BuildOptions(locale="en-US"))
    gb = build_workbook(crm, BuildOptions(locale="en-GB"))
    assert (us.options.locale, us.options.currency) == ("en_US", "USD")
    assert (gb.options.locale, gb.options.currency) == ("en_GB", "GBP")
    assert _properties(us.data)["month_names"].split(",")[8] == "Sep"
    assert _properties(gb.data)["month_names"].split(",")[8] == "Sept"
    book = openpyxl.load_workbook(io.BytesIO(gb.data))
    formats = {c.number_format for row in book["KPIs"].iter_rows() for c in row}
    assert any('"£"' in f for f in formats) and not any('"$"' in f for f in formats)


def test_regional_turkish_with_fallback_is_all_turkish(crm: Catalog) -> None:
    """Was: Turkish sheet names around English KPI texts (the fallback was asked before the language)."""
    result = build_workbook(crm, BuildOptions(locale="tr_TR", fallback="en"))
    assert result.warnings == [] and result.summary is None
    book = openpyxl.load_workbook(io.BytesIO(result.data))
    assert "KPI'lar" in book.sheetnames
    cells = {str(c.value) for row in book["Tanımlar"].iter_rows() for c in row if c.value}
    for kpi in crm.kpis.values():
        assert kpi.texts["tr"].name in cells
        assert kpi.texts["en"].name not in cells or kpi.texts["en"].name == kpi.texts["tr"].name


def test_cli_accepts_each_spelling(tmp_path: object) -> None:
    for spelling, name in (("TR", "crm-tr.xlsx"), ("tr-TR", "crm-tr_TR.xlsx"), ("en-GB", "crm-en_GB.xlsx")):
        result = CliRunner().invoke(main, ["build", "--locale", spelling, "--out", f"{tmp_path}/"])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"wrote {tmp_path}/{name} ")
