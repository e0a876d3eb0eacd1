"""Writing the tidy table as CSV, JSON, XLSX or Parquet bytes.

CSV and JSON are written with the standard library, numbers as Python's shortest exact form
(``repr``), so an export read back gives the very same doubles; pandas (and pyarrow) only
for XLSX and Parquet, imported here when they are asked for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from generator.errors import EnvironmentProblem
from generator.transfer.export_table import COLUMNS, Row

FORMATS = ("csv", "xlsx", "json", "parquet")


def to_bytes(rows: list[Row], output_format: str) -> bytes:
    if output_format == "csv":
        return _csv(rows)
    if output_format == "json":
        return _json(rows)
    if output_format == "xlsx":
        return _xlsx(rows)
    if output_format == "parquet":
        return _parquet(rows)
    raise ValueError(output_format)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv(rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_text(row[c]) for c in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def _json(rows: list[Row]) -> bytes:
    records = [{c: (row[c].isoformat() if isinstance(row[c], dt.date) else row[c]) for c in COLUMNS} for row in rows]
    return (json.dumps({"format": "kpigen.export/1", "rows": records}, ensure_ascii=False, indent=1) + "\n").encode()


def _frame(rows: list[Row]) -> Any:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("value", "target", "exact"):
        frame[column] = frame[column].astype("float64")
    return frame


def _xlsx(rows: list[Row]) -> bytes:
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", date_format="yyyy-mm-dd") as writer:
        _frame(rows).to_excel(writer, index=False, sheet_name="kpigen")
    return buffer.getvalue()


def _parquet(rows: list[Row]) -> bytes:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise EnvironmentProblem(
            "writing Parquet needs pyarrow: pip install 'kpi-template-generator[parquet]'"
        ) from None
    buffer = io.BytesIO()
    _frame(rows).to_parquet(buffer, index=False)
    return buffer.getvalue()
