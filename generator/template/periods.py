"""KPI values for months, quarters and the year in Python, by the workbook's own rules.

Mirrors the Inputs sheet's aggregation columns and the KPI sheet's formulas: each input is
aggregated by its kind, then the KPI's one formula is applied, so a quarter's ratio is a ratio
of sums, never an average of ratios. The validator compares a file with these values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from generator.catalog import Catalog
from generator.catalog.model import Aggregation, Better
from generator.formula.evaluate import evaluator

Value = float | None
MONTHS = 12
PERIODS = MONTHS + 4 + 1
"""Twelve months, four quarters, the year-to-date: the columns of every period row."""


def aggregate(kind: Aggregation, values: Sequence[Value]) -> Value:
    """Combine monthly values of one input; months without a number are skipped."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if kind is Aggregation.FLOW:
        return sum(present)
    if kind in (Aggregation.LEVEL, Aggregation.DISTINCT):
        try:  # statistics.fmean's own sum and division, without its call (this runs per input and period)
            return math.fsum(present) / len(present)  # DISTINCT: the average month; distinct counts cannot be summed
        except OverflowError:  # the exact sum of two numbers near 1E+308; a spreadsheet shows #NUM!
            return math.inf
    return present[0] if kind is Aggregation.OPENING else present[-1]


def spans() -> list[tuple[int, int]]:
    """Month index spans (inclusive) of every period column."""
    return list(_SPANS)


_SPANS = tuple([(m, m) for m in range(MONTHS)] + [(3 * q, 3 * q + 2) for q in range(4)] + [(0, MONTHS - 1)])
_AGGREGATE_SPANS = _SPANS[MONTHS:]


def input_periods(catalog: Catalog, months: Mapping[str, Sequence[Value]]) -> dict[str, list[Value]]:
    """Each input's 17 period values from its 12 monthly values (missing inputs are blank)."""
    result: dict[str, list[Value]] = {}
    for input_id, spec in catalog.inputs.items():
        row = list(months.get(input_id, [None] * MONTHS))
        result[input_id] = row + [aggregate(spec.aggregation, row[a : b + 1]) for a, b in _AGGREGATE_SPANS]
    return result


def kpi_values(catalog: Catalog, months: Mapping[str, Sequence[Value]]) -> dict[str, list[Value]]:
    """Each KPI's 17 period values, from the inputs' monthly values. Each period's inputs are gathered
    once for all KPIs (``evaluate`` only reads them): 17 tables, not one per KPI and period."""
    return period_kpi_values(catalog, input_periods(catalog, months))


def period_kpi_values(catalog: Catalog, periods: Mapping[str, Sequence[Value]]) -> dict[str, list[Value]]:
    """``kpi_values`` from the inputs' period values (``input_periods``), for a caller that has them."""
    tables = [{i: row[p] for i, row in periods.items()} for p in range(PERIODS)]
    return {kpi_id: list(map(evaluator(expr), tables)) for kpi_id, expr in catalog.formulas.items()}


def status(value: Value, target: Value, tolerance: Value, better: Better, *, points: bool = False) -> int | None:
    """1 on track, 0 at risk, -1 off track, None without a value or target (kpi-reference rules).

    The tolerance is a fraction of the target, or with ``points`` a distance on the KPI's own scale.
    """
    if value is None or target is None or better is Better.INFO:
        return None
    margin = (tolerance or 0.0) if points else (tolerance or 0.0) * abs(target)
    if better is Better.HIGHER:
        return 1 if value >= target else 0 if value >= target - margin else -1
    return 1 if value <= target else 0 if value <= target + margin else -1


def period_target(catalog: Catalog, kpi_id: str, target: Value, months: Sequence[Value]) -> Value:
    """The target a quarter or the year is judged by (see ``Catalog.time_degree``): the monthly
    target times the months with a value, the target itself, or None when none applies."""
    degree = catalog.time_degree[kpi_id]
    if target is None or degree not in (0, 1):
        return None
    return target * sum(1 for v in months if v is not None) if degree == 1 else target


def latest(values: Sequence[Value]) -> Value:
    """The last month with a value: what a KPI's status judges."""
    return next((v for v in reversed(values[:MONTHS]) if v is not None), None)


def kpi_status(catalog: Catalog, kpi_id: str, values: Sequence[Value], target: Value, tolerance: Value) -> int | None:
    """The status the KPI sheet shows: the latest month with a value against the monthly target.

    A month is the one period every KPI's target is set for; a year judged against a monthly
    target would call every churn rate off track.
    """
    return status(latest(values), target, tolerance, catalog.kpis[kpi_id].better, points=catalog.points(kpi_id))
