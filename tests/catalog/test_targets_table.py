"""Every bundled default target and tolerance equals the reviewed table of docs/targets.md.

The table was written by hand, each figure with what backs it (kpi-reference.md, the seeds, the
KPIs it is tied to); a tenfold typo in a catalogue (churn 0.025 written 0.25, CSAT's tolerance
0.05 written 0.5) no longer matches it. The ties the review relies on are checked as well, from
the catalogues: retention is 1 - churn, CPL < CAC < LTV in every currency.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.catalog import Catalog, load_catalog
from generator.catalog.model import Better, Unit
from generator.paths import CATALOG_DIR

TABLE = (Path(__file__).parents[2] / "docs" / "targets.md").read_text(encoding="utf-8")
BUNDLED = sorted(CATALOG_DIR.glob("*.yaml"))
Figures = tuple[float | dict[str, float], float, str]  # target (or per currency), tolerance, its unit


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def reviewed() -> dict[str, Figures]:
    """``kpi`` (or ``kpi@version``) -> (target, tolerance, unit), from the rows of the table."""
    rows: dict[str, Figures] = {}
    for found in re.finditer(r"^\| ([a-z_]+(?:@[0-9.]+)?) \| ([^|]+) \| ([^|]+) \|", TABLE, re.MULTILINE):
        kpi, target_text, tolerance_text = found.group(1), found.group(2).strip(), found.group(3).strip()
        target: float | dict[str, float]
        if re.fullmatch(r"[0-9.,]+", target_text):
            target = _number(target_text)
        else:
            target = {code: _number(amount) for code, amount in re.findall(r"([A-Z]{3}) ([0-9.,]+)", target_text)}
        tolerance, _, unit = tolerance_text.partition(" ")
        rows[kpi] = (target, _number(tolerance), unit or "percent")  # a bare number: a fraction of the target
    return rows


def actual(catalog: Catalog) -> dict[str, Figures]:
    found: dict[str, Figures] = {}
    for kpi in catalog.kpis.values():
        if kpi.better is Better.INFO:
            assert kpi.target is None and not kpi.targets and kpi.tolerance is None, kpi.id
            continue
        target: float | dict[str, float] = dict(kpi.targets) if kpi.targets else kpi.target  # type: ignore[assignment]
        assert kpi.tolerance is not None, kpi.id
        found[kpi.id] = (target, kpi.tolerance, kpi.tolerance_unit)
    return found


def test_the_table_has_every_kpi_with_a_target() -> None:
    rows = reviewed()
    ids = {kpi.id for path in BUNDLED for kpi in load_catalog(path).kpis.values() if kpi.better is not Better.INFO}
    assert {key.partition("@")[0] for key in rows} == ids
    assert len(rows) == 27, "26 KPIs with a target over both catalogues, and NPS as 1.0.0 had it"


@pytest.mark.parametrize("path", BUNDLED, ids=[path.name for path in BUNDLED])
def test_bundled_targets_and_tolerances_are_the_reviewed_ones(path: Path) -> None:
    catalog = load_catalog(path)
    rows = reviewed()
    for kpi_id, figures in actual(catalog).items():
        expected = rows.get(f"{kpi_id}@{catalog.version}", rows[kpi_id])
        assert figures == expected, f"{path.name}: {kpi_id}"


@pytest.mark.parametrize("path", BUNDLED, ids=[path.name for path in BUNDLED])
def test_tied_targets_agree(path: Path) -> None:
    """The ties the review states hold in the catalogue itself, whatever the table says."""
    catalog = load_catalog(path)
    kpis = catalog.kpis
    if "retention_rate" in kpis and "churn_rate" in kpis:
        assert kpis["retention_rate"].target == pytest.approx(1 - (kpis["churn_rate"].target or 0))
    money = ("cost_per_lead", "customer_acquisition_cost", "customer_lifetime_value")
    if set(money) <= kpis.keys():
        for currency in kpis["cost_per_lead"].targets:
            cpl, cac, ltv = (kpis[k].targets[currency] for k in money)
            assert cpl < cac < ltv, currency
    for kpi in kpis.values():
        if kpi.better is not Better.INFO and kpi.unit is Unit.PERCENT:
            assert kpi.target is not None and 0 < kpi.target < 1, kpi.id
