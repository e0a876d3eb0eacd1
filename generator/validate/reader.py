"""Read a checked workbook in one streaming pass: what validation needs, nothing else.

After ``safe_open`` has checked the container, the reader streams the workbook part (sheets,
defined names, date system), the custom document properties, the shared strings, the number
styles (to tell dates from numbers) and every worksheet, each under the file's ``Budget``.
Charts, drawings, images, themes and the formatting inside sheets are never parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.validate.package import (
    custom_properties,
    date_styles,
    shared_strings,
    workbook_index,
)
from generator.validate.refusals import ReadLimits, clean, over_limit, refuse
from generator.validate.safe_open import open_package
from generator.validate.sheet_cells import CellTypes, SheetCells, read_sheet


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
    from generator.validate.book import name_extent

    with open_package(path, limits) as package:
        zf, names, budget = package.zf, package.names, package.budget
        index = workbook_index(zf, package.workbook, names, budget)
        for name, target in index.defined_names.items():
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
            sheets[entry.name] = read_sheet(zf, entry.part, label, budget, types, keep)
        return WorkbookData(
            package.kind, [entry.name for entry in index.sheets], sheets, properties, index.defined_names
        )
