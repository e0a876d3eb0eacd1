"""The Excel vectors (excel_vectors.tsv) read into rows, and the value spelling they share with the
differential test: a number, "text", TRUE/FALSE or an error code."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.engine import ERRORS, Spreadsheet, XlError

TABLE = Path(__file__).with_name("excel_vectors.tsv")
SHEET = "S"


@dataclass(frozen=True)
class Vector:
    formula: str
    grid: dict[str, str]
    """A1 address -> spelled value, or a formula starting with "="."""
    expected: Any
    source: str


def spelled(text: str) -> Any:
    """A value as the table spells it."""
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1]
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    if text in ERRORS:
        return ERRORS[text]
    return float(text)


def read_vectors() -> list[Vector]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        formula, grid, expected, source = line.split("\t")
        cells = {}
        if grid != "-":
            for part in grid.split("; "):
                address, value = part.split("=", 1)
                cells[address] = value
        rows.append(Vector(formula, cells, spelled(expected), source))
    return rows


def address(text: str) -> tuple[int, int]:
    """ "B3" -> (2, 1), 0-based."""
    return int(text[1:]) - 1, ord(text[0]) - 65


def fill(sheet: Spreadsheet, name: str, grid: dict[str, str]) -> None:
    for where, value in grid.items():
        row, col = address(where)
        if value.startswith("="):
            sheet.set_formula(name, row, col, value)
        else:
            sheet.set_value(name, row, col, spelled(value))


def engine_result(vector: Vector) -> Any:
    sheet = Spreadsheet([SHEET])
    fill(sheet, SHEET, vector.grid)
    return sheet.evaluate(SHEET, vector.formula)


def same(found: Any, expected: Any) -> bool:
    """Equal as a spreadsheet shows them: numbers to 1e-9 relative, errors by code, "" and a blank alike."""
    if isinstance(expected, XlError) or isinstance(found, XlError):
        return str(found) == str(expected)
    if isinstance(expected, bool) or isinstance(found, bool):
        return found is expected
    if isinstance(expected, str) or isinstance(found, str) or found is None or expected is None:
        return (found or "") == (expected or "")
    return math.isclose(found, expected, rel_tol=1e-9, abs_tol=1e-12)
