"""Where the Scorecard's KPI rows are, and the formulas they carry (catalogues that define a scorecard).

Each goal lists its KPIs one per row under the header; a row reads the KPI sheet's latest month,
status and year to date and the Settings target. The writer writes these; the validator compares
a filled file's Scorecard with them.
"""

from __future__ import annotations

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.template.layout import KPI_GRID, KPI_LATEST_COL, KPI_STATUS_COL, Layout

Cell = tuple[int, int]
"""A 0-based (row, column) on the Scorecard."""

HEADER = 4
LATEST_COL = 4
TARGET_COL = 5
STATUS_COL = 6
YTD_COL = 7


def scorecard_rows(catalog: Catalog) -> list[list[tuple[int, str]]]:
    """Each goal's KPI lines, in catalogue order: (row, KPI id), one row per KPI, goal after goal."""
    goals = []
    row = HEADER + 1
    for goal in catalog.scorecard:
        goals.append([(row + i, kpi_id) for i, kpi_id in enumerate(goal.kpis)])
        row += len(goal.kpis)
    return goals


def scorecard_formulas(catalog: Catalog, layout: Layout, kpi_id: str, row: int) -> dict[Cell, str]:
    """A KPI line's formulas by cell. The latest month, year to date and status need the KPI's row; an
    informational KPI has no target or status."""
    informational = catalog.kpis[kpi_id].better is Better.INFO
    formulas: dict[Cell, str] = {}
    if kpi_id in layout.kpi_rows:
        formulas[(row, LATEST_COL)] = "=" + layout.kpi_cell(kpi_id, KPI_LATEST_COL)
    if not informational:
        target = f"target_{kpi_id}"
        formulas[(row, TARGET_COL)] = f'=IF(ISNUMBER({target}),{target},"")'
        if kpi_id in layout.kpi_rows:
            formulas[(row, STATUS_COL)] = "=" + layout.kpi_cell(kpi_id, KPI_STATUS_COL)
    if kpi_id in layout.kpi_rows:
        formulas[(row, YTD_COL)] = "=" + layout.kpi_cell(kpi_id, KPI_GRID.ytd)
    return formulas
