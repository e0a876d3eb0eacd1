"""crm 1.1.0: the analyst's corrections, each against 1.0.0, and a 1.0.0 workbook regenerated to it.

Expected values are worked by hand in the comments; the 1.0.0 catalogue stays bundled
(kpi_catalog/crm-1.0.0.yaml) for reading and regenerating its workbooks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog import Catalog, load_catalog
from generator.catalog.model import Aggregation, Better
from generator.errors import CatalogError
from generator.formula import parse
from generator.paths import CATALOG_DIR
from generator.template.periods import aggregate, kpi_status, status
from generator.template.sheet_formulas import aggregate_formula, status_expression
from generator.transfer.regenerate import regenerate
from generator.validate.identify import bundled_catalog
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from tests.transfer.test_regenerate import typed
from tests.validate import fill

DISTINCT = {"purchasing_customers", "repeat_customers"}


@pytest.fixture(scope="module")
def old() -> Catalog:
    return load_catalog(CATALOG_DIR / "crm-1.0.0.yaml")


def test_versions_are_bundled_side_by_side(crm: Catalog, old: Catalog) -> None:
    assert (crm.version, old.version) == ("1.1.0", "1.0.0")
    assert bundled_catalog("crm") == CATALOG_DIR / "crm.yaml"
    assert bundled_catalog("crm", "1.0.0") == CATALOG_DIR / "crm-1.0.0.yaml"
    assert bundled_catalog("crm", "1.1.0") == CATALOG_DIR / "crm.yaml"


def test_only_the_corrections_differ(crm: Catalog, old: Catalog) -> None:
    assert list(crm.kpis) == list(old.kpis)  # every KPI id of kpi-reference.md is kept
    assert set(crm.inputs) ^ set(old.inputs) == {"email_clicks", "email_unique_clicks"}
    assert crm.inputs["email_unique_clicks"].replaces == ["email_clicks"]
    assert crm.formulas["email_ctr"] == parse("email_unique_clicks / emails_sent")
    assert {k for k in crm.kpis if crm.formulas[k] != old.formulas[k]} == {"email_ctr"}
    for input_id, spec in crm.inputs.items():
        if input_id in DISTINCT:
            assert spec.aggregation is Aggregation.DISTINCT
        elif input_id in old.inputs:
            assert spec.aggregation is old.inputs[input_id].aggregation, input_id
    assert crm.rules["clicks_within_sent"].check == "email_unique_clicks <= emails_sent"
    assert "after" in crm.inputs["net_profit"].help["en"] and "after" in crm.kpis["roi"].texts["en"].description
    nps = crm.kpis["nps"]
    assert (nps.tolerance, nps.tolerance_unit, old.kpis["nps"].tolerance_unit) == (5, "points", "percent")


def test_distinct_counts_are_averaged_not_summed() -> None:
    assert aggregate(Aggregation.DISTINCT, [120, None, 90, 150]) == 120  # (120 + 90 + 150) / 3
    assert aggregate(Aggregation.DISTINCT, [None, None]) is None
    assert aggregate_formula(Aggregation.DISTINCT, 9, 3, 5) == '=IF(COUNT(D10:F10)=0,"",AVERAGE(D10:F10))'


def test_repeat_rate_of_a_quarter_is_the_average_months_rate(crm: Catalog) -> None:
    from generator.template.periods import kpi_values

    months = {"repeat_customers": [30, 10, 20] + [None] * 9, "purchasing_customers": [100, 50, 90] + [None] * 9}
    q1 = kpi_values(crm, months)["repeat_purchase_rate"][12]
    assert q1 == pytest.approx(20 / 80)  # average repeat 20 over average purchasing 80, not a sum over customers


def test_nps_tolerance_is_in_points(crm: Catalog) -> None:
    # target 30, tolerance 5 points: 25 is at risk, 24.9 off track; as 5 (500%) of the target it would be at risk
    assert status(25, 30, 5, Better.HIGHER, points=True) == 0
    assert status(24.9, 30, 5, Better.HIGHER, points=True) == -1
    assert status(24.9, 30, 0.1, Better.HIGHER) == -1 and status(27, 30, 0.1, Better.HIGHER) == 0
    assert kpi_status(crm, "nps", [26.0] + [None] * 11, 30, 5) == 0
    assert status_expression("A1", "B1", "C1", Better.HIGHER, points=True) == (
        'IF(OR(NOT(ISNUMBER(A1)),NOT(ISNUMBER(B1))),"",IF(A1>=B1,1,IF(A1>=B1-C1,0,-1)))'
    )


def test_a_points_tolerance_needs_a_value_and_a_per_month_kpi(tmp_path: Path) -> None:
    text = (CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8")
    path = tmp_path / "crm.yaml"
    for old, new, message in (
        # new leads is a count: its quarter is judged against three months' target, which points cannot follow
        ("    formula: new_leads\n", "    formula: new_leads\n    tolerance_unit: points\n", "cannot judge quarters"),
        ("    tolerance: 5\n    tolerance_unit: points\n", "    tolerance_unit: points\n", "needs its value"),
    ):
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), encoding="utf-8")
        with pytest.raises(CatalogError, match=r"crm\.yaml:\d+:\d+: kpis\[\d+\]\.tolerance\w*: .*" + message):
            load_catalog(path)


def test_bsc_imports_what_it_shares_with_crm(crm: Catalog, bsc: Catalog) -> None:
    import yaml

    own = yaml.safe_load((CATALOG_DIR / "bsc.yaml").read_text(encoding="utf-8"))
    assert not {i["id"] for i in own["inputs"]} & set(crm.inputs)
    assert not {r["id"] for r in own["rules"]} & set(crm.rules)
    assert bsc.inputs["customers_lost"] == crm.inputs["customers_lost"]
    assert bsc.rules["customer_balance"] == crm.rules["customer_balance"]


def test_a_filled_1_0_workbook_regenerates_to_1_1_with_nothing_lost(crm: Catalog, old: Catalog, tmp_path: Path) -> None:
    values = fill.valid_values(old, 31)
    options = BuildOptions(locale="tr", company="Örnek", year=2026, first_month=3, currency="TRY")
    source = tmp_path / "old.xlsx"
    targets = {"churn_rate": 0.04, "nps": 40.0}
    tolerances = {"csat": 0.2, "nps": 0.15}
    source.write_bytes(build_workbook(old, options, values, targets=targets, tolerances=tolerances).data)
    result = regenerate(source, tmp_path / "new.xlsx")
    assert (result.source.catalog_version, result.plan.catalog.version) == ("1.0.0", "1.1.0")
    new = typed(tmp_path / "new.xlsx", crm, options)
    expected = {i: values[i] for i in crm.inputs if i in values} | {"email_unique_clicks": values["email_clicks"]}
    assert new["inputs"] == expected
    assert (new["targets"]["churn_rate"], new["targets"]["nps"], new["tolerances"]["csat"]) == (0.04, 40.0, 0.2)
    # NPS's tolerance was 15% of its target in 1.0.0; 1.1.0 counts points: it is carried over, not misread.
    assert new["tolerances"]["nps"] == 5
    carried = [(r.kind, r.id, r.value, r.why) for r in result.plan.carried]
    assert carried == [("tolerance", "nps", 0.15, "tolerance-unit")]
    assert "Aktarılanlar" in new["sheets"]
