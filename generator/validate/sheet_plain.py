"""A worksheet in the plain shape spreadsheets write, read by regular expressions instead of one Python
call per XML event.

``sheet_cells.read_sheet`` streams a sheet through expat with a Python handler per element: about
two fifths of validating a file. Most sheets are plain: one part of at most ``CHUNK`` bytes, UTF-8,
no DTD, comment or CDATA (no ``<!``), no element of the main namespace behind a prefix
(``_main_prefixed``), and every cell written
as ``<c r="E42" s="3" t="s"><f>..</f><v>..</v></c>`` (attributes in that order, any of ``s``,
``t``, the formula and the value left out). For those, expat checks the part is well formed
without calling Python, one regular expression finds the cells, and the same functions as the
stream type them (``cell_read``); cells, elements and bytes are counted as the stream counts
them, up to where it stops. Anything else (a cell of another shape, a shared formula, an inline
string, a limit reached, a value the stream would refuse) gives None and the stream reads the
sheet: it alone refuses, so every refusal and its message stay the stream's.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any

from generator.validate.cell_read import CellTypes, SharedFormula, cell_formula, cell_value
from generator.validate.sheet_cells import _AFTER_MERGES, _COLUMNS, COLUMN_BITS, MAX_ROW, SheetCells, _column, _unmerge
from generator.validate.xml_stream import CHUNK, ELEMENTS_PER_CELL, MAIN, SEP, Budget, new_parser

_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,9})")?'
    rb'(?:/>|>(<f(?: aca="(?:false|true)")?(?:/>|>([^<]*)</f>))?(?:<v>([^<]*)</v>|<v/>)?</c>)'
)
"""One plain cell: column, row, style, type, the formula element, its text, the value's text."""
_CELL_TAG = re.compile(rb"<c[\s/>]")
_PREFIXED = re.compile(rb"<[A-Za-z_][^\s/>]*:")
_DECLARED_PREFIX = re.compile(rb'xmlns:[A-Za-z_][A-Za-z0-9_.-]*="([^"<&]*)"')
_ROW = re.compile(rb"<row(?:[\s/>][^>]*)?>")
_ROW_NUMBER = re.compile(rb'\sr="([^"]*)"')
_ROW_R = re.compile(rb"\sr\s*=")
_MERGE_TAG = re.compile(rb"<mergeCell[\s/>]")
_MERGE = re.compile(rb'<mergeCell ref="([^"<&]*)"\s*/>')
_NAME = re.compile(rb"<([A-Za-z_][^\s/>]*)")
_NUMERIC = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")
_NAMED = (("&quot;", '"'), ("&lt;", "<"), ("&gt;", ">"), ("&apos;", "'"))
_STOP = {name.split(SEP, 1)[1].encode() for name in _AFTER_MERGES}
_DECLARED = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding=["']([A-Za-z0-9_-]+)["']""")


class _NotPlain(Exception):
    """The sheet is not of the plain shape, or reaches a limit: the stream reads it instead."""


def read_plain_sheet(
    zf: zipfile.ZipFile, part: str, label: str, budget: Budget, types: CellTypes, keep: bool = True
) -> SheetCells | None:
    """The sheet's cells as ``read_sheet`` keeps them, or None when the stream must read it.

    The budget changes only when the sheet is read here, so the stream starts from the same counts.
    """
    try:
        info = zf.getinfo(part)
        if info.file_size > CHUNK or info.flag_bits & 0x1:
            return None
        with zf.open(info) as fh:
            data = fh.read(CHUNK + 1)  # the stream's first read, checked against the sizes it gives
    except MemoryError:
        raise
    except Exception:  # any read or zip error: the stream meets it again and refuses with its message
        return None
    if len(data) > CHUNK or budget.inflated + len(data) > budget.limits.max_uncompressed_bytes:
        return None
    try:
        region = _plain_region(data)
        reader = _Reader(label, budget, types, keep)
        reader.read(region)
    except MemoryError:
        raise
    except Exception:  # not plain, refused, or anything unforeseen: the stream reads it, and decides
        return None
    budget.inflated += len(data)
    budget.cells, budget.elements = reader.cells, reader.elements
    sheet = reader.sheet
    if reader.merges and keep:
        _unmerge(sheet, reader.merges, budget, label)
        sheet.merges = reader.merges
    return sheet


def _main_prefixed(data: bytes) -> bool:
    """Whether an element with a prefix may be in the main namespace (a cell the expressions would miss).

    Excel and LibreOffice write elements of their extensions with prefixes (``<x14:...>`` in a
    Dashboard's conditional formats): those are read here, as the stream reads them (counted, not
    kept), when every ``xmlns:`` in the part is a plain declaration (double quotes, no entity) of
    another namespace. Any other spelling, or the main namespace behind a prefix, leaves the sheet
    to the stream; with no declaration at all, a prefixed element is refused by expat first.
    """
    if not _PREFIXED.search(data):
        return False
    declared = _DECLARED_PREFIX.findall(data)
    return len(declared) != data.count(b"xmlns:") or MAIN.encode() in declared


def _plain_region(data: bytes) -> bytes:
    """The part of ``data`` the stream reads (up to where it stops), once the whole is known to be
    well-formed XML of the plain shape; _NotPlain otherwise."""
    declared = _DECLARED.match(data)
    if declared is not None and declared.group(1).upper() not in (b"UTF-8", b"UTF8"):
        raise _NotPlain
    if b"<!" in data or b"\r" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _NotPlain
    if data.count(b"<?") > (1 if data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml ") else 0):
        raise _NotPlain  # a processing instruction may hold text shaped like cells: only the declaration
    if data.count(b'xmlns="') != 1 or b'xmlns="' + MAIN.encode() + b'"' not in data or _main_prefixed(data):
        raise _NotPlain  # the cells' namespace must be the main one wherever they are
    new_parser().Parse(data, True)  # well-formed, checked in C (no handler is set)
    start, end = data.find(b"<sheetData"), data.find(b"</sheetData>")
    if start < 0 or end < 0 or data.find(b"<sheetData", start + 1) >= 0:
        raise _NotPlain  # no sheetData, an empty <sheetData/>, or two of them
    end += len(b"</sheetData>")
    stop = len(data)
    merges = data.find(b"</mergeCells>")
    if merges >= 0:
        stop = merges + len(b"</mergeCells>")
    for found in _NAME.finditer(data, end, stop):
        if found.group(1) in _STOP:  # the stream stops at the first of these after the data, counted
            stop = data.index(b">", found.end()) + 1
            break
    if stop < end:
        raise _NotPlain  # the stream would stop before the cells (mergeCells first)
    return data[:stop]


class _Reader:
    """The plain cells of a region, kept and counted as the stream keeps and counts them."""

    def __init__(self, label: str, budget: Budget, types: CellTypes, keep: bool) -> None:
        self.label, self.name, self.types, self.keep = label, budget.name, types, keep
        self.limits = budget.limits
        self.cells, self.elements = budget.cells, budget.elements
        self.sheet = SheetCells()
        self.merges: list[str] = []

    def read(self, region: bytes) -> None:
        limits = self.limits
        tags = len(_CELL_TAG.findall(region))
        found = _CELL.findall(region)
        if len(found) != tags:
            raise _NotPlain  # a cell of another shape
        self.cells += tags
        starts = region.count(b"<") - region.count(b"</") - region.count(b"<?")  # no <! (checked)
        self.elements += starts - tags
        if self.cells > limits.max_cells or self.elements > limits.max_cells * ELEMENTS_PER_CELL:
            raise _NotPlain
        for row in _ROW.findall(region):
            if _ROW_R.search(row) is None:
                continue
            number = _ROW_NUMBER.search(row)
            if number is None or not (number.group(1).isdigit() and 1 <= int(number.group(1)) <= MAX_ROW):
                raise _NotPlain  # the stream refuses it, or reads a number written otherwise
        merges = _MERGE.findall(region)
        if len(merges) != len(_MERGE_TAG.findall(region)):
            raise _NotPlain
        self.merges = [ref.decode() for ref in merges if ref]
        self._cells(found)

    def _cells(self, found: list[tuple[bytes, ...]]) -> None:
        """The loop every cell goes through: typed by ``cell_read``, as the stream types them."""
        name, label, types, keep = self.name, self.label, self.types, self.keep
        max_rows, max_columns, most = self.limits.max_rows, self.limits.max_columns, self.limits.max_string_chars
        values, formulas = self.sheet.values, self.sheet.formulas
        shared: dict[str, SharedFormula] = {}
        for letters, digits, s, t, f_element, f_text, v_text in found:
            if not (f_element or v_text):
                continue  # an empty (styled) cell: counted, not kept
            col = _COLUMNS.get(letters.decode()) or _column(letters.decode())
            row = int(digits)
            if col is None or row < 1 or row > max_rows or col > max_columns:
                raise _NotPlain
            value: Any = None
            if v_text:
                text = _text(v_text, most)
                kind = t.decode() if t else "n"
                value = cell_value(kind, text, None, int(s) if s else 0, types, (name, label, row, col))
            formula = None
            if f_element:
                formula = cell_formula({}, _text(f_text, most) if f_text else None, row, col, shared, 0)
            if keep and (value is not None or formula is not None):
                key = (row - 1) << COLUMN_BITS | (col - 1)
                if value is not None:
                    values[key] = value
                if formula is not None:
                    formulas[key] = formula


def _text(raw: bytes, most: int) -> str:
    """Element text as expat gives it: UTF-8, the five entities and character references resolved
    (``&amp;`` last, so ``&amp;quot;`` stays ``&quot;``)."""
    text = raw.decode()
    if "&" in text:
        for entity, char in _NAMED:
            text = text.replace(entity, char)
        if "&#" in text:
            text = _NUMERIC.sub(_character, text)
        text = text.replace("&amp;", "&")
    if len(text) > most:
        raise _NotPlain
    return text


def _character(found: re.Match[str]) -> str:
    number = found.group(1)
    return chr(int(number[1:], 16) if number.startswith("x") else int(number))
