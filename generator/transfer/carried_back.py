"""Values an earlier regeneration set aside, put back when the new workbook has a place for them.

A workbook regenerated to a smaller selection of KPIs lists the inputs, targets and tolerances it
has no place for on its "Carried over" sheet. Regenerating it back to a selection (or catalogue)
that has those places again returns them to their cells, so a round trip through a selection
loses nothing and leaves nothing behind; a value whose cell is already filled stays listed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.catalog.selection import resolve_kpi
from generator.template.layout import MONTHS
from generator.workbook.context import BuildOptions
from generator.workbook.sheet_carried import CarriedRow

Value = float | None
RESTORABLE = frozenset({"not-selected", "removed"})
"""Reasons a value had no place that a later workbook can undo (not a cell that held text)."""
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def restore_carried(
    rows: Sequence[CarriedRow],
    catalog: Catalog,
    options: BuildOptions,
    values: dict[str, list[Value]],
    targets: dict[str, Value],
    tolerances: dict[str, Value],
    prior: dict[str, list[Value]] | None = None,
) -> list[CarriedRow]:
    """Fill ``values``, ``targets`` and ``tolerances`` from restorable rows with an empty place in the
    new workbook; return the rows that still have none, to be listed again."""
    kept: list[CarriedRow] = []
    for row in rows:
        if not (row.why in RESTORABLE and isinstance(row.value, float)):
            kept.append(row)
        elif row.kind == "input":
            input_id, month = _input(catalog, row.id), _fiscal_index(row.month, options)
            year = values if month is None or month >= 0 or prior is None else prior
            slots = year.setdefault(input_id, [None] * MONTHS) if input_id is not None and month is not None else []
            if month is None or not slots or slots[month % MONTHS] is not None:
                kept.append(row)
            else:
                slots[month % MONTHS] = row.value
        else:
            kpi_id = resolve_kpi(catalog, row.id) if row.why == "not-selected" else None
            store = targets if row.kind == "target" else tolerances if row.kind == "tolerance" else None
            if kpi_id is None or store is None or kpi_id in store or catalog.kpis[kpi_id].better is Better.INFO:
                kept.append(row)
            else:
                store[kpi_id] = row.value
    return kept


def _input(catalog: Catalog, input_id: str) -> str | None:
    if input_id in catalog.inputs:
        return input_id
    return next((i for i, spec in catalog.inputs.items() if input_id in spec.replaces), None)


def _fiscal_index(month: str, options: BuildOptions) -> int | None:
    """The new fiscal year's month index of a YYYY-MM month (0-11; -12..-1 in its prior year), or None
    when outside both."""
    found = _MONTH.match(month)
    if found is None:
        return None
    index = int(found.group(1)) * 12 + int(found.group(2)) - 1 - (options.year * 12 + options.first_month - 1)
    return index if -MONTHS <= index < MONTHS else None
