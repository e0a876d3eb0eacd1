"""Source profiles: the bundled ones load and fit the catalogue; a bad one is reported at file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import load_catalog
from generator.cli import main
from generator.errors import CatalogError
from generator.formula import FormulaError
from generator.paths import CATALOG_DIR
from generator.transfer.raw.check import check_profile
from generator.transfer.raw.grammar import Bool, Cmp, Col, Days, In, IsNull, Lit, Not, parse_filter, parse_value
from generator.transfer.raw.model import MeasureKind
from generator.transfer.raw.profile import bundled_profiles, load_profile

CRM = load_catalog(CATALOG_DIR / "crm.yaml")


def test_bundled_profiles_are_the_four_crms() -> None:
    assert bundled_profiles() == ["hubspot", "pipedrive", "salesforce", "zoho"]


@pytest.mark.parametrize("name", ["hubspot", "pipedrive", "salesforce", "zoho"])
def test_bundled_profile_fits_the_crm_catalogue(name: str) -> None:
    profile = load_profile(name)
    assert check_profile(profile, CRM) == ([], [])
    assert set(profile.measures) | set(profile.unmeasured) == set(CRM.inputs)
    assert all(measure.about for measure in profile.measures.values())


def test_hubspot_measures_what_the_issue_names() -> None:
    profile = load_profile("hubspot")
    deals, contacts = profile.tables["deals"], profile.tables["contacts"]
    assert contacts.columns[profile.measures["new_leads"].date or ""].header == "Became a Lead Date"
    assert contacts.columns[profile.measures["new_customers"].date or ""].header == "Became a Customer Date"
    won = In(Col("stage", 1), ("Closed Won", "closedwon"))
    for input_id, kind in (("deals_won", "count"), ("company_sales", "sum"), ("sales_cycle_days_total", "sum")):
        measure = profile.measures[input_id]
        assert (measure.kind, measure.filter, deals.columns[measure.date or ""].header) == (kind, won, "Close Date")
    assert profile.measures["sales_cycle_days_total"].of == Days(Col("created", 6), Col("closed", 15))
    assert deals.columns["created"].header == "Create Date"
    assert profile.measures["company_sales"].of == Col("amount", 1)


def test_filter_grammar() -> None:
    vocabulary: dict[str, list[str] | None] = {"won": ["Won"], "pipelines": None}
    assert parse_filter("a = 'x' and not (b >= 2 or c is not null)", vocabulary) == Bool(
        "and",
        (
            Cmp("=", Col("a", 1), Lit("x")),
            Not(Bool("or", (Cmp(">=", Col("b", 18), Lit(2.0)), IsNull(Col("c", 28), negated=True)))),
        ),
    )
    assert parse_filter("s not in won", vocabulary) == In(Col("s", 1), ("Won",), negated=True)
    assert parse_filter("p in pipelines", vocabulary) == In(Col("p", 1), None)
    assert parse_filter("days(a, b) <> 3", vocabulary) == Cmp("!=", Days(Col("a", 6), Col("b", 9)), Lit(3.0))
    assert parse_value("x") == Col("x", 1)


@pytest.mark.parametrize(
    ("text", "column", "start"),
    [
        ("a = ", 5, "unexpected end"),
        ("a == 'x'", 4, "expected a column"),
        ("a in lost", 6, "'lost' is not a vocabulary list"),
        ("a is 3", 6, "expected 'null'"),
        ("a = 'x' b", 9, "unexpected 'b'"),
        ("a ; b", 3, "unexpected character ';'"),
        ("(a = 1", 7, "expected ')' at the end"),
    ],
)
def test_filter_errors_point_at_the_character(text: str, column: int, start: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_filter(text, {"won": ["Won"]})
    assert (caught.value.column, caught.value.message[: len(start)]) == (column, start)


BAD = """\
profile: bad
description: every kind of mistake
tables:
  deals:
    columns:
      stage: Deal Stage
      amount: {column: Amount, type: number}
      closed: {column: Close Date, type: date}
measures:
  purchasing_customers:
    about: a distinct input summed
    table: deals
    kind: sum
    date: closed
    of: amount
  deals_wonn:
    about: no such input
    table: deals
    kind: count
    date: amount
    filter: stag = 'x'
unmeasured: [deals_won, no_such]
"""


def test_bad_profile_problems_at_file_line_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_profile(path)
    assert caught.value.problems == [
        f"{path}:20:11: 'amount' is a number column, not a date one",
        f"{path}:21:13: table 'deals' has no column 'stag' (stage, amount, closed)",
    ]
    path.write_text(BAD.replace("date: amount", "date: closed").replace("stag =", "stage ="), encoding="utf-8")
    problems, warnings = check_profile(load_profile(path), CRM)
    assert problems == [
        f"{path}:13:11: 'purchasing_customers' is a distinct input; "
        "a sum measure does not give it (use count_distinct)",
        f"{path}:16:3: 'deals_wonn' is not an input of catalogue 'crm'",
        f"{path}:22:25: 'no_such' is not an input of catalogue 'crm'",
    ]
    assert len(warnings) == 1 and "neither measured nor listed as unmeasured: email_campaigns," in warnings[0]


def test_unknown_key_and_zone(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(BAD.replace("tables:", "time_zone: Mars/Olympus\ntables:"), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_profile(path)
    assert caught.value.problems[0] == f"{path}:3:12: unknown time zone 'Mars/Olympus' (an IANA name: Europe/Istanbul)"
    path.write_text(BAD.replace("    kind: sum", "    kind: sum\n    colour: red"), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_profile(path)
    assert caught.value.problems == [f"{path}:14:13: unknown key `colour`"]


def test_catalog_check_profile_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["catalog", "check", "--profile", "hubspot"])
    assert result.exit_code == 0, result.stderr
    assert "ok (hubspot against crm 1.1.0: 7 inputs measured, 38 left to type)" in result.stdout
    path = tmp_path / "bad.yaml"
    path.write_text(BAD.replace("date: amount", "date: closed").replace("stag =", "stage ="), encoding="utf-8")
    result = CliRunner().invoke(main, ["catalog", "check", "crm", "--profile", str(path)])
    assert result.exit_code == 1
    assert f"{path}:16:3: 'deals_wonn' is not an input of catalogue 'crm'" in result.stderr.splitlines()
    result = CliRunner().invoke(main, ["catalog", "check", "--profile", "nosuchcrm"])
    assert result.exit_code == 2 and "no bundled profile 'nosuchcrm'" in result.stderr
    assert MeasureKind.COUNT == "count"
