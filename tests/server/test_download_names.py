"""Download names show what they are: no bidirectional or invisible characters, whatever the company typed."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest

from generator.server.download import ascii_name, safe_name

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
