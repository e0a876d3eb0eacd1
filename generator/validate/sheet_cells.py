"""One worksheet read in one streaming pass: every cell's value and formula, limits counted as it goes.

What is kept is what validation reads: a cell's value (the constant typed, or a formula's result
as last calculated) and its formula as typed. Styles, column widths, conditional formats and the
rest are skipped; the parse stops after the merged cells, so the formats that follow are never read.

Rows and columns are judged by the cells that hold something. A sheet's ``<dimension>`` is only
a claim, and an empty row far below the data is what LibreOffice writes after a row is deleted
(row 1048576): both are tolerated. Every ``<c>`` element counts against ``max_cells``, with or
without an ``r=`` attribute (a cell without one follows the previous cell, as in Excel).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, NoReturn

from generator.formula.reference import column_index
from generator.validate.cell_read import CellTypes, SharedFormula, address, bad, cell_formula, cell_value
from generator.validate.refusals import ReadLimits, clean, over_limits, refuse
from generator.validate.xml_stream import (
    ELEMENTS_PER_CELL,
    Budget,
    Done,
    new_parser,
    parse_member,
    qualified,
    text_collector,
)

COLUMN_BITS = 14
"""A cell's key is ``row << COLUMN_BITS | column`` (0-based); Excel's 16384 columns fit in 14 bits."""
MAX_COLUMN = 1 << COLUMN_BITS
MAX_ROW = 1 << 20

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_DIGITS = "0123456789"

_C, _V, _F, _ROW, _IS, _T, _RPH = (qualified(x) for x in ("c", "v", "f", "row", "is", "t", "rPh"))
_SHEET_DATA, _MERGE, _MERGES = (qualified(x) for x in ("sheetData", "mergeCell", "mergeCells"))
_AFTER_MERGES = {
    qualified(x)
    for x in [
        "phoneticPr",
        "conditionalFormatting",
        "dataValidations",
        "hyperlinks",
        "printOptions",
        "pageMargins",
        "pageSetup",
        "headerFooter",
        "rowBreaks",
        "colBreaks",
        "customProperties",
        "cellWatches",
        "ignoredErrors",
        "smartTags",
        "drawing",
        "legacyDrawing",
        "legacyDrawingHF",
        "drawingHF",
        "picture",
        "oleObjects",
        "controls",
        "webPublishItems",
        "tableParts",
        "extLst",
    ]
}
"""Elements that come after ``<mergeCells>`` in a worksheet (ECMA-376 CT_Worksheet): nothing more is needed."""


_COLUMNS: dict[str, int] = {}
"""Column letters (A to XFD) met so far -> their 1-based number: one dict look-up per cell reference.
Filled as columns are met (at most 16384 entries), not at import."""


def _column(letters: str) -> int | None:
    """The 1-based number of plain upper-case column letters within a sheet (A to XFD); None for anything else."""
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha() and letters.isupper()):
        return None
    number = column_index(letters) + 1
    if number > MAX_COLUMN:
        return None
    _COLUMNS[letters] = number
    return number


_INTERNED = {name: name for name in (_C, _V, _F, _ROW, _IS, _T, _RPH, _SHEET_DATA, _MERGE, _MERGES)}
"""Handed to expat as its table of names, so it reports these very strings and ``is`` compares them."""


def refuse_size(
    name: str, label: str, how: str, rows: int, columns: int, limits: ReadLimits, note: str = ""
) -> NoReturn:
    """Refuse a sheet over the row or column limit, naming only the limits it exceeds."""
    over = [
        (field, f"{found} {unit}", f"{limit} {unit}")
        for field, found, limit, unit in (
            ("max_rows", rows, limits.max_rows, "rows"),
            ("max_columns", columns, limits.max_columns, "columns"),
        )
        if found > limit
    ]
    found = " and ".join(item[1] for item in over)
    allowed = " and ".join(item[2] for item in over)
    plural = "s" if len(over) > 1 else ""
    refuse(
        name,
        over_limits(
            [item[0] for item in over], f"{label} {how} {found}{note}, more than the limit{plural} of {allowed}"
        ),
    )


@dataclass
class SheetCells:
    """A worksheet's cells by key (``row << COLUMN_BITS | column``, 0-based)."""

    values: dict[int, Any] = field(default_factory=dict)
    """What each cell shows: a constant, or a formula's cached result (absent when never calculated)."""
    formulas: dict[int, str] = field(default_factory=dict)
    """Formula text as typed, with its leading '='."""
    merges: list[str] = field(default_factory=list)
    """The ``ref`` of each ``<mergeCell>``, as written (``E42:G42``), in the file's order."""


