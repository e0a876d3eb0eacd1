"""Data validations kept per process (generator/workbook/validations.py) write what XlsxWriter writes."""

from __future__ import annotations

import io
import warnings
from typing import Any

import pytest
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.catalog import Catalog
from generator.workbook import build, validations
from generator.workbook.context import BuildOptions
from generator.workbook.worksheet import FormulaWorksheet
from tests.workbook.test_worksheet import parts


class PlainValidations(FormulaWorksheet):
    """The project's worksheet with XlsxWriter's own data validations."""

    data_validation = Worksheet.data_validation
    _write_data_validation = Worksheet._write_data_validation


@pytest.fixture(autouse=True)
def _fresh_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validations, "_CHECKED", {})
    monkeypatch.setattr(validations, "_WRITTEN", {})


@pytest.mark.parametrize("catalog_name", ["crm", "bsc"])
def test_kept_validations_write_the_same_file(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, catalog_name: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    options = BuildOptions(locale="tr", sample=True)
    first = build.build_workbook(catalog, options).data  # fills the tables
    second = build.build_workbook(catalog, options).data  # reads them
    assert validations._CHECKED and validations._WRITTEN
    monkeypatch.setattr(build, "FormulaWorksheet", PlainValidations)
    plain = build.build_workbook(catalog, options).data
    assert parts(first) == parts(plain) == parts(second)


RULES: list[dict[str, Any]] = [
    {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 10, "input_message": "a & <b>"},
    {"validate": "decimal", "criteria": ">=", "value": -1.5, "error_type": "warning", "ignore_blank": False},
    {"validate": "list", "source": ["a", "b"]},  # not kept: XlsxWriter's own each time
    {"validate": "decimal", "criteria": "between", "minimum": "=A1", "maximum": 3},  # a formula bound: not kept
    {"validate": "whole", "criteria": "between", "minimum": 1},  # refused by XlsxWriter: no maximum
]


def _sheet_xml(worksheet_class: type[Worksheet], rounds: int) -> tuple[str, list[int]]:
    book = Workbook(io.BytesIO(), {"in_memory": True})
    sheet = book.add_worksheet(worksheet_class=worksheet_class)
    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _round in range(rounds):
            for i, rule in enumerate(RULES):
                results.append(sheet.data_validation(i, 0, i, 3, dict(rule)))
            results.append(sheet.data_validation("B20", dict(RULES[0])))  # by address: XlsxWriter's own
    sheet.validations[0]["cells"].append([30, 0, 30, 0])  # a change to one added validation changes no other
    out = io.StringIO()
    sheet._set_filehandle(out)
    sheet._write_data_validations()
    book.close()
    return out.getvalue(), results


def test_every_kind_of_validation_is_what_xlsxwriter_writes() -> None:
    ours, our_results = _sheet_xml(FormulaWorksheet, 2)
    theirs, their_results = _sheet_xml(PlainValidations, 2)
    assert ours == theirs and our_results == their_results
    assert our_results.count(-2) == 2 and 'sqref="A1:D1 A31"' in ours and "a &amp; &lt;b&gt;" in ours
    assert len(validations._CHECKED) == 2  # the two kept kinds by numbers, each checked once
    # spelt: the integer rule on A1:D1 (as added, and the one given another block), the decimal one, on B20
    assert len(validations._WRITTEN) == 4
