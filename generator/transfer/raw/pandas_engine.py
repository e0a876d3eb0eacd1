"""The reference engine: a profile's measures over raw tables held as pandas frames.

Every rule it follows is in ``semantics``; the SQL compiler follows the same ones, and a
property test holds the two equal. Cells arrive as text (or typed, from Parquet) and are turned
into each column's type here, each unreadable cell reported by its row and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.transfer.raw.grammar import Bool, Cmp, Col, Days, Filter, In, IsNull, Lit, Not, Value
from generator.transfer.raw.model import SNAPSHOTS, ColumnType, MeasureKind
from generator.transfer.raw.profile import MeasureSpec, Profile, TableSpec
from generator.transfer.raw.semantics import NUMBER_PATTERN, date_formats, format_pattern, month_bounds

if TYPE_CHECKING:
    import pandas as pd

Values = dict[str, list[float | None]]


@dataclass(frozen=True)
class BadCell:
    row: int
    """0-based data row, as ``Table.where`` numbers them."""
    header: str
    message: str


def _text(series: pd.Series) -> pd.Series:
    import pandas as pd

    text = series.map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
    text = text.astype(object).str.strip(" ")
    return text.where(text.notna() & (text != ""), None)


def prepare(frame: pd.DataFrame, table: TableSpec, zone: str) -> tuple[pd.DataFrame, list[BadCell]]:
    """The table's columns by their profile names, typed; and every cell that could not be read."""
    import pandas as pd

    columns: dict[str, pd.Series] = {}
    bad: list[BadCell] = []
    for spec in table.columns.values():
        text = _text(frame[spec.header])
        if spec.type is ColumnType.TEXT:
            columns[spec.name] = text
            continue
        if spec.type is ColumnType.NUMBER:
            good = text.str.fullmatch(NUMBER_PATTERN).fillna(False).astype(bool)
            values = pd.to_numeric(text.where(good, None), errors="coerce").astype("float64")
            what = "a number (such as 1234.5)"
        else:
            values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
            readable = text.str.rstrip("Z") if spec.utc else text
            for fmt in date_formats(table.date_formats):
                missing = values.isna() & text.notna()
                if not missing.any():
                    break
                missing &= readable.str.fullmatch(format_pattern(fmt)).fillna(False).astype(bool)
                values[missing] = pd.to_datetime(readable[missing], format=fmt, errors="coerce")
            if spec.utc:
                values = values.dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None)
            what = f"a date ({', '.join(table.date_formats)})"
        for row in text.index[text.notna() & values.isna()]:
            bad.append(BadCell(int(row), spec.header, f"{text[row]!r} is not {what}; skipped"))
        columns[spec.name] = values
    return pd.DataFrame(columns, index=frame.index), bad


def value(node: Value, rows: pd.DataFrame) -> Any:
    match node:
        case Col(name):
            return rows[name]
        case Lit(literal):
            return literal
        case Days(start, end):
            return (rows[end.name].dt.normalize() - rows[start.name].dt.normalize()).dt.days.astype("float64")


def _is_text(item: Any) -> bool:
    return isinstance(item, str) or (hasattr(item, "dtype") and item.dtype == object)


def _lowered(item: Any) -> Any:
    return item.lower() if isinstance(item, str) else item.str.lower()


