"""Cell addresses as formulas write them: column letters, A1 addresses, quoted sheet prefixes.

At the bottom of the pipeline so the engine, the template and the readers share one spelling
without reaching up to the layout.
"""

from __future__ import annotations

_LETTERS: dict[int, str] = {}
"""Letters of the columns asked for so far: a build spells the same few dozen columns thousands of times."""


def column_letter(col: int) -> str:
    """0-based column index to letters (0 -> A, 26 -> AA)."""
    found = _LETTERS.get(col)
    if found is not None:
        return found
    letters = ""
    number = col + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    if 0 <= col < 16_384:  # a worksheet's columns: the cache stays bounded whatever is asked
        _LETTERS[col] = letters
    return letters


def cell(row: int, col: int, *, absolute: bool = False) -> str:
    """0-based row and column to an A1 address."""
    dollar = "$" if absolute else ""
    return f"{dollar}{column_letter(col)}{dollar}{row + 1}"


def quote_sheet(name: str) -> str:
    """A sheet name as a formula prefix: always quoted, inner apostrophes doubled (KPI'lar)."""
    return "'" + name.replace("'", "''") + "'!"
