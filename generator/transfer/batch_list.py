"""The list a batch build reads: one workbook per row, each row's problems kept to that row.

Plain ``csv`` rather than pandas, because ``build`` must stay free of numpy. A bad row (an
unknown currency, a year that is not a number) does not spoil the list: it becomes a failed
row with its line number, and the other rows are still built. An unknown KPI or category id
is different: it refuses the whole list (exit 2, naming the line and column), since a typing slip
in a selection would otherwise build workbooks missing what the row asked for.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.catalog import Catalog
from generator.errors import DataError, OptionError, UserError
from generator.template.options import check_selection
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
    "kpis": "kpis",
    "categories": "categories",
    "file": "file",
    "file_name": "file",
    "filename": "file",
}
COLUMNS = ("company", "locale", "currency", "year", "first_month", "kpis", "categories", "file")
_IDS = re.compile(r"[,\s]+")
"""Ids in a ``kpis`` or ``categories`` cell: between commas (quote such a cell in a comma-separated
list) or spaces."""


@dataclass(frozen=True)
class BatchRow:
    """One row of the list: the line it came from, what to build, or why it cannot be built."""

    line: int
    file: str
    options: BuildOptions
    problem: str = ""
    kpis: tuple[str, ...] = ()
    """The row's selection of KPI ids in catalogue order; () for the whole catalogue."""


def _key(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


@dataclass(frozen=True)
class Selection:
    """What a row chooses when its ``kpis`` and ``categories`` cells are blank: the command line's ids."""

    catalog: Catalog | None = None
    kpis: Sequence[str] = ()
    categories: Sequence[str] = ()


def read_batch_list(path: Path, defaults: BuildOptions, selection: Selection | None = None) -> list[BatchRow]:
    """Rows of ``path`` (CSV with a header; comma, semicolon or tab separated, as ``import`` reads);
    a missing column or a blank cell takes the command's own option.

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
    selection = selection or Selection()
    for line, record in enumerate(reader, start=2):
        if not any(field.strip() for field in record):
            continue
        cells = dict(zip(columns, (f.strip() for f in record), strict=False))
        row = _row(line, cells, defaults, seen)
        if selection.catalog is not None:
            where = f"{path}:{line}: column {{number}} {{name!r}}"
            row = replace(row, kpis=_selection(cells, selection, selection.catalog, columns, header, where))
        rows.append(row)
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


def _selection(
    cells: dict[str, str], chosen: Selection, catalog: Catalog, columns: list[str], header: list[str], where: str
) -> tuple[str, ...]:
    """The row's KPI ids: its own cells, each blank one taking the command line's ids; refused (exit 2)
    naming the list, line and column when an id is unknown or the row chooses no KPI."""
    kpis = _IDS.split(cells["kpis"]) if cells.get("kpis") else list(chosen.kpis)
    categories = _IDS.split(cells["categories"]) if cells.get("categories") else list(chosen.categories)
    if not kpis and not categories:
        return ()
    try:
        return check_selection(catalog, [k for k in kpis if k] or None, [c for c in categories if c] or None)
    except OptionError as error:
        if error.field not in columns:  # the command line's ids (checked before the list is read)
            raise
        number = columns.index(error.field) + 1
        raise UserError(where.format(number=number, name=header[number - 1].strip()) + f": {error.message}") from None
