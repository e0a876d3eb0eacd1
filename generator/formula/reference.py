"""References as spreadsheets write them: one parser for the engine, the validator and the readers.

One rule each, as Excel applies it:
- a reversed block (``$P$8:$D$8``) is the same block as ``$D$8:$P$8`` (Excel turns it round when
  typed; LibreOffice too);
- a sheet name is quoted (``'KPI''lar'!``, inner apostrophes doubled) unless it is a plain name
  that does not start with a digit: Excel and LibreOffice both quote ``'2024'!$A$1``, so an
  unquoted ``2024!$A$1`` is not a reference;
- whole columns (``$A:$C``) and whole rows (``$1:$3``) span the sheet's full height or width;
- anything past the sheet's last row (1,048,576) or column (XFD) is no reference.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from generator.formula.address import cell

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

    @property
    def size(self) -> int:
        """How many cells the block spans (check it before listing them)."""
        return self.rows * self.cols

    def cells(self) -> list[tuple[int, int]]:
        return [
            (row, col)
            for row in range(self.first_row, self.last_row + 1)
            for col in range(self.first_col, self.last_col + 1)
        ]

    def address(self) -> str:
        first = cell(self.first_row, self.first_col)
        last = cell(self.last_row, self.last_col)
        return first if first == last else f"{first}:{last}"


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


_ADDRESS = re.compile(
    r"""\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?  # A1 or A1:B2
    |\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})                                       # A:C
    |\$?([0-9]{1,7}):\$?([0-9]{1,7})                                             # 1:3""",
    re.VERBOSE,
)
_CORNERS: dict[str, tuple[int, int, int, int] | None] = {}
_CORNERS_KEPT = 50_000


def parse_address(sheet: str, address: str) -> Area | None:
    """``$D$7``, ``D7:O7``, ``$A:$C`` or ``$1:$3`` on ``sheet`` as an Area; None when it is not an
    address or lies outside a worksheet."""
    corners = _CORNERS.get(address, ())
    if corners == ():
        corners = _corners(address)
        if len(_CORNERS) < _CORNERS_KEPT:
            _CORNERS[address] = corners
    return None if corners is None else Area(sheet, *corners)


def _corners(address: str) -> tuple[int, int, int, int] | None:
    found = _ADDRESS.fullmatch(address)
    if found is None:
        return None
    col1, row1, col2, row2, whole_col1, whole_col2, whole_row1, whole_row2 = found.groups()
    if col1 is not None:
        r1, c1 = int(row1) - 1, column_index(col1)
        r2, c2 = (int(row2) - 1, column_index(col2)) if col2 else (r1, c1)
    elif whole_col1 is not None:
        r1, c1, r2, c2 = 0, column_index(whole_col1), MAX_ROWS - 1, column_index(whole_col2)
    else:
        r1, c1, r2, c2 = int(whole_row1) - 1, 0, int(whole_row2) - 1, MAX_COLS - 1
    if not (min(r1, r2) >= 0 and max(r1, r2) < MAX_ROWS and min(c1, c2) >= 0 and max(c1, c2) < MAX_COLS):
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


_TARGET = re.compile(r"^\s*=?\s*((?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)(\S+?)\s*$")


def parse_target(text: str) -> Area | None:
    """A defined name's target (``'KPI''lar'!$E$8:$P$8``) as an Area; None for ``#REF!``, a constant,
    a formula, or a block outside the sheet."""
    found = _TARGET.match(text or "")
    if found is None:
        return None
    return parse_address(sheet_of(found.group(1)), found.group(2))
