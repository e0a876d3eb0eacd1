"""The HTML pages through TestClient: language choice, the form's refusals, the report page.

Turkish expectations are the translations as a person wrote them in locales/tr (read here by
hand, not through the server's gettext).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM = {"lang": "en", "catalog": "crm", "locale": "tr", "company": "Örnek", "year": "2026", "first_month": "4",
        "currency": "EUR", "sample": "1"}  # fmt: skip


def heading(html: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert found is not None
    return found.group(1).strip()


def test_english_by_default(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert heading(page.text) == "Get your KPI dashboard workbook"
    assert '<html lang="en">' in page.text


def test_accept_language_picks_turkish_on_a_first_visit(client: Any) -> None:
    client.cookies.clear()
    page = client.get("/", headers={"accept-language": "de-DE,tr;q=0.8,en;q=0.5"})
    assert heading(page.text) == "KPI panosu çalışma kitabınızı alın"
    assert '<html lang="tr">' in page.text


def test_the_switch_sets_a_cookie_that_wins_over_accept_language(client: Any) -> None:
    page = client.get("/?lang=tr", headers={"accept-language": "en"})
    assert heading(page.text) == "KPI panosu çalışma kitabınızı alın"
    assert page.cookies.get("lang") == "tr"
    client.cookies.clear()
    client.cookies.set("lang", "tr")
    again = client.get("/validate", headers={"accept-language": "en"})
    assert heading(again.text) == "Doldurulmuş bir çalışma kitabını denetleyin"
    client.cookies.clear()


def test_unknown_language_falls_back_to_english(client: Any) -> None:
    page = client.get("/?lang=xx", headers={"accept-language": "fr"})
    assert heading(page.text) == "Get your KPI dashboard workbook"


def test_every_kpi_is_listed_under_its_category(client: Any) -> None:
    page = client.get("/?lang=tr").text
    client.cookies.clear()
    crm = page.split('id="catalog-crm"')[1].split("</article>")[0]
    assert crm.count("<li ") == 26
    assert "<summary>Müşteri Etkileşimleri" in crm
    assert 'src="/static/preview-tr.png"' in page


def test_page_needs_no_script_and_fits_a_phone(client: Any) -> None:
    """One script, from a file, adds "tick all" boxes; the form works without it (test_browser)."""
    page = client.get("/").text
    assert page.count("<script") == 1 and '<script src="/static/pick.js" defer></script>' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<form class="options" method="post" action="/download">' in page


def test_form_download(client: Any) -> None:
    answer = client.post("/download", data=FORM)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert (props["locale"], props["currency"], props["first_month"]) == ("tr", "EUR", "4")


def test_form_refusal_is_shown_in_the_page_language_and_keeps_what_was_typed(client: Any) -> None:
    answer = client.post("/download", data={**FORM, "lang": "tr", "year": "3000", "company": "Örnek <b>"})
    assert answer.status_code == 422
    assert "Mali yıl 1900 ile 2200 arasında olmalı, 3000 değil." in answer.text
    assert 'value="Örnek &lt;b&gt;"' in answer.text
    assert 'name="year" id="year" type="number"' in answer.text and 'value="3000" aria-invalid="true"' in answer.text


def test_form_with_a_word_for_a_year(client: Any) -> None:
    answer = client.post("/download", data={**FORM, "year": "next"})
    assert answer.status_code == 422
    assert "&#39;next&#39; is not a whole number." in answer.text


def test_report_page_links_each_finding_to_its_cell(client: Any, filled: Path) -> None:
    answer = client.post("/validate", data={"lang": "en"}, files={"file": (filled.name, filled.read_bytes(), XLSX)})
    assert answer.status_code == 200
    assert heading(answer.text) == "Validation report"
    assert '<li class="finding error" id="Inputs!E8">' in answer.text
    assert '<a class="where" href="#Inputs%21E8">Inputs!E8</a>' in answer.text
    assert "Emails sent: -5 is negative; this input cannot be below 0." in answer.text


def test_report_page_refuses_a_hostile_file_clearly(client: Any, tmp_path: Path) -> None:
    from tests.validate import hostile

    bomb = hostile.billion_laughs(tmp_path)
    answer = client.post("/validate", data={"lang": "tr"}, files={"file": ("laughs.xlsx", bomb.read_bytes(), XLSX)})
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert (
        "laughs.xlsx hiçbir hesap tablosu programının yazmadığı XML içeriyor (varlık bildirimleri), bu yüzden"
        " okunmadı; Excel veya LibreOffice&#39;te yeniden kaydedin." in answer.text
    )
    assert "Çalışma kitabını yeniden seçin" in answer.text or "çalışma kitabını yeniden seçin" in answer.text


def test_upload_page_without_a_file(client: Any) -> None:
    answer = client.post("/validate", data={"lang": "en"})
    assert answer.status_code == 400
    assert "Choose a workbook file to upload." in answer.text


def test_page_upload_over_the_limit_gets_a_page_not_json(client: Any) -> None:
    client.cookies.clear()
    content = b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024)
    answer = client.post(
        "/validate", data={"lang": "tr"}, files={"file": ("big.xlsx", content, XLSX)}, headers={"accept-language": "tr"}
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "İstek bu sunucunun kabul ettiğinden büyük (en çok 2 MB boyutunda dosyalar)." in answer.text


def test_regenerate_page_returns_the_new_workbook(client: Any, filled: Path) -> None:
    page = client.get("/regenerate?lang=tr")
    assert heading(page.text) == "Doldurulmuş bir çalışma kitabını çevirin veya güncelleyin"
    client.cookies.clear()
    answer = client.post(
        "/regenerate", data={"lang": "en", "locale": "tr"}, files={"file": (filled.name, filled.read_bytes(), XLSX)}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert {p.name: p.value for p in book.custom_doc_props.props}["locale"] == "tr"


def test_regenerate_page_shows_a_refusal(client: Any, tmp_path: Path) -> None:
    answer = client.post("/regenerate", data={"lang": "en"}, files={"file": ("list.xlsx", b"a;b\n1;2\n", XLSX)})
    assert answer.status_code == 415
    assert heading(answer.text) == "Translate or update a filled workbook"
    assert "list.xlsx is a text (CSV) file, not an Excel workbook; open it in Excel or LibreOffice" in answer.text
    assert "renamed" not in answer.text


def test_a_refused_regeneration_keeps_what_was_chosen(client: Any, filled: Path) -> None:
    """A new currency without a rate: the page says what is needed and keeps the language and currency."""
    answer = client.post(
        "/regenerate",
        data={"lang": "en", "locale": "tr", "currency": "TRY"},
        files={"file": (filled.name, filled.read_bytes(), XLSX)},
    )
    assert answer.status_code == 422
    assert "money values are in USD; give the exchange rate: how many TRY one USD buys." in answer.text
    assert '<option value="TRY" selected>' in answer.text and '<option value="tr" selected>' in answer.text
    assert "choose the workbook again" in answer.text  # a browser never keeps the file: the page says so
    assert 'name="exchange_rate" id="exchange_rate" inputmode="decimal" placeholder="34.5" value=""' in answer.text


def test_turkish_pages_write_numbers_as_turkish_does(client: Any) -> None:
    """CLDR's Turkish decimal separator is a comma: the upload limit (2 MiB here) and the rate's example."""
    page = client.get("/regenerate?lang=tr").text
    assert "En çok 2,0 MB&#39;lık dosyalar." in page
    assert 'placeholder="34,5"' in page
    assert "2.0 MB" not in page and "34.5" not in page
    english = client.get("/regenerate?lang=en").text
    assert "Files up to 2.0 MB." in english and 'placeholder="34.5"' in english


def test_a_turkish_refusal_writes_the_size_as_turkish_does(client: Any) -> None:
    client.cookies.clear()
    content = b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024 + 512 * 1024)
    answer = client.post("/validate", files={"file": ("büyük.xlsx", content, XLSX)}, headers={"accept-language": "tr"})
    assert answer.status_code == 413
    assert "(en çok 2 MB boyutunda dosyalar)" in answer.text
    assert 'id="choose-again"' in answer.text
