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
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellBooleanTuple,
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from generator.engine import EngineError, Spreadsheet, XlError
from generator.workbook.worksheet import EMPTY_TEXT


def cache_values(workbook: Workbook) -> None:
    """Evaluate every formula cell of ``workbook`` and store its result; call just before ``close``.

    The cells go into the engine in one ``load`` and come out of one ``evaluate_all``, in the
    sheets' order: a build has thousands of formula cells, and a call per cell each way was a
    tenth of the work."""
    sheets: list[Worksheet] = workbook.worksheets()
    strings = {index: text for text, index in workbook.str_table.string_table.items()}
    engine = Spreadsheet([sheet.name for sheet in sheets], strict=True)
    constants: dict[tuple[str, int, int], Any] = {}
    formulas: dict[tuple[str, int, int], str] = {}
    for sheet in sheets:
        name = sheet.name
        for row, cells in sheet.table.items():
            for col, cell in cells.items():
                kind = cell.__class__
                if kind is CellFormulaTuple:
                    formulas[(name, row, col)] = cell.formula
                elif kind is CellNumberTuple:
                    # XlsxWriter stores 16 significant digits: compute from what the file holds (a whole
                    # float under 1e15, most of a workbook's numbers, is what its 16 digits spell already).
                    number = cell.number
                    whole = number.__class__ is float and number.is_integer() and -1e15 < number < 1e15
                    constants[(name, row, col)] = number if whole else float(f"{number:.16G}")
                elif kind is CellStringTuple:
                    constants[(name, row, col)] = strings[cell.string]
                elif kind is CellBooleanTuple:
                    constants[(name, row, col)] = bool(cell.boolean)
                elif kind is not CellBlankTuple:
                    raise EngineError(f"{name}: a {kind.__name__} cell cannot be evaluated")
    engine.load(constants, formulas)
    for name, _sheet_index, target, _hidden in workbook.defined_names:
        engine.define_name(name, target)
    tables = {sheet.name: sheet.table for sheet in sheets}
    for (name, row, col), result in engine.evaluate_all().items():
        cells = tables[name][row]
        cell = cells[col]
        # the tuple built directly: namedtuple's _replace costs four times as much, once per formula cell
        value = result if result.__class__ is float else stored(result)  # a number is stored as it is
        cells[col] = CellFormulaTuple(cell.formula, cell.format, value)


def stored(result: Any) -> Any:
    """A result as XlsxWriter writes it: an error as its code (t="e"), "" as the marker that
    gets ``t="str"`` and an empty value, text (t="str"), a boolean (t="b") or a number."""
    if result.__class__ is XlError:
        return result.code
    if result == "" and isinstance(result, str):
        return EMPTY_TEXT
    return result
