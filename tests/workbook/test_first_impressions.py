"""What a buyer notices on first open (issue 14, item 6), each pinned by a value worked out by hand
or taken from CLDR / ISO 4217, never from the code under test:

* data-validation titles fit Excel's 32 characters by cutting after a whole word, with "…";
* the tolerance columns use the locale's percent format (Turkish "%10", CLDR tr pattern "%#,##0");
* a change too small to show is 0 on the dashboard, never "-0";
* the sparklines' axis starts at 0 (or a score's floor) unless the KPI can turn negative;
* an empty template's dashboard says where to start, in its language, and links there;
* money shows ISO 4217's minor digits (JPY none, USD two);
* money targets come per currency (a currency without them gets a blank target and a note);
* the demo year converts its money (TRY at 40 per USD, the documented demo rate);
* every bundled catalogue ships a demo year that validates clean.

LibreOffice runs once (module fixture) over the files whose formula results are checked.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.cli import main
from generator.i18n import Texts
from generator.paths import CATALOG_DIR
from generator.recalc import LibreOffice
from generator.template.layout import KPI_TOLERANCE_COL, SETTINGS_TOLERANCE_COL, SETTINGS_VALUE_COL, Layout
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions
from generator.workbook.sheet_dashboard import CARD_ROWS, SELECTOR_ROW, plan_cards

MONEY_KPIS = ["avg_interaction_cost", "cost_per_lead", "customer_acquisition_cost", "customer_lifetime_value"]
CAN_BE_NEGATIVE = {"retention_rate", "roi"}
"""By reading their formulas: (end - new) / start and (profit - investment) / investment; NPS has its range."""


EN_HINT_END = "by typing each month's figures in the yellow cells."
TR_HINT_END = "her ayın rakamlarını sarı hücrelere yazarak başlayın."


def layout_for(catalog: Catalog, locale: str, currency: str = "USD") -> Layout:
    return Layout.plan(catalog, sheet_names(Texts.for_build(catalog, locale, currency)))


def load(catalog: Catalog, **options: object) -> openpyxl.Workbook:
    data = build_workbook(catalog, BuildOptions(**options)).data  # type: ignore[arg-type]
    return openpyxl.load_workbook(io.BytesIO(data))


# ----------------------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("locale", "input_id", "title"),
    [
        ("en", "customer_lifespan_years", "Average customer lifespan…"),  # "... (years)" is 33 characters
        ("tr", "brand_surveyed", "Marka anketine katılan kişi…"),  # "... kişi sayısı" is 34
        ("en", "emails_sent", "Emails sent"),
    ],
)
def test_validation_titles_are_cut_after_a_whole_word(crm: Catalog, locale: str, input_id: str, title: str) -> None:
    book = load(crm, locale=locale)
    layout = layout_for(crm, locale)
    row = layout.input_rows[input_id] + 1
    titles = {
        int(re.sub(r"\D", "", str(dv.sqref).split(":")[0])): dv.promptTitle
        for dv in book[layout.sheets.inputs].data_validations.dataValidation
    }
    assert titles[row] == title
    for sheet in book.worksheets:
        for dv in sheet.data_validations.dataValidation:
            for text in (dv.promptTitle, dv.errorTitle):
                assert text is None or len(text) <= 32, (sheet.title, dv.sqref, text)
                assert text is None or not text[-1].isalnum() or "…" not in text


# ----------------------------------------------------------------------------------------- formats


@pytest.mark.parametrize(("locale", "percent"), [("tr", "%#,##0"), ("en", "#,##0%")])
def test_tolerances_use_the_locales_percent_format(crm: Catalog, locale: str, percent: str) -> None:
    """CLDR's percent pattern: "%#,##0" in Turkish (the sign first), "#,##0%" in English."""
    book = load(crm, locale=locale)
    layout = layout_for(crm, locale)
    kpi_id = "email_ctr"
    settings = book[layout.sheets.settings].cell(layout.target_rows[kpi_id] + 1, SETTINGS_TOLERANCE_COL + 1)
    kpis = book[layout.sheets.kpis].cell(layout.kpi_rows[kpi_id] + 1, KPI_TOLERANCE_COL + 1)
    assert settings.number_format == percent
    assert kpis.number_format == percent


@pytest.mark.parametrize(
    ("currency", "money"), [("JPY", '"¥"#,##0'), ("USD", '"$"#,##0.00'), ("TRY", '"TRY\u00a0"#,##0.00')]
)
def test_money_shows_the_currencys_minor_digits(crm: Catalog, currency: str, money: str) -> None:
    """ISO 4217 minor units: JPY 0, USD 2, TRY 2 (English CLDR symbols: ¥, $, and TRY spaced from the digits)."""
    book = load(crm, locale="en", currency=currency)
    layout = layout_for(crm, "en", currency)
    kpis, inputs = book[layout.sheets.kpis], book[layout.sheets.inputs]
    for kpi_id in MONEY_KPIS:
        assert kpis.cell(layout.kpi_rows[kpi_id] + 1, 5).number_format == money, kpi_id
    assert inputs.cell(layout.input_rows["avg_sale_value"] + 1, 4).number_format == money


