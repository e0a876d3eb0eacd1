"""The list a batch build reads: one workbook per row, each row's problems kept to that row.

Plain ``csv`` rather than pandas, because ``build`` must stay free of numpy. A bad row (an
unknown currency, a year that is not a number) does not spoil the list: it becomes a failed
row with its line number, and the other rows are still built.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

from generator.errors import DataError
from generator.transfer.table import separator
from generator.user_file import read_user_text
from generator.workbook.context import BuildOptions

_ALIASES = {
    "company": "company",
    "team": "company",
    "client": "company",
    "locale": "locale",
    "language": "locale",
    "currency": "currency",
    "year": "year",
    "fiscal_year": "year",
    "first_month": "first_month",
    "file": "file",
    "file_name": "file",
    "filename": "file",
}
COLUMNS = ("company", "locale", "currency", "year", "first_month", "file")


@dataclass(frozen=True)
class BatchRow:
    """One row of the list: the line it came from, what to build, or why it cannot be built."""

    line: int
    file: str
    options: BuildOptions
    problem: str = ""


def _key(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


def read_batch_list(path: Path, defaults: BuildOptions) -> list[BatchRow]:
    """Rows of ``path`` (CSV with a header; comma, semicolon or tab separated, as ``import`` reads);
    a missing column takes the command's own option.

    An unknown column refuses the whole list: a misspelt ``curency`` would otherwise build
    every workbook with the default currency without a word.
    """
    text = read_user_text(path, "batch list")  # a plain file, bounded, UTF-8 by line and column
    reader = csv.reader(text.splitlines(), delimiter=separator(text))
    header = next(reader, None)
    if not header:
        raise DataError(f"{path}: empty batch list; expected a header such as {','.join(COLUMNS)}")
    columns: list[str] = []
    for number, name in enumerate(header, start=1):
        key = _ALIASES.get(_key(name))
        if key is None:
            raise DataError(
                f"{path}:1: column {number} {name!r} is not one of {', '.join(COLUMNS)} (or team, language, file_name)"
            )
        if key in columns:
            raise DataError(f"{path}:1: column {number} {name!r} repeats the column {key!r}")
        columns.append(key)
    if "file" not in columns:
        raise DataError(f"{path}:1: the list needs a 'file' column naming each workbook")
    rows: list[BatchRow] = []
    seen: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        if not any(field.strip() for field in record):
            continue
        rows.append(_row(line, dict(zip(columns, (f.strip() for f in record), strict=False)), defaults, seen))
    if not rows:
        raise DataError(f"{path}: the batch list has a header but no rows")
    return rows


def _row(line: int, record: dict[str, str], defaults: BuildOptions, seen: dict[str, int]) -> BatchRow:
    file = record.get("file", "")
    options = defaults
    problem = ""
    try:
        if not file:
            raise ValueError("no file name")
        if not file.lower().endswith(".xlsx"):
            raise ValueError(f"file name {file!r} must end in .xlsx")
        if Path(file).is_absolute() or ".." in Path(file).parts:
            raise ValueError(f"file name {file!r} must stay inside the output folder")
        if file.casefold() in seen:
            raise ValueError(f"file name {file!r} is already used on line {seen[file.casefold()]}")
        seen[file.casefold()] = line
        changes: dict[str, object] = {}
        for key in ("company", "locale", "currency"):
            if record.get(key):
                changes[key] = record[key]
        for key in ("year", "first_month"):
            if record.get(key):
                try:
                    changes[key] = int(record[key])
                except ValueError:
                    raise ValueError(f"{key.replace('_', ' ')} {record[key]!r} is not a whole number") from None
        options = replace(defaults, **changes)  # type: ignore[arg-type]
    except ValueError as exc:
        problem = str(exc)
    return BatchRow(line, file, options, problem)
