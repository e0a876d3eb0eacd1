"""The values a workbook carries are what a spreadsheet computes, and what people see.

- Random fills (zeros, blanks, negatives, huge values; first months 1, 5 and 12; English and
  Turkish; crm and bsc): every formula cell's cached value equals LibreOffice's own result after
  a forced recalculation, and every KPI cell equals the catalogue's Python evaluation.
- The sample opened by LibreOffice with a new user's default profile (no recalculation on load)
  shows the demo year's values on the dashboard cards.

All files go through one LibreOffice start per profile (start-up is most of the cost).
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.i18n import Texts
from generator.recalc import LibreOffice
from generator.template.layout import Layout, sheet_names
from generator.template.periods import kpi_values
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from generator.workbook.sample import read_sample
from generator.workbook.sheet_dashboard import plan_cards

from .test_recalculation import Values, check_workbook, random_values


def extreme_values(catalog: Catalog, seed: int) -> Values:
    """Whole rows of zeros or blanks, negatives and values near Excel's limits, mixed by row."""
    rng = random.Random(seed)
    values: Values = {}
    for input_id in catalog.inputs:
        kind = rng.choice(["zeros", "blanks", "negative", "huge", "mixed"])
        row: list[float | None]
        if kind == "zeros":
            row = [0.0] * 12
        elif kind == "blanks":
            row = [None] * 12
        elif kind == "negative":
            row = [-float(rng.randint(1, 10**6)) / 7 for _ in range(12)]
        elif kind == "huge":
            row = [float(rng.randint(10**12, 10**14)) for _ in range(12)]
        else:
            row = [rng.choice([None, 0.0, 1e-6, 3.0, -2.5, 1e9]) for _ in range(12)]
        values[input_id] = row
    return values


SCENARIOS: list[tuple[str, str, str, int, str]] = [
    # name, catalogue, locale, first month, fill
    ("crm-en-1", "crm", "en", 1, "random"),
    ("crm-tr-5", "crm", "tr", 5, "random"),
    ("crm-en-12", "crm", "en", 12, "extreme"),
    ("crm-tr-12", "crm", "tr", 12, "extreme"),
    ("crm-en-5-empty", "crm", "en", 5, "empty"),
    ("bsc-en-5", "bsc", "en", 5, "random"),
    ("bsc-tr-1", "bsc", "tr", 1, "extreme"),
    ("bsc-tr-12", "bsc", "tr", 12, "random"),
]


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Values]]:
    folder = tmp_path_factory.mktemp("cached")
    made = {}
    for seed, (name, catalog_name, locale, first_month, kind) in enumerate(SCENARIOS):
        catalog: Catalog = request.getfixturevalue(catalog_name)
        values = {
            "random": random_values,
            "extreme": extreme_values,
            "empty": lambda c, s: {},
        }[kind](catalog, seed)
        path = folder / f"{name}.xlsx"
        path.write_bytes(build_workbook(catalog, BuildOptions(locale=locale, first_month=first_month), values).data)
        made[name] = (path, values)
    return made


def agree(cached: Any, computed: Any) -> bool:
    if cached in (None, "") or computed in (None, ""):
        return cached in (None, "") and computed in (None, "")
    if isinstance(cached, bool) or isinstance(computed, bool):
        return cached is computed
    if isinstance(cached, int | float) and isinstance(computed, int | float):
        return math.isclose(cached, computed, rel_tol=1e-9, abs_tol=1e-12)
    return bool(cached == computed)


def test_every_cached_value_is_what_libreoffice_computes(
    built: dict[str, tuple[Path, Values]], libreoffice: LibreOffice, tmp_path: Path
) -> None:
    names = list(built)
    recalculated = libreoffice.recalculate([built[n][0] for n in names], tmp_path / "recalculated")
    total = 0
    for name, theirs in zip(names, recalculated, strict=True):
        formulas = openpyxl.load_workbook(built[name][0])
        ours = openpyxl.load_workbook(built[name][0], data_only=True)
        lo = openpyxl.load_workbook(theirs, data_only=True)
        compared, differ = 0, []
        for ws in formulas.worksheets:
            for row in ws.iter_rows():
                for found in row:
                    if not (isinstance(found.value, str) and found.value.startswith("=")):
                        continue
                    compared += 1
                    mine = ours[ws.title].cell(found.row, found.column).value
                    office = lo[ws.title].cell(found.row, found.column).value
                    if not agree(mine, office):
                        differ.append(f"{ws.title}!{found.coordinate} {found.value[:60]}: {mine!r} != {office!r}")
        assert compared > 700 and differ == [], f"{name}: {len(differ)} of {compared} differ: {differ[:5]}"
        total += compared
    assert total > 8000


@pytest.mark.parametrize("name", [s[0] for s in SCENARIOS])
def test_every_kpi_cell_is_the_catalogues(
    request: pytest.FixtureRequest, built: dict[str, tuple[Path, Values]], name: str
) -> None:
    """The file's own cached values (no spreadsheet involved) against generator.template.periods."""
    _name, catalog_name, locale, _first, _kind = next(s for s in SCENARIOS if s[0] == name)
    path, values = built[name]
    assert check_workbook(path, request.getfixturevalue(catalog_name), values, locale) > 300


def test_default_libreoffice_shows_the_demo_year(
    crm: Catalog, libreoffice_default: LibreOffice, tmp_path: Path
) -> None:
    """Opened as a new user would (no recalculation on load), the cards show the demo year's last month."""
    source = tmp_path / "in" / "crm-en-sample.xlsx"
    source.parent.mkdir()
    source.write_bytes(build_workbook(crm, BuildOptions(locale="en", sample=True)).data)
    shown = openpyxl.load_workbook(libreoffice_default.convert(source, tmp_path / "out"), data_only=True)
    layout = Layout.plan(crm, sheet_names(Texts.for_build(crm, "en", "USD")))
    dashboard = shown[layout.sheets.dashboard]
    expected = kpi_values(crm, read_sample(crm))
    groups, _end = plan_cards(crm)
    checked = 0
    for group in groups:
        for kpi_id, (top, left) in group.cards.items():
            value = dashboard.cell(top + 2, left + 1).value  # the card's value row, 1-based
            month = expected[kpi_id][11]
            assert isinstance(value, int | float) and month is not None, (kpi_id, value)
            assert math.isclose(value, month, rel_tol=1e-9), (kpi_id, value, month)
            checked += 1
    assert checked == len(crm.kpis)
    assert str(dashboard.cell(4, 6).value).endswith("2026")  # the month shown, "▸ Dec 2026"