# ----------------------------------------------------------------------------------------- targets and demo


@pytest.mark.parametrize(("currency", "cac"), [("USD", 350), ("TRY", 14000), ("JPY", 52000), ("CHF", None)])
def test_money_targets_follow_the_currency(crm: Catalog, currency: str, cac: float | None) -> None:
    book = load(crm, locale="en", currency=currency)
    layout = layout_for(crm, "en", currency)
    settings = book[layout.sheets.settings]
    row = layout.target_rows["customer_acquisition_cost"] + 1
    assert settings.cell(row, SETTINGS_VALUE_COL + 1).value == cac
    meaning = settings.cell(row, 8).value
    assert (f"The catalogue has no target in {currency}: type your own." in meaning) == (cac is None)
    # A count's target is the same in every currency.
    assert settings.cell(layout.target_rows["new_leads"] + 1, SETTINGS_VALUE_COL + 1).value == 400


def test_demo_year_converts_its_money(crm: Catalog) -> None:
    """The CSV is in USD; a TRY demo multiplies money by 40 (rounded to kuruş), counts stay as they are."""
    usd = {
        (int(r["month"]), r["input"]): float(r["value"])
        for r in csv.DictReader((CATALOG_DIR / "crm.sample.csv").open(encoding="utf-8"))
    }
    book = load(crm, locale="tr", currency="TRY", sample=True)
    layout = layout_for(crm, "tr", "TRY")
    inputs = book[layout.sheets.inputs]
    for m in (1, 7, 12):
        money = inputs.cell(layout.input_rows["avg_sale_value"] + 1, 3 + m).value
        assert money == pytest.approx(round(usd[(m, "avg_sale_value")] * 40, 2), abs=1e-9)
        count = inputs.cell(layout.input_rows["emails_sent"] + 1, 3 + m).value
        assert count == usd[(m, "emails_sent")]


def test_a_demo_in_a_currency_without_a_rate_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--sample", "--currency", "ISK", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "no demo figures in ISK" in lines[0] and "without --sample" in lines[0]
    assert not list(tmp_path.iterdir())


def test_every_bundled_catalogue_ships_a_demo_year() -> None:
    from generator.catalog import load_catalog

    catalogues = sorted(CATALOG_DIR.glob("*.yaml"))
    assert len(catalogues) >= 2
    for path in catalogues:
        catalog = load_catalog(path)
        assert catalog.sample is not None and catalog.sample.is_file(), path.name


# ----------------------------------------------------------------------------------------- sparklines


def test_sparkline_axes_start_at_zero(crm: Catalog) -> None:
    data = build_workbook(crm, BuildOptions(locale="en")).data
    layout = layout_for(crm, "en")
    index = ["Start", "Settings", "Inputs", "KPIs", "Dashboard"].index(layout.sheets.dashboard) + 1
    xml = zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{index}.xml").decode()
    groups = re.findall(r"<x14:sparklineGroup ([^>]*)>.*?<xm:f>[^<]*!\$?B\$?(\d+):\$?M\$?\d+</xm:f>", xml, re.S)
    by_row = {row + 1: kpi_id for kpi_id, row in layout.chart_rows.items()}
    seen = set()
    for attributes, row in groups:
        kpi_id = by_row[int(row)]
        seen.add(kpi_id)
        if kpi_id in CAN_BE_NEGATIVE:
            assert "manualMin" not in attributes, kpi_id
            continue
        floor = -100 if kpi_id == "nps" else 0
        manual = re.search(r'manualMin="([^"]+)"', attributes)
        assert 'minAxisType="custom"' in attributes and manual and float(manual[1]) == floor, (kpi_id, attributes)
    assert seen == set(crm.kpis)


