"""Every generated workbook passes the Open XML SDK's schema and semantic constraints, in CI.

The ISO/IEC 29500-4 transitional XSDs are not installable from any registry this project can
use, so ``test_xsd.py`` runs only where ``KPIGEN_OOXML_SCHEMAS`` names a copy. What CI can
install is openxml-audit (PyPI), a pure-Python port of the Open XML SDK's validator. Its schema
data is the SDK's, generated from the transitional schemas plus Microsoft's extension schemas
(so it also checks the sparkline and chart extensions that the ISO XSDs leave open). Each
workbook (crm and bsc, English and Turkish, empty and filled) is checked against the newest
format it knows, Microsoft 365.

One finding is expected and named exactly: the SDK's data declares the attribute of
``c16r3:dispNaAsBlank`` (charts: show #N/A as a gap) as namespace-qualified, while Excel itself
writes it unqualified (``<c16r3:dispNaAsBlank val="1"/>``, as in XlsxWriter's Excel-made
fixtures); formats up to Office 2016, which predate that element, report nothing.

openxml-audit accepts a part that is not well-formed XML without a word (tried: a renamed
start tag in styles.xml), so every part is also parsed here. A mutation test shows the check
can fail.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from generator.catalog import Catalog
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions

from .test_recalculation import random_values

audit = pytest.importorskip("openxml_audit")

CASES = [(c, loc, fill) for c in ("crm", "bsc") for loc in ("en", "tr") for fill in ("empty", "filled")]
EXCEL_WRITES_THIS = ("The 'val' attribute is not declared.", "/dispNaAsBlank[1]")


def _build(request: pytest.FixtureRequest, catalog_name: str, locale: str, fill: str) -> bytes:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    values = random_values(catalog, 3) if fill == "filled" else None
    return build_workbook(catalog, BuildOptions(locale=locale, first_month=4), values).data


def _findings(data: bytes, folder: Path) -> list[tuple[str, str, str]]:
    """(part, path, description) of each finding, except the one Excel's own output gets."""
    path = folder / "book.xlsx"
    path.write_bytes(data)
    validator = audit.OpenXmlValidator(file_format=audit.FileFormat.MICROSOFT_365, max_errors=0)
    found = []
    for error in validator.validate(path).errors:
        where = str(error.path or "")
        if error.description == EXCEL_WRITES_THIS[0] and where.endswith(EXCEL_WRITES_THIS[1]):
            continue
        found.append((str(error.part_uri), where, error.description))
    return found


def _mutated(data: bytes, part: str, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                text = content.decode()
                assert old in text, f"{part} has no {old!r} to mutate"
                content = text.replace(old, new, 1).encode()
            target.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize(("catalog_name", "locale", "fill"), CASES)
def test_every_part_passes_the_sdk_constraints(
    request: pytest.FixtureRequest, tmp_path: Path, catalog_name: str, locale: str, fill: str
) -> None:
    data = _build(request, catalog_name, locale, fill)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = [name for name in package.namelist() if name.endswith((".xml", ".rels"))]
        for part in parts:
            ElementTree.fromstring(package.read(part))  # well-formed, or this raises
    assert len(parts) > 15
    assert _findings(data, tmp_path) == []


def test_the_check_can_fail(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """A text result with a cell type the schema does not allow, and an element where none may be, are found."""
    data = _build(request, "crm", "en", "filled")
    bad_type = _findings(_mutated(data, "xl/worksheets/sheet3.xml", 't="str"', 't="text"'), tmp_path)
    assert len(bad_type) == 1, bad_type
    part, _, description = bad_type[0]
    assert part == "/xl/worksheets/sheet3.xml"
    assert "attribute 't'" in description and "'text'" in description, description
    stray = _findings(_mutated(data, "xl/worksheets/sheet3.xml", "<sheetData>", "<sheetData><note/>"), tmp_path)
    assert [description for _, _, description in stray] == ["Unexpected element 'note' found"]
