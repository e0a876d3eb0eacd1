"""The validator's pieces on their own: formula spelling, references, layout from names, cell reading, texts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.formula.reference import Area, parse_target
from generator.i18n import Messages
from generator.template.layout import Layout, SheetNames, defined_names
from generator.template.sheet_formulas import kpi_formulas, kpi_status_formula
from generator.validate import identify as identify_module
from generator.validate.continuity import stock_pairs
from generator.validate.findings import Code
from generator.validate.identify import TemplateInfo
from generator.validate.inputs import read_cell
from generator.validate.run import validate
from generator.validate.spelling import normalise
from tests.checkout import ROOT

from . import fill


@pytest.mark.parametrize(
    ("written", "saved"),
    [
        ("='Inputs'!$D$7", "=Inputs!D7"),  # LibreOffice drops quotes it does not need, Excel may drop '$'
        ("=IF(COUNT('Inputs'!D7)<1,\"\",'Inputs'!D7)", '=if( count(Inputs!d7) < 1, "", Inputs!D7 )'),
        ("='KPI''lar'!$E$8", "= 'kpi''LAR'!E8"),
        ('=IFERROR(A1,"")', '=_xlfn.IFERROR(A1,"")'),
        ("=IF(U8>=V8,1,0)", "=IF(KPIs!U8>=V8,1,0)"),  # a reference to the formula's own sheet, named
        ("='Chart data'!A1", "='Chart data'!$A$1"),
        ("='Müşteri'!A1", "=Müşteri!A1"),
    ],
)
def test_normalise_accepts_other_spellings(written: str, saved: str) -> None:
    assert normalise(written, "KPIs") == normalise(saved, "KPIs")


@pytest.mark.parametrize(
    ("written", "changed"),
    [
        ('=IF(A1="","x y",1)', '=IF(A1="","xy",1)'),  # text inside quotes is kept exactly
        ('=IF(A1="","a",1)', '=IF(A1="","A",1)'),
        ("='Inputs'!D7/'Inputs'!D8", "='Inputs'!D7*'Inputs'!D8"),
        ("='Inputs'!D7", "='Other'!D7"),
        ("=SUM(D7:F7)", "=AVERAGE(D7:F7)"),
    ],
)
def test_normalise_keeps_real_differences(written: str, changed: str) -> None:
    assert normalise(written) != normalise(changed)


def test_normalise_keeps_each_spelling_for_its_own_sheet() -> None:
    """One text, two sheets: the reference to the formula's own sheet loses its name, the other keeps it."""
    text = "='KPIs'!E8+'Inputs'!D7"
    assert normalise(text, "KPIs") == "E8+'INPUTS'!D7"
    assert normalise(text, "Inputs") == "'KPIS'!E8+D7"
    assert normalise(text, "KPIs") == "E8+'INPUTS'!D7"


def test_generated_formulas_normalise_to_themselves(crm: Catalog) -> None:
    layout = Layout.plan(crm, SheetNames("Start", "Ayarlar", "Girdiler", "KPI'lar", "D", "Def", "Sc", "Grafik verisi"))
    for kpi_id, kpi in crm.kpis.items():
        status = [kpi_status_formula(crm, layout, kpi_id)] if kpi.better is not Better.INFO else []
        for formula in [*kpi_formulas(crm, layout, kpi_id).values(), *status]:
            unquoted = formula.replace("'Girdiler'!", "Girdiler!").replace("$", "")
            assert normalise(formula, "KPI'lar") == normalise(unquoted, "KPI'lar")


def test_parse_target() -> None:
    assert parse_target("'KPI''lar'!$E$8:$P$8") == Area("KPI'lar", 7, 4, 7, 15)
    assert parse_target("Inputs!$D$8") == Area("Inputs", 7, 3, 7, 3)
    assert parse_target("'Chart data'!$O$2:$O$13") == Area("Chart data", 1, 14, 12, 14)
    for broken in ("#REF!", "#REF!$D$8:$O$8", "Inputs!#REF!", "", "=SUM(A1)"):
        assert parse_target(broken) is None, broken


@pytest.mark.parametrize("kpis", ["KPIs", "KPI'lar"])
def test_layout_from_names_round_trip(crm: Catalog, kpis: str) -> None:
    sheets = SheetNames("Start", "Settings", "Inputs", kpis, "Dashboard", "Definitions", "Scorecard", "Chart data")
    planned = Layout.plan(crm, sheets)
    rows = {}
    for name, target in defined_names(planned).items():
        found = parse_target(target)
        assert found is not None
        rows[name] = (found.sheet, found.first_row)
    rebuilt = Layout.from_names(rows)
    assert rebuilt.sheets.kpis == kpis and rebuilt.sheets.inputs == "Inputs" and rebuilt.sheets.settings == "Settings"
    assert (rebuilt.input_rows, rebuilt.kpi_rows, rebuilt.target_rows, rebuilt.settings_rows) == (
        planned.input_rows,
        planned.kpi_rows,
        planned.target_rows,
        planned.settings_rows,
    )
    assert defined_names(rebuilt) == {k: v for k, v in defined_names(planned).items()}


def test_stock_pairs_are_derived(crm: Catalog, bsc: Catalog) -> None:
    assert stock_pairs(crm) == [("customers_start", "customers_end")]
    assert stock_pairs(crm) == fill.stock_pairs(crm)


@pytest.mark.parametrize(
    ("value", "number", "code"),
    [
        (None, None, None),
        ("", None, None),
        (12, 12.0, None),
        (0.25, 0.25, None),
        ("abc", None, Code.NOT_A_NUMBER),
        ("1200", None, Code.NUMBER_AS_TEXT),
        ("1 200,5", None, Code.NUMBER_AS_TEXT),
        ("25%", None, Code.NUMBER_AS_TEXT),
        (True, None, Code.NOT_A_NUMBER),
        ("#DIV/0!", None, Code.ERROR_VALUE),
        (dt.datetime(2026, 1, 2), 46024.0, Code.NOT_A_NUMBER),
        (float("nan"), None, Code.ERROR_VALUE),
    ],
)
def test_read_cell_as_formulas_see_it(value: object, number: float | None, code: Code | None) -> None:
    found = read_cell(value)
    assert (found.number, found.problem) == (number, code)


def test_template_info_refuses_odd_locales() -> None:
    assert TemplateInfo({"locale": "../../../etc/passwd"}).locale == "en"
    assert TemplateInfo({"locale": "tr"}).locale == "tr"
    assert TemplateInfo({"locale": "pt_BR"}).locale == "pt_BR"
    assert TemplateInfo({"first_month": "13"}).first_month is None
    assert TemplateInfo({"month_names": "a,b"}).month_names == []


def test_findings_use_the_workbooks_language(crm: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = fill.build(tmp_path, "built.xlsx", crm, None, sample=True)
    path = tmp_path / "crm.xlsx"
    openpyxl.load_workbook(built).save(path)  # no calculated results: one finding
    english = validate(path).findings[0].message
    translated = "Dosya hiç hesaplanmamış; --recalc kullanın."
    monkeypatch.setattr(identify_module, "load_messages", lambda locale: Messages(locale, {english: translated}))
    assert validate(path).findings[0].message == translated


def test_messages_are_extractable_gettext_strings() -> None:
    """Every finding text is a literal in _("..."), so pybabel extract (babel.cfg) finds it for translators."""
    from babel.messages.extract import extract_from_dir

    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "generator" / "validate"), method_map=[("**.py", "python")]
        )
    }
    assert len(found) > 40
    assert any("--recalc" in str(m) for m in found)
    assert any("{what}: a typed value replaced the formula" in str(m) for m in found)
