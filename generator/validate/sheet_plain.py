"""A worksheet in the plain shape spreadsheets write, read by regular expressions instead of one Python
call per XML event.

``sheet_cells.read_sheet`` streams a sheet through expat with a Python handler per element. Most
sheets are plain: one part of at most ``CHUNK`` bytes, UTF-8, no DTD, comment or CDATA (no
``<!``), no element of the main namespace behind a prefix (``_main_prefixed``), one
``<sheetData>`` with no character XML forbids and no carriage return, whose content
``plain_cells`` reads as a run of strictly spelled tokens (cells, rows, text-only extension
elements). For those, expat checks the rest of the part (before
``<sheetData>`` and after it, up to where the stream stops) without calling Python, the token run
is well-formed by its spelling, and the cells are typed as the stream types them; cells, elements
and bytes are counted as the stream counts them. Anything else (a cell of another shape, a
limit reached, a value the stream would refuse) gives None and the stream reads the sheet: it
alone refuses, so every refusal and its message stay the stream's.
"""

from __future__ import annotations

import re
import zipfile

from generator.validate.cell_read import CellTypes
from generator.validate.plain_cells import CellReader, NotPlain
from generator.validate.sheet_cells import _AFTER_MERGES, SheetCells, _unmerge
from generator.validate.xml_stream import CHUNK, ELEMENTS_PER_CELL, MAIN, SEP, Budget, new_parser

