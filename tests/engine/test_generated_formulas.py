"""Every formula the writer emits is computed by the engine and carried as its cached value.

Each generated workbook (crm and bsc, English and Turkish, empty and filled) is read back from
the file: its formulas go into a fresh engine, and every formula cell's cached value must be
what that formula gives. This checks the file as written, not the writer's tables; that the
values are also what a spreadsheet computes is tests/workbook/test_cached_values.py's job
(LibreOffice).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.engine import ERRORS, Spreadsheet, XlError
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from generator.workbook.sample import read_sample
from tests.workbook.test_recalculation import random_values

CASES = [(c, loc, fill) for c in ("crm", "bsc") for loc in ("en", "tr") for fill in ("empty", "filled")]


def built(catalog: Catalog, locale: str, fill: str) -> bytes:
    values = None
    if fill == "filled":
        values = read_sample(catalog) if catalog.sample else random_values(catalog, 7)
    return build_workbook(catalog, BuildOptions(locale=locale, first_month=4), values).data


def engine_over(data: bytes) -> tuple[Spreadsheet, dict[tuple[str, int, int], Any]]:
    """The file's cells in an engine, and each formula cell's cached value as openpyxl reads it."""
    formulas = openpyxl.load_workbook(io.BytesIO(data))
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    engine = Spreadsheet(formulas.sheetnames)
    shown: dict[tuple[str, int, int], Any] = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for found in row:
                value = found.value
                if value is None:
                    continue
                key = (ws.title, found.row - 1, found.column - 1)
                if isinstance(value, str) and value.startswith("="):
                    engine.set_formula(*key, value)
                    shown[key] = cached[ws.title].cell(found.row, found.column).value
                else:
                    engine.set_value(*key, value)
    for name, definition in formulas.defined_names.items():
        engine.define_name(name, definition.attr_text)
    return engine, shown


@pytest.mark.parametrize(("catalog_name", "locale", "fill"), CASES)
def test_every_formula_is_computed_and_cached(
    request: pytest.FixtureRequest, catalog_name: str, locale: str, fill: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    data = built(catalog, locale, fill)
    engine, shown = engine_over(data)
    results = engine.evaluate_all()
    assert len(results) == len(shown) > 500
    chart_sheet = engine.sheets[-1]
    for key, result in results.items():
        cached = shown[key]
        where = f"{key}: {engine.formula(key)}"
        if isinstance(result, XlError):
            assert result is ERRORS["#N/A"] and key[0] == chart_sheet, f"{where} gives {result}"
            assert cached == "#N/A", where
        elif result == "" and isinstance(result, str):
            assert cached in ("", None), f"{where}: cached {cached!r}, expected empty text"
        else:
            assert type(cached) is type(result) or {type(cached), type(result)} <= {int, float}, where
            assert cached == result, f"{where}: cached {cached!r}, computed {result!r}"


@pytest.mark.parametrize(("catalog_name", "locale", "fill"), [("crm", "tr", "empty"), ("crm", "en", "filled")])
def test_every_formula_cell_carries_a_typed_value(
    request: pytest.FixtureRequest, catalog_name: str, locale: str, fill: str
) -> None:
    """In the XML: a <v> after every <f>; text (including "") typed t="str", errors t="e"."""
    data = built(request.getfixturevalue(catalog_name), locale, fill)
    cell = re.compile(r"<c ([^>]*)><f>[^<]*</f>(?:<v>([^<]*)</v>)?</c>")
    counted = 0
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for part in package.namelist():
            if not part.startswith("xl/worksheets/sheet"):
                continue
            xml = package.read(part).decode()
            assert xml.count("<f>") == len(cell.findall(xml)), part
            for attributes, value in cell.findall(xml):
                counted += 1
                assert value is not None, f"{part}: formula without a cached value"
                kind = re.search(r'\bt="(\w+)"', attributes)
                if value == "" or not re.fullmatch(r"-?[0-9.]+(?:[eE][-+]?[0-9]+)?", value):
                    assert kind is not None and kind.group(1) in ("str", "e"), f"{part}: {attributes} {value!r}"
    assert counted > 500
