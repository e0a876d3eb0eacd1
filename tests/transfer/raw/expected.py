"""The bundled profiles' fixture exports (docs/examples/) and their monthly inputs, worked out by hand
from the rows (fiscal year 2026 from January; a month after each table's last date stays empty)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
N = None


def year(*months: float | None) -> list[float | None]:
    """The months given, then empty months to twelve."""
    return [*months, *[None] * (12 - len(months))]


FILES = {
    "hubspot": ["hubspot/hubspot-deals.csv", "hubspot/hubspot-contacts.csv"],
    "salesforce": ["salesforce/Opportunity.csv", "salesforce/Lead.csv", "salesforce/Contract.csv"],
    "pipedrive": ["pipedrive/pipedrive-deals.csv"],
    "zoho": ["zoho/Deals.csv", "zoho/Leads.csv"],
}

EXPECTED: dict[str, dict[str, list[float | None]]] = {
    # deals: 9001 and 9002 won in January (21 and 26 days; 1200 + 800.50), 9004 in February (14 days),
    # 9006 on 1 March at midnight without an amount (9 days), 9003 lost, 9005 open, 9007 closed in
    # 2025, 9008's Close Date 31/03/2026 not a date. Last date: 2026-03-02. Contacts: last 2026-03-10.
    "hubspot": {
        "deals_won": year(2, 1, 1),
        "company_sales": year(2000.5, 2000, 0),
        "sales_cycle_days_total": year(47, 14, 9),
        "avg_sale_value": year(1000.25, 2000, N),
        "new_leads": year(2, 1, 1),
        "new_customers": year(1, 2, 0),
        "leads_converted": year(1, 1, 0),
    },
    # Opportunities: Alpha (13 days) and Beta (created 2025-12-31 23:00 UTC, 20 days) won in January for
    # one account, Delta in February (26 days); last date 2026-03-30. Leads: last 2026-03-20.
    # Contracts [start, end): A 2025-06-01..2026-05-31, B 2026-01-01.., C 2026-02-15..2026-02-28,
    # E 2025-01-01..2026-01-31, D a draft; last date 2026-12-31 (D's end), so every month has a value.
    "salesforce": {
        "deals_won": year(2, 1, 0),
        "company_sales": year(1500, 1500, 0),
        "sales_cycle_days_total": year(33, 26, 0),
        "avg_sale_value": year(750, 1500, N),
        "purchasing_customers": year(1, 1, 0),
        "new_leads": year(2, 1, 1),
        "leads_converted": year(0, 1, 1),
        "customers_start": [3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1],
        "customers_end": [2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1],
    },
    # Alpha won 20 January (18 days), Beta 3 February (24 days) and Delta 28 February (27 days); Gamma
    # lost, Epsilon open; last date 2026-03-05.
    "pipedrive": {
        "deals_won": year(1, 2, 0),
        "company_sales": year(1000, 850, 0),
        "sales_cycle_days_total": year(18, 51, 0),
        "avg_sale_value": year(1000, 425, N),
        "purchasing_customers": year(1, 2, 0),
    },
    # Alpha (13 days) and Beta (11 days) for Acme in January, Delta (created 12/15/2025, 48 days) in
    # February; last date 03/20/2026. Leads: two in January, one in February, one in March.
    "zoho": {
        "deals_won": year(2, 1, 0),
        "company_sales": year(2000, 2500, 0),
        "sales_cycle_days_total": year(24, 48, 0),
        "avg_sale_value": year(1000, 2500, N),
        "purchasing_customers": year(1, 1, 0),
        "new_leads": year(2, 1, 1),
    },
}