def test_dashboard_charts_draw_months_as_columns_and_the_target_as_a_line(crm: Catalog) -> None:
    """A month without data holds #N/A: Excel leaves it out of a line, LibreOffice 7.4 draws it as 0
    (seen in a default-profile render: the line fell to zero after the last month typed). A column of
    height 0 is simply not there in either, so each category chart's KPI is a column series over the
    chart data's value row, then the prior year's over its row, and only the target is a dashed line,
    over the target row."""
    data = build_workbook(crm, BuildOptions(locale="en")).data
    layout = layout_for(crm, "en")
    package = zipfile.ZipFile(io.BytesIO(data))
    charts = sorted(n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
    headlines = [k.id for k in (crm.headline(c) for c in crm.categories) if k is not None]
    assert len(charts) == len(headlines)
    by_row = {row + 1: kpi_id for kpi_id, row in layout.chart_rows.items()}
    for name, kpi_id in zip(charts, headlines, strict=True):
        xml = package.read(name).decode()
        bars = re.findall(r"<c:barChart>.*?</c:barChart>", xml, re.S)
        lines = re.findall(r"<c:lineChart>.*?</c:lineChart>", xml, re.S)
        assert len(bars) == 1 and '<c:barDir val="col"/>' in bars[0], name
        value_row, prior_row = (int(r) for r in re.findall(r"<c:val><c:numRef><c:f>[^<]*!\$B\$(\d+):", bars[0]))
        assert by_row[value_row] == kpi_id, name
        assert prior_row == layout.py_chart_rows[kpi_id] + 1, name  # the prior year: columns too, never a line
        (target_row,) = {int(r) for r in re.findall(r"<c:val><c:numRef><c:f>[^<]*!\$B\$(\d+):", lines[0])}
        assert target_row == value_row + 1 and '<a:prstDash val="dash"/>' in lines[0], name


# ----------------------------------------------------------------------------------------- computed by LibreOffice


@pytest.fixture(scope="module")
def recalculated(
    crm: Catalog, bsc: Catalog, libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    source = tmp_path_factory.mktemp("first-open")
    builds = {
        "empty-en": (crm, BuildOptions(locale="en")),
        "empty-tr": (crm, BuildOptions(locale="tr")),
        "sample-tr": (crm, BuildOptions(locale="tr", currency="TRY", sample=True)),
        "bsc-sample": (bsc, BuildOptions(locale="en", sample=True)),
    }
    paths = []
    for name, (catalog, options) in builds.items():
        path = source / f"{name}.xlsx"
        path.write_bytes(build_workbook(catalog, options).data)
        paths.append(path)
    out = libreoffice.recalculate(paths, tmp_path_factory.mktemp("first-open-recalculated"))
    return dict(zip(builds, out, strict=True))


@pytest.mark.parametrize(
    ("name", "locale", "hint"),
    [
        (
            "empty-en",
            "en",
            "No figures yet: start on the Inputs sheet by typing each month's figures in the yellow cells.",
        ),
        (
            "empty-tr",
            "tr",
            "Henüz veri yok: Veri Girişi sayfasında her ayın rakamlarını sarı hücrelere yazarak başlayın.",
        ),
    ],
)
def test_an_empty_dashboard_says_where_to_start(
    recalculated: dict[str, Path], crm: Catalog, name: str, locale: str, hint: str
) -> None:
    layout = layout_for(crm, locale)
    sheet = openpyxl.load_workbook(recalculated[name], data_only=True)[layout.sheets.dashboard]
    assert sheet.cell(SELECTOR_ROW + 1, 6).value in (None, ""), "no month is shown without data"
    assert sheet.cell(SELECTOR_ROW + 1, 8).value == hint
    link = sheet.cell(SELECTOR_ROW + 1, 8).hyperlink
    assert link is not None and link.location == f"'{layout.sheets.inputs}'!A1"


def test_a_filled_dashboard_shows_its_month_instead(recalculated: dict[str, Path], crm: Catalog) -> None:
    layout = layout_for(crm, "tr", "TRY")
    sheet = openpyxl.load_workbook(recalculated["sample-tr"], data_only=True)[layout.sheets.dashboard]
    assert sheet.cell(SELECTOR_ROW + 1, 6).value == "▸ Ara 2026"  # CLDR tr: Aralık, abbreviated "Ara"
    assert sheet.cell(SELECTOR_ROW + 1, 8).value.startswith("Ay boş bırakılırsa")


def test_no_change_shows_as_minus_zero(recalculated: dict[str, Path], crm: Catalog) -> None:
    """Every "vs previous month" cell is 0 or at least half a unit of its last shown decimal."""
    layout = layout_for(crm, "tr", "TRY")
    sheet = openpyxl.load_workbook(recalculated["sample-tr"], data_only=True)[layout.sheets.dashboard]
    groups, _ = plan_cards(crm)
    assert CARD_ROWS == 9
    zeros = 0
    for group in groups:
        for kpi_id, (top, left) in group.cards.items():
            kpi = crm.kpis[kpi_id]
            change = sheet.cell(top + 4, left + 2).value
            places = kpi.decimals + (2 if kpi.unit.value in ("percent", "ratio") else 0)
            assert isinstance(change, int | float), (kpi_id, change)
            assert change == 0 or abs(change) >= 0.5 / 10**places, (kpi_id, change)
            zeros += change == 0
    assert zeros >= 1, "the demo year has a change too small to show (NPS, October to December)"


def test_bsc_demo_year_validates_clean(recalculated: dict[str, Path]) -> None:
    from generator.validate.run import Options, validate

    report = validate(recalculated["bsc-sample"], Options())
    assert report.findings == [], [f.message for f in report.findings]
    assert report.kpis_checked == 11
