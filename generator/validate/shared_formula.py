"""Excel's shared formulas: a group of cells stores its formula once, in its first cell.

Excel saves a formula filled down or across as ``<f t="shared" si="0">`` on the first cell and an
empty ``<f t="shared" si="0"/>`` on the others; each of those holds the first formula with its
relative references moved by the distance between the two cells (``$`` parts stay). Text in
quotes, quoted sheet names and function names are left alone.
"""

from __future__ import annotations

import re

from generator.formula.address import column_letter
from generator.formula.reference import column_index

_TOKEN = re.compile(
    r"""
    (?P<text>"(?:[^"]|"")*")                                  # a string literal
    | (?P<sheet>'(?:[^']|'')*'!)                              # a quoted sheet name
    | (?<![A-Za-z0-9_.\\])
      (?:
        (?P<cell>(?P<cabs>\$?)(?P<col>[A-Za-z]{1,3})(?P<rabs>\$?)(?P<row>[0-9]{1,7}))(?![A-Za-z0-9_(.!])
      | (?P<cols>(?P<c1abs>\$?)(?P<c1>[A-Za-z]{1,3}):(?P<c2abs>\$?)(?P<c2>[A-Za-z]{1,3}))(?![A-Za-z0-9_(.!])
      | (?P<rows>(?P<r1abs>\$?)(?P<r1>[0-9]{1,7}):(?P<r2abs>\$?)(?P<r2>[0-9]{1,7}))(?![A-Za-z0-9_(.!])
      )
    """,
    re.VERBOSE,
)


def _col(letters: str, absolute: str, shift: int) -> str:
    if absolute:
        return absolute + letters
    moved = column_index(letters) + shift
    return column_letter(moved) if 0 <= moved < 16384 else "#REF!"


def _row(digits: str, absolute: str, shift: int) -> str:
    if absolute:
        return absolute + digits
    moved = int(digits) + shift
    return str(moved) if 1 <= moved <= 1048576 else "#REF!"


def shift(formula: str, rows: int, cols: int) -> str:
    """``formula`` as it reads in a cell ``rows`` below and ``cols`` right of the one it was written in."""

    def move(found: re.Match[str]) -> str:
        if found.group("text") or found.group("sheet"):
            return found.group(0)
        if found.group("cell"):
            return _col(found["col"], found["cabs"], cols) + _row(found["row"], found["rabs"], rows)
        if found.group("cols"):
            return f"{_col(found['c1'], found['c1abs'], cols)}:{_col(found['c2'], found['c2abs'], cols)}"
        return f"{_row(found['r1'], found['r1abs'], rows)}:{_row(found['r2'], found['r2abs'], rows)}"

    return _TOKEN.sub(move, formula)
