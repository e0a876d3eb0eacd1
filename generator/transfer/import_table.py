"""A table of monthly input values, long or wide, turned into the 12 months of each input.

- **Long form**: one value per row, with ``month``, ``input`` and ``value`` columns (a kpigen
  export is one: its input rows are read, its KPI and quarter rows skipped).
- **Wide form**: one row per month; a month column (``month``, or else the first column) and
  one column per input, headed by its id or its name in any of the catalogue's languages.

Every cell that cannot be used is an ``Issue`` naming its row and column: an unknown column or
input, a number that does not parse, a month outside the fiscal year, a value given twice.
The caller decides whether issues are warnings (the cell is skipped) or refuse the import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.catalog import Catalog
from generator.template.layout import MONTHS
from generator.transfer.months import FiscalMonths, calendar_month, fiscal_start, fold
from generator.transfer.numbers import NumberReader
from generator.transfer.table import Table

Values = dict[str, list[float | None]]
MAX_LISTED_ISSUES = 1000
"""Issues kept with their text; beyond them only counted (a million bad rows must not cost a
million messages of memory, and no one reads past the first thousand)."""
MONTH_HEADERS = ("month", "start", "period", "date")
EXPORT_COLUMNS = ("period_type", "period", "start", "end", "kind", "id", "name", "unit", "target", "status", "exact")
"""Columns of ``kpigen export``'s table; an import of an export reads its input rows and skips these."""


@dataclass(frozen=True)
class Issue:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Imported:
    values: Values
    form: str
    year: int
    first_month: int
    count: int = 0
    issues: list[Issue] = field(default_factory=list)
    """The first ``MAX_LISTED_ISSUES`` issues."""
    issue_count: int = 0
    """Every issue, listed or not."""
    renamed: list[str] = field(default_factory=list)
    """Input ids of an earlier catalogue version the table used, read as the inputs that replace them."""
    prior: Values = field(default_factory=dict)
    """Values of months in the year before ``year``: the workbook's prior-year inputs."""


def input_names(catalog: Catalog, mapping: dict[str, str]) -> dict[str, str]:
    """Folded id, name in every catalogue language, an id an earlier version used (``replaces``),
    or mapped header -> input id (mapping wins)."""
    names: dict[str, str] = {}
    for input_id, spec in catalog.inputs.items():
        names[fold(input_id)] = input_id
        for text in spec.name.values():
            names.setdefault(fold(text), input_id)
    for old, input_id in catalog.renamed.items():
        names.setdefault(fold(old), input_id)
    names.update({key: target for key, target in mapping.items() if target in catalog.inputs})
    return names


def read_values(
    table: Table,
    catalog: Catalog,
    locale: str,
    *,
    year: int | None = None,
    first_month: int | None = None,
    mapping: dict[str, str] | None = None,
) -> Imported:
    """The monthly values in ``table``; a missing year or first month is taken from its dates."""
    mapping = mapping or {}
    roles = [mapping.get(fold(h), fold(h)) for h in table.headers]
    long_form = "value" in roles and ("input" in roles or "id" in roles) and any(r in MONTH_HEADERS for r in roles)
    export = long_form and "kind" in roles and "period_type" in roles
    month_col = _month_column(roles, input_names(catalog, mapping))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        if not export:
            yield from enumerate(table.rows())
            return
        kind, period = roles.index("kind"), roles.index("period_type")
        for i, r in enumerate(table.rows()):
            if _cell(r, kind) == "input" and _cell(r, period) == "month":
                yield i, r

    start = _fiscal_year(table, roles, month_col, locale, first_month, export)
    chosen_year = year if year is not None else start[0] if start else dt.date.today().year
    chosen_first = first_month if first_month is not None else start[1] if start else 1
    result = Imported(
        {i: [None] * 12 for i in catalog.inputs}, "long" if long_form else "wide", chosen_year, chosen_first
    )
    reader = _Reader(table, catalog, locale, result, mapping, NumberReader(locale, plain=export))
    if long_form:
        reader.long(rows(), roles, month_col)
    else:
        reader.wide(rows(), roles, month_col)
    return result


def _cell(row: list[Any], col: int) -> Any:
    value = row[col] if col < len(row) else None
    return value.strip() if isinstance(value, str) else value


def _month_column(roles: list[str], names: dict[str, str]) -> int:
    for header in MONTH_HEADERS:
        if header in roles:
            return roles.index(header)
    return 0 if roles and roles[0] not in names else -1


