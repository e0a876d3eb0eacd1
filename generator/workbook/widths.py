"""Column widths from the widest value each column can show, in the workbook's currency and format.

Fixed widths sized for dollars showed ``###`` in lira and yen workbooks (a spreadsheet shows
``###`` for a number wider than its cell). So each value column is widened, never narrowed, to
fit its widest row: ten times the larger of the demo year's values and the target (a user may
type a target ten times the demo's), twelve months of it where a quarter or the year adds the
months up, and the values a workbook actually carries. The text is the one the cell's number
format shows, currency symbol and all; its width is estimated from Calibri's (Carlito's) advance
widths, in Excel's unit (the width of a digit), rounded up so an estimate errs on the wide side.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from xlsxwriter.worksheet import Worksheet

from generator.catalog import Catalog
from generator.catalog.model import Aggregation, Better, InputSpec, Kpi
from generator.errors import UserError
from generator.formula.evaluate import evaluate
from generator.template.dashboard_formulas import CARD_COLS, CARDS_PER_ROW
from generator.template.layout import (
    INPUT_GRID,
    KPI_GRID,
    KPI_LATEST_COL,
    KPI_TARGET_COL,
    MONTHS,
    SETTINGS_VALUE_COL,
)
from generator.template.scorecard_formulas import LATEST_COL, TARGET_COL, YTD_COL
from generator.workbook.context import Context
from generator.workbook.sample import Values, read_sample
from generator.workbook.sheet_inputs import input_decimals
from generator.workbook.sheet_sources import FIRST_SOURCE_COL

ROOM = 10
"""How many times the demo's (or the target's) largest value a column must still show."""
PADDING = 1.5
"""Cell margins and border, in digit widths, with a little to spare."""

_NARROW = set(".,:;'!|il ") | {"\u00a0", "\u202f"}
_QUOTED = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|([#0,.]+)|(.)')


def shown(value: float, num_format: str) -> str:
    """The text a spreadsheet shows for ``value`` under an Excel number format code (its first
    section, with English separators: another locale's have the same count), rounded half away
    from zero as Excel rounds."""
    section = num_format.split(";")[0]
    if "%" in re.sub(r'"[^"]*"', "", section):
        value *= 100
    parts: list[str] = []
    for quoted, escaped, digits, other in _QUOTED.findall(section):
        if digits:
            decimals = len(digits.split(".")[1]) if "." in digits else 0
            rounded = Decimal(repr(abs(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
            parts.append(f"{rounded:{',' if ',' in digits else ''}.{decimals}f}")
        else:
            parts.append(quoted or escaped or other)
    return ("-" if value < 0 else "") + "".join(parts)


def text_width(text: str, size: float = 11, bold: bool = False) -> float:
    """Estimated width of ``text`` in digit widths of 11-point Calibri, margins included."""
    units = 0.0
    for char in text:
        if char.isdigit():
            units += 1.0
        elif char in _NARROW:
            units += 0.5
        elif char in "-+":
            units += 0.65
        elif char == "%":
            units += 1.45
        elif char.isupper():
            units += 1.2
        else:
            units += 1.05
    return units * size / 11 * (1.1 if bold else 1.0) + PADDING


def widen(sheet: Worksheet, columns: Iterable[int], width: float) -> None:
    """Make each column at least ``width`` digits wide; never narrower. XlsxWriter keeps a
    column's width in pixels: a digit is ``max_digit_width`` pixels, plus the cell's padding."""
    pixels = math.ceil(width * sheet.max_digit_width) + sheet.cell_padding
    for col in columns:
        info = sheet.col_info.get(col)
        if info is None:
            sheet.set_column_pixels(col, col, pixels)
        elif info.width is not None and info.width < pixels and not info.hidden:
            info.width = pixels


def demo_values(catalog: Catalog, currency: str) -> Values:
    """The demo year in ``currency``; in a currency without a demo rate, scaled as the weakest
    known one (so a column is too wide rather than too narrow); empty without a demo file."""
    if catalog.sample is None:
        return {}
    try:
        return read_sample(catalog, currency)
    except UserError:
        try:
            return read_sample(catalog, "KRW")
        except UserError:
            return {}


def _largest(values: Iterable[float | None]) -> float:
    return max((abs(v) for v in values if v is not None and math.isfinite(v)), default=0.0)


def input_room(spec: InputSpec, demo: Values, typed: Values) -> tuple[float, float]:
    """The widest month and period (quarter, year) value an input's row should show."""
    month = ROOM * _largest(demo.get(spec.id, []))
    if spec.max is not None:
        month = min(month, max(abs(spec.max), abs(spec.min or 0.0)))
    carried = typed.get(spec.id, [])
    flow = spec.aggregation is Aggregation.FLOW
    period = month * (MONTHS if flow else 1)
    year = sum(abs(v) for v in carried if v is not None) if flow else _largest(carried)
    return max(month, _largest(carried)), max(period, year)


def kpi_room(ctx: Context, kpi: Kpi, demo: Values) -> tuple[float, float]:
    """The widest month and period value a KPI's row (and its target) should show."""
    expr = ctx.catalog.formulas[kpi.id]
    found: list[float | None] = [ctx.target(kpi)]
    for values in (demo, ctx.values or {}):
        found += [evaluate(expr, {i: v[m] for i, v in values.items()}) for m in range(MONTHS)]
    month = ROOM * _largest(found)
    if kpi.range is not None:
        month = min(month, max(abs(kpi.range[0]), abs(kpi.range[1])))
    degree = ctx.catalog.time_degree[kpi.id]
    return month, month * (MONTHS if degree and degree > 0 else 1)


def fit_columns(ctx: Context) -> None:
    """Widen every value column of the built sheets to its widest value (see the module's note)."""
    catalog = ctx.catalog
    demo = demo_values(catalog, ctx.options.currency)
    # the prior year's sheets mirror this year's, so one width serves both: the wider of the two years'
    for sheet, typed in (("inputs", dict(ctx.values or {})), ("prior_inputs", dict(ctx.prior_values or {}))):
        _fit_inputs(ctx, ctx.sheets[sheet], demo, typed)
        _fit_inputs(ctx, ctx.sheets["prior_inputs" if sheet == "inputs" else "inputs"], demo, typed)
    _fit_kpis(ctx, {kpi.id: kpi_room(ctx, kpi, demo) for kpi in catalog.kpis.values()})


def _fit_inputs(ctx: Context, sheet: Worksheet, demo: Values, typed: Values) -> None:
    for spec in ctx.catalog.inputs.values():
        month, period = input_room(spec, demo, typed)
        number_format = ctx.number_format(spec.unit, input_decimals(spec))
        sign = 1 if spec.min is not None and spec.min >= 0 else -1
        widen(sheet, [INPUT_GRID.month(m) for m in range(MONTHS)], text_width(shown(sign * month, number_format)))
        periods = [INPUT_GRID.quarter(q) for q in range(4)] + [INPUT_GRID.ytd]
        widen(sheet, periods, text_width(shown(sign * period, number_format)))


def _fit_kpis(ctx: Context, rooms: Mapping[str, tuple[float, float]]) -> None:
    kpis, settings, dashboard = ctx.sheets["kpis"], ctx.sheets["settings"], ctx.sheets["dashboard"]
    scorecard = ctx.sheets.get("scorecard")
    sources = ctx.sheets.get("sources")
    source_cols = [FIRST_SOURCE_COL + i for i in range(len(ctx.sources) + 1)]
    cards = [2 + k * CARD_COLS for k in range(CARDS_PER_ROW)]
    card_value = 0.0
    for kpi_id, (month, period) in rooms.items():
        kpi = ctx.catalog.kpis[kpi_id]
        number_format = ctx.kpi_format(kpi)
        if not ctx.catalog.never_negative[kpi_id]:
            month, period = -month, -period
        month_width = text_width(shown(month, number_format))
        period_width = text_width(shown(period, number_format), bold=True)
        for sheet in (kpis, ctx.sheets["prior_kpis"]):
            widen(sheet, [KPI_GRID.month(m) for m in range(MONTHS)], month_width)
            widen(sheet, [KPI_GRID.quarter(q) for q in range(4)] + [KPI_GRID.ytd, KPI_LATEST_COL], period_width)
        if kpi.better is not Better.INFO:
            widen(kpis, [KPI_TARGET_COL], month_width)
            widen(settings, [SETTINGS_VALUE_COL], month_width)
        if scorecard is not None:
            widen(scorecard, [LATEST_COL, TARGET_COL], month_width)
            widen(scorecard, [YTD_COL], period_width)
        if sources is not None:  # each workbook's year, and their total (the combined values in ctx.values)
            widen(sources, source_cols, period_width)
        widen(dashboard, cards, text_width("+" + shown(period, number_format), size=9))
        card_value = max(card_value, text_width(shown(month, number_format), size=20, bold=True))
    for right in cards:
        number = ((dashboard.col_info[right].width or 0) - dashboard.cell_padding) / dashboard.max_digit_width
        widen(dashboard, [right - 1], card_value - number)
