"""A filled workbook as the validator reads it: formulas as typed, values as last calculated.

openpyxl gives either the formulas or the cached results of one load, so the file is loaded twice
through ``safe_open`` (each load checked the same way). Cells are addressed 0-based, as the
layout addresses them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.layout import cell
from generator.validate.safe_open import ReadLimits, open_workbook

if TYPE_CHECKING:
    import openpyxl

_REFERENCE = re.compile(
    r"""^\s*=?\s*(?:'((?:[^']|'')+)'|([\w.]+))!
    \$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?\s*$""",
    re.VERBOSE,
)


def column_index(letters: str) -> int:
    """Column letters to a 0-based index (A -> 0, AA -> 26)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number - 1


@dataclass(frozen=True)
class Range:
    """A block of cells on one sheet, 0-based and inclusive."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

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


def parse_reference(text: str) -> Range | None:
    """A defined name's target (``'KPI''lar'!$E$8:$P$8``) as a Range; None for #REF! or anything else.

    openpyxl's ``DefinedName.destinations`` keeps an apostrophe doubled (``KPI''lar``), so the
    text is parsed here and the doubling undone.
    """
    found = _REFERENCE.match(text or "")
    if found is None:
        return None
    quoted, bare, col1, row1, col2, row2 = found.groups()
    sheet = quoted.replace("''", "'") if quoted is not None else bare
    first_row, first_col = int(row1) - 1, column_index(col1)
    last_row, last_col = (int(row2) - 1, column_index(col2)) if col2 else (first_row, first_col)
    if first_row < 0 or last_row < first_row or last_col < first_col:
        return None
    return Range(sheet, first_row, first_col, last_row, last_col)


class Book:
    """The two loads of one file, with 0-based cell access by sheet name."""

    def __init__(self, formulas: openpyxl.Workbook, values: openpyxl.Workbook) -> None:
        self._formulas = formulas
        self._values = values
        self.sheetnames: list[str] = list(formulas.sheetnames)

    @classmethod
    def open(cls, path: Path, limits: ReadLimits) -> Book:
        """Both loads through safe_open; refusals raise UnreadableWorkbook (exit code 2).

        openpyxl warns about parts it drops (sparklines, some extensions); the validator does not
        need them, and the warnings would clutter a report.
        """
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            formulas = open_workbook(path, formulas=True, limits=limits)
            values = open_workbook(path, formulas=False, limits=limits)
        return cls(formulas, values)

    def properties(self) -> dict[str, str]:
        """Custom document properties as text (the template's identity card)."""
        found: dict[str, str] = {}
        for prop in getattr(self._formulas, "custom_doc_props", None) or []:
            name, value = getattr(prop, "name", None), getattr(prop, "value", None)
            if isinstance(name, str) and value is not None:
                found[name] = str(value)
        return found

    def defined_names(self) -> dict[str, str]:
        """Workbook-level defined names -> target text (``'Inputs'!$D$8:$O$8``)."""
        names: dict[str, str] = {}
        for name, definition in self._formulas.defined_names.items():
            text = getattr(definition, "attr_text", None)
            if isinstance(name, str) and isinstance(text, str):
                names[name] = text
        return names

    def has_sheet(self, name: str) -> bool:
        return name in self.sheetnames

    def formula(self, sheet: str, row: int, col: int) -> Any:
        """What the cell holds as typed: a formula (text starting with '='), a constant, or None."""
        value = self._formulas[sheet].cell(row + 1, col + 1).value
        text = getattr(value, "text", None)  # ArrayFormula: an array-entered formula
        return text if isinstance(text, str) else value

    def value(self, sheet: str, row: int, col: int) -> Any:
        """The value the file shows: a constant, or a formula's result as last calculated (None if never)."""
        return self._values[sheet].cell(row + 1, col + 1).value

    def cells(self, sheet: str) -> Iterator[tuple[int, int, Any, Any]]:
        """Every cell of ``sheet`` that holds something: (row, col, as typed, value shown), 0-based,
        row by row; "as typed" is what ``formula`` gives, "value shown" what ``value`` gives."""
        values = self._values[sheet]
        for row in self._formulas[sheet].iter_rows():
            for found in row:
                typed = found.value
                if typed is None:
                    continue
                text = getattr(typed, "text", None)
                r, c = found.row, found.column
                yield r - 1, c - 1, text if isinstance(text, str) else typed, values.cell(r, c).value
