"""Choosing KPIs on the download page and in the JSON API (issue 27): boxes per KPI, the cache, refusals.

The expected KPIs and inputs are read by hand off /work/shared/kpi-reference.md (churn rate is
customers_lost / customers_start; NPS reads nps_promoters, nps_passives and nps_detractors; the
customer_service category holds five KPIs); Turkish sentences are as written in locales/tr.
"""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import unquote

import openpyxl
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.catalog.selection import restrict
from generator.cli import main
from generator.server.download import BuildCache
from generator.workbook.context import BuildOptions

FORM = {"lang": "en", "catalog": "crm", "locale": "en", "company": "", "year": "2026", "first_month": "1",
        "currency": "USD", "sample": "0", "pick": ["crm", "bsc"]}  # fmt: skip
CHURN_AND_NPS_INPUTS = {"customers_lost", "customers_start", "nps_promoters", "nps_passives", "nps_detractors"}
CUSTOMER_SERVICE = {"complaints", "first_contact_resolution", "avg_resolution_time", "csat", "customer_effort_score"}


def names(data: bytes, prefix: str) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {name[len(prefix) :] for name in book.defined_names if name.startswith(prefix)}


def download_name(answer: Any) -> str:
    return unquote(answer.headers["content-disposition"].split("filename*=UTF-8''")[1])


def error(html: str) -> str:
    found = re.search(r'id="error">(.*?)</p>', html, re.S)
    assert found is not None
    return found.group(1).replace("&#39;", "'")


def test_every_kpi_has_a_box_ticked_by_default(client: Any) -> None:
    page = client.get("/?lang=en").text
    client.cookies.clear()
    crm = page.split('id="catalog-crm"')[1].split("</article>")[0]
    boxes = re.findall(r'<input type="checkbox" name="kpis:crm" value="(\w+)"( checked)?>', crm)
    assert len(boxes) == 26 and all(checked for _id, checked in boxes)
    assert {"churn_rate", "nps", "brand_awareness"} <= {kpi for kpi, _ in boxes}
    assert '<input type="hidden" name="pick" value="crm">' in crm
    assert re.search(r"<details[^>]*>\s*<summary>Customer service <span class=\"count\">\(5\)</span>", crm)


