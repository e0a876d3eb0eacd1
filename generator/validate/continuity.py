"""Stock continuity across months: a month should open with the count the month before closed with.

Kept apart from ``inputs`` (which calls it with the monthly values it read) to keep each module small.
"""

from __future__ import annotations

import math

from generator.catalog import Catalog
from generator.catalog.model import Aggregation
from generator.template.layout import MONTHS
from generator.validate.context import Check
from generator.validate.findings import Code, Severity

Value = float | None


def stock_pairs(catalog: Catalog) -> list[tuple[str, str]]:
    """(opening, closing) inputs of one stock: same unit, same id stem (customers_start / customers_end).

    Nothing is hard-coded: an opening input with no closing partner, or more than one, is skipped.
    """

    def stem(input_id: str) -> str:
        return input_id.rsplit("_", 1)[0]

    closings = [s for s in catalog.inputs.values() if s.aggregation is Aggregation.CLOSING]
    pairs = []
    for opening in catalog.inputs.values():
        if opening.aggregation is not Aggregation.OPENING:
            continue
        partners = [c for c in closings if c.unit is opening.unit and stem(c.id) == stem(opening.id)]
        if len(partners) == 1:
            pairs.append((opening.id, partners[0].id))
    return pairs


def check_continuity(check: Check, months: dict[str, list[Value]]) -> None:
    """A month should open with the stock the month before closed with (a warning: counts get corrected)."""
    _ = check.gettext
    for opening, closing in stock_pairs(check.catalog):
        if opening not in months or closing not in months:
            continue
        for m in range(1, MONTHS):
            start, end = months[opening][m], months[closing][m - 1]
            if start is None or end is None or math.isclose(start, end, rel_tol=1e-9, abs_tol=1e-9):
                continue
            message = _(
                "{name} in {month} ({value}) differs from {closing} at the end of {previous} ({expected}); "
                "a month should open with the count the month before closed with."
            ).format(
                name=check.input_name(opening),
                month=check.labels[m],
                value=check.show(start),
                closing=check.input_name(closing),
                previous=check.labels[m - 1],
                expected=check.show(end),
            )
            check.add_input(Severity.WARNING, Code.CONTINUITY, message, opening, m, start, end)
