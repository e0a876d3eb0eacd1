"""Cached results for every formula the writer wrote, computed by the engine before the file is closed.

XlsxWriter stores 0 as each formula's result unless told otherwise, and a spreadsheet that does
not recalculate on load (LibreOffice's default, previews, pandas, openpyxl ``data_only``) shows
that 0. So the finished worksheets' cells (XlsxWriter's own tables, read before ``close``) go
into the engine, every formula is evaluated in dependency order, and each result is stored as
the cell's cached value. A formula the engine cannot compute raises EngineError: a bug, never a
silent 0.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet

from generator.engine import EngineError, Spreadsheet, XlError
from generator.workbook.worksheet import EMPTY_TEXT


def cache_values(workbook: Workbook) -> None:
    """Evaluate every formula cell of ``workbook`` and store its result; call just before ``close``."""
    sheets: list[Worksheet] = workbook.worksheets()
    strings = {index: text for text, index in workbook.str_table.string_table.items()}
    engine = Spreadsheet([sheet.name for sheet in sheets], strict=True)
    formulas: list[tuple[Worksheet, int, int, Any]] = []
    for sheet in sheets:
        name = sheet.name
        for row, cells in sheet.table.items():
            for col, cell in cells.items():
                kind = cell.__class__.__name__
                if kind == "Formula":
                    engine.set_formula(name, row, col, cell.formula)
                    formulas.append((sheet, row, col, cell))
                elif kind == "Number":
                    # XlsxWriter stores 16 significant digits: compute from what the file holds.
                    engine.set_value(name, row, col, float(f"{cell.number:.16G}"))
                elif kind == "String":
                    engine.set_value(name, row, col, strings[cell.string])
                elif kind == "Boolean":
                    engine.set_value(name, row, col, bool(cell.boolean))
                elif kind != "Blank":
                    raise EngineError(f"{name}: a {kind} cell cannot be evaluated")
    for name, _sheet_index, target, _hidden in workbook.defined_names:
        engine.define_name(name, target)
    for sheet, row, col, cell in formulas:
        result = engine.value(sheet.name, row, col)
        # the tuple built directly: namedtuple's _replace costs four times as much, once per formula cell
        sheet.table[row][col] = CellFormulaTuple(cell.formula, cell.format, stored(result))


def stored(result: Any) -> Any:
    """A result as XlsxWriter writes it: an error as its code (t="e"), "" as the marker that
    gets ``t="str"`` and an empty value, text (t="str"), a boolean (t="b") or a number."""
    if result.__class__ is XlError:
        return result.code
    if result == "" and isinstance(result, str):
        return EMPTY_TEXT
    return result