def test_the_script_is_a_file_the_policy_allows_and_the_page_has_none_inline(client: Any) -> None:
    answer = client.get("/")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", answer.text, re.S)
    assert scripts == [(' src="/static/pick.js" defer', "")]
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    script = client.get("/static/pick.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]


def test_a_ticked_subset_gives_exactly_those_kpis_and_their_inputs(client: Any) -> None:
    answer = client.post("/download", data={**FORM, "kpis:crm": ["churn_rate", "nps"], "kpis:bsc": ["roi"]})
    assert answer.status_code == 200, answer.text[:500]
    assert names(answer.content, "kpi_") == {"churn_rate", "nps"}
    assert names(answer.content, "in_") == CHURN_AND_NPS_INPUTS
    assert download_name(answer) == "CRM KPI Dashboard 2026 (2 of 26 KPIs).xlsx"


def test_the_download_name_says_the_selection_in_the_workbook_language(client: Any) -> None:
    answer = client.post(
        "/api/workbooks", json={"locale": "tr", "year": 2026, "company": "Örnek", "kpis": ["nps"], "sample": True}
    )
    assert answer.status_code == 200
    assert download_name(answer) == "CRM KPI Panosu - Örnek 2026 (1 KPI, toplam 26) (örnek veri).xlsx"


def test_a_form_without_the_boxes_builds_every_kpi(client: Any) -> None:
    form = {key: value for key, value in FORM.items() if key != "pick"}
    answer = client.post("/download", data=form)
    assert answer.status_code == 200
    assert len(names(answer.content, "kpi_")) == 26
    assert download_name(answer) == "CRM KPI Dashboard 2026.xlsx"


def test_every_box_ticked_is_the_whole_catalogue_and_shares_its_cache_entry(crm: Catalog) -> None:
    """Ticking all is no selection: the same key (and file name) as a build of everything."""
    from generator.server.catalogs import Catalogs
    from generator.server.options import WorkbookRequest, resolve

    every, _ = resolve(WorkbookRequest(kpis=list(reversed(crm.kpis))), Catalogs({"crm": crm}))
    assert every is crm and every.selection == ()
    cut, _ = resolve(WorkbookRequest(kpis=["nps", "churn_rate"]), Catalogs({"crm": crm}))
    assert cut.selection == ("churn_rate", "nps")  # catalogue order, whatever order they were ticked in


def test_the_cache_key_holds_the_selection(crm: Catalog) -> None:
    cache = BuildCache(entries=8)
    options = BuildOptions(locale="en", year=2026)
    churn = cache.build(restrict(crm, ["churn_rate"]), options)
    nps = cache.build(restrict(crm, ["nps"]), options)
    assert names(churn.data, "kpi_") == {"churn_rate"} and names(nps.data, "kpi_") == {"nps"}
    assert len(cache.results) == 2
    again = cache.build(restrict(crm, ["churn_rate"]), options)  # another cut of the same choice: the same entry
    assert again is churn and len(cache.results) == 2
    named = cache.build(restrict(crm, ["nps"]), BuildOptions(locale="en", year=2026, company="Acme"))
    assert names(named.data, "kpi_") == {"nps"}  # personalised from the base of its own selection


def test_the_api_takes_kpis_and_categories_together(client: Any) -> None:
    answer = client.post("/api/workbooks", json={"kpis": ["nps"], "categories": ["customer_service"]})
    assert answer.status_code == 200
    assert names(answer.content, "kpi_") == {"nps"} | CUSTOMER_SERVICE


def test_refusals_name_the_field(client: Any) -> None:
    cases = [
        ({"kpis": ["churn"]}, "kpis", "unknown-kpi"),
        ({"categories": ["sales"]}, "categories", "unknown-category"),
        ({"kpis": []}, "kpis", "no-kpis"),
        ({"kpis": [], "categories": []}, "kpis", "no-kpis"),
    ]
    for body, field, code in cases:
        answer = client.post("/api/workbooks", json=body)
        assert answer.status_code == 422, body
        assert (answer.json()["field"], answer.json()["error"]) == (field, code)
    answer = client.post("/api/workbooks", json={"kpis": ["churn"]})
    assert answer.json()["message"].startswith("Unknown KPI 'churn' in catalogue 'crm'; known: email_campaigns, ")


def test_the_command_line_refuses_the_same_id_with_the_same_sentence(client: Any, tmp_path: Any) -> None:
    sentence = client.post("/api/workbooks", json={"kpis": ["churn"]}).json()["message"]
    result = CliRunner().invoke(main, ["build", "--kpis", "churn", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: Invalid value for '--kpis': {sentence}"


def test_nothing_ticked_is_refused_on_the_page_in_its_language(client: Any) -> None:
    answer = client.post("/download", data={**FORM, "lang": "tr"})
    client.cookies.clear()
    assert answer.status_code == 422
    assert error(answer.text) == "En az bir KPI seçin: KPI'sız bir çalışma kitabının gösterecek bir şeyi olmaz."
    crm = answer.text.split('id="catalog-crm"')[1].split("</article>")[0]
    assert 'name="kpis:crm" value="nps">' in crm and " checked>" not in crm  # shown as sent: none ticked


def test_an_unknown_id_on_the_page_is_refused_in_turkish_and_the_ticks_are_kept(client: Any) -> None:
    answer = client.post("/download", data={**FORM, "lang": "tr", "kpis:crm": ["nps", "churn"]})
    client.cookies.clear()
    assert answer.status_code == 422
    assert error(answer.text).startswith("'crm' kataloğunda bilinmeyen KPI 'churn'; bilinenler: email_campaigns, ")
    crm = answer.text.split('id="catalog-crm"')[1].split("</article>")[0]
    assert re.findall(r'value="(\w+)" checked>', crm) == ["nps"]
    assert "(1/3)" in crm and "(0/5)" in crm  # loyalty: one of its three ticked; customer service: none


def test_a_regenerated_selection_keeps_its_kpis_and_says_so(client: Any) -> None:
    built = client.post("/api/workbooks", json={"year": 2026, "kpis": ["churn_rate", "nps"]})
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    answer = client.post("/api/regenerate", files={"file": ("mine.xlsx", built.content, xlsx)}, data={"locale": "tr"})
    assert answer.status_code == 200, answer.text[:300]
    assert names(answer.content, "kpi_") == {"churn_rate", "nps"}
    assert download_name(answer) == "CRM KPI Panosu 2026 (2 KPI, toplam 26).xlsx"