def read_sheet(
    zf: zipfile.ZipFile, part: str, label: str, budget: Budget, types: CellTypes, keep: bool = True
) -> SheetCells:
    """Stream one worksheet part; refuse it as soon as it goes over a limit.

    The two handlers stay closures over the reading state, one Python call per XML event: this is
    the loop every cell of every file goes through. The steps that run once per cell are named
    functions: its position (``_position``), its value and formula (``cell_read``), a refusal.
    """
    limits, name = budget.limits, budget.name
    max_rows, max_columns = limits.max_rows, limits.max_columns
    max_cells, max_elements = limits.max_cells, limits.max_cells * ELEMENTS_PER_CELL
    cells, elements = budget.cells, budget.elements
    sheet = SheetCells()
    values, formulas = sheet.values, sheet.formulas
    shared: dict[str, SharedFormula] = {}
    merges: list[str] = []
    parser = new_parser(dict(_INTERNED))
    row = col = 0  # 1-based position of the current row and cell, as Excel counts them
    kind = "n"
    style = 0
    f_attrs: dict[str, str] | None = None
    v_text: str | None = None
    f_text: str | None = None
    inline: list[str] | None = None
    mode = 0  # 1 while inside <v>, 2 inside <f>, 3 inside an inline string's <t>
    phonetic = after_data = False
    start_text, finish_text = text_collector(parser, budget, lambda: f"{label}, cell {address(row, col)},")

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal row, col, kind, style, f_attrs, v_text, f_text, inline, phonetic, after_data, mode
        nonlocal cells, elements
        if tag is _C:
            cells += 1
            if cells > max_cells:
                budget.too_many(f"has, counting up to {label}, at least", cells, "max_cells", max_cells)
            ref = attrs.get("r")
            if ref:
                row, col = _position(ref, name, label)
            else:
                col += 1
            kind = attrs.get("t", "n")
            s = attrs.get("s")
            style = int(s) if s and len(s) < 10 and s.isdecimal() else 0
            f_attrs = v_text = f_text = inline = None
            return
        elements += 1
        if elements > max_elements:
            budget.too_many_elements()
        if tag is _V:
            mode = 1
            start_text()
        elif tag is _F:
            f_attrs = attrs
            mode = 2
            start_text()
        elif tag is _ROW:
            r = attrs.get("r")
            row = _row_number(r, name, label) if r else row + 1
            col = 0
        elif tag is _T:
            if inline is not None and not phonetic:
                mode = 3
                start_text()
        elif tag is _IS:
            inline = []
        elif tag is _RPH:
            phonetic = True
        elif tag is _MERGE:
            if ref := attrs.get("ref"):
                merges.append(ref)
        elif after_data and tag in _AFTER_MERGES:
            raise Done

    def end(tag: str) -> None:
        nonlocal v_text, f_text, phonetic, after_data, mode
        if tag is _C:
            if v_text or inline is not None or f_attrs is not None:
                _store()
        elif mode:
            found = finish_text()
            if mode == 1:
                v_text = found
            elif mode == 2:
                f_text = found
            elif inline is not None:
                inline.append(found)
            mode = 0
        elif tag is _RPH:
            phonetic = False
        elif tag is _SHEET_DATA:
            after_data = True
        elif tag is _MERGES:
            raise Done

    def _store() -> None:
        value = (
            cell_value(kind, v_text, inline, style, types, (name, label, row, col))
            if (v_text or inline is not None)
            else None
        )
        formula = cell_formula(f_attrs or {}, f_text, row, col, shared, max_cells) if f_attrs is not None else None
        if value is None and formula is None:
            return  # an empty (styled) cell: counted, not kept, not judged by its position
        if row > max_rows or col > max_columns or row < 1:
            _refuse_position(name, label, row, col, limits)
        if keep:
            key = (row - 1) << COLUMN_BITS | (col - 1)
            if value is not None:
                values[key] = value
            if formula is not None:
                formulas[key] = formula

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parse_member(zf, part, budget, parser)
    finally:
        budget.cells, budget.elements = cells, elements
    if merges and keep:
        _unmerge(sheet, merges, budget, label)
        sheet.merges = merges
    return sheet


