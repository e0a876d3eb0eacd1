"""The Turkish and English CRM workbooks are the same workbook in two languages.

Both are built from the same demo year and recalculated by LibreOffice, then compared cell by
cell, sheet by sheet: every number must be the same (the language changes no formula), and
every text must differ (no English left in the Turkish workbook), except the few texts that
are the same in both languages by nature (see ``same_in_both``).

The Turkish sheet ``KPI'lar`` has an apostrophe: formulas and defined names must quote it as
``'KPI''lar'!`` or Excel and LibreOffice refuse or misread the file.
"""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import openpyxl
import pytest
from babel.numbers import is_currency
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from generator.catalog import Catalog
from generator.catalog.model import Unit
from generator.i18n import month_names
from generator.recalc import LibreOffice
from generator.template.layout import KPI_GRID, Layout
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions

LOCALES = ("tr", "en")

KPI_ACRONYMS = {"KPI", "CTR", "CAC", "CPA", "NPS", "LTV", "CLV", "ROI", "CES", "CPL", "CSAT", "SCL", "SMS", "CRM"}
"""Abbreviations Turkish business writing keeps in English (the catalogue's Turkish texts do too)."""
UNIT_SYMBOLS = {"%", "—", "●", "←", "▸"}
ERROR_VALUES = {"#N/A"}
"""The chart helper writes NA() for a blank month on purpose; any other error value is a bug."""
MONTH_LABEL = re.compile(r"^(?P<month>\w+)(?: (?P<year>\d{4}))?$")


def same_in_both(text: str, catalog: Catalog) -> bool:
    """Texts allowed to be equal in Turkish and English, and why.

    * numbers, and texts made only of symbols, digits and punctuation (units such as "%");
    * KPI acronyms ("KPI" is the column header in both languages);
    * catalogue ids and codes (the start page shows "crm 1.0.0"), and ISO currency codes;
    * Turkish month abbreviations that happen to be English too ("Mar 2026", "May 2026"):
      accepted only when the word is the Turkish CLDR name;
    * error values the workbook writes on purpose (#N/A in the hidden chart data).
    """
    stripped = text.strip()
    if not stripped or stripped in ERROR_VALUES:
        return True
    if stripped.startswith("#"):
        return False
    words = re.findall(r"[^\W\d_]+", stripped)
    if not words:
        return True
    if all(w in KPI_ACRONYMS or w == catalog.id or (w.isupper() and is_currency(w)) for w in words):
        return True
    match = MONTH_LABEL.match(stripped)
    turkish_months = set(month_names("tr", "abbreviated")) | set(month_names("tr", "wide"))
    return bool(match and match["month"] in turkish_months)


def build(catalog: Catalog, locale: str, directory: Path) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter warns, then drops, a too-long validation title
        # One currency for both: the demo converts money to the currency, and the numbers must match.
        result = build_workbook(catalog, BuildOptions(locale=locale, sample=True, year=2026, currency="TRY"))
    assert result.warnings == [], f"{locale}: texts fell back to another language: {result.warnings}"
    path = directory / f"crm-{locale}.xlsx"
    path.write_bytes(result.data)
    return path


