"""A company name too long for the page footer is shortened with an ellipsis, never leaving a bare '&'.

In a footer '&' starts a code (``&P`` is the page number), so a literal one is written '&&'; a
cut through or just after such a pair must not leave '&' before the ellipsis. Expected footers
are written out by hand from the rule: at most 100 characters for the company, ellipsis included
(a name has at most 100 characters, so only doubled '&'s make it too long for the footer).
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from generator.catalog import Catalog
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions, footer_room


def footers(catalog: Catalog, company: str) -> set[str]:
    data = build_workbook(catalog, BuildOptions(company=company)).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    return {found for part in parts for found in re.findall(r"<oddFooter>(.*?)</oddFooter>", part)}


@pytest.mark.parametrize(
    ("company", "shown"),
    [
        # 96 a's and " &&": 101 characters in the footer; the old cut (99) ended on a whole pair and took
        # one '&' of it away, leaving a bare '&' (a footer code) before the ellipsis
        ("a" * 96 + " &&", "a" * 96 + "…"),
        # 97 a's: the cut falls inside the first pair; the old one left "aaa …"
        ("a" * 97 + " &&", "a" * 97 + "…"),
        # 93 a's and four '&': the old cut left two shown ampersands before the ellipsis
        ("a" * 93 + " &&&&", "a" * 93 + "…"),
        # a name of ampersands: nothing is left but the ellipsis after the first word
        ("Smith " + "&" * 60, "Smith…"),
    ],
)
def test_a_shortened_footer_never_ends_in_an_ampersand(crm: Catalog, company: str, shown: str) -> None:
    assert footer_room() == 100
    assert footers(crm, company) == {f"&amp;L&amp;8{shown.replace('&', '&amp;')}&amp;R&amp;8&amp;P / &amp;N"}