_PREFIXED = re.compile(rb"<[A-Za-z_][^\s/>]*:")
_DECLARED_PREFIX = re.compile(rb'xmlns:[A-Za-z_][A-Za-z0-9_.-]*="([^"<&]*)"')
_ROOT = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml [^<>]*\?>)?[ \t\n]*"
    rb'<worksheet((?:[ \t\n]+[A-Za-z_][A-Za-z0-9_.:-]*="[^"<>]*")*)[ \t\n]*>'
)
"""The root's start tag, first in the part, strictly spelled: the prefixes it declares are those in scope."""
_ROOT_PREFIX = re.compile(rb'xmlns:([A-Za-z_][A-Za-z0-9_.-]*)="([^"<>&]*)"')
_START_TAG = re.compile(rb"""<[A-Za-z_][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*/?>""")
_BEFORE_DATA = re.compile(rb"<(?:c|v|f|row|is|t|rPh|mergeCell|/sheetData)[\s/>]")
_AFTER_DATA = re.compile(rb"<(?:c|v|f|row|is|t|rPh|sheetData)[\s/>]")
"""Elements the stream acts on wherever they are: outside the cells (merged cells are read from the
part after them), the sheet is left to it."""
_MERGE_TAG = re.compile(rb"<mergeCell[\s/>]")
_MERGE = re.compile(rb'<mergeCell ref="([^"<&]*)"\s*/>')
_NAME = re.compile(rb"<([A-Za-z_][^\s/>]*)")
_STOP = {name.split(SEP, 1)[1].encode() for name in _AFTER_MERGES}
_DECLARED = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding=["']([A-Za-z0-9_-]+)["']""")
_DATA_START, _DATA_END = b"<sheetData>", b"</sheetData>"
_ALLOWED_BYTES = bytes([0x09, 0x0A, *range(0x20, 0x100)])
"""Bytes that may stand in plain cells: deleting them from the sheetData (``bytes.translate``, in C)
leaves only the control characters and carriage returns, found in one pass over the part. The other
characters XML forbids are U+FFFE and U+FFFF (a surrogate cannot come out of a UTF-8 decode)."""


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
        reader, elements, merges = _read(data, label, budget, types, keep)
    except MemoryError:
        raise
    except Exception:  # not plain, refused, or anything unforeseen: the stream reads it, and decides
        return None
    budget.inflated += len(data)
    budget.cells += reader.cells
    budget.elements = elements
    sheet = reader.sheet
    if merges and keep:
        _unmerge(sheet, merges, budget, label)
        sheet.merges = merges
    return sheet


def _read(data: bytes, label: str, budget: Budget, types: CellTypes, keep: bool) -> tuple[CellReader, int, list[str]]:
    """The cells, the budget's element count after them, and the merged blocks; NotPlain otherwise."""
    root = _ROOT.match(data)
    start = data.find(_DATA_START)
    end = data.find(_DATA_END, start)
    if root is None or start < 0 or end < 0 or data.find(b"<sheetData", 0, start) >= 0:
        raise NotPlain  # no sheetData, an empty <sheetData/>, or one with attributes first
    # a second one is an element among the cells (not plain), or after them (refused by the check below)
    opened = start + len(_DATA_START)
    stop = _stop(data, end)
    head, tail = data[:opened], data[end:stop]
    _check_outside(head, tail)
    parser = new_parser()
    parser.Parse(head, False)  # well-formed, checked in C (no handler is set); the cells are checked by spelling
    parser.Parse(tail, stop == len(data))
    cells = data[opened:end]
    if cells.translate(None, _ALLOWED_BYTES):
        raise NotPlain  # a control character or a carriage return: expat refuses or changes it
    body = cells.decode()
    if "]" in body and "]]>" in body:  # (a search for one character is the quick one)
        raise NotPlain
    if "\ufffe" in body or "\uffff" in body:
        raise NotPlain  # not XML characters either (instant for text of ASCII and Latin-1 only)
    limits = budget.limits
    reader = CellReader(budget.name, label, types, limits, _prefixes(root.group(1)))
    reader.read(body, keep)
    if reader.depth:
        raise NotPlain  # a row never closed
    starts = sum(part.count(b"<") - part.count(b"</") - part.count(b"<?") for part in (head, tail))
    starts += body.count("<") - body.count("</")  # no <? or <! in the cells (they are not plain)
    elements = budget.elements + starts - reader.cells
    if budget.cells + reader.cells > limits.max_cells or elements > limits.max_cells * ELEMENTS_PER_CELL:
        raise NotPlain
    merges = _MERGE.findall(tail)
    if len(merges) != len(_MERGE_TAG.findall(tail)):
        raise NotPlain
    return reader, elements, [ref.decode() for ref in merges if ref]


def _prefixes(root: bytes) -> frozenset[str]:
    """The prefixes the root declares, plainly, for a namespace other than the main one: those an
    element or attribute among the cells may carry."""
    main = MAIN.encode()
    return frozenset(prefix.decode() for prefix, namespace in _ROOT_PREFIX.findall(root) if namespace != main)


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


def _check_outside(head: bytes, tail: bytes) -> None:
    """NotPlain unless the part around the cells is UTF-8 with no DTD, comment, CDATA or processing
    instruction, and the cells' namespace is the main one wherever they are (the cells' own tokens
    cannot hold any of these)."""
    declared = _DECLARED.match(head)
    if declared is not None and declared.group(1).upper() not in (b"UTF-8", b"UTF8"):
        raise NotPlain
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotPlain
    if _BEFORE_DATA.search(head, 0, len(head) - len(_DATA_START)) or _AFTER_DATA.search(tail):
        raise NotPlain
    pieces = 0
    for part in (head, tail):
        if b"<!" in part or b"\r" in part:
            raise NotPlain
        pieces += part.count(b"<?")
    if pieces > (1 if head.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml ") else 0):
        raise NotPlain  # a processing instruction may hold text shaped like cells: only the declaration
    if head.count(b'xmlns="') + tail.count(b'xmlns="') != 1 or b'xmlns="' + MAIN.encode() + b'"' not in head:
        raise NotPlain
    if _main_prefixed(head) or _main_prefixed(tail) or b"xmlns:" in tail:
        raise NotPlain  # the cells' namespace must be the main one wherever they are


def _stop(data: bytes, end: int) -> int:
    """Where the stream stops reading: after ``</mergeCells>`` or the start tag of the first element
    that follows the merged cells in a worksheet, if one comes after the data; else the part's end."""
    stop = len(data)
    merges = data.find(b"</mergeCells>")
    if merges >= 0:
        if merges < end:
            raise NotPlain  # the stream would stop before the cells (mergeCells first)
        stop = merges + len(b"</mergeCells>")
    for found in _NAME.finditer(data, end, stop):
        if found.group(1) in _STOP:  # the stream stops at the first of these after the data, counted
            tag = _START_TAG.match(data, found.start())
            if tag is None:
                raise NotPlain
            return tag.end()
    return stop
