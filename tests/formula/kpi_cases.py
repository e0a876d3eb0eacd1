"""Hand-worked examples for the 26 CRM KPIs, shared by the Python and the Excel formula tests.

Every expected value is worked out by hand from the formula of kpi-reference.md, with the
arithmetic written next to it; none is computed by the code under test.
"""

from __future__ import annotations

Values = dict[str, float | None]

# kpi id -> (inputs, expected value); the inputs are exactly the ones the KPI's formula reads.
EXAMPLES: dict[str, tuple[Values, float]] = {
    "email_campaigns": ({"email_campaigns": 4}, 4),
    "email_ctr": ({"email_clicks": 150, "emails_sent": 5000}, 0.03),  # 150 / 5000
    "website_conversion_rate": ({"website_conversions": 84, "website_visits": 4200}, 0.02),  # 84 / 4200
    "sales_calls": ({"sales_calls": 120}, 120),
    "sms_sent": ({"sms_sent": 2500}, 2500),
    "avg_interaction_cost": ({"interaction_cost": 9000, "interactions": 1200}, 7.5),  # 9000 / 1200
    "self_service_rate": ({"issues_self_resolved": 45, "issues_reported": 180}, 0.25),  # 45 / 180
    "new_leads": ({"new_leads": 320}, 320),
    "cost_per_lead": ({"campaign_cost": 8000, "new_leads": 320}, 25),  # 8000 / 320
    "lead_conversion_rate": ({"leads_converted": 48, "new_leads": 320}, 0.15),  # 48 / 320
    # two cost inputs added before dividing: (30000 + 18000) / 40 = 48000 / 40
    "customer_acquisition_cost": ({"marketing_cost": 30000, "sales_cost": 18000, "new_customers": 40}, 1200),
    # new customers do not count as retained: (1050 - 100) / 1000
    "retention_rate": ({"customers_end": 1050, "new_customers": 100, "customers_start": 1000}, 0.95),
    "acquisition_rate": ({"new_customers": 105, "customers_end": 1050}, 0.1),  # 105 / 1050
    "churn_rate": ({"customers_lost": 50, "customers_start": 1000}, 0.05),  # 50 / 1000
    "complaints": ({"complaints": 12}, 12),
    "first_contact_resolution": ({"requests_resolved_first_contact": 340, "requests_handled": 400}, 0.85),
    "avg_resolution_time": ({"handling_minutes": 6000, "requests_handled": 400}, 15),  # 6000 / 400
    "csat": ({"csat_score_total": 1720, "csat_responses": 400}, 4.3),  # 1720 / 400
    "customer_effort_score": ({"ces_score_total": 780, "ces_responses": 200}, 3.9),  # 780 / 200
    "sales_cycle_length": ({"sales_cycle_days_total": 900, "deals_won": 20}, 45),  # 900 / 20
    "roi": ({"net_profit": 25000, "investment_cost": 100000}, 0.25),  # 25000 / 100000
    # 250 * 4 = 1000; * 3.5 = 3500; * 0.2 = 700
    "customer_lifetime_value": (
        {"avg_sale_value": 250, "purchase_frequency": 4, "customer_lifespan_years": 3.5, "profit_margin": 0.2},
        700,
    ),
    "market_share": ({"company_sales": 2_500_000, "market_sales": 20_000_000}, 0.125),  # 2.5M / 20M
    "repeat_purchase_rate": ({"repeat_customers": 90, "purchasing_customers": 360}, 0.25),  # 90 / 360
    # (50 - 20) / (50 + 30 + 20) * 100 = 30 / 100 * 100
    "nps": ({"nps_promoters": 50, "nps_passives": 30, "nps_detractors": 20}, 30),
    "brand_awareness": ({"brand_aware": 240, "brand_surveyed": 800}, 0.3),  # 240 / 800
}

