"""The cells of a plain ``<sheetData>``: one regular expression splits it into tokens, one loop keeps them.

``sheet_plain`` hands over the text between ``<sheetData>`` and ``</sheetData>`` (decoded once).
``_TOKEN`` reads it as a run of whole tokens: a cell (``<c r="E42" s="3" t="s">`` with an optional
``<f>``, ``<v>`` or ``<is>``, attributes in that order), a row's start or end tag, a text-only
extension element behind a declared prefix, and white space. Anything else becomes an ``other``
token (up to the next ``<`` or space), and unless it is ``</row>`` the sheet is not plain. A run
of whole, strictly spelled tokens with balanced rows is well-formed XML, so expat need not see
it: the per-cell work is only what the stream does with a cell (``cell_read``), with the row's
number decoded once per row and the common types (numbers, shared strings, formula text) typed
inline. Anything unexpected raises ``NotPlain``
and the stream reads the sheet, refusing as it does.
"""

from __future__ import annotations

import re
from typing import Any

from generator.validate.cell_read import CellTypes, SharedFormula, cell_formula, cell_value
from generator.validate.cell_values import number
from generator.validate.sheet_cells import _COLUMNS, COLUMN_BITS, MAX_ROW, SheetCells, _column

_WS = "[ \\t\\n]*"
_CHAR = "[^<\\r\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]"
"""A character of element text: no markup, no character XML forbids (expat refuses them), no carriage
return (expat turns one into a line feed)."""
_IN_CELLS = "[^<]"
"""A character of element text among the cells: there the forbidden characters and carriage returns are
looked for once in the whole sheetData (by ``sheet_plain``) before any token is read, and a class of
one character is what ``re`` runs fastest (about 1.5 ms less on the demo than ``_CHAR``)."""
_TEXT = _CHAR + "*"
_SPACES, _VALUE = "[ \\t\\n]*+", '="[^"<&\\s\\x00-\\x1f]*+"'
"""Possessive (``*+``): what follows each of them starts with a character it cannot take, so giving
characters back never helps; the engine then keeps no state to do so (about 0.5 ms less on the demo)."""
_TOKEN = re.compile(
    # a cell: column, row, style, type, <f and its attributes, formula text, value text, inline string;
    # each optional part is written (?:X|), which Python's engine runs faster than (?:X)? here
    r'<c(?: r="([A-Z]{1,3})([1-9][0-9]{0,6})"|)(?: s="(0|[1-9][0-9]{0,8})"|)(?: t="([a-zA-Z]{1,9})"|)'
    r"(?:/>|>"
    + _SPACES
    + r"(?:(<f(?: [a-zA-Z][a-zA-Z0-9]*"
    + _VALUE
    + r")*+)(?:/>|>("
    + _IN_CELLS
    + "*+)</f>)"
    + _SPACES
    + "|)"
    r"(?:<v>(" + _IN_CELLS + "*+)</v>" + _SPACES + "|<v/>" + _SPACES + "|)"
    r"(?:<is>((?:" + _IN_CELLS + r"|<(?!/?c[ />]|/is>))*+)</is>" + _SPACES + "|)</c>)"
    # a row's start tag: its number, then its other attributes up to the end of the tag ("/>" when empty)
    r'|<row(?: r="([1-9][0-9]{0,6})"|)((?: [A-Za-z_][A-Za-z0-9_.:-]*' + _VALUE + r")*+/?>)"
    # an extension element holding text only (<x14:id>{7}</x14:id>)
    r"|<([A-Za-z_][A-Za-z0-9_.-]*:[A-Za-z_][A-Za-z0-9_.-]*)>" + _IN_CELLS.replace("^<", "^<&") + r"*+</\11>"
    # anything else, up to the next "<" or space: a row's end tag, or what makes the sheet not plain
    r"|([^ \t\n][^< \t\n]*)"
)
"""One token of a plain sheetData: 8 groups of a cell, 2 of a row, an extension element's name, anything else."""
_ATTRIBUTE = re.compile(r' ([^=]+)="([^"]*)"')
_PROPERTY = r'<[a-zA-Z]+(?: [a-zA-Z]+="[^"<&\s\x00-\x1f]*")*/>'
_INLINE = re.compile(
    r"(?:" + _WS + r'(?:<t(?: xml:space="preserve")?>' + _TEXT + "</t>|<t/>"
    r"|<r>" + _WS + "(?:<rPr>(?:" + _WS + _PROPERTY + ")*" + _WS + "</rPr>" + _WS + ")?"
    r'(?:<t(?: xml:space="preserve")?>' + _TEXT + "</t>|<t/>)" + _WS + "</r>))*" + _WS
)
"""An inline string's content: plain or rich-text runs (no phonetic runs); the texts are its ``<t>``s."""
_INLINE_TEXT = re.compile(r"<t(?: xml:space=\"preserve\")?>(" + _TEXT + ")</t>|<t/>")
_RUN_PROPERTY = re.compile(r"<[a-zA-Z]+((?: [a-zA-Z]+=\"[^\"]*\")*)/>")
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_NUMBER = ("", "n")
_PLAIN_F = ("<f", '<f aca="false"', '<f aca="true"')


