"""A filled workbook as one tidy long table for BI tools: one row per input or KPI and period.

Columns (``COLUMNS``): the period's type (month, quarter, year), its label and first and last
day; whether the row is an input or a KPI, its id, its name in the chosen language, its unit
(the currency code for money); the value; and for KPIs the target and status the workbook shows.

Values are recomputed from the typed inputs by the catalogue's Python evaluation (the same
rules as the workbook's formulas: a quarter's ratio is a ratio of sums), so a file saved
without calculated values exports the same numbers as one Excel saved. Quarters are fiscal.
``exact``: a distinct input's quarter and year counted exactly from the raw rows the workbook
was filled from (``exact_kept``), beside ``value``, the workbook's average month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from generator.catalog import Catalog
from generator.catalog.catalog import in_locale
from generator.catalog.model import Unit
from generator.template.periods import MONTHS, PERIODS, input_periods, kpi_values, period_target, spans, status
from generator.transfer.filled import Filled

COLUMNS = ("period_type", "period", "start", "end", "kind", "id", "name", "unit", "value", "target", "status", "exact")
STATUS = {1: "on_track", 0: "at_risk", -1: "off_track"}

Row = dict[str, Any]


def month_start(year: int, first_month: int, index: int) -> dt.date:
    """First day of fiscal month ``index`` (0-11)."""
    month = first_month - 1 + index
    return dt.date(year + month // 12, month % 12 + 1, 1)


def month_end(start: dt.date) -> dt.date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


Frame = tuple[str, str, dt.date, dt.date]


def periods(year: int, first_month: int) -> list[Frame]:
    """(type, label, first day, last day) of the 17 period columns: 12 months, Q1-Q4, the year."""
    result = []
    for p, (a, b) in enumerate(spans()):
        start, end = month_start(year, first_month, a), month_end(month_start(year, first_month, b))
        if p < MONTHS:
            result.append(("month", f"{start:%Y-%m}", start, end))
        elif p < PERIODS - 1:
            result.append(("quarter", f"FY{year}-Q{p - MONTHS + 1}", start, end))
        else:
            result.append(("year", f"FY{year}", start, end))
    return result


def tidy_rows(filled: Filled, locale: str | None = None, *, year: int | None = None) -> list[Row]:
    """Every input and KPI in every period, inputs first, in catalogue order."""
    catalog = filled.catalog
    locale = locale or filled.locale
    settings = filled.settings
    fiscal_year = year or settings.year or dt.date.today().year
    frame = periods(fiscal_year, settings.first_month or 1)
    months = {i: filled.inputs.get(i, [None] * MONTHS) for i in catalog.inputs}
    rows = _year_rows(filled, months, frame, locale, judged=True)
    if any(v is not None for row in filled.prior_inputs.values() for v in row):
        before = {i: filled.prior_inputs.get(i, [None] * MONTHS) for i in catalog.inputs}
        rows += _year_rows(filled, before, periods(fiscal_year - 1, settings.first_month or 1), locale, judged=False)
    return rows


def _year_rows(
    filled: Filled, months: dict[str, list[float | None]], frame: list[Frame], locale: str, *, judged: bool
) -> list[Row]:
    """One fiscal year's rows: its inputs, then its KPIs (with target and status when ``judged``: the
    prior year's rows carry neither, as its targets are not in the workbook)."""
    catalog = filled.catalog
    currency = filled.settings.currency or ""
    rows: list[Row] = []
    for input_id, values in input_periods(catalog, months).items():
        spec = catalog.inputs[input_id]
        name = _name(catalog, spec.name, locale, input_id)
        exact = filled.exact.get(input_id) if judged else None
        for p, ((kind, label, start, end), value) in enumerate(zip(frame, values, strict=True)):
            value = _whole(value) if spec.integer or spec.unit is Unit.COUNT else value
            row = _row(kind, label, start, end, "input", input_id, name, _unit(spec.unit, currency), value)
            if exact is not None and p >= MONTHS:
                row["exact"] = _whole(exact[p - MONTHS])
            rows.append(row)
    for kpi_id, values in kpi_values(catalog, months).items():
        kpi = catalog.kpis[kpi_id]
        name = (in_locale(kpi.texts, locale, catalog.default_locale) or next(iter(kpi.texts.values()))).name
        target = filled.targets.get(kpi_id) if judged else None
        tolerance = filled.tolerances.get(kpi_id)
        for p, ((kind, label, start, end), value) in enumerate(zip(frame, values, strict=True)):
            goal = target if p < MONTHS else _period_goal(catalog, kpi_id, target, values, p)
            shown = _whole(value) if kpi.unit is Unit.COUNT else value
            row = _row(kind, label, start, end, "kpi", kpi_id, name, _unit(kpi.unit, currency), shown)
            row["target"] = _whole(goal) if kpi.unit is Unit.COUNT else goal
            found = status(value, goal, tolerance, kpi.better, points=catalog.points(kpi_id)) if judged else None
            row["status"] = STATUS.get(found) if found is not None else None
            rows.append(row)
    return rows


def _whole(value: Any) -> Any:
    """A count as a whole number (4, not 4.0) when it is one: what a BI tool should read as a count."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _period_goal(catalog: Catalog, kpi_id: str, target: float | None, values: list[float | None], p: int) -> Any:
    first, last = spans()[p]
    return period_target(catalog, kpi_id, target, values[first : last + 1])


def _row(
    kind: str, label: str, start: dt.date, end: dt.date, what: str, id_: str, name: str, unit: str, value: Any
) -> Row:
    return {
        "period_type": kind,
        "period": label,
        "start": start,
        "end": end,
        "kind": what,
        "id": id_,
        "name": name,
        "unit": unit,
        "value": value,
        "target": None,
        "status": None,
        "exact": None,
    }


def _unit(unit: Unit, currency: str) -> str:
    return currency if unit is Unit.CURRENCY and currency else unit.value


def _name(catalog: Catalog, texts: dict[str, str], locale: str, fallback: str) -> str:
    return in_locale(texts, locale, catalog.default_locale) or fallback
