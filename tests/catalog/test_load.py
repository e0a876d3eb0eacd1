"""Loading catalogues: the shipped ones load cleanly and keep the kpi-reference contract, and each
broken fixture gives one problem on one line, at the right line, saying what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.catalog import Catalog, load_catalog
from generator.catalog.model import Aggregation, Better
from generator.catalog.schema import schema_text
from generator.errors import CatalogError
from generator.formula import parse
from generator.formula.expr import refs
from generator.paths import CATALOG_DIR

FIXTURES = Path(__file__).resolve().parent.parent / "catalogs"
BROKEN = FIXTURES / "broken"
MINIMAL = FIXTURES / "valid" / "minimal.yaml"


@pytest.fixture(scope="module")
def crm() -> Catalog:
    """The formulas of kpi-reference.md are those of crm 1.0.0 (1.1.0's changes: tests/catalog/test_crm_1_1.py)."""
    return load_catalog(CATALOG_DIR / "crm-1.0.0.yaml")


# ---- the contract of kpi-reference.md (ids are used by the workbook's defined names) ------------

KPI_FORMULAS = {  # in the reference's order, numbered 1..26
    "email_campaigns": "email_campaigns",
    "email_ctr": "email_clicks / emails_sent",
    "website_conversion_rate": "website_conversions / website_visits",
    "sales_calls": "sales_calls",
    "sms_sent": "sms_sent",
    "avg_interaction_cost": "interaction_cost / interactions",
    "self_service_rate": "issues_self_resolved / issues_reported",
    "new_leads": "new_leads",
    "cost_per_lead": "campaign_cost / new_leads",
    "lead_conversion_rate": "leads_converted / new_leads",
    "customer_acquisition_cost": "(marketing_cost + sales_cost) / new_customers",
    "retention_rate": "(customers_end - new_customers) / customers_start",
    "acquisition_rate": "new_customers / customers_end",
    "churn_rate": "customers_lost / customers_start",
    "complaints": "complaints",
    "first_contact_resolution": "requests_resolved_first_contact / requests_handled",
    "avg_resolution_time": "handling_minutes / requests_handled",
    "csat": "csat_score_total / csat_responses",
    "customer_effort_score": "ces_score_total / ces_responses",
    "sales_cycle_length": "sales_cycle_days_total / deals_won",
    "roi": "net_profit / investment_cost",
    "customer_lifetime_value": "avg_sale_value * purchase_frequency * customer_lifespan_years * profit_margin",
    "market_share": "company_sales / market_sales",
    "repeat_purchase_rate": "repeat_customers / purchasing_customers",
    "nps": "(nps_promoters - nps_detractors) / (nps_promoters + nps_passives + nps_detractors) * 100",
    "brand_awareness": "brand_aware / brand_surveyed",
}
KPI_IDS = list(KPI_FORMULAS)
INPUT_IDS = [
    "email_campaigns", "emails_sent", "email_clicks", "website_visits", "website_conversions", "sales_calls",
    "sms_sent", "interaction_cost", "interactions", "issues_reported", "issues_self_resolved", "new_leads",
    "campaign_cost", "leads_converted", "marketing_cost", "sales_cost", "new_customers", "customers_start",
    "customers_end", "customers_lost", "complaints", "requests_handled", "requests_resolved_first_contact",
    "handling_minutes", "csat_responses", "csat_score_total", "ces_responses", "ces_score_total", "deals_won",
    "sales_cycle_days_total", "net_profit", "investment_cost", "avg_sale_value", "purchase_frequency",
    "customer_lifespan_years", "profit_margin", "company_sales", "market_sales", "purchasing_customers",
    "repeat_customers", "nps_promoters", "nps_passives", "nps_detractors", "brand_surveyed", "brand_aware",
]  # fmt: skip
NOT_FLOW = {
    "customers_start": Aggregation.OPENING,
    "customers_end": Aggregation.CLOSING,
    "avg_sale_value": Aggregation.LEVEL,
    "purchase_frequency": Aggregation.LEVEL,
    "customer_lifespan_years": Aggregation.LEVEL,
    "profit_margin": Aggregation.LEVEL,
}
INFO = {"email_campaigns", "sales_calls", "sms_sent"}
LOWER = {"avg_interaction_cost", "cost_per_lead", "customer_acquisition_cost", "churn_rate", "complaints",
         "avg_resolution_time", "sales_cycle_length"}  # fmt: skip
CATEGORIES = {
    "customer_interactions": KPI_IDS[0:7],
    "lead_generation": KPI_IDS[7:14],
    "customer_service": KPI_IDS[14:19],
    "business_performance": KPI_IDS[19:23],
    "customer_loyalty": KPI_IDS[23:26],
}
SCORECARD = {  # goal id -> (KPIs, review period), from the seed's Balanced Scorecard table
    "loyalty": (["nps", "repeat_purchase_rate"], "monthly"),
    "complaint_reduction": (["avg_resolution_time", "complaints"], "weekly"),
    "acquisition_cost": (["lead_conversion_rate"], "monthly"),
    "satisfaction": (["csat", "feedback_count"], "monthly"),
    "churn_reduction": (["retention_rate", "customers_lost_count"], "monthly"),
    "digital_engagement": (["email_ctr", "email_open_rate"], "weekly"),
}


def test_contract_sizes() -> None:
    assert len(KPI_IDS) == 26
    assert len(INPUT_IDS) == len(set(INPUT_IDS)) == 45


def test_crm_ids_and_order(crm: Catalog) -> None:
    assert list(crm.kpis) == KPI_IDS
    assert [k.number for k in crm.kpis.values()] == list(range(1, 27))
    assert set(crm.inputs) == set(INPUT_IDS)
    assert crm.locales == ("en", "tr")
    assert crm.default_locale == "en"


def test_crm_formulas_are_the_reference_ones(crm: Catalog) -> None:
    for kpi_id, text in KPI_FORMULAS.items():
        assert crm.formulas[kpi_id] == parse(text), kpi_id


def test_crm_every_input_is_used(crm: Catalog) -> None:
    used = {name for kpi_id in crm.kpis for name in _refs(crm, kpi_id)}
    assert used == set(INPUT_IDS)


def _refs(catalog: Catalog, kpi_id: str) -> list[str]:
    return refs(catalog.formulas[kpi_id])


def test_crm_aggregation_kinds(crm: Catalog) -> None:
    for input_id, spec in crm.inputs.items():
        assert spec.aggregation is NOT_FLOW.get(input_id, Aggregation.FLOW), input_id


def test_crm_directions_targets_and_categories(crm: Catalog) -> None:
    for kpi_id, kpi in crm.kpis.items():
        expected = Better.INFO if kpi_id in INFO else Better.LOWER if kpi_id in LOWER else Better.HIGHER
        assert kpi.better is expected, kpi_id
        assert (crm.target(kpi, "USD") is None) == (kpi_id in INFO), kpi_id
    assert {c: [k.id for k in crm.kpis_in(c)] for c in crm.categories} == CATEGORIES
    assert crm.kpis["nps"].range == (-100, 100)


def test_crm_texts_in_both_locales(crm: Catalog) -> None:
    for kpi_id, kpi in crm.kpis.items():
        assert set(kpi.texts) == {"en", "tr"}, kpi_id
        for code, texts in kpi.texts.items():
            for field in ("name", "description", "reading", "formula"):
                assert getattr(texts, field).strip(), (kpi_id, code, field)
    for input_id, spec in crm.inputs.items():
        assert set(spec.name) == set(spec.help) == {"en", "tr"}, input_id


def test_bsc_scorecard(bsc: Catalog) -> None:
    assert {g.id: (list(g.kpis), g.period) for g in bsc.scorecard} == SCORECARD
    assert set(bsc.perspectives) == {"financial", "customer", "internal_process", "learning_growth"}
    for goal in bsc.scorecard:
        assert set(goal.owner) == set(goal.goal) == set(goal.data_source) == {"en", "tr"}
        for kpi_id in goal.kpis:
            assert kpi_id in bsc.kpis


def test_bsc_reuses_crm_definitions(bsc: Catalog) -> None:
    crm = load_catalog(CATALOG_DIR / "crm.yaml")  # the current version, which bsc.yaml imports
    imported = {"nps", "repeat_purchase_rate", "avg_resolution_time", "complaints", "lead_conversion_rate", "csat",
                "retention_rate", "email_ctr"}  # fmt: skip
    assert imported <= set(bsc.kpis)
    for kpi_id in imported:
        assert bsc.kpis[kpi_id] == crm.kpis[kpi_id], kpi_id  # the very definition, texts and target included
        assert bsc.formulas[kpi_id] == crm.formulas[kpi_id], kpi_id
        for name in _refs(bsc, kpi_id):
            assert bsc.inputs[name] == crm.inputs[name], name
    # only what the imported KPIs read comes along; crm's other inputs and KPIs stay out
    assert "roi" not in bsc.kpis
    assert "net_profit" not in bsc.inputs
    assert "clicks_within_sent" in bsc.rules  # a rule over imported inputs comes along
    assert "company_within_market" not in bsc.rules


def test_schema_json_is_generated_from_the_models() -> None:
    assert (CATALOG_DIR / "schema.json").read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("name", ["crm.yaml", "bsc.yaml"])
def test_schema_validates_shipped_catalogues(name: str) -> None:
    schema = json.loads(schema_text())
    data = yaml.safe_load((CATALOG_DIR / name).read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("name", ["wrong_type.yaml", "unknown_key.yaml", "unknown_unit.yaml"])
def test_schema_rejects_what_the_loader_rejects(name: str) -> None:
    schema = json.loads(schema_text())
    data = yaml.safe_load((BROKEN / name).read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_minimal_yaml_and_json_load_the_same() -> None:
    from_yaml = load_catalog(MINIMAL)
    from_json = load_catalog(MINIMAL.with_suffix(".json"))
    assert list(from_json.kpis) == list(from_yaml.kpis) == ["email_ctr", "emails_sent"]
    assert from_json.kpis == from_yaml.kpis
    assert from_json.inputs == from_yaml.inputs
    assert from_json.formulas == from_yaml.formulas


def test_load_accepts_a_string_path() -> None:
    assert load_catalog(str(MINIMAL)).id == "mini"


# ---- broken catalogues ------------------------------------------------------------------------

# file -> (where: a text on the defect's line and which of its occurrences, or a line number;
#          the column when it matters; a phrase the message must contain)
CASES: dict[str, tuple[tuple[str, int] | int, int | None, str]] = {
    "yaml_syntax.yaml": (("     unit: percent", 0), 10, "YAML syntax error"),
    "wrong_type.yaml": (('number: "x"', 0), None, "kpis[0].number: Expected `int`, got `str`"),
    "unknown_key.yaml": (("decimal: 1", 0), None, "unknown key `decimal`"),
    "duplicate_yaml_key.yaml": (("    help:", 2), 5, "duplicate key 'help'"),
    "duplicate_input_id.yaml": (("- id: emails_sent", 1), None, "inputs[2].id: duplicate id 'emails_sent'"),
    "duplicate_kpi_id.yaml": (("- id: email_ctr", 1), None, "kpis[1].id: duplicate id 'email_ctr'"),
    "duplicate_kpi_number.yaml": (("number: 1", 1), None, "number 1 is also used by 'email_ctr'"),
    "unknown_input.yaml": (("email_click /", 0), 14, "unknown input 'email_click' (did you mean 'email_clicks'?)"),
    # "    formula: email_clicks / / emails_sent": the value starts at column 14, the second / is 15 further
    "formula_syntax.yaml": (("email_clicks / / emails_sent", 0), 29, "kpis[0].formula: syntax error"),
    # '    formula: "email_clicks % emails_sent"': after the quote, at column 15, starts the % operation
    "formula_operator.yaml": (("email_clicks % emails_sent", 0), 15, "operator % is not allowed"),
    "unknown_unit.yaml": (("unit: pieces", 0), None, "inputs[0].unit: Invalid enum value 'pieces'"),
    "unknown_aggregation.yaml": (("aggregation: sum", 0), None, "inputs[0].aggregation: Invalid enum value 'sum'"),
    "unknown_category.yaml": (("category: emails", 0), None, "kpis[1].category: unknown category 'emails'"),
    "default_locale.yaml": (("default_locale: de", 0), None, "'de' is not in locales"),
    "info_target.yaml": (("target: 1000", 0), None, "informational KPI (better: info) takes no target"),
    "rule_without_comparison.yaml": (("check: email_clicks - emails_sent", 0), 12, "must compare two values"),
    "import_missing_file.yaml": (("no_such_catalogue.yaml", 0), None, "'no_such_catalogue.yaml' not found"),
    "cycle_a.yaml": (("catalog: cycle_b.yaml", 0), None, "import cycle"),
    "cycle_b.yaml": (("catalog: cycle_a.yaml", 0), None, "import cycle"),
    "import_unknown_kpi.yaml": (("- email_crt", 0), None, "has no KPI 'email_crt' (did you mean 'email_ctr'?)"),
    "empty.yaml": (1, None, "the file is empty"),
    "weight_on_flow.yaml": (("weight: emails_sent", 0), None, "only a level input (an average or rate) has a weight"),
    "kpi_name_formula.yaml": (('en: {name: "=Email CTR"', 0), None, "a KPI name must not start with '='"),
    "not_utf8.yaml": (6, 17, "not UTF-8"),  # 'title: {en: "Caf' is 16 characters, then the Latin-1 byte
    # nested aliases would expand to 9**9 strings: the anchored value (line 1) is refused when reused
    "yaml_alias_bomb.yaml": (1, 4, "YAML aliases (*name) are not supported"),
}


def line_of(path: Path, needle: str, occurrence: int) -> int:
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line]
    assert occurrence < len(lines), f"{needle!r} occurs {len(lines)} times in {path.name}"
    return lines[occurrence]


def test_every_broken_fixture_has_a_case() -> None:
    assert {p.name for p in BROKEN.iterdir()} == set(CASES) | set(INCOMPLETE)


def test_minimal_is_valid() -> None:
    """The base every broken fixture differs from by one defect."""
    catalog = load_catalog(MINIMAL)
    assert list(catalog.kpis) == ["email_ctr", "emails_sent"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_catalogue(name: str) -> None:
    path = BROKEN / name
    where, column, phrase = CASES[name]
    line = where if isinstance(where, int) else line_of(path, *where)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    problem = problems[0]
    assert "\n" not in problem
    assert str(caught.value) == problem
    prefix = f"{path}:{line}:" if column is None else f"{path}:{line}:{column}: "
    assert problem.startswith(prefix), (problem, prefix)
    assert phrase in problem


def test_formula_syntax_exact_position() -> None:
    path = BROKEN / "formula_syntax.yaml"
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.problems[0].startswith(f"{path}:47:29: ")
    assert path.read_text(encoding="utf-8").splitlines()[46][28] == "/"  # line 47, column 29


def test_several_problems_one_line_each(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("default_locale: en", "default_locale: de")  # problem 1
    text = text.replace("better: info", "better: info\n    target: 5")  # problem 2
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    problems = caught.value.problems
    assert len(problems) == 2
    assert all(p.startswith(f"{path}:") and "\n" not in p for p in problems)
    assert str(caught.value).startswith("2 problems:\n")


def test_missing_file() -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(FIXTURES / "no_such_file.yaml")
    assert caught.value.problems == [f"{FIXTURES / 'no_such_file.yaml'}: file not found"]
    assert caught.value.exit_code == 3, "a file that cannot be read is not a catalogue with problems (1)"


def test_deeply_nested_yaml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"deep\.yaml:1:68: values are nested too deeply \(more than 64 levels\)"):
        load_catalog(path)


def test_deeply_nested_formula_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep_formula.yaml"
    deep = "+".join(["email_clicks"] * 150)  # 150 levels deep, under the 2000-character limit
    path.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("formula: email_clicks / emails_sent", f"formula: {deep}"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="nested more than"):
        load_catalog(path)


def test_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_bytes('id: x\ntitle: {en: "Müş'.encode() + b'\xff"}\n')  # 'title: {en: "Müş' is 16 characters
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.problems == [f"{path}:2:17: not UTF-8 text (byte 24); save the file as UTF-8"]


INCOMPLETE = {
    "missing_kpi_text.yaml": (("    texts:", 1), "kpis[1].texts: missing the 'tr' text"),
    "missing_category_text.yaml": (('name: {en: "Email"}', 0), "categories[0].name: missing the 'tr' text"),
}
"""Fixtures that load with warnings: a text missing in a declared locale that is not the default."""


@pytest.mark.parametrize("name", sorted(INCOMPLETE))
def test_text_missing_in_a_declared_locale_is_a_warning(name: str) -> None:
    """An unfinished translation still loads (docs/translating.md), each gap kept with its line."""
    where, phrase = INCOMPLETE[name]
    path = BROKEN / name
    catalog = load_catalog(path)
    (gap,) = catalog.missing_texts["tr"]
    assert gap == f"{path}:{line_of(path, *where)}:{gap.split(':')[2]}: {phrase}"
    assert "en" not in catalog.missing_texts


def test_text_missing_in_the_default_locale_is_a_problem(tmp_path: Path) -> None:
    """Nothing to fall back on: the default locale's texts are required."""
    text = (BROKEN / "missing_category_text.yaml").read_text(encoding="utf-8")
    path = tmp_path / "no_default.yaml"
    path.write_text(text.replace("default_locale: en", "default_locale: tr"), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"categories\[0\]\.name: missing the 'tr' text"):
        load_catalog(path)