class NotPlain(Exception):
    """The sheet is not of the plain shape, or reaches a limit: the stream reads it instead."""


def unescape(raw: str, most: int) -> str:
    """Element text as expat gives it: the five entities and character references resolved, every ``&``
    a valid reference (else NotPlain), at most ``most`` characters.

    The entities LibreOffice writes in formulas (``&quot;``, ``&lt;``, ``&apos;``) are replaced first,
    and most texts are done once no ``&`` is left; any other text takes ``_resolve``.
    """
    if "&" in raw:
        text = raw.replace("&quot;", '"')
        if "&" in text:
            text = text.replace("&lt;", "<")
            if "&" in text:
                text = text.replace("&apos;", "'")
                if "&" in text:
                    text = _resolve(raw)
        raw = text
    if len(raw) > most:
        raise NotPlain
    return raw


def _resolve(raw: str) -> str:
    """Every entity and character reference of ``raw`` resolved; NotPlain for a bare ``&`` or an unknown one.

    The named entities are replaced by ``str.replace`` (``&amp;`` last, so ``&amp;quot;`` stays
    ``&quot;``); text with a character reference takes one regular expression instead.
    """
    text = raw.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
    if "&#" in text:
        text, count = _REFERENCE.subn(_reference, raw)
        if count != raw.count("&"):
            raise NotPlain  # a bare '&' or an unknown entity: not well-formed, the stream refuses it
    elif text.count("&") == text.count("&amp;"):
        text = text.replace("&amp;", "&")
    else:
        raise NotPlain
    return text


def _reference(found: re.Match[str]) -> str:
    named, decimal, hexadecimal = found.groups()
    if named:
        return _NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return chr(code)
    raise NotPlain  # a reference to a character XML forbids


def attributes(text: str, known: dict[str, dict[str, str]]) -> dict[str, str]:
    """The attributes ``name="value"`` of a strictly spelled tag (no namespace declaration, none twice)."""
    found = known.get(text)
    if found is None:
        pairs = _ATTRIBUTE.findall(text)
        found = dict(pairs)
        if len(found) != len(pairs) or any(name.startswith("xmlns") for name in found):
            raise NotPlain
        known[text] = found
    return found


