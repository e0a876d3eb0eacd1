"""One format for every refusal, the framework's own included, and the headers every response carries.

The expected sentences are the ones this project wrote (problems in ``generator/server``), the
codes those of README's "A download page"; the framework's own answer for each case would be
``{"detail": ...}`` or plain text, which is what these tests rule out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.validate import hostile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def problem(answer: Any) -> dict[str, Any]:
    assert answer.headers["content-type"] == "application/json"
    body: dict[str, Any] = answer.json()
    assert set(body) == {"error", "field", "message"}, body
    return body


def test_more_parts_than_a_form_has_are_refused_in_the_format(client: Any) -> None:
    fields = [(f"f{number}", "x") for number in range(1001)]
    answer = client.post("/api/validate", data=dict(fields), files={"file": ("a.xlsx", b"PK\x03\x04", XLSX)})
    assert answer.status_code == 400
    assert problem(answer)["error"] == "too-many-fields"


def test_a_multipart_body_without_boundary_is_refused_in_the_format(client: Any) -> None:
    headers = {"content-type": "multipart/form-data"}
    answer = client.post("/api/validate", content=b"--x\r\n\r\n", headers=headers)
    assert answer.status_code == 400
    assert problem(answer) == {
        "error": "bad-form",
        "field": None,
        "message": "The form could not be read; send it again from the page.",
    }


def test_the_page_answers_a_broken_form_with_itself_in_its_language(client: Any) -> None:
    client.cookies.clear()
    headers = {"content-type": "multipart/form-data", "accept-language": "tr-TR,tr;q=0.9"}
    answer = client.post("/validate", content=b"--x\r\n\r\n", headers=headers)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "Form okunamadı; sayfadan yeniden gönderin." in answer.text
    assert 'id="choose-again"' in answer.text


def test_two_files_on_the_html_form_get_the_page_not_json(client: Any, filled: Path) -> None:
    data = filled.read_bytes()
    files = [("file", ("a.xlsx", data, XLSX)), ("file", ("b.xlsx", data, XLSX))]
    answer = client.post("/validate", data={"lang": "en"}, files=files)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "Send one file: the form takes one workbook." in answer.text


def test_two_files_on_the_api(client: Any, filled: Path) -> None:
    data = filled.read_bytes()
    files = [("file", ("a.xlsx", data, XLSX)), ("file", ("b.xlsx", data, XLSX))]
    answer = client.post("/api/validate", files=files)
    assert answer.status_code == 400
    assert problem(answer)["error"] == "too-many-files"


def test_an_unknown_path_and_a_wrong_method(client: Any) -> None:
    assert problem(client.get("/no/such/page"))["error"] == "not-found"
    assert problem(client.delete("/api/workbooks"))["error"] == "method-not-allowed"


def test_broken_json_is_refused_in_the_format(client: Any) -> None:
    answer = client.post("/api/workbooks", content=b'{"company": ', headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert problem(answer)["error"] == "invalid-request"


def test_a_lone_surrogate_names_the_field(client: Any) -> None:
    body = b'{"company": "Acme \\ud800 Co"}'
    answer = client.post("/api/workbooks", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert problem(answer)["field"] == "company"
    answer = client.post(
        "/api/workbooks", content=b'{"catalog": "\\udfff"}', headers={"content-type": "application/json"}
    )
    assert (answer.status_code, problem(answer)["field"]) == (422, "catalog")


def test_a_form_body_larger_than_a_form_needs(client: Any) -> None:
    answer = client.post("/api/workbooks", content=b" " * (65 * 1024), headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert problem(answer)["error"] == "request-too-large"


def test_an_encrypted_workbook_is_422_as_documented(client: Any, tmp_path: Path) -> None:
    path = hostile.encrypted_cfb(tmp_path)
    answer = client.post("/api/validate", files={"file": ("secret.xlsx", path.read_bytes(), XLSX)})
    assert answer.status_code == 422
    body = problem(answer)
    assert body["error"] == "unreadable-workbook"
    assert body["message"] == (
        "secret.xlsx is protected by a password; remove the password in Excel"
        " (File > Info > Protect Workbook), save it and upload it again."
    )


@pytest.mark.parametrize("path", ["/", "/validate", "/regenerate", "/healthz", "/openapi.json", "/static/style.css"])
def test_every_response_forbids_framing_and_sniffing(client: Any, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    if not path.startswith("/static/"):
        assert answer.headers["cache-control"] == "no-store"


def test_the_report_page_is_not_stored(client: Any, filled: Path) -> None:
    answer = client.post("/validate", data={"lang": "en"}, files={"file": (filled.name, filled.read_bytes(), XLSX)})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert problem(client.get("/nowhere"))["error"] == "not-found"
