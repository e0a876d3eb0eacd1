"""The 26 CRM KPIs evaluated in Python, and their months, quarters and year-to-date.

Expected values are worked out by hand (see kpi_cases.py and the comments below), never
computed with the code under test.
"""

from __future__ import annotations

import math

import pytest

from generator.catalog import Catalog, load_catalog
from generator.catalog.model import Aggregation, Better
from generator.formula import evaluate
from generator.formula.expr import refs
from generator.paths import CATALOG_DIR
from generator.template.periods import (
    MONTHS,
    PERIODS,
    aggregate,
    input_periods,
    kpi_status,
    kpi_values,
    latest,
    period_target,
    status,
)
from tests.formula.kpi_cases import EXAMPLES, MORE, NO_DENOMINATOR, ZERO_DENOMINATOR


@pytest.fixture(scope="module")
def crm() -> Catalog:
    """The formulas of kpi-reference.md are those of crm 1.0.0 (1.1.0's changes: tests/catalog/test_crm_1_1.py)."""
    return load_catalog(CATALOG_DIR / "crm-1.0.0.yaml")


Q1, Q2, Q3, Q4, YTD = range(MONTHS, PERIODS)


def test_every_kpi_has_a_hand_worked_example(crm: Catalog) -> None:
    assert set(EXAMPLES) == set(crm.kpis)
    assert len(EXAMPLES) == 26
    assert set(ZERO_DENOMINATOR) | NO_DENOMINATOR == set(crm.kpis)


@pytest.mark.parametrize("kpi_id", sorted(EXAMPLES))
def test_formula_reads_exactly_the_example_inputs(crm: Catalog, kpi_id: str) -> None:
    assert set(refs(crm.formulas[kpi_id])) == set(EXAMPLES[kpi_id][0])


@pytest.mark.parametrize(
    ("kpi_id", "values", "expected"),
    [(k, values, expected) for k, (values, expected) in EXAMPLES.items()] + MORE,
    ids=[*EXAMPLES, *(f"{k}-{i}" for i, (k, _, _) in enumerate(MORE))],
)
def test_kpi_value(crm: Catalog, kpi_id: str, values: dict[str, float | None], expected: float) -> None:
    result = evaluate(crm.formulas[kpi_id], values)
    assert result is not None
    assert result == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("kpi_id", sorted(ZERO_DENOMINATOR))
def test_zero_denominator_is_blank(crm: Catalog, kpi_id: str) -> None:
    assert evaluate(crm.formulas[kpi_id], ZERO_DENOMINATOR[kpi_id]) is None


@pytest.mark.parametrize("kpi_id", sorted(EXAMPLES))
def test_any_blank_input_makes_the_kpi_blank(crm: Catalog, kpi_id: str) -> None:
    values = EXAMPLES[kpi_id][0]
    for name in values:
        assert evaluate(crm.formulas[kpi_id], {**values, name: None}) is None, name
        missing = {k: v for k, v in values.items() if k != name}
        assert evaluate(crm.formulas[kpi_id], missing) is None, name


def test_inputs_of_other_kpis_do_not_matter(crm: Catalog) -> None:
    values, expected = EXAMPLES["email_ctr"]
    noise = {"website_visits": None, "nps_promoters": 0, "customers_start": 0}
    assert evaluate(crm.formulas["email_ctr"], {**noise, **values}) == pytest.approx(expected)


# ---- time aggregation ------------------------------------------------------------------------


def test_aggregate_by_kind() -> None:
    months = [None, 5, None, 0, 7, None]
    assert aggregate(Aggregation.FLOW, months) == 12  # 5 + 0 + 7
    assert aggregate(Aggregation.OPENING, months) == 5  # first month with data
    assert aggregate(Aggregation.CLOSING, months) == 7  # last month with data
    assert aggregate(Aggregation.LEVEL, months) == pytest.approx(4)  # (5 + 0 + 7) / 3, blanks not counted
    assert aggregate(Aggregation.CLOSING, [3, 0, None]) == 0  # a last value of 0 is data
    assert aggregate(Aggregation.FLOW, [0, None]) == 0  # zero, not blank
    for kind in Aggregation:
        assert aggregate(kind, [None, None, None]) is None
        assert aggregate(kind, []) is None


