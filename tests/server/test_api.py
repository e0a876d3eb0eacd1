"""The JSON API through FastAPI's TestClient: every endpoint, and every refusal with its status and message.

Expected values come from the request itself or from hand work (the Turkish file name, its
percent-encoding, the catalogue's category names as written in kpi_catalog/crm.yaml), and the
downloaded workbooks are read back with openpyxl, not with the writer.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.validate import hostile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def properties(book: openpyxl.Workbook) -> dict[str, str]:
    return {prop.name: prop.value for prop in book.custom_doc_props.props}


def named(book: openpyxl.Workbook, name: str) -> Any:
    sheet, ref = next(iter(book.defined_names[name].destinations))
    return book[sheet.replace("''", "'")][ref.replace("$", "")].value


def test_healthz(client: Any) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert set(answer.json()["catalogs"]) == {"crm", "bsc"}


def test_openapi_describes_the_four_operations(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/catalogs", "/api/workbooks", "/api/validate", "/api/regenerate"} <= set(spec["paths"])
    body = spec["paths"]["/api/workbooks"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    fields = spec["components"]["schemas"][body["$ref"].split("/")[-1]]["properties"]
    assert set(fields) == {
        "catalog",
        "locale",
        "company",
        "year",
        "first_month",
        "currency",
        "sample",
        "kpis",
        "categories",
    }
    upload = spec["paths"]["/api/validate"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    assert XLSX in spec["paths"]["/api/workbooks"]["post"]["responses"]["200"]["content"]


def test_catalogs_group_kpis_by_category_in_the_asked_language(client: Any) -> None:
    answer = client.get("/api/catalogs", params={"locale": "tr"})
    assert answer.status_code == 200
    crm = next(c for c in answer.json() if c["id"] == "crm")
    assert crm["title"] == "CRM KPI Panosu"
    assert crm["locales"] == ["en", "tr"]
    assert sum(len(group["kpis"]) for group in crm["categories"]) == 26
    assert crm["categories"][0]["name"] == "Müşteri Etkileşimleri"
    numbers = [kpi["number"] for group in crm["categories"] for kpi in group["kpis"]]
    assert sorted(numbers) == list(range(1, 27))


def test_workbook_in_turkish_with_company_currency_and_year(client: Any) -> None:
    options = {"locale": "tr-TR", "company": "Örnek A.Ş.", "currency": "eur", "year": 2027, "first_month": 4}
    answer = client.post("/api/workbooks", json=options)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="CRM KPI Panosu - Ornek A.S. 2027.xlsx"' in disposition
    assert "filename*=UTF-8''CRM%20KPI%20Panosu%20-%20%C3%96rnek%20A.%C5%9E.%202027.xlsx" in disposition
    assert unquote(disposition.split("UTF-8''")[1]) == "CRM KPI Panosu - Örnek A.Ş. 2027.xlsx"
    book = workbook(answer.content)
    assert properties(book)["locale"] == "tr"
    assert properties(book)["currency"] == "EUR"
    assert "KPI'lar" in book.sheetnames
    assert named(book, "set_company") == "Örnek A.Ş."
    assert named(book, "set_year") == 2027
    assert named(book, "set_currency") == "EUR"


def test_defaults_give_an_english_workbook_of_this_year(client: Any) -> None:
    import datetime as dt

    answer = client.post("/api/workbooks", json={})
    assert answer.status_code == 200
    book = workbook(answer.content)
    assert properties(book)["locale"] == "en"
    assert properties(book)["currency"] == "USD"
    assert named(book, "set_year") == dt.date.today().year
    assert 'filename="CRM KPI Dashboard ' in answer.headers["content-disposition"]


def test_sample_workbook_is_named_so(client: Any) -> None:
    answer = client.post("/api/workbooks", json={"locale": "tr", "sample": True, "year": 2026})
    assert answer.status_code == 200
    name = unquote(answer.headers["content-disposition"].split("UTF-8''")[1])
    assert name == "CRM KPI Panosu 2026 (örnek veri).xlsx"


def test_other_catalogue_by_id(client: Any) -> None:
    answer = client.post("/api/workbooks", json={"catalog": "bsc", "locale": "tr", "year": 2026})
    assert answer.status_code == 200
    assert properties(workbook(answer.content))["catalog_id"] == "bsc"
    name = unquote(answer.headers["content-disposition"].split("UTF-8''")[1])
    assert name == "Müşteri Odaklı Balanced Scorecard 2026.xlsx"


def test_file_name_keeps_nothing_a_file_system_refuses(client: Any) -> None:
    answer = client.post("/api/workbooks", json={"company": 'A/B\\C:"D"*<E>|?;%', "year": 2026})
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert 'filename="CRM KPI Dashboard - A B C D E 2026.xlsx"' in disposition
    assert named(workbook(answer.content), "set_company") == 'A/B\\C:"D"*<E>|?;%'


@pytest.mark.parametrize(
    ("options", "code", "field", "words"),
    [
        (
            {"locale": "xx"},
            "unknown-locale",
            "locale",
            "Unknown locale 'xx' for catalogue 'crm'; choose one of en, tr.",
        ),
        ({"locale": "../../etc"}, "unknown-locale", "locale", "Unknown locale '../../etc'"),
        ({"currency": "XYZ"}, "unknown-currency", "currency", "Unknown currency 'XYZ'"),
        ({"currency": "US"}, "unknown-currency", "currency", "Unknown currency 'US'"),
        ({"year": 1899}, "year-out-of-range", "year", "between 1900 and 2200, not 1899"),
        ({"year": 2201}, "year-out-of-range", "year", "between 1900 and 2200, not 2201"),
        ({"first_month": 13}, "month-out-of-range", "first_month", "1 to 12, not 13"),
        ({"company": "Acme\nInc"}, "company-control-characters", "company", "control characters"),
        ({"company": "Acme\x1b[31m"}, "company-control-characters", "company", "control characters"),
        ({"company": "x" * 101}, "company-too-long", "company", "has 101 characters; at most 100"),
        ({"catalog": "../crm"}, "unknown-catalog", "catalog", "Unknown catalogue '../crm'; choose one of crm, bsc."),
        ({"sample": True, "currency": "ISK"}, "no-demo-currency", "currency", "no figures in ISK"),
        ({"year": "soon"}, "invalid-request", "year", "valid integer"),
        ({"sample": "perhaps"}, "invalid-request", "sample", "valid boolean"),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(
    client: Any, options: dict[str, Any], code: str, field: str, words: str
) -> None:
    answer = client.post("/api/workbooks", json=options)
    assert answer.status_code == 422
    assert answer.json()["error"] == code
    assert answer.json()["field"] == field
    assert words in answer.json()["message"]


def test_a_body_that_is_not_json_is_refused(client: Any) -> None:
    answer = client.post("/api/workbooks", content=b"locale=tr", headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid-request"


def test_company_of_exactly_the_limit_is_accepted(client: Any) -> None:
    answer = client.post("/api/workbooks", json={"company": "ş" * 100})
    assert answer.status_code == 200


def test_validate_returns_the_command_lines_json_report(client: Any, filled: Path) -> None:
    answer = client.post("/api/validate", files={"file": (filled.name, filled.read_bytes(), XLSX)})
    assert answer.status_code == 200
    report = answer.json()
    assert report["schema"] == "kpigen.validation/1"
    assert report["file"] == "Bütçe 2026.xlsx"
    negative = [f for f in report["findings"] if f["code"] == "negative"]
    assert [(f["sheet"], f["cell"], f["input"], f["value"]) for f in negative] == [("Inputs", "E8", "emails_sent", -5)]
    cli = CliRunner().invoke(main, ["validate", str(filled), "--format", "json"])
    expected = json.loads(cli.output)
    for shaped in (report, expected):
        shaped.pop("file")
        shaped["template"].pop("catalog_source")
    assert report == expected


def test_validate_leaves_no_file_behind(client: Any, filled: Path, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for content in (filled.read_bytes(), b"not a workbook at all"):
        client.post("/api/validate", files={"file": ("x.xlsx", content, XLSX)})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "status", "code", "words"),
    [
        (hostile.csv_renamed, 415, "not-xlsx", "is a text (CSV) file, not an Excel workbook; open it in Excel"),
        (hostile.xls_like, 415, "not-xlsx", "is an old Excel file (.xls)"),
        (hostile.billion_laughs, 422, "unreadable-workbook", "(entity declarations)"),
        (hostile.external_entity, 422, "unreadable-workbook", "(entity declarations)"),
        (hostile.ratio_bomb, 422, "unreadable-workbook", "(a possible zip bomb)"),
        (lambda d: hostile.cells_without_references(d, 1001), 422, "unreadable-workbook", "columns"),
        (hostile.genuine, 422, "unreadable-workbook", "is not a workbook made on this page"),
        (hostile.truncated, 422, "unreadable-workbook", "is damaged or cut short"),
    ],
)
def test_hostile_or_wrong_uploads_are_refused(
    client: Any, tmp_path: Path, make: Any, status: int, code: str, words: str
) -> None:
    """Each refusal names the file as uploaded (not the temporary copy), in a page's words: no
    command-line option, no "renamed to" the user never did."""
    path = make(tmp_path)
    answer = client.post("/api/validate", files={"file": ("../../etc/" + path.name, path.read_bytes(), XLSX)})
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == code
    message = answer.json()["message"]
    assert message.startswith(f"{path.name} ")
    assert words in message
    assert "--" not in message and "renamed" not in message and "kpigen" not in message
    assert tempfile.gettempdir() not in message


def test_empty_upload(client: Any) -> None:
    answer = client.post("/api/validate", files={"file": ("empty.xlsx", b"", XLSX)})
    assert answer.status_code == 400
    assert answer.json()["error"] == "empty-upload"


def test_missing_file_field(client: Any) -> None:
    answer = client.post("/api/validate", data={"other": "1"})
    assert answer.status_code == 422
    assert answer.json() == {"error": "invalid-request", "field": "file", "message": "file: Field required"}


def test_upload_over_the_limit_is_refused_before_it_is_read(client: Any) -> None:
    content = b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024 + 100 * 1024)
    answer = client.post("/api/validate", files={"file": ("big.xlsx", content, XLSX)})
    assert answer.status_code == 413
    assert answer.json()["error"] == "upload-too-large"
    assert "2 MB" in answer.json()["message"]


def test_upload_just_over_the_file_limit_but_within_the_envelope(client: Any) -> None:
    content = b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024)
    answer = client.post("/api/validate", files={"file": ("big.xlsx", content, XLSX)})
    assert answer.status_code == 413
    assert answer.json()["message"] == "The file is 2.0 MB; this server accepts files up to 2 MB."


def test_static_files_stay_inside_the_package(client: Any) -> None:
    assert client.get("/static/style.css").status_code == 200
    for path in ("/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2fapp.py"):
        assert client.get(path).status_code == 404


def month_cell(book: openpyxl.Workbook, name: str, month: int) -> Any:
    """The value of month ``month`` (0-11) of a defined 12-cell row such as ``in_emails_sent``."""
    sheet, ref = next(iter(book.defined_names[name].destinations))
    cells = [cell for row in book[sheet.replace("''", "'")][ref.replace("$", "")] for cell in row]
    assert len(cells) == 12
    return cells[month].value


def test_regenerate_into_turkish_and_another_currency_converts_the_money(client: Any, filled: Path) -> None:
    """USD to EUR at 0,9 (typed the Turkish way): money inputs times 0.9, every other number as typed."""
    source = openpyxl.load_workbook(filled)
    upload = {"file": (filled.name, filled.read_bytes(), XLSX)}
    refused = client.post("/api/regenerate", files=upload, data={"locale": "tr-TR", "currency": "eur"})
    assert refused.status_code == 422 and refused.json()["error"] == "exchange-rate-needed"
    assert refused.json()["field"] == "exchange_rate" and "in USD" in refused.json()["message"]
    answer = client.post(
        "/api/regenerate", files=upload, data={"locale": "tr-TR", "currency": "eur", "exchange_rate": "0,9"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    assert unquote(answer.headers["content-disposition"].split("UTF-8''")[1]) == "CRM KPI Panosu - Örnek A.Ş. 2026.xlsx"
    book = workbook(answer.content)
    assert (properties(book)["locale"], properties(book)["currency"]) == ("tr", "EUR")
    assert "KPI'lar" in book.sheetnames
    assert month_cell(book, "in_emails_sent", 1) == -5  # what the person typed, carried as it was
    for month in range(12):
        assert month_cell(book, "in_new_leads", month) == month_cell(source, "in_new_leads", month)
        assert month_cell(book, "in_campaign_cost", month) == pytest.approx(
            round(month_cell(source, "in_campaign_cost", month) * 0.9, 2),
            rel=1e-12,  # EUR has 2 decimals
        )
    for rate, code in (("abc", "bad-exchange-rate"), ("-2", "bad-exchange-rate"), ("nan", "bad-exchange-rate")):
        bad = client.post("/api/regenerate", files=upload, data={"currency": "EUR", "exchange_rate": rate})
        assert (bad.status_code, bad.json()["error"]) == (422, code)
    unused = client.post("/api/regenerate", files=upload, data={"exchange_rate": "2"})
    assert (unused.status_code, unused.json()["error"]) == (422, "exchange-rate-unused")


def test_regenerate_keeps_the_files_language_by_default(client: Any, filled: Path) -> None:
    answer = client.post("/api/regenerate", files={"file": (filled.name, filled.read_bytes(), XLSX)})
    assert answer.status_code == 200
    assert properties(workbook(answer.content))["locale"] == "en"


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        ({"locale": "de"}, "unknown-locale", "Unknown locale 'de'; choose one of en, tr."),
        ({"currency": "XYZ"}, "unknown-currency", "Unknown currency 'XYZ'"),
    ],
)
def test_regenerate_refuses_bad_options(client: Any, filled: Path, data: dict[str, str], code: str, words: str) -> None:
    answer = client.post("/api/regenerate", files={"file": (filled.name, filled.read_bytes(), XLSX)}, data=data)
    assert answer.status_code == 422
    assert answer.json()["error"] == code
    assert words in answer.json()["message"]


@pytest.mark.parametrize(
    ("make", "status", "words"),
    [
        (hostile.csv_renamed, 415, "CSV"),
        (hostile.billion_laughs, 422, "entity"),
        (hostile.genuine, 422, "is not a workbook made on this page"),
    ],
)
def test_regenerate_refuses_what_validate_refuses(
    client: Any, tmp_path: Path, make: Any, status: int, words: str
) -> None:
    path = make(tmp_path)
    answer = client.post("/api/regenerate", files={"file": (path.name, path.read_bytes(), XLSX)})
    assert answer.status_code == status
    assert answer.json()["message"].startswith(f"{path.name} ")
    assert words in answer.json()["message"]


def test_the_build_cache_keeps_languages_apart(client: Any) -> None:
    """Two requests that differ only in the language: the second must not get the first's cached bytes."""
    options = {"company": "Cache Test", "currency": "USD", "year": 2031, "first_month": 1}
    english = workbook(client.post("/api/workbooks", json={**options, "locale": "en"}).content)
    turkish = workbook(client.post("/api/workbooks", json={**options, "locale": "tr"}).content)
    again = workbook(client.post("/api/workbooks", json={**options, "locale": "en"}).content)
    assert [properties(book)["locale"] for book in (english, turkish, again)] == ["en", "tr", "en"]
    assert "KPI'lar" in turkish.sheetnames and "KPIs" in english.sheetnames and "KPIs" in again.sheetnames