def holds(node: Filter, rows: pd.DataFrame) -> pd.Series:
    """A true/false per row; an atom on a missing cell is false, and ``not`` flips only that."""
    import pandas as pd

    match node:
        case Cmp(op, left, right):
            a, b = value(left, rows), value(right, rows)
            a, b = _as_dates(a, b), _as_dates(b, a)
            if _is_text(a) or _is_text(b):
                a, b = _lowered(a), _lowered(b)
            compared = {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
            present = _present(a, rows) & _present(b, rows)
            return pd.Series(compared, index=rows.index).fillna(False).astype(bool) & present
        case In(item, listed, negated):
            subject = value(item, rows)
            if listed is None:
                return pd.Series(True, index=rows.index)
            if subject.dtype == object:
                found = subject.str.lower().isin([str(x).lower() for x in listed])
            else:
                found = subject.isin(list(listed))
            return (~found if negated else found) & subject.notna()
        case IsNull(item, negated):
            subject = value(item, rows)
            return subject.notna() if negated else subject.isna()
        case Bool(op, items):
            results = [holds(item, rows) for item in items]
            combined = results[0]
            for result in results[1:]:
                combined = combined & result if op == "and" else combined | result
            return combined
        case Not(item):
            return ~holds(item, rows)


def _as_dates(side: Any, other: Any) -> Any:
    import pandas as pd

    if isinstance(side, str) and hasattr(other, "dtype") and str(other.dtype).startswith("datetime64"):
        return pd.Timestamp(side)
    return side


def _present(side: Any, rows: pd.DataFrame) -> pd.Series:
    import pandas as pd

    if hasattr(side, "notna"):
        return side.notna()
    return pd.Series(True, index=rows.index)


def dated_columns(table: TableSpec) -> list[str]:
    """The table's date columns: the latest date in any of them is where the export ends."""
    return [spec.name for spec in table.columns.values() if spec.type is ColumnType.DATE]


def compute(profile: Profile, frames: dict[str, pd.DataFrame], year: int, first_month: int) -> Values:
    """Every measured input's 12 months; ``frames`` are prepared tables (``prepare``) by table name.
    An input whose table was not given is left out."""
    bounds = month_bounds(year, first_month)
    result: Values = {}
    for measure in profile.measures.values():
        frame = frames.get(measure.table)
        if frame is None:
            continue
        table = profile.tables[measure.table]
        result[measure.input_id] = _measure(measure, table, frame, bounds)
    return result


def selected(measure: MeasureSpec, table: TableSpec, frame: pd.DataFrame) -> tuple[pd.DataFrame, Any]:
    """The rows the table's and the measure's filters keep, and the table's last date (None: no date),
    after which a period stays empty."""
    import pandas as pd

    lasts = [frame[name].max() for name in dated_columns(table)]
    last = max((x for x in lasts if not pd.isna(x)), default=None)
    mask = pd.Series(True, index=frame.index)
    if table.where is not None:
        mask &= holds(table.where, frame)
    if measure.filter is not None:
        mask &= holds(measure.filter, frame)
    return frame[mask], last


def _measure(
    measure: MeasureSpec, table: TableSpec, frame: pd.DataFrame, bounds: list[dt.datetime]
) -> list[float | None]:
    import pandas as pd

    rows, last = selected(measure, table, frame)
    values: list[float | None] = []
    if measure.kind in SNAPSHOTS:
        start, end = rows[measure.start], rows[measure.end]
        for i in range(12):
            if measure.kind is MeasureKind.OPENING:
                moment = pd.Timestamp(bounds[i])
                covers = (start <= moment) & (end.isna() | (end > moment))
            else:
                moment = pd.Timestamp(bounds[i + 1])
                covers = (start < moment) & (end.isna() | (end >= moment))
            values.append(float(covers.sum()))
    else:
        dates = rows[measure.date]
        inside = (dates >= pd.Timestamp(bounds[0])) & (dates < pd.Timestamp(bounds[12]))
        dates = dates[inside]
        position = (dates.dt.year * 12 + dates.dt.month) - (bounds[0].year * 12 + bounds[0].month)
        of = value(measure.of, rows[inside]) if measure.of is not None else dates
        for i in range(12):
            here = position == i
            if measure.kind is MeasureKind.COUNT:
                values.append(float(here.sum()))
            elif measure.kind is MeasureKind.COUNT_DISTINCT:
                values.append(float(of[here].nunique()))
            elif measure.kind is MeasureKind.SUM:
                values.append(float(of[here].sum()))
            else:
                mean = of[here].mean()
                values.append(None if pd.isna(mean) else float(mean))
    return [None if last is None or pd.Timestamp(bounds[i]) > last else v for i, v in enumerate(values)]
