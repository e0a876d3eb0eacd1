"""Exact quarter and year counts of a ``count_distinct`` input, from the raw rows (the pandas reference).

A workbook holds twelve monthly distinct counts; a customer who buys in two months of a quarter
is in both, so the months cannot be added up and the workbook's quarter shows the average month.
The raw rows can be counted again over the whole quarter and the whole fiscal year (to date: the
rows end at the export's last date), each id once. The periods follow the same rules as a month
(``semantics``): a period that starts after the table's last date is empty, one without rows is 0.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from generator.template.layout import MONTHS
from generator.template.periods import spans
from generator.transfer.raw.model import MeasureKind
from generator.transfer.raw.profile import MeasureSpec, Profile
from generator.transfer.raw.semantics import month_bounds

if TYPE_CHECKING:
    import pandas as pd

Exact = dict[str, list[float | None]]
"""Input id -> its exact count in Q1-Q4 and the year (``exact_kept.PERIODS``); None: after the data ends."""


def period_bounds(year: int, first_month: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """Q1-Q4 and the year, each as [first local midnight, the midnight after its last month)."""
    bounds = month_bounds(year, first_month)
    return [(bounds[a], bounds[b + 1]) for a, b in spans()[MONTHS:]]


def distinct_measures(profile: Profile, tables: set[str] | None = None) -> list[MeasureSpec]:
    """The profile's ``count_distinct`` measures, on the given tables (all by default)."""
    return [
        m
        for m in profile.measures.values()
        if m.kind is MeasureKind.COUNT_DISTINCT and (tables is None or m.table in tables)
    ]


def compute_exact(profile: Profile, frames: dict[str, pd.DataFrame], year: int, first_month: int) -> Exact:
    """Every distinct input's exact quarters and year; ``frames`` are prepared tables by name."""
    import pandas as pd

    from generator.transfer.raw.pandas_engine import selected, value

    periods = period_bounds(year, first_month)
    result: Exact = {}
    for measure in distinct_measures(profile, set(frames)):
        assert measure.date is not None
        rows, last = selected(measure, profile.tables[measure.table], frames[measure.table])
        dates = rows[measure.date]
        of = value(measure.of, rows) if measure.of is not None else dates
        counts: list[float | None] = []
        for start, end in periods:
            if last is None or pd.Timestamp(start) > last:
                counts.append(None)
                continue
            inside = (dates >= pd.Timestamp(start)) & (dates < pd.Timestamp(end))
            counts.append(float(of[inside].nunique()))
        result[measure.input_id] = counts
    return result
