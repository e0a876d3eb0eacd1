"""A filled workbook as the validator reads it: formulas as typed, values as last calculated.

The file is read once, streaming, by ``reader`` (under ``safe_open``'s checks and the reading
limits); a cell holds both its formula and its cached result. Cells are addressed 0-based, as
the layout addresses them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.formula.reference import Area, parse_target
from generator.validate.reader import WorkbookData, read_workbook
from generator.validate.refusals import ReadLimits
from generator.validate.sheet_cells import COLUMN_BITS, MAX_COLUMN, SheetCells

_EMPTY = SheetCells()
MAX_MERGES = 10_000
"""More merged blocks than this on one sheet are not listed (the template has a few dozen)."""


class Book:
    """One read of one file, with 0-based cell access by sheet name."""

    def __init__(self, data: WorkbookData) -> None:
        self._data = data
        self.sheetnames: list[str] = list(data.sheetnames)
        self.kind = data.kind

    @classmethod
    def open(cls, path: Path | str, limits: ReadLimits | None = None) -> Book:
        """Read ``path`` through safe_open's checks; refusals raise UnreadableWorkbook (exit code 3)."""
        return cls(read_workbook(path, limits or ReadLimits()))

    def properties(self) -> dict[str, str]:
        """Custom document properties as text (the template's identity card)."""
        return dict(self._data.properties)

    def defined_names(self) -> dict[str, str]:
        """Workbook-level defined names -> target text (``'Inputs'!$D$8:$O$8``)."""
        return dict(self._data.defined_names)

    def has_sheet(self, name: str) -> bool:
        return name in self.sheetnames

    def is_worksheet(self, name: str) -> bool:
        """A sheet with cells; a chart sheet may carry a data sheet's name but holds none."""
        return name in self._data.sheets

    def _sheet(self, sheet: str) -> SheetCells:
        if sheet not in self.sheetnames:
            raise KeyError(f"Worksheet {sheet} does not exist.")
        return self._data.sheets.get(sheet, _EMPTY)

    def merged(self, sheet: str) -> list[Area]:
        """The merged blocks of ``sheet``, read in the same pass as its cells (a missing sheet has none).

        A merged block shows only its first cell; Excel empties the others, LibreOffice may keep
        their values hidden, and openpyxl reads them as empty. Months typed into a merged block are
        therefore read differently by each program, and the validator says so at the block instead
        of reporting the KPIs that differ as "recalculate". A ``ref`` that is not a block (a stray
        text) is left out; reversed corners name the same block, as everywhere.
        """
        found: list[Area] = []
        quoted = sheet.replace("'", "''")
        for ref in self._data.sheets.get(sheet, _EMPTY).merges:
            block = parse_target(f"'{quoted}'!{ref}")
            if block is not None:
                found.append(block)
                if len(found) >= MAX_MERGES:
                    break
        return found

    def formula(self, sheet: str, row: int, col: int) -> Any:
        """What the cell holds as typed: a formula (text starting with '='), a constant, or None."""
        cells = self._sheet(sheet)
        key = row << COLUMN_BITS | col
        found = cells.formulas.get(key)
        return found if found is not None else cells.values.get(key)

    def value(self, sheet: str, row: int, col: int) -> Any:
        """The value the file shows: a constant, or a formula's result as last calculated (None if never)."""
        return self._sheet(sheet).values.get(row << COLUMN_BITS | col)

    def stored(self, sheet: str) -> SheetCells:
        """The sheet's cells as read: values and formulas by ``row << COLUMN_BITS | col`` (0-based), for a
        step that visits every cell and needs no order (``cells`` sorts them and makes a tuple each)."""
        return self._sheet(sheet)

    def cells(self, sheet: str) -> Iterator[tuple[int, int, Any, Any]]:
        """Every cell of ``sheet`` that holds something: (row, col, as typed, value shown), 0-based,
        row by row; "as typed" is what ``formula`` gives, "value shown" what ``value`` gives."""
        cells = self._sheet(sheet)
        for key in sorted(cells.values.keys() | cells.formulas.keys()):
            formula = cells.formulas.get(key)
            value = cells.values.get(key)
            yield key >> COLUMN_BITS, key & (MAX_COLUMN - 1), value if formula is None else formula, value
