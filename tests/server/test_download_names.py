"""Downloads: names that show what they are (no bidirectional or invisible characters), and a new
company personalised from a base workbook, byte for byte what a build gives."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from urllib.parse import unquote

import pytest

from generator.catalog import Catalog
from generator.server.download import BuildCache, ascii_name, safe_name
from generator.workbook.context import BuildOptions

# U+202E RIGHT-TO-LEFT OVERRIDE, U+2066-9 the isolates, U+200B ZERO WIDTH SPACE, U+FEFF the BOM,
# U+061C ARABIC LETTER MARK, U+200E LEFT-TO-RIGHT MARK, U+2060 WORD JOINER, U+00AD SOFT HYPHEN
HIDDEN = ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\ufeff", "\u061c", "\u200e", "\u2060", "\u00ad"]


@pytest.mark.parametrize("hidden", HIDDEN)
def test_hidden_characters_are_removed_from_names(hidden: str) -> None:
    assert safe_name(f"Acme{hidden} Co{hidden}") == "Acme Co"


def test_a_spoofed_extension_cannot_be_shown() -> None:
    # shown as "Acme xslx.exe" by a bidi-aware file manager if the override stayed
    assert safe_name("Acme \u202eexe.xslx") == "Acme exe.xslx"
    assert ascii_name(safe_name("Örnek\u2067 A.Ş.")) == "Ornek A.S"  # a trailing dot is dropped (Windows refuses it)


def test_the_download_header_carries_no_hidden_character(client: Any) -> None:
    company = "Acme\u202e\u200b\ufeff Co\u2066"
    answer = client.post("/api/workbooks", json={"company": company, "year": 2026})
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    shown = unquote(disposition.split("filename*=UTF-8''")[1])
    assert shown == "CRM KPI Dashboard - Acme Co 2026.xlsx"


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of a package; core.xml without its creation and modification times (the build's clock)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        found = {info.filename: package.read(info) for info in package.infolist()}
    found["docProps/core.xml"] = re.sub(
        rb"<dcterms:(created|modified)[^<]*</dcterms:\1>", b"", found["docProps/core.xml"]
    )
    return found


def test_a_new_company_is_personalised_byte_for_byte_as_a_build(client: Any, crm: Catalog) -> None:
    """The second name of the same options comes from the base workbook, not a build: same parts, same order."""
    from generator.workbook.build import build_workbook

    for company in ("Birinci Ltd", 'Acme & Co <Ltd> "quoted"', "Ünlü 😀 Şirket"):
        body = {"locale": "tr", "company": company, "year": 2027, "first_month": 4, "currency": "EUR", "sample": True}
        answer = client.post("/api/workbooks", json=body)
        assert answer.status_code == 200
        options = BuildOptions(locale="tr", company=company, year=2027, first_month=4, currency="EUR", sample=True)
        assert parts(answer.content) == parts(build_workbook(crm, options).data)
    cache: BuildCache = client.app.state.cache
    assert len(cache.bases) >= 1  # the names went through a prepared base