def _fiscal_year(
    table: Table, roles: list[str], month_col: int, locale: str, first_month: int | None, export: bool
) -> tuple[int, int] | None:
    """(year, first month) from the data: an export's year row states it; otherwise its dates."""
    if export and "start" in roles:
        kinds, starts = roles.index("period_type"), roles.index("start")
        for row in table.rows():
            if _cell(row, kinds) == "year":
                with contextlib.suppress(ValueError):
                    year, month = calendar_month(_cell(row, starts), {})
                    if year is not None:
                        return year, month
    if month_col < 0:
        return None
    return fiscal_start((_cell(row, month_col) for row in table.rows()), locale, first_month)


class _Reader:
    def __init__(
        self,
        table: Table,
        catalog: Catalog,
        locale: str,
        result: Imported,
        mapping: dict[str, str],
        numbers: NumberReader,
    ) -> None:
        self.table = table
        self.catalog = catalog
        self.result = result
        self.names = input_names(catalog, mapping)
        self.months = FiscalMonths(locale, result.year, result.first_month)
        self.numbers = numbers
        self.first_seen: dict[tuple[str, int], int] = {}
        self.old_ids = {fold(old): old for old in catalog.renamed}

    def lookup(self, name: str) -> str | None:
        """The input a header or input cell names; an old id is noted once, to be said in one line."""
        found = self.names.get(name)
        old = self.old_ids.get(name)
        if old is not None and found == self.catalog.renamed[old] and old not in self.result.renamed:
            self.result.renamed.append(old)
        return found

    def issue(self, where: str, message: str) -> None:
        self.result.issue_count += 1
        if len(self.result.issues) < MAX_LISTED_ISSUES:
            self.result.issues.append(Issue(where, message))

    def _unknown_column(self, col: int) -> None:
        self.issue(
            self.table.column(col),
            f"not an input of catalogue '{self.catalog.id}' (nor month, input, value); "
            "skipped: rename it or map it in a mapping file",
        )

    def long(self, rows: Iterator[tuple[int, list[Any]]], roles: list[str], month_col: int) -> None:
        input_col = roles.index("input") if "input" in roles else roles.index("id")
        value_col = roles.index("value")
        used = {input_col, value_col, month_col}
        for col, role in enumerate(roles):
            if col not in used and role not in EXPORT_COLUMNS and role not in MONTH_HEADERS:
                self._unknown_column(col)
        folded: dict[str, str] = {}  # a long table names its few inputs a million times
        for index, row in rows:
            name = _cell(row, input_col)
            if name in (None, ""):
                continue
            key = folded.get(name) if isinstance(name, str) else None
            if key is None:
                key = fold(str(name))
                if isinstance(name, str) and len(folded) < MAX_LISTED_ISSUES:
                    folded[name] = key
            input_id = self.lookup(key)
            if input_id is None:
                self.issue(
                    self.table.where(index, input_col), f"{name!r} is not an input of catalogue '{self.catalog.id}'"
                )
                continue
            self._store(index, input_id, _cell(row, month_col), month_col, _cell(row, value_col), value_col)

    def wide(self, rows: Iterator[tuple[int, list[Any]]], roles: list[str], month_col: int) -> None:
        if month_col < 0:
            self.issue(str(self.table.path), "no month column: name one 'month' (or map it in a mapping file)")
            return
        columns: dict[int, str] = {}
        seen: dict[str, int] = {}
        for col, role in enumerate(roles):
            if col == month_col:
                continue
            input_id = self.lookup(role)
            if input_id is None:
                self._unknown_column(col)
            elif input_id in seen:
                self.issue(self.table.column(col), f"input {input_id} again ({self.table.column(seen[input_id])})")
            else:
                columns[col], seen[input_id] = input_id, col
        for index, row in rows:
            month = _cell(row, month_col)
            if month in (None, "") and all(_cell(row, c) in (None, "") for c in columns):
                continue
            for col, input_id in columns.items():
                self._store(index, input_id, month, month_col, _cell(row, col), col)

    def _store(self, index: int, input_id: str, month: Any, month_col: int, value: Any, value_col: int) -> None:
        try:
            number = self.numbers.read(value)
        except ValueError as exc:
            self.issue(self.table.where(index, value_col), str(exc))
            return
        if number is None:
            return
        try:
            position = self.months.position(month)
        except ValueError as exc:
            self.issue(self.table.where(index, month_col), str(exc))
            return
        first = self.first_seen.setdefault((input_id, position), index)
        if first != index:
            self.issue(
                self.table.where(index, value_col),
                f"{input_id} for this month was already given on row {first + 2}; this value is skipped",
            )
            return
        year = self.result.values if position >= 0 else self.result.prior
        year.setdefault(input_id, [None] * MONTHS)[position % MONTHS] = number
        self.result.count += 1
