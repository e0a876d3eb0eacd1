"""Cell references in formula text: splitting them out of a formula, and the blocks they name.

Formulas that differ only in the cells they read (the same KPI formula in twelve month columns,
the same aggregate on forty input rows) share one *shape*: the text with every reference cut out.
A shape is parsed and compiled once; each cell keeps only its references.
"""

from __future__ import annotations

import re
from typing import NamedTuple

REF_MARK = "\x00"
"""Stands for a cut-out reference in a shape's text."""

_PIECES = re.compile(
    r"""("(?:[^"]|"")*")                                   # a string literal, kept in the shape
    |(?<![\w.$\u00c0-\uffff])
     ((?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)?                  # an optional sheet: 'KPI''lar'! or Inputs!
     (\$?[A-Za-z]{1,3}\$?[0-9]{1,7}(?::\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?)  # A1 or A1:B2
     (?![\w(!.])""",
    re.VERBOSE,
)
MAX_ROWS = 1_048_576
MAX_COLS = 16_384


class Area(NamedTuple):
    """A block of cells on one sheet, 0-based and inclusive (a single cell when first == last).

    A named tuple: the engine makes thousands of them per build, and a tuple is built fastest."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def single(self) -> bool:
        return self.first_row == self.last_row and self.first_col == self.last_col

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1

    @property
    def cols(self) -> int:
        return self.last_col - self.first_col + 1


def split_shape(formula: str) -> tuple[str, list[tuple[str | None, str]]]:
    """(shape, references): the formula without its leading '=' and with each reference replaced
    by ``REF_MARK``; each reference as (sheet prefix or None, address text)."""
    text = formula[1:] if formula.startswith("=") else formula
    parts = _PIECES.split(text)
    if len(parts) == 1:
        return text, []
    shape = [parts[0]]
    found: list[tuple[str | None, str]] = []
    for i in range(1, len(parts), 4):
        literal, sheet, address = parts[i], parts[i + 1], parts[i + 2]
        if literal is not None:
            shape.append(literal)
        else:
            shape.append(REF_MARK)
            found.append((sheet, address))
        shape.append(parts[i + 3])
    return "".join(shape), found


def sheet_of(prefix: str) -> str:
    """The sheet name in a prefix such as ``'KPI''lar'!`` or ``Inputs!``."""
    name = prefix[:-1]
    if name.startswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


def column_index(letters: str) -> int:
    """Column letters to a 0-based index (A -> 0, AA -> 26), either case; the one place that reads them."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number - 1


_ADDRESS = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?")
_CORNERS: dict[str, tuple[int, int, int, int] | None] = {}


def parse_address(sheet: str, address: str) -> Area | None:
    """``$D$7`` or ``D7:O7`` on ``sheet`` as an Area; None when it lies outside a worksheet."""
    corners = _CORNERS.get(address, ())
    if corners == ():
        corners = _CORNERS[address] = _corners(address)
    return None if corners is None else Area(sheet, *corners)


def _corners(address: str) -> tuple[int, int, int, int] | None:
    found = _ADDRESS.fullmatch(address)
    if found is None:
        return None
    col1, row1, col2, row2 = found.groups()
    r1, c1 = int(row1) - 1, column_index(col1)
    r2, c2 = (int(row2) - 1, column_index(col2)) if col2 else (r1, c1)
    if not (min(r1, r2) >= 0 and max(r1, r2) < MAX_ROWS and min(c1, c2) >= 0 and max(c1, c2) < MAX_COLS):
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


_TARGET = re.compile(r"^\s*=?\s*((?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)(\S+?)\s*$")


def parse_target(text: str) -> Area | None:
    """A defined name's target (``'KPI''lar'!$E$8:$P$8``) as an Area; None for #REF! or a formula."""
    found = _TARGET.match(text or "")
    if found is None:
        return None
    return parse_address(sheet_of(found.group(1)), found.group(2))
