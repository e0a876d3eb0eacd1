"""Read a checked workbook in one streaming pass: what validation needs, nothing else.

After ``safe_open`` has checked the container, the reader streams the workbook part (sheets,
defined names, date system), the custom document properties, the shared strings, the number
styles (to tell dates from numbers) and every worksheet, each under the file's ``Budget``; a small
worksheet of the plain shape spreadsheets write is read by ``sheet_plain`` instead, with the
same result and counts, and the stream reads every other one.
Charts, drawings, images, themes and the formatting inside sheets are never parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.formula.reference import column_index, parse_target
from generator.validate.cell_read import CellTypes
from generator.validate.package import (
    custom_properties,
    date_styles,
    shared_strings,
    workbook_index,
)
from generator.validate.refusals import ReadLimits, clean, over_limit, refuse
from generator.validate.safe_open import DEFAULT_LIMITS, open_package
from generator.validate.sheet_cells import SheetCells, read_sheet
from generator.validate.sheet_plain import read_plain_sheet


@dataclass
class WorkbookData:
    """Everything the validator reads from a file."""

    kind: str
    sheetnames: list[str]
    sheets: dict[str, SheetCells]
    """Worksheets by name; a chart sheet is listed in ``sheetnames`` but holds no cells."""
    properties: dict[str, str] = field(default_factory=dict)
    defined_names: dict[str, str] = field(default_factory=dict)


def read_workbook(path: Path | str, limits: ReadLimits, keep: bool = True) -> WorkbookData:
    """Check and read ``path``; raise UnreadableWorkbook as soon as something is refused.

    ``keep=False`` reads and counts everything but keeps no cells (a check before another program
    reads the file).
    """
    with open_package(path, limits) as package:
        zf, names, budget = package.zf, package.names, package.budget
        index = workbook_index(zf, package.workbook, names, budget)
        for name, target in index.defined_names.items():
            if within(target, limits.max_name_cells):
                continue
            extent = name_extent(target)
            if extent > limits.max_name_cells:
                refuse(
                    budget.name,
                    over_limit(
                        "max_name_cells",
                        f"has a defined name {clean(name, 60)!r} spanning {extent} cells "
                        f"({clean(target, 60)}), more than the limit of {limits.max_name_cells}",
                    ),
                )
        properties = custom_properties(zf, names, budget)
        dates, durations = date_styles(zf, index.styles, budget)
        types = CellTypes(shared_strings(zf, index.shared_strings, budget), dates, durations, index.epoch)
        sheets: dict[str, SheetCells] = {}
        for entry in index.sheets:
            if entry.chart or entry.name in sheets:
                continue
            label = f"sheet '{clean(entry.name, 40)}'"
            plain = read_plain_sheet(zf, entry.part, label, budget, types, keep)
            sheets[entry.name] = plain if plain is not None else read_sheet(zf, entry.part, label, budget, types, keep)
        return WorkbookData(
            package.kind, [entry.name for entry in index.sheets], sheets, properties, index.defined_names
        )


def name_extent(text: str) -> int:
    """How many cells a defined name's target spans; 0 when it is not a plain reference, or reaches past
    the sheet's last row or column (it points to no cells, and is reported as a broken name)."""
    found = parse_target(text)
    return 0 if found is None else found.size


_CELLS = re.compile(
    r"(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?"
)
"""A target of one cell or one block, upper-case, as ``parse_target`` reads it (its sheet part alike)."""


def within(text: str, most: int) -> bool:
    """Whether the target surely spans at most ``most`` cells, known without ``parse_target`` for one cell
    or one block (the common names): the block's size, which ``name_extent`` never exceeds."""
    found = _CELLS.fullmatch(text)
    if found is None:
        return False
    col1, row1, col2, row2 = found.groups()
    if col2 is None:
        return most >= 1
    rows = abs(int(row2) - int(row1)) + 1
    if rows * _WIDEST <= most:
        return True  # (a block of a few rows: no column letters read)
    columns = abs(column_index(col2) - column_index(col1)) + 1
    return rows * columns <= most


_WIDEST = 26**3 + 26**2 + 26
"""The most columns a block spelled with up to three letters spans (A to ZZZ)."""


def inspect_file(path: Path | str, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Read the whole workbook under ``limits`` and return its kind ("xlsx" or "xlsm"); refuse otherwise.

    For a file about to be handed to another program (LibreOffice for ``--recalc``): it is read
    exactly as the validator reads it, so what passes here cannot hurt more than validating it.
    """
    return read_workbook(path, limits).kind
