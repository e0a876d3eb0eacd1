"""Combining several teams' monthly inputs into the company's, month by month, by each input's kind.

- flow (sales, emails sent): summed; the company's month is the sum of the teams' months.
- opening and closing stocks (customers at the start, at the end): summed; stocks of separate
  teams add up.
- level (an average or a rate): the mean weighted by the input the catalogue names as its
  ``weight``, so a team with 10 sales does not count as much as one with 1000; the plain mean
  when no weight is named, or when a workbook with a value lacks a positive weight that month.
- distinct count (customers who bought again): summed, with a warning. That is exact only when
  no customer is in two workbooks; the workbooks do not say who the customers are, so an
  overlap cannot be removed, and leaving the month blank would lose every team's figure.

A month a workbook leaves blank adds nothing for that workbook; a month every workbook leaves
blank stays blank. KPIs are never combined: they are recomputed from these inputs (a ratio of
sums, never an average of ratios).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.catalog import Catalog
from generator.catalog.model import Aggregation, InputSpec
from generator.errors import DataError

Value = float | None
Months = list[Value]
SUMMED = {Aggregation.FLOW.value, Aggregation.OPENING.value, Aggregation.CLOSING.value}
AVERAGED = {Aggregation.LEVEL.value}
DISTINCT = {"distinct", "distinct_count", "unique"}
"""Kinds that count distinct people: summed on the assumption that the workbooks do not share any."""


@dataclass
class Combined:
    values: dict[str, Months]
    warnings: list[str] = field(default_factory=list)


def combine(catalog: Catalog, sources: Sequence[dict[str, Months]]) -> Combined:
    """The company's 12 months of every input from each source's 12 months (id -> months)."""
    result = Combined({})
    distinct: list[str] = []
    for input_id, spec in catalog.inputs.items():
        rows = [source.get(input_id, [None] * 12) for source in sources]
        kind = str(spec.aggregation.value)
        if kind in SUMMED:
            result.values[input_id] = [_sum(month) for month in zip(*rows, strict=True)]
        elif kind in AVERAGED:
            weights = [source.get(spec.weight, [None] * 12) for source in sources] if spec.weight else None
            result.values[input_id] = _levels(spec, rows, weights)
        elif kind in DISTINCT:
            result.values[input_id] = [_sum(month) for month in zip(*rows, strict=True)]
            distinct.append(input_id)
        else:
            raise DataError(f"input {input_id}: no rule combines the aggregation kind '{kind}' across workbooks")
    if distinct and len(sources) > 1:
        result.warnings.append(
            f"{', '.join(distinct)} count distinct customers: summed, which is exact only if no customer "
            "is in two of the workbooks"
        )
    return result


def _sum(values: Sequence[Value]) -> Value:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _levels(spec: InputSpec, rows: list[Months], weights: list[Months] | None) -> Months:
    combined: Months = []
    for m in range(12):
        present = [(v, weights[i][m] if weights else None) for i, row in enumerate(rows) if (v := row[m]) is not None]
        if not present:
            combined.append(None)
            continue
        pairs = [(v, w) for v, w in present if w is not None and w > 0]
        total = sum(w for _, w in pairs)
        if weights is not None and len(pairs) == len(present) and total > 0:
            combined.append(sum(v * w for v, w in pairs) / total)
        else:
            combined.append(sum(v for v, _ in present) / len(present))
    return combined