@pytest.fixture(scope="module")
def built(crm: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("tr-en")
    return {locale: build(crm, locale, directory) for locale in LOCALES}


@pytest.fixture(scope="module")
def recalculated(built: dict[str, Path], libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory):
    out = libreoffice.recalculate([built[locale] for locale in LOCALES], tmp_path_factory.mktemp("tr-en-recalc"))
    return {locale: openpyxl.load_workbook(path, data_only=True) for locale, path in zip(LOCALES, out, strict=True)}


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_same_sheets_in_the_same_order(recalculated: dict[str, OpenpyxlWorkbook], crm: Catalog) -> None:
    tr, en = recalculated["tr"], recalculated["en"]
    assert len(tr.sheetnames) == len(en.sheetnames)
    assert tr.sheetnames[:5] == ["Başlangıç", "Ayarlar", "Veri Girişi", "KPI'lar", "Gösterge Paneli"]
    assert en.sheetnames[:5] == ["Start", "Settings", "Inputs", "KPIs", "Dashboard"]
    for tr_name, en_name in zip(tr.sheetnames, en.sheetnames, strict=True):
        assert tr_name != en_name


def test_cell_by_cell(recalculated: dict[str, OpenpyxlWorkbook], crm: Catalog) -> None:
    """Numbers equal, texts translated; every difference is listed, sheet!cell first."""
    tr, en = recalculated["tr"], recalculated["en"]
    problems: list[str] = []
    numbers = texts = 0
    for tr_sheet, en_sheet in zip(tr.worksheets, en.worksheets, strict=True):
        rows = max(tr_sheet.max_row, en_sheet.max_row)
        cols = max(tr_sheet.max_column, en_sheet.max_column)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                a, b = tr_sheet.cell(r, c).value, en_sheet.cell(r, c).value
                where = f"{en_sheet.title}!{tr_sheet.cell(r, c).coordinate}"
                if a is None and b is None:
                    continue
                if is_number(a) or is_number(b):
                    numbers += 1
                    if not (is_number(a) and is_number(b) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)):
                        problems.append(f"{where}: tr {a!r} != en {b!r}")
                    continue
                if a is None or b is None:
                    problems.append(f"{where}: only one language has a value: tr {a!r}, en {b!r}")
                    continue
                texts += 1
                for text in (str(a), str(b)):
                    if text.startswith("#") and text not in ERROR_VALUES:
                        problems.append(f"{where}: error value {text!r}")
                if a == b and not same_in_both(str(a), crm):
                    problems.append(f"{where}: not translated: {a!r}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
    assert numbers > 26 * 17 and texts > 300, (numbers, texts)


def test_demo_year_computes_kpi_values(recalculated: dict[str, OpenpyxlWorkbook], crm: Catalog) -> None:
    """Not 26 blank rows compared equal: the Turkish KPIs sheet has a value for every KPI's year."""
    for locale in LOCALES:
        from generator.i18n import Texts

        layout = Layout.plan(crm, sheet_names(Texts.for_build(crm, locale, "EUR")))
        sheet = recalculated[locale][layout.sheets.kpis]
        blank = [k for k, row in layout.kpi_rows.items() if not is_number(sheet.cell(row + 1, KPI_GRID.ytd + 1).value)]
        assert not blank, f"{locale}: no year-to-date value for {blank}"


def validation_texts(path: Path) -> list[tuple[str, str | None]]:
    """Every data validation's prompt and error texts, in sheet order."""
    book = openpyxl.load_workbook(path)
    found = []
    for sheet in book.worksheets:
        for rule in sheet.data_validations.dataValidation:
            for field in ("promptTitle", "prompt", "errorTitle", "error"):
                found.append((f"{sheet.title}!{rule.sqref} {field}", getattr(rule, field)))
    return found


def test_validation_messages_are_translated(built: dict[str, Path], crm: Catalog) -> None:
    tr, en = validation_texts(built["tr"]), validation_texts(built["en"])
    assert len(tr) == len(en) > 40
    untranslated = [f"{where}: {a!r}" for (where, a), (_, b) in zip(tr, en, strict=True) if a == b and a is not None]
    assert not untranslated, "\n".join(untranslated)
    assert all(len(text or "") <= (32 if "Title" in where else 255) for where, text in tr)


def test_link_tips_and_status_words_are_translated(built: dict[str, Path]) -> None:
    tr = openpyxl.load_workbook(built["tr"])
    tips = {
        cell.hyperlink.tooltip
        for sheet in tr.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.hyperlink is not None
    }
    assert tips >= {"Başlangıç sayfasına dön", "Bu sayfaya git", "Bu KPI'ın tanımı"}, tips
    formats = {cell.number_format for row in tr["KPI'lar"].iter_rows() for cell in row}
    assert '[=1]"● Hedefte";[=-1]"● Hedef dışı";"● Risk altında"' in formats


def test_turkish_number_formats(built: dict[str, Path], crm: Catalog) -> None:
    """A percent KPI shows %12,5 in Turkish: the format code puts the sign first."""
    tr = openpyxl.load_workbook(built["tr"])
    from generator.i18n import Texts

    layout = Layout.plan(crm, sheet_names(Texts.for_build(crm, "tr", "TRY")))
    sheet = tr[layout.sheets.kpis]
    for kpi in crm.kpis.values():
        code = sheet.cell(layout.kpi_rows[kpi.id] + 1, KPI_GRID.month(0) + 1).number_format
        if kpi.unit in (Unit.PERCENT, Unit.RATIO):
            assert code.startswith("%"), (kpi.id, code)
        if kpi.unit is Unit.CURRENCY:
            assert code.startswith('"₺"'), (kpi.id, code)


QUOTED = "'KPI''lar'!"


def formulas(book: OpenpyxlWorkbook) -> list[tuple[str, str]]:
    return [
        (f"{sheet.title}!{cell.coordinate}", cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]


@pytest.mark.parametrize("which", ["built", "recalculated by LibreOffice"])
def test_formulas_quote_the_apostrophe(
    which: str, built: dict[str, Path], libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = built["tr"]
    if which != "built":
        path = libreoffice.recalculate([path], tmp_path_factory.mktemp("tr-formulas"))[0]
    book = openpyxl.load_workbook(path)
    found = formulas(book)
    referencing = [(where, f) for where, f in found if "KPI" in f and "lar" in f]
    assert len(referencing) >= len(book["Grafik Verisi"]["B3":"M3"][0]), "no formula refers to the KPI'lar sheet"
    wrong = [(where, f) for where, f in referencing if f.count(QUOTED) != len(re.findall(r"KPI'+lar\b", f))]
    assert not wrong, wrong[:5]


def test_defined_names_resolve(built: dict[str, Path]) -> None:
    """openpyxl returns the sheet of a destination as written, apostrophe still doubled: undo it."""
    book = openpyxl.load_workbook(built["tr"])
    targets: dict[str, str] = {}
    for name, defined in book.defined_names.items():
        for sheet, coordinate in defined.destinations:
            title = sheet.replace("''", "'")
            assert title in book.sheetnames, f"{name}: sheet {sheet!r} not found"
            book[title][coordinate.replace("$", "")]
            targets[name] = title
    assert targets["kpi_nps"] == "KPI'lar"
    assert targets["in_emails_sent"] == "Veri Girişi"
    assert targets["set_company"] == "Ayarlar"
    assert targets["list_months"] == "Grafik Verisi"
    raw = book.defined_names["kpi_nps"].attr_text
    assert raw.startswith(QUOTED), raw


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("%", True),
        ("KPI", True),
        ("Mar 2026", True),
        ("May", True),
        ("crm 1.0.0", True),
        ("TRY", True),
        ("#N/A", True),
        ("—", True),
        ("Target", False),
        ("March 2026", False),
        ("Jan 2026", False),
        ("Net Promoter Score (NPS)", False),
        ("#REF!", False),
    ],
)
def test_allow_list_is_narrow(text: str, allowed: bool, crm: Catalog) -> None:
    """Only what the allow-list explains passes as the same in both languages."""
    assert same_in_both(text, crm) is allowed


def test_validation_numbers_in_turkish_style(built: dict[str, Path]) -> None:
    """Turkish writes the percent sign first: "%0 ile %100 arasında", not "0% ile 100%"."""
    messages = [text or "" for where, text in validation_texts(built["tr"]) if where.endswith(" error")]
    percent = [m for m in messages if "arasında bir yüzde" in m and "Kâr marjı" in m]
    assert percent and all("%0 ile %100" in m for m in percent), percent