# More hand-worked values for the KPIs whose reading the issue singles out.
MORE: list[tuple[str, Values, float]] = [
    ("roi", {"net_profit": -15000, "investment_cost": 60000}, -0.25),  # a loss: -15000 / 60000
    ("roi", {"net_profit": 0, "investment_cost": 60000}, 0),  # break-even is 0, not blank
    ("nps", {"nps_promoters": 0, "nps_passives": 0, "nps_detractors": 40}, -100),  # (0 - 40) / 40 * 100
    ("nps", {"nps_promoters": 25, "nps_passives": 0, "nps_detractors": 0}, 100),  # (25 - 0) / 25 * 100
    ("nps", {"nps_promoters": 0, "nps_passives": 10, "nps_detractors": 0}, 0),  # (0 - 0) / 10 * 100
    # passives pull towards zero: (60 - 20) / (60 + 20 + 20) * 100 = 40, against 50 without them
    ("nps", {"nps_promoters": 60, "nps_passives": 20, "nps_detractors": 20}, 40),
    ("nps", {"nps_promoters": 60, "nps_passives": 0, "nps_detractors": 20}, 50),  # 40 / 80 * 100
    ("retention_rate", {"customers_end": 900, "new_customers": 0, "customers_start": 1000}, 0.9),
    # more new customers than the net growth: (1000 - 150) / 1000, below 100% although the base held
    ("retention_rate", {"customers_end": 1000, "new_customers": 150, "customers_start": 1000}, 0.85),
    ("customer_acquisition_cost", {"marketing_cost": 0, "sales_cost": 5000, "new_customers": 10}, 500),
    (
        "customer_lifetime_value",
        {"avg_sale_value": 0, "purchase_frequency": 4, "customer_lifespan_years": 3, "profit_margin": 0.3},
        0,
    ),
    ("email_ctr", {"email_clicks": 0, "emails_sent": 800}, 0),  # nobody clicked: 0, not blank
    ("email_campaigns", {"email_campaigns": 0}, 0),  # no campaign this month is a value
    ("complaints", {"complaints": 0}, 0),
]

# kpi id -> inputs with a zero denominator (all other inputs present): the KPI is blank.
ZERO_DENOMINATOR: dict[str, Values] = {
    "email_ctr": {"email_clicks": 0, "emails_sent": 0},
    "website_conversion_rate": {"website_conversions": 0, "website_visits": 0},
    "avg_interaction_cost": {"interaction_cost": 500, "interactions": 0},
    "self_service_rate": {"issues_self_resolved": 0, "issues_reported": 0},
    "cost_per_lead": {"campaign_cost": 8000, "new_leads": 0},
    "lead_conversion_rate": {"leads_converted": 0, "new_leads": 0},
    "customer_acquisition_cost": {"marketing_cost": 30000, "sales_cost": 18000, "new_customers": 0},
    "retention_rate": {"customers_end": 10, "new_customers": 10, "customers_start": 0},
    "acquisition_rate": {"new_customers": 0, "customers_end": 0},
    "churn_rate": {"customers_lost": 0, "customers_start": 0},
    "first_contact_resolution": {"requests_resolved_first_contact": 0, "requests_handled": 0},
    "avg_resolution_time": {"handling_minutes": 0, "requests_handled": 0},
    "csat": {"csat_score_total": 0, "csat_responses": 0},
    "customer_effort_score": {"ces_score_total": 0, "ces_responses": 0},
    "sales_cycle_length": {"sales_cycle_days_total": 0, "deals_won": 0},
    "roi": {"net_profit": -500, "investment_cost": 0},
    "market_share": {"company_sales": 0, "market_sales": 0},
    "repeat_purchase_rate": {"repeat_customers": 0, "purchasing_customers": 0},
    "nps": {"nps_promoters": 0, "nps_passives": 0, "nps_detractors": 0},  # nobody answered the survey
    "brand_awareness": {"brand_aware": 0, "brand_surveyed": 0},
}

# The KPIs that are plain counts of one input: no denominator, so no zero-denominator case.
NO_DENOMINATOR = {"email_campaigns", "sales_calls", "sms_sent", "new_leads", "complaints", "customer_lifetime_value"}