class CellReader:
    """The cells of one plain sheetData, kept and counted as the stream keeps and counts them."""

    def __init__(self, name: str, label: str, types: CellTypes, limits: Any, prefixes: frozenset[str]) -> None:
        self.name, self.label, self.types, self.limits, self.prefixes = name, label, types, limits, prefixes
        self.sheet = SheetCells()
        self.cells = 0
        self.depth = 0
        self._rows: dict[str, bool] = {}
        self._shared: dict[str, SharedFormula] = {}
        self._known: dict[str, dict[str, str]] = {}

    def read(self, body: str, keep: bool) -> None:
        """Read every token of ``body``; NotPlain as soon as one is not plain.

        The loop every cell goes through: a number, a shared string and a formula's text are typed
        here, anything else by ``_value`` and ``_formula`` (``cell_read``, as the stream types them).
        """
        dates = self.types.date_styles
        strings = self.types.shared_strings
        date_marks = {str(style) for style in dates} | ({""} if 0 in dates else set())
        most = self.limits.max_string_chars
        values, formulas = (self.sheet.values, self.sheet.formulas) if keep else ({}, {})  # else counted only
        row = col = cells = base = 0
        digits = ""
        seen: dict[str, int] = {}  # column letters -> number, for columns within the limit
        for letters, at, s, t, f, f_text, v, inline, r, rest, extension, other in _TOKEN.findall(body):
            if letters:  # a cell with its reference, as spreadsheets write them
                col = seen.get(letters) or self._column(letters, seen)
                if at != digits:
                    row, digits, base = self._row(at)
            else:
                row, col = self._token(r, rest, extension, other, row, col, bool(v or f or inline))
                digits = ""
                if rest + extension + other:
                    continue  # a row's start or end tag, or an extension element
                base = (row - 1) << COLUMN_BITS
            cells += 1
            if not (v or f or inline):
                continue  # an empty (styled) cell: counted, not kept
            key = base | (col - 1)
            if f:
                if "&" in f_text or len(f_text) > most:
                    f_text = unescape(f_text, most)
                formulas[key] = "=" + f_text if f in _PLAIN_F else self._formula(f, f_text, row, col)
            if inline or len(v) > most:
                value = self._value(t, v, inline, s, row, col)
            elif not v:
                continue  # a formula never calculated
            elif t in _NUMBER and s not in date_marks:
                # number(v) without its call for the two common spellings: a point (a float), few digits
                value = float(v) if "." in v else int(v) if len(v) < 16 and v.isdecimal() else number(v)
            elif t == "s" and v.isdecimal():
                value = strings[int(v)]
            else:
                value = self._value(t, v, inline, s, row, col)
            if value is not None:
                values[key] = value
        self.cells = cells  # (the caller checks every row was closed: ``depth`` is 0)

    def _row(self, digits: str) -> tuple[int, str, int]:
        """A cell's row from its reference: the number, its digits and its cells' keys' base; NotPlain past the
        row limit (even when the cell is empty: the stream decides)."""
        row = int(digits)
        if row > self.limits.max_rows:
            raise NotPlain
        return row, digits, (row - 1) << COLUMN_BITS

    def _token(self, r: str, rest: str, extension: str, other: str, row: int, col: int, holds: bool) -> tuple[int, int]:
        """(row, column) after a token that is not a cell with its reference: a row's start or end tag, an
        extension element, or a cell without ``r`` (the one after the previous cell)."""
        if rest:
            self._row_attributes(rest)
            row = int(r) if r else row + 1
            if row > MAX_ROW:
                raise NotPlain
            self.depth += not rest.endswith("/>")
            return row, 0
        if other:
            self.depth -= 1
            if other != "</row>" or self.depth < 0:
                raise NotPlain
        elif extension:
            if extension.partition(":")[0] not in self.prefixes:
                raise NotPlain
        elif holds and (row > self.limits.max_rows or col + 1 > self.limits.max_columns or row < 1):
            raise NotPlain
        else:
            return row, col + 1
        return row, col

    def _value(self, t: str, v: str, inline: str, s: str, row: int, col: int) -> Any:
        """A value other than a number or a shared string, typed by ``cell_value`` as the stream types it."""
        if inline:
            return self._inline(t, v, inline, s, row, col)
        most = self.limits.max_string_chars
        v = unescape(v, most)
        if t in ("str", "e"):
            return v
        return cell_value(t or "n", v, None, int(s or 0), self.types, self._at(row, col))

    def _formula(self, f: str, text: str, row: int, col: int) -> str:
        """A formula whose ``<f>`` has attributes: shared, array or data table, as ``cell_formula`` reads it."""
        return cell_formula(attributes(f[2:], self._known), text, row, col, self._shared, self.limits.max_cells)

    def _column(self, letters: str, seen: dict[str, int]) -> int:
        """The number of a column met for the first time in the sheet; NotPlain past the column limit."""
        number = _COLUMNS.get(letters) or _column(letters)
        if number is None or number > self.limits.max_columns:
            raise NotPlain  # (even when the cell is empty: the stream decides)
        seen[letters] = number
        return number

    def _at(self, row: int, col: int) -> tuple[str, str, int, int]:
        return self.name, self.label, row, col

    def _row_attributes(self, rest: str) -> None:
        """A row's other attributes: none named ``r`` or twice (by local name), prefixes declared at the root."""
        if rest == ">" or self._rows.get(rest):
            return
        qualified = list(attributes(rest.rstrip("/>"), {}))
        names = [name.rpartition(":")[2] for name in qualified]
        prefixes = {name.partition(":")[0] for name in qualified if ":" in name}
        if "r" in names or len(set(names)) != len(names) or not prefixes <= self.prefixes:
            raise NotPlain
        if any(name.count(":") > 1 for name in qualified):
            raise NotPlain
        self._rows[rest] = True

    def _inline(self, t: str, v: str, inline: str, s: str, row: int, col: int) -> Any:
        """An inline string: its ``<t>`` texts joined, as the stream keeps them (rich-text runs flattened)."""
        if _INLINE.fullmatch(inline) is None:
            raise NotPlain
        for found in _RUN_PROPERTY.finditer(inline):
            attributes(found.group(1), {})  # twice the same attribute is not well-formed
        most = self.limits.max_string_chars
        pieces = [unescape(text, most) for text in _INLINE_TEXT.findall(inline)]
        kind = t or "n"
        text = unescape(v, most) if v else None
        return cell_value(kind, text, pieces, int(s or 0), self.types, self._at(row, col))