def test_an_average_is_of_the_exact_sum() -> None:
    """A level's average is the exactly rounded sum divided by the count (``statistics.fmean``'s rule): 0.1 +
    0.2 + 0.3 is 0.6 exactly rounded (adding left to right gives 0.6000000000000001), and 0.6 / 3 is the
    double 0.19999999999999998. Two numbers near the largest double overflow the sum: #NUM! in a
    spreadsheet, infinite here (the comparison reports it)."""
    assert aggregate(Aggregation.LEVEL, [0.1, None, 0.2, 0.3]) == 0.19999999999999998
    assert aggregate(Aggregation.DISTINCT, [0.1, 0.2, 0.3]) == 0.6 / 3
    assert aggregate(Aggregation.LEVEL, [1.5e308, 1.5e308]) == math.inf
    assert aggregate(Aggregation.LEVEL, [1e308, -1e308, 4.0]) == 4.0 / 3  # exact: the huge ones cancel


_ = None
# A hand-worked year. Month 4 has no email data; customers are counted from month 2 to month 11.
YEAR: dict[str, list[float | None]] = {
    "emails_sent": [1000, 2000, 1000, _, 500, 500, 1000, 1000, 1000, 2000, 2000, 2000],
    "email_clicks": [10, 60, 30, _, 5, 15, 20, 20, 20, 40, 40, 40],
    "customers_start": [_, 1000, 1020, 1050, 1060, 1070, 1080, 1090, 1100, 1110, 1120, _],
    "customers_end": [_, 1020, 1050, 1060, 1070, 1080, 1090, 1100, 1110, 1120, 1130, _],
    "new_customers": [_, 40, 50, 30, 30, 30, 30, 30, 30, 30, 30, _],
    "customers_lost": [_, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, _],
    # level inputs, given in the first quarter only
    "avg_sale_value": [200, 220, 240, _, _, _, _, _, _, _, _, _],
    "purchase_frequency": [4, 4, 4, _, _, _, _, _, _, _, _, _],
    "customer_lifespan_years": [3, 3, 3, _, _, _, _, _, _, _, _, _],
    "profit_margin": [0.2, 0.3, 0.25, _, _, _, _, _, _, _, _, _],
    "new_leads": [280, 310, 300, _, _, _, _, _, _, _, _, _],
}


def test_input_periods(crm: Catalog) -> None:
    periods = input_periods(crm, YEAR)
    assert set(periods) == set(crm.inputs)
    assert all(len(row) == PERIODS for row in periods.values())
    assert periods["emails_sent"][:MONTHS] == YEAR["emails_sent"]
    # flow: sums; Q2 skips the blank month 4; YTD = 4000 + 1000 + 3000 + 6000
    assert periods["emails_sent"][MONTHS:] == [4000, 1000, 3000, 6000, 14000]
    assert periods["email_clicks"][MONTHS:] == [100, 20, 60, 120, 300]
    # opening: the first month with data (month 2 for Q1 and the year)
    assert periods["customers_start"][MONTHS:] == [1000, 1050, 1080, 1110, 1000]
    # closing: the last month with data (month 11 for Q4 and the year)
    assert periods["customers_end"][MONTHS:] == [1050, 1080, 1110, 1130, 1130]
    assert periods["new_customers"][MONTHS:] == [90, 90, 90, 60, 330]
    # level: the mean of the months with data; no data in Q2..Q4
    assert periods["avg_sale_value"][MONTHS:] == pytest.approx([220, None, None, None, 220])  # (200+220+240)/3
    assert periods["profit_margin"][Q1] == pytest.approx(0.25)  # (0.2 + 0.3 + 0.25) / 3
    # an input without any data is blank everywhere
    assert periods["nps_promoters"] == [None] * PERIODS


