"""Exact quarter and year distinct counts from raw rows, worked out by hand, through both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.transfer.raw import pandas_engine
from generator.transfer.raw.exact import compute_exact
from generator.transfer.raw.files import assign, read_frame
from generator.transfer.raw.profile import Profile, load_profile
from tests.transfer.raw.expected import EXAMPLES

duckdb = pytest.importorskip("duckdb")

PROFILE = """\
profile: shop
description: customers who bought, from an order list
vocabulary:
  paid: [paid]
tables:
  orders:
    columns:
      customer: Customer
      status: Status
      placed: {column: Placed, type: date}
measures:
  purchasing_customers:
    about: Customers with a paid order in the month, each once.
    table: orders
    kind: count_distinct
    date: placed
    of: customer
    filter: status in paid
"""

# A fiscal year from April 2026 (Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March).
# ann buys in April and May (one customer in Q1), bob on 30 June late in the evening (Q1), ann again on
# 1 July at midnight (Q2, not Q1), cy in August (Q2) and a refused order in May (not paid). dan's order of
# 31 March 2026 is in the year before. The last date is 15 August, so Q3 and Q4 are empty.
ORDERS = """\
Customer,Status,Placed
ann,paid,2026-04-03 10:00
ann,paid,2026-05-20 09:00
bob,paid,2026-06-30 23:30
cy,refused,2026-05-01 12:00
ann,paid,2026-07-01 00:00
cy,paid,2026-08-15 16:00
dan,paid,2026-03-31 12:00
"""
MONTHS = [1, 1, 1, 1, 1, None, None, None, None, None, None, None]  # April..March; September starts after 15 August
EXACT = [2, 2, None, None, 3]  # Q1 {ann, bob}, Q2 {ann, cy}, Q3, Q4, year {ann, bob, cy}


def shop(tmp_path: Path) -> tuple[Profile, Path]:
    (tmp_path / "shop.yaml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    return load_profile(tmp_path / "shop.yaml"), tmp_path / "orders.csv"


Exact = dict[str, list[float | None]]


def both_engines(profile: Profile, files: list[str], year: int, first_month: int) -> list[Exact]:
    from generator.transfer.raw import duck
    from generator.transfer.raw.exact_sql import run_exact

    raws = assign(profile, files)
    frames = {}
    con = duck.connect()
    for raw in raws:
        frames[raw.table], _ = pandas_engine.prepare(read_frame(raw), profile.tables[raw.table], profile.time_zone)
        duck.register(con, raw.table, raw.path)
        duck.materialize(con, profile, raw.table)
    assert pandas_engine.compute(profile, frames, year, first_month)
    tables = {raw.table for raw in raws}
    return [compute_exact(profile, frames, year, first_month), run_exact(con, profile, year, first_month, tables)]


def test_an_id_in_two_months_of_a_quarter_counts_once(tmp_path: Path) -> None:
    profile, orders = shop(tmp_path)
    for exact in both_engines(profile, [str(orders)], 2026, 4):
        assert exact == {"purchasing_customers": EXACT}


def test_the_months_the_exact_figures_stand_beside(tmp_path: Path) -> None:
    profile, orders = shop(tmp_path)
    raw = assign(profile, [str(orders)])[0]
    frame, _ = pandas_engine.prepare(read_frame(raw), profile.tables["orders"], profile.time_zone)
    assert pandas_engine.compute(profile, {"orders": frame}, 2026, 4) == {"purchasing_customers": MONTHS}


@pytest.mark.parametrize(
    ("name", "files"),
    [
        ("pipedrive", ["pipedrive/pipedrive-deals.csv"]),  # Acme in January and February, Globex in February
        ("zoho", ["zoho/Deals.csv"]),  # Acme twice in January, Initech in February
        ("salesforce", ["salesforce/Opportunity.csv"]),  # account ...1AAA twice in January, ...3AAA in February
    ],
)
def test_bundled_fixtures(name: str, files: list[str]) -> None:
    """Each fixture's buyers end in early March: two distinct buyers in Q1 and the year, later quarters empty."""
    profile = load_profile(name)
    for exact in both_engines(profile, [str(EXAMPLES / f) for f in files], 2026, 1):
        assert exact == {"purchasing_customers": [2, None, None, None, 2]}


def test_a_profile_without_distinct_measures_has_none() -> None:
    profile = load_profile("hubspot")
    files = [str(EXAMPLES / "hubspot/hubspot-deals.csv"), str(EXAMPLES / "hubspot/hubspot-contacts.csv")]
    assert both_engines(profile, files, 2026, 1) == [{}, {}]


FIXTURES = {
    "pipedrive": ["pipedrive/pipedrive-deals.csv"],
    "salesforce": ["salesforce/Opportunity.csv"],
    "zoho": ["zoho/Deals.csv"],
}


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "bigquery", "snowflake", "spark"])
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_sql_exact_in_every_dialect(name: str, dialect: str) -> None:
    """`kpigen sql --exact` parses back in its dialect and, transpiled to DuckDB over the fixture, counts
    the same two buyers in Q1 and the year."""
    import sqlglot
    from click.testing import CliRunner

    from generator.cli import main
    from generator.transfer.raw.exact_sql import to_exact

    result = CliRunner().invoke(main, ["sql", "--profile", name, "--exact", "--dialect", dialect, "--year", "2026"])
    assert result.exit_code == 0, result.stderr
    parsed = sqlglot.parse_one(result.stdout.rstrip().rstrip(";"), read=dialect)
    con = duckdb.connect()
    for raw in assign(load_profile(name), [str(EXAMPLES / f) for f in FIXTURES[name]]):
        con.read_csv(str(raw.path), header=True, all_varchar=True).create_view(raw.table)
    rows = con.execute(parsed.sql(dialect="duckdb")).fetchall()
    assert [row[0] for row in rows] == ["Q1", "Q2", "Q3", "Q4", "year"]  # ordered by input, then period
    assert to_exact(rows) == {"purchasing_customers": [2, None, None, None, 2]}


def test_sql_exact_without_distinct_measures_is_refused() -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["sql", "--profile", "hubspot", "--exact"])
    assert result.exit_code == 2
    assert "profile hubspot measures no input with count_distinct" in result.stderr
