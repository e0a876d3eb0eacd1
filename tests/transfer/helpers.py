"""Shared by the transfer tests: reading input values back out of a workbook, comparing two workbooks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from generator.formula.reference import parse_target


def input_values(path: Path) -> dict[str, list[float | None]]:
    """Every in_<input> range's 12 cells, read by defined name with openpyxl (not with kpigen's reader)."""
    book = openpyxl.load_workbook(path)
    values: dict[str, list[float | None]] = {}
    for name, definition in book.defined_names.items():
        if name.startswith("in_"):
            found = parse_target(definition.attr_text)
            assert found is not None
            sheet = book[found.sheet]
            values[name[3:]] = [
                sheet.cell(found.first_row + 1, col + 1).value for col in range(found.first_col, found.last_col + 1)
            ]
    return values


def parts(path: Path) -> dict[str, bytes]:
    """The package's parts, except the creation time XlsxWriter stamps into docProps/core.xml."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}