def test_kpi_values_ratio_of_sums(crm: Catalog) -> None:
    ctr = kpi_values(crm, YEAR)["email_ctr"]
    # 10/1000, 60/2000, 30/1000, blank, 5/500, 15/500, 20/1000 (x3), 40/2000 (x3)
    expected_months = [0.01, 0.03, 0.03, None, 0.01, 0.03, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02]
    assert ctr[:MONTHS] == pytest.approx(expected_months)
    assert ctr[Q1] == pytest.approx(100 / 4000)  # 0.025: a ratio of sums ...
    assert ctr[Q1] != pytest.approx((0.01 + 0.03 + 0.03) / 3)  # ... not the mean of the ratios (0.0233)
    assert ctr[Q2] == pytest.approx(20 / 1000)  # month 4 is skipped, not counted as 0
    assert ctr[Q3] == pytest.approx(60 / 3000)
    assert ctr[Q4] == pytest.approx(120 / 6000)
    assert ctr[YTD] == pytest.approx(300 / 14000)


def test_kpi_values_stocks(crm: Catalog) -> None:
    values = kpi_values(crm, YEAR)
    retention, churn = values["retention_rate"], values["churn_rate"]
    assert retention[0] is None and retention[11] is None  # months without customer data
    assert retention[1] == pytest.approx((1020 - 40) / 1000)  # 0.98
    assert retention[Q1] == pytest.approx((1050 - 90) / 1000)  # 0.96: end of month 3, start of month 2
    assert retention[Q4] == pytest.approx((1130 - 60) / 1110)  # start of month 10, end of month 11
    assert retention[YTD] == pytest.approx((1130 - 330) / 1000)  # 0.8
    assert churn[YTD] == pytest.approx(200 / 1000)  # ten months of 20 lost over the opening 1000
    assert values["acquisition_rate"][YTD] == pytest.approx(330 / 1130)


def test_kpi_values_levels(crm: Catalog) -> None:
    ltv = kpi_values(crm, YEAR)["customer_lifetime_value"]
    # months: 200*4*3*0.2 = 480, 220*4*3*0.3 = 792, 240*4*3*0.25 = 720
    assert ltv[:3] == pytest.approx([480, 792, 720])
    assert ltv[3:MONTHS] == [None] * 9
    # Q1 from the mean inputs: 220 * 4 * 3 * 0.25 = 660 (not the mean of the monthly LTVs, 664)
    assert ltv[Q1] == pytest.approx(660)
    assert ltv[Q2] is None and ltv[Q3] is None and ltv[Q4] is None
    assert ltv[YTD] == pytest.approx(660)


def test_kpi_values_without_data_are_blank(crm: Catalog) -> None:
    values = kpi_values(crm, YEAR)
    assert set(values) == set(crm.kpis)
    assert values["nps"] == [None] * PERIODS
    assert kpi_values(crm, {})["email_ctr"] == [None] * PERIODS


# ---- status --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "better", "expected"),
    [
        # higher is better, target 100, tolerance 10%: on track >= 100, at risk >= 90
        (120, 100, 0.1, Better.HIGHER, 1),
        (100, 100, 0.1, Better.HIGHER, 1),
        (95, 100, 0.1, Better.HIGHER, 0),
        (90, 100, 0.1, Better.HIGHER, 0),
        (89.9, 100, 0.1, Better.HIGHER, -1),
        # lower is better, target 100, tolerance 10%: on track <= 100, at risk <= 110
        (80, 100, 0.1, Better.LOWER, 1),
        (100, 100, 0.1, Better.LOWER, 1),
        (110, 100, 0.1, Better.LOWER, 0),
        (110.1, 100, 0.1, Better.LOWER, -1),
        # a negative target uses |t|: -10 - 0.1*10 = -11
        (-10.5, -10, 0.1, Better.HIGHER, 0),
        (-11.5, -10, 0.1, Better.HIGHER, -1),
        (-9.5, -10, 0.1, Better.LOWER, 0),  # -10 + 0.1*10 = -9
        # no tolerance: only on or off track
        (99, 100, 0, Better.HIGHER, -1),
        (99, 100, None, Better.HIGHER, -1),
        # target 0: the at-risk band is empty
        (0.5, 0, 0.1, Better.LOWER, -1),
        # no status without a value or a target, or for an informational KPI
        (None, 100, 0.1, Better.HIGHER, None),
        (100, None, 0.1, Better.HIGHER, None),
        (100, 100, 0.1, Better.INFO, None),
    ],
)
def test_status(
    value: float | None, target: float | None, tolerance: float | None, better: Better, expected: int | None
) -> None:
    assert status(value, target, tolerance, better) == expected


