"""What a user sees, in every currency and locale: workbooks rendered to PDF by a default-profile
LibreOffice (which shows the cached values, as a user's does) and read back as text.

A cell too narrow for its number prints ``###``; a formula that failed prints its error. The
combinations are sampled with a fixed seed so that every catalogue, locale and currency, empty
and with the demo year, is rendered, and all of them go through one LibreOffice start. Two more
workbooks carry ten times the demo's inputs and targets: what a user may type must fit too; and
one consolidates three Turkish demo workbooks (a Sources sheet of yearly lira totals).
"""

from __future__ import annotations

import io
import itertools
import random
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.formula.evaluate import evaluate
from generator.formula.expr import refs
from generator.recalc import LibreOffice
from generator.template.dashboard_formulas import card_cell, plan_cards
from generator.transfer.consolidate import ConsolidateRequest, consolidate
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from generator.workbook.sample import read_sample

CATALOGUES = ("crm", "bsc")
LOCALES = ("en", "tr", "en-GB")
CURRENCIES = ("USD", "EUR", "TRY", "JPY", "GBP")
ERRORS = re.compile(r"#N/A|#VALUE!|#DIV/0!|#REF!|#NAME\?|#NULL!|#NUM!|Err:\d+")


def combinations() -> list[tuple[str, str, str, bool]]:
    """Each catalogue with each currency, once empty and once with the demo year, the locale
    drawn so that each catalogue meets every locale in both states (fixed seed: the same in CI)."""
    rng = random.Random(22)
    chosen = []
    for catalogue, sample in itertools.product(CATALOGUES, (False, True)):
        locales = list(LOCALES) * 2
        rng.shuffle(locales)
        currencies = list(CURRENCIES)
        rng.shuffle(currencies)
        for locale, currency in zip(locales, currencies, strict=False):
            chosen.append((catalogue, locale, currency, sample))
    return chosen


def test_the_sample_covers_every_catalogue_locale_and_currency_empty_and_demo() -> None:
    chosen = combinations()
    for catalogue, sample in itertools.product(CATALOGUES, (False, True)):
        mine = [c for c in chosen if c[0] == catalogue and c[3] == sample]
        assert {c[1] for c in mine} == set(LOCALES)
        assert {c[2] for c in mine} == set(CURRENCIES)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _ten_times(catalog: Catalog, currency: str) -> tuple[dict[str, list[float | None]], dict[str, float | None]]:
    demo = read_sample(catalog, currency)
    values = {i: [None if v is None else v * 10 for v in months] for i, months in demo.items()}
    for input_id, spec in catalog.inputs.items():
        if spec.max is not None:  # a bounded input (a percentage) cannot grow tenfold
            values[input_id] = [None if v is None else min(v, spec.max) for v in values[input_id]]
    targets: dict[str, float | None] = {}
    for kpi_id, kpi in catalog.kpis.items():
        target = catalog.target(kpi, currency)
        targets[kpi_id] = None if target is None else target * 10
    return values, targets


def _cards_with_demo_inputs(catalog: Catalog, currency: str) -> dict[str, float]:
    """Each KPI whose inputs all have a demo value in the last month, with its value worked out
    from the catalogue's formula: the card the dashboard opens on must show it."""
    december = {i: months[11] for i, months in read_sample(catalog, currency).items()}
    expected = {}
    for kpi_id, expr in catalog.formulas.items():
        if all(december.get(name) is not None for name in refs(expr)):
            value = evaluate(expr, december)
            if value is not None:
                expected[kpi_id] = value
    return expected


@pytest.fixture(scope="module")
def rendered(
    crm: Catalog, bsc: Catalog, libreoffice_default: LibreOffice, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[list[str], bytes]]:
    catalogs = {"crm": crm, "bsc": bsc}
    folder = tmp_path_factory.mktemp("render-audit")
    built: dict[str, bytes] = {}
    for catalogue, locale, currency, sample in combinations():
        options = BuildOptions(locale=locale, currency=currency, sample=sample)
        built[f"{catalogue}-{locale}-{currency}-{'demo' if sample else 'empty'}"] = build_workbook(
            catalogs[catalogue], options
        ).data
    for catalogue, locale, currency in (("crm", "en", "TRY"), ("bsc", "tr", "JPY")):
        values, targets = _ten_times(catalogs[catalogue], currency)
        options = BuildOptions(locale=locale, currency=currency)
        built[f"{catalogue}-{locale}-{currency}-tenfold"] = build_workbook(
            catalogs[catalogue], options, values, targets=targets
        ).data
    teams = []
    for team in ("North", "South", "East"):  # a lira consolidation: the Sources sheet's yearly totals
        teams.append(folder / f"team-{team}.xlsx")
        teams[-1].write_bytes(build_workbook(crm, BuildOptions(locale="tr", company=team, sample=True)).data)
    total = consolidate(ConsolidateRequest(teams, folder / "total.xlsx", None, company="Total"))
    built["crm-tr-TRY-consolidated"] = total.data
    sources = []
    for name, data in built.items():
        (folder / f"{name}.xlsx").write_bytes(data)
        sources.append(folder / f"{name}.xlsx")
    pdfs = libreoffice_default.convert_many(sources, folder / "pdf", "pdf")
    return {source.stem: (_pages(pdf), built[source.stem]) for source, pdf in zip(sources, pdfs, strict=True)}


def test_no_number_is_too_wide_for_its_cell_and_no_formula_fails(rendered: dict[str, tuple[list[str], bytes]]) -> None:
    pages = sum(len(p) for p, _ in rendered.values())
    print(f"render audit: {len(rendered)} workbooks, {pages} pages")
    assert len(rendered) == 23
    problems = {}
    for name, (texts, _data) in rendered.items():
        assert len(texts) >= 6, name  # every printed sheet made at least a page
        hashes = sum(page.count("###") for page in texts)
        errors = [m for page in texts for m in ERRORS.findall(page)]
        if hashes or errors:
            problems[name] = (hashes, errors[:5])
    assert problems == {}


def test_every_demo_card_shows_its_value(
    crm: Catalog, bsc: Catalog, rendered: dict[str, tuple[list[str], bytes]]
) -> None:
    catalogs = {"crm": crm, "bsc": bsc}
    missing = []
    for name, (_texts, data) in rendered.items():
        if not name.endswith("-demo"):
            continue
        catalogue, currency = name.split("-")[0], name.split("-")[-2]
        catalog = catalogs[catalogue]
        expected = _cards_with_demo_inputs(catalog, currency)
        assert set(expected) == set(catalog.kpis), f"{name}: KPIs without demo inputs"
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        dashboard = book.worksheets[4]
        groups, _end = plan_cards(catalog)
        for group in groups:
            for kpi_id, (top, left) in group.cards.items():
                if kpi_id not in expected:
                    continue
                row, col = card_cell(top, left, "value")
                shown = dashboard.cell(row + 1, col + 1).value
                if not isinstance(shown, int | float) or shown != pytest.approx(expected[kpi_id], rel=1e-9):
                    missing.append((name, kpi_id, shown, expected[kpi_id]))
    assert missing == []
