"""A data file (CSV, XLSX or Parquet) as a header and rows of raw cells, read with pandas.

pandas is imported here and only here, when a command reads a table: ``build``, ``validate``
and ``--help`` never pay for numpy. CSV cells stay text, so numbers are parsed in the
locale's format later rather than by pandas' English rules. Each cell keeps where it came
from (the spreadsheet's row number and the column's header) for error messages.

A CSV is read in chunks each time its rows are walked (``Table.rows()``), from its bytes: a
million-row file at the 50 MB cap costs its bytes and one chunk, not a frame and a list of
lists of every cell (issue 24: 28 times the input before).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import EnvironmentProblem, UnreadableInput
from generator.formula.address import column_letter
from generator.user_file import MIB, read_user_bytes, read_user_text

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
JSON_SUFFIXES = {".json"}
MAX_DATA_BYTES = 50 * MIB
"""Largest CSV or Parquet file imported (the validator's limit for a workbook file)."""
CSV_CHUNK_ROWS = 20_000
"""Rows of a CSV turned into Python values at a time."""

Rows = Callable[[], Iterator[list[Any]]]


@dataclass(frozen=True)
class Table:
    path: Path
    kind: str  # "csv", "xlsx", "parquet", "json"
    headers: list[str]
    rows: Rows
    """Walks the data rows (not the header) from the start, each time it is called."""

    def where(self, row: int, col: int) -> str:
        """A cell's place as its reader would look for it: ``row 5, column 'Emails sent'`` (and B5 in
        a spreadsheet); row 1 is the header, so data row 0 is row 2."""
        header = self.headers[col] if col < len(self.headers) else ""
        place = f"row {row + 2}, column {header!r}"
        return f"{place} ({column_letter(col)}{row + 2})" if self.kind == "xlsx" else place

    def column(self, col: int) -> str:
        header = self.headers[col]
        return f"column {header!r} ({column_letter(col)})" if self.kind == "xlsx" else f"column {header!r}"


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The file's first sheet (or ``sheet``) with its first row as headers."""
    suffix = path.suffix.lower()
    try:
        if suffix in CSV_SUFFIXES:
            headers, rows = _read_csv(path)
            return Table(path, "csv", headers, rows)
        if suffix in XLSX_SUFFIXES:
            frame, kind = _read_xlsx(path, sheet), "xlsx"
        elif suffix in PARQUET_SUFFIXES:
            frame, kind = _read_parquet(path), "parquet"
        elif suffix in JSON_SUFFIXES:
            frame, kind = _read_json(path), "json"
        else:
            raise UnreadableInput(f"{path}: unknown data format {suffix!r}; give a .csv, .xlsx, .parquet or .json file")
    except (UnreadableInput, EnvironmentProblem):
        raise
    except UnicodeDecodeError:
        raise UnreadableInput(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    except Exception as exc:  # every reader has its own error types; all mean "cannot read this file"
        raise UnreadableInput(
            f"{path}: cannot read it as {suffix[1:].upper()} ({' '.join(str(exc).split())})"
        ) from None
    return Table(path, kind, [str(h).strip() for h in frame.columns], lambda: _frame_rows(frame))


def _frame_rows(frame: Any) -> Iterator[list[Any]]:
    for record in frame.itertuples(index=False, name=None):
        yield [_plain(v) for v in record]


def _plain(value: Any) -> Any:
    """pandas' missing markers (NaN, NaT, NA) as None; numpy scalars as Python numbers."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str) else value


def _read_csv(path: Path) -> tuple[list[str], Rows]:
    """The headers, and a walk over the rows that reads the CSV's bytes again in chunks."""
    import pandas as pd

    raw = read_user_bytes(path, "data CSV", MAX_DATA_BYTES)  # a plain file, bounded
    _check_utf8(raw, path)
    if not raw.strip():  # an empty table, judged as one with a header and no rows is (exit 1, not 3)
        return [], lambda: iter(())
    first = raw[: raw.find(b"\n")] if b"\n" in raw else raw
    sep = separator(first.decode("utf-8-sig", errors="replace"))

    def chunks() -> Any:
        return pd.read_csv(
            io.BytesIO(raw),
            encoding="utf-8-sig",
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            chunksize=CSV_CHUNK_ROWS,
        )

    with chunks() as reader:
        headers = [str(h).strip() for h in reader.get_chunk(1).columns]
    if not headers:
        raise UnreadableInput(f"{path}: cannot read it as CSV (No columns to parse from file)")

    def rows() -> Iterator[list[Any]]:
        with chunks() as reader:
            for frame in reader:  # cells are text here, but for the NaN of a short row
                for record in frame.to_numpy(dtype=object).tolist():
                    yield [v if v.__class__ is str else _plain(v) for v in record]

    return headers, rows


def _check_utf8(raw: bytes, path: Path) -> None:
    """Refuse text that is not UTF-8, pointing at the first bad byte, without a copy of the text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), MIB):
            decoder.decode(view[start : start + MIB], final=start + MIB >= len(raw))
    except UnicodeDecodeError:
        read_user_text(path, "data CSV", MAX_DATA_BYTES)  # raises, naming the line and column
        raise


def separator(text: str) -> str:
    """The CSV's separator, by its header line: Excel writes ``;`` where the decimal sign is a comma
    (Turkish, German), ``,`` elsewhere; a tab-separated export has tabs."""
    first = text.split("\n", 1)[0]
    return max((";", "\t", ","), key=first.count) if first.strip() else ","


def _read_xlsx(path: Path, sheet: str | None) -> Any:
    import pandas as pd

    from generator.validate.reader import inspect_file
    from generator.validate.safe_open import ReadLimits

    inspect_file(path, ReadLimits())  # the validator's refusals first: file kind, zip bombs, entities
    try:
        return pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=object, engine="calamine")
    except ValueError as exc:
        if sheet is not None and "not found" in str(exc).lower():
            raise UnreadableInput(f"{path}: has no sheet {sheet!r}") from None
        raise


def _read_parquet(path: Path) -> Any:
    import pandas as pd

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise EnvironmentProblem(
            f"{path}: reading Parquet needs pyarrow: pip install 'kpi-template-generator[parquet]'"
        ) from None
    return pd.read_parquet(io.BytesIO(read_user_bytes(path, "Parquet file", MAX_DATA_BYTES)))


def _read_json(path: Path) -> Any:
    """A list of records, or ``kpigen export``'s ``{"rows": [...]}``."""
    import json

    import pandas as pd

    try:
        data = json.loads(read_user_bytes(path, "JSON file", MAX_DATA_BYTES))
    except ValueError as exc:
        raise UnreadableInput(f"{path}: not valid JSON: {exc}") from None
    records = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise UnreadableInput(f"{path}: expected a list of records (objects with the same keys)")
    return pd.DataFrame(records, dtype=object)