def test_time_degree(crm: Catalog) -> None:
    """Counts and flow-per-stock rates grow with the period; ratios of flows, averages and levels
    do not; retention mixes a stock with a flow, so no monthly target judges its year."""
    degrees = crm.time_degree
    assert {k for k, d in degrees.items() if d == 1} == {
        "email_campaigns",
        "sales_calls",
        "sms_sent",
        "new_leads",
        "complaints",
        "churn_rate",
        "acquisition_rate",
    }
    assert {k for k, d in degrees.items() if d is None} == {"retention_rate"}
    assert degrees["email_ctr"] == degrees["customer_lifetime_value"] == degrees["nps"] == 0


def test_period_target(crm: Catalog) -> None:
    months = [280, 310, None, 300] + [None] * 8
    assert period_target(crm, "new_leads", 300, months) == 900  # 300 a month, three months with data
    assert period_target(crm, "churn_rate", 0.02, months) == pytest.approx(0.06)  # 2% a month, three months
    assert period_target(crm, "email_ctr", 0.03, months) == 0.03  # a ratio's target is not scaled
    assert period_target(crm, "retention_rate", 0.97, months) is None  # no monthly target judges a quarter
    assert period_target(crm, "new_leads", None, months) is None
    assert period_target(crm, "new_leads", 300, [None] * MONTHS) == 0


def test_kpi_status_judges_the_latest_month(crm: Catalog) -> None:
    leads = kpi_values(crm, YEAR)["new_leads"]  # 280, 310, blank, 300, then blank months
    assert latest(leads) == 300
    assert kpi_status(crm, "new_leads", leads, 300, 0.1) == 1  # 300 >= 300
    assert kpi_status(crm, "new_leads", leads, 320, 0.1) == 0  # 300 >= 320 - 32
    assert kpi_status(crm, "new_leads", leads, 340, 0.1) == -1  # 300 < 340 - 34
    assert kpi_status(crm, "new_leads", [None] * PERIODS, 300, 0.1) is None


def test_kpi_status_lower_is_better_count(crm: Catalog) -> None:
    complaints = kpi_values(crm, {"complaints": [10, 12, 8, 11] + [None] * 8})["complaints"]
    assert latest(complaints) == 11
    assert kpi_status(crm, "complaints", complaints, 11, 0.1) == 1  # 11 <= 11
    assert kpi_status(crm, "complaints", complaints, 10, 0.1) == 0  # 11 <= 10 + 1
    assert kpi_status(crm, "complaints", complaints, 9, 0.1) == -1  # 11 > 9 + 0.9


def test_kpi_status_of_a_ratio_and_an_info_kpi(crm: Catalog) -> None:
    values = {"email_clicks": [30, 45, None] + [None] * 9, "emails_sent": [1000, 1500, 2000] + [None] * 9}
    ctr = kpi_values(crm, values)["email_ctr"]
    assert latest(ctr) == 0.03  # March has no clicks: February's 45 / 1500 is the latest month
    assert kpi_status(crm, "email_ctr", ctr, 0.03, 0.1) == 1
    assert kpi_status(crm, "email_ctr", ctr, 0.032, 0.1) == 0  # 0.03 >= 0.032 - 0.0032
    assert kpi_status(crm, "email_ctr", ctr, 0.04, 0.1) == -1
    assert kpi_status(crm, "email_ctr", ctr, None, 0.1) is None
    campaigns = kpi_values(crm, {"email_campaigns": [3] * MONTHS})["email_campaigns"]
    assert kpi_status(crm, "email_campaigns", campaigns, 5, 0.1) is None  # informational: never a status
