"""The formula fast path writes exactly what XlsxWriter's own preparation writes."""

from __future__ import annotations

import io
import zipfile

import pytest
from xlsxwriter.worksheet import Worksheet

from generator.catalog import Catalog
from generator.workbook import build
from generator.workbook.context import BuildOptions
from generator.workbook.worksheet import FormulaWorksheet, only_classic_functions


class PlainFormulas(FormulaWorksheet):
    """The project's worksheet with XlsxWriter's own formula preparation."""

    _prepare_formula = Worksheet._prepare_formula


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("catalog_name", ["crm", "bsc"])
def test_fast_path_writes_the_same_file(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, catalog_name: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    options = BuildOptions(locale="tr", sample=catalog_name == "crm")
    fast = build.build_workbook(catalog, options).data
    monkeypatch.setattr(build, "FormulaWorksheet", PlainFormulas)
    plain = build.build_workbook(catalog, options).data
    assert parts(fast) == parts(plain)


def test_other_functions_still_get_their_prefix() -> None:
    sheet = FormulaWorksheet()
    assert only_classic_functions('=IF(COUNT(A1)<1,"",MAX(A1,2))')
    assert not only_classic_functions("=XLOOKUP(A1,B1:B9,C1:C9)")
    assert sheet._prepare_formula("=XLOOKUP(A1,B1:B9,C1:C9)") == "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)"
    assert sheet._prepare_formula('=IF(A1="",0,A1)') == 'IF(A1="",0,A1)'