def _refuse_position(name: str, label: str, row: int, col: int, limits: ReadLimits) -> NoReturn:
    """A cell holding something beyond the row or column limit, or in row 0 (``r="E0"``)."""
    if row < 1:  # no such row in any spreadsheet
        bad(name, label, f"a cell reference {address(row, col)!r}")
    refuse_size(name, label, "has a cell at", row, col, limits, f" ({address(row, col)})")


def _position(ref: str, name: str, label: str) -> tuple[int, int]:
    """(row, column), 1-based, of a cell's ``r`` attribute: a dict look-up for the usual ``E42``."""
    letters = ref.rstrip(_DIGITS)
    number = _COLUMNS.get(letters) or _column(letters)
    if number is None or len(letters) == len(ref) or len(ref) > 10:  # XFD1048576 has 10
        return _reference(ref, name, label)
    return int(ref[len(letters) :]), number


def _reference(ref: str, name: str, label: str) -> tuple[int, int]:
    """(row, column), 1-based, of a cell reference that is not plain upper-case letters and digits."""
    found = _REF.fullmatch(ref)
    if found is None:
        bad(name, label, f"a cell reference {clean(ref, 20)!r}")
    return int(found.group(2)), column_index(found.group(1)) + 1


def _row_number(text: str, name: str, label: str) -> int:
    try:
        number = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            value = 0.5
        if not value.is_integer():
            bad(name, label, f"a row numbered {clean(text, 20)!r}")
        number = int(value)
    if not 1 <= number <= MAX_ROW:
        bad(name, label, f"a row numbered {number}")
    return number


def _unmerge(sheet: SheetCells, merges: list[str], budget: Budget, label: str) -> None:
    """Empty the cells a merged range covers (all but its top-left), as a spreadsheet shows them.

    Each range costs the smaller of its area and the cells kept, counted against ``max_cells``:
    a whole-sheet merge costs one pass over the cells, not 17 billion steps.
    """
    kept = len(sheet.values) + len(sheet.formulas)
    keys = None
    for ref in merges:
        found = _corners(ref)
        if found is None:
            continue
        c1, r1, c2, r2 = found
        top, left, bottom, right = min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)
        area = (bottom - top + 1) * (right - left + 1)
        budget.elements += min(area, kept)
        if budget.elements > budget.limits.max_cells * ELEMENTS_PER_CELL:
            budget.too_many_elements()
        if area <= kept and right < MAX_COLUMN:
            covered = [
                key
                for row in range(top << COLUMN_BITS, (bottom + 1) << COLUMN_BITS, 1 << COLUMN_BITS)
                for key in range(row + left, row + right + 1)
            ][1:]  # all but the top-left cell, the first
        elif area <= kept:  # (columns past XFD: keys as ``|`` makes them)
            covered = [
                r << COLUMN_BITS | c
                for r in range(top, bottom + 1)
                for c in range(left, right + 1)
                if (r, c) != (top, left)
            ]
        else:
            keys = keys if keys is not None else list(sheet.values.keys() | sheet.formulas.keys())
            covered = [
                k
                for k in keys
                if top <= k >> COLUMN_BITS <= bottom
                and left <= k & (MAX_COLUMN - 1) <= right
                and (k >> COLUMN_BITS, k & (MAX_COLUMN - 1)) != (top, left)
            ]
        for key in covered:
            sheet.values.pop(key, None)
            sheet.formulas.pop(key, None)


_BLOCK = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})")
"""A merged block as spreadsheets write it (``B4:C4``): read with one match, the columns looked up."""


def _corners(ref: str) -> tuple[int, int, int, int] | None:
    """(column, row, column, row) of a merged block's corners, 0-based; None when ``ref`` is not a block."""
    found = _BLOCK.fullmatch(ref)
    if found is not None:
        a, r1, b, r2 = found.groups()
        return (
            (_COLUMNS.get(a) or column_index(a) + 1) - 1,
            int(r1) - 1,
            (_COLUMNS.get(b) or column_index(b) + 1) - 1,
            int(r2) - 1,
        )
    corners = [_REF.fullmatch(part.strip()) for part in ref.split(":")]
    if len(corners) != 2 or not all(corners):
        return None
    (c1, r1), (c2, r2) = ((column_index(m.group(1)), int(m.group(2)) - 1) for m in corners if m)
    return c1, r1, c2, r2
