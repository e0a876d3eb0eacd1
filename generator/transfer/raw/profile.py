"""Load a source profile (bundled by name, or a file), check it, and report problems at file:line:column.

The loader reads YAML as the catalogue loader does (``generator.catalog.source``), so each
problem names the place it was written; a profile returned by ``load_profile`` has every
column, table, vocabulary and filter resolved, and both engines take it as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from generator import paths
from generator.catalog.load import split_msgspec
from generator.catalog.source import Path_, SourceDocument, SourceError, read_source
from generator.errors import CatalogError, UnreadableCatalog, UserError
from generator.formula import FormulaError
from generator.transfer.raw import grammar
from generator.transfer.raw.grammar import Cmp, Col, Days, Filter, In, IsNull, Lit, Value
from generator.transfer.raw.model import (
    SNAPSHOTS,
    ZONE_FREE,
    Column,
    ColumnType,
    Measure,
    MeasureKind,
    ProfileFile,
    Table,
)
from generator.transfer.raw.semantics import DIRECTIVES

PROFILE_DIR = paths.CATALOG_DIR / "profiles"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    header: str
    type: ColumnType
    utc: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: dict[str, ColumnSpec]
    recognise: tuple[str, ...]
    date_formats: tuple[str, ...]
    where: Filter | None


@dataclass(frozen=True)
class MeasureSpec:
    input_id: str
    table: str
    kind: MeasureKind
    about: str
    date: str | None
    of: Value | None
    filter: Filter | None
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Profile:
    id: str
    path: Path
    description: str
    time_zone: str
    tables: dict[str, TableSpec]
    measures: dict[str, MeasureSpec]
    unmeasured: tuple[str, ...]
    catalog: str
    document: SourceDocument

    def where(self, at: Path_) -> str:
        return self.document.where(at)


def bundled_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.yaml"))


def resolve_profile(spec: str) -> Path:
    """A bundled profile's name (``hubspot``) or a profile file's path."""
    if "/" not in spec and "\\" not in spec and not spec.endswith((".yaml", ".yml")):
        path = PROFILE_DIR / f"{spec}.yaml"
        if path.is_file():
            return path
        raise UserError(f"no bundled profile '{spec}' (bundled: {', '.join(bundled_profiles())}); or give a file")
    return Path(spec)


def load_profile(spec: str | Path) -> Profile:
    """The checked profile; raises CatalogError listing every problem as file:line:column: message."""
    path = resolve_profile(spec) if isinstance(spec, str) else spec
    try:
        document = read_source(path, "profile")
    except SourceError as exc:
        raise (UnreadableCatalog if exc.unreadable else CatalogError)([exc.message]) from None
    problems = [f"{document.path}:{p.line}:{p.column}: duplicate key '{at[-1]}'" for at, p in document.duplicates]
    try:
        _convert_items(document)  # msgspec names no key of a mapping: find which table or measure
        file = msgspec.convert(document.data, ProfileFile, strict=False)
    except msgspec.ValidationError as exc:
        text = str(exc) if " - at `" in str(exc) else f"{exc} - at `$`"
        message, at = split_msgspec(text)
        at = tuple(getattr(exc, "prefix", ())) + at
        raise CatalogError([*problems, f"{document.where(at)}: {message}"]) from None
    profile = _Resolver(document, file, problems).profile()
    if problems:
        raise CatalogError(problems)
    return profile


def _convert_items(document: SourceDocument) -> None:
    data = document.data
    for section, struct in (("tables", Table), ("measures", Measure)):
        items = data.get(section) if isinstance(data, dict) else None
        for key, item in items.items() if isinstance(items, dict) else ():
            try:
                msgspec.convert(item, struct, strict=False)
            except msgspec.ValidationError as exc:
                exc.prefix = (section, key)  # type: ignore[attr-defined]
                raise


class _Resolver:
    def __init__(self, document: SourceDocument, file: ProfileFile, problems: list[str]) -> None:
        self.doc = document
        self.file = file
        self.problems = problems
        self.vocabulary = {
            name: None if items == ZONE_FREE else [items] if isinstance(items, str) else items
            for name, items in file.vocabulary.items()
        }

    def report(self, at: Path_, message: str) -> None:
        self.problems.append(f"{self.doc.where(at)}: {message}")

    def profile(self) -> Profile:
        try:
            ZoneInfo(self.file.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            self.report(("time_zone",), f"unknown time zone '{self.file.time_zone}' (an IANA name: Europe/Istanbul)")
        tables = {name: self.table(name) for name in self.file.tables}
        measures = {}
        for input_id in self.file.measures:
            found = self.measure(input_id, tables)
            if found is not None:
                measures[input_id] = found
        return Profile(
            self.file.profile,
            self.doc.path,
            self.file.description,
            self.file.time_zone,
            tables,
            measures,
            tuple(self.file.unmeasured),
            self.file.catalog,
            self.doc,
        )

    def table(self, name: str) -> TableSpec:
        spec = self.file.tables[name]
        columns = {
            key: ColumnSpec(key, value.column, value.type, value.utc)
            if isinstance(value, Column)
            else ColumnSpec(key, value, ColumnType.TEXT)
            for key, value in spec.columns.items()
        }
        headers = {c.header for c in columns.values()}
        for i, fmt in enumerate(spec.date_formats):
            unknown = sorted(set(re.findall(r"%(.)", fmt)) - set(DIRECTIVES))
            if unknown:
                self.report(
                    ("tables", name, "date_formats", i),
                    f"'%{unknown[0]}' is not one of the date directives %{', %'.join(DIRECTIVES)}",
                )
        for i, header in enumerate(spec.recognise):
            if header not in headers:
                self.report(("tables", name, "recognise", i), f"'{header}' is not one of the table's columns")
        table = TableSpec(name, columns, tuple(spec.recognise or sorted(headers)), tuple(spec.date_formats), None)
        where = self.filter(spec.where, ("tables", name, "where"), table) if spec.where else None
        return TableSpec(name, columns, table.recognise, table.date_formats, where)

    def measure(self, input_id: str, tables: dict[str, TableSpec]) -> MeasureSpec | None:
        spec = self.file.measures[input_id]
        at: Path_ = ("measures", input_id)
        table = tables.get(spec.table)
        if table is None:
            self.report((*at, "table"), f"no table '{spec.table}' (tables: {', '.join(tables)})")
            return None
        needed = {"start", "end"} if spec.kind in SNAPSHOTS else {"date"}
        if spec.kind in (MeasureKind.SUM, MeasureKind.AVERAGE, MeasureKind.COUNT_DISTINCT):
            needed.add("of")
        for key in ("date", "start", "end", "of"):
            given = getattr(spec, key) is not None
            if given and key not in needed:
                self.report((*at, key), f"a {spec.kind} measure has no '{key}'")
            elif not given and key in needed:
                self.report(at, f"a {spec.kind} measure needs '{key}'")
        for key in ("date", "start", "end"):
            name = getattr(spec, key)
            if name is not None and key in needed:
                self.typed(table, Col(name, 1), ColumnType.DATE, (*at, key))
        of: Value | None = None
        if spec.of is not None and "of" in needed:
            of = self.parsed(lambda text: grammar.parse_value(text), spec.of, (*at, "of"))
            if of is not None:
                wanted = None if spec.kind is MeasureKind.COUNT_DISTINCT else ColumnType.NUMBER
                self.value_type(table, of, (*at, "of"), wanted)
        found = self.filter(spec.filter, (*at, "filter"), table) if spec.filter else None
        return MeasureSpec(input_id, spec.table, spec.kind, spec.about, spec.date, of, found, spec.start, spec.end)

    def parsed(self, parse: object, text: str, at: Path_) -> Value | None:
        try:
            return parse(text)  # type: ignore[operator,no-any-return]
        except FormulaError as exc:
            self.formula_problem(at, exc)
            return None

    def formula_problem(self, at: Path_, exc: FormulaError) -> None:
        start = self.doc.scalar_column(at)
        if start is None:
            self.report(at, exc.message)
        else:
            self.problems.append(f"{self.doc.path}:{start[0]}:{start[1] + exc.column - 1}: {exc.message}")

    def filter(self, text: str, at: Path_, table: TableSpec) -> Filter | None:
        try:
            found = grammar.parse_filter(text, self.vocabulary)
        except FormulaError as exc:
            self.formula_problem(at, exc)
            return None
        self.filter_types(table, found, at)
        return found

    def column_type(self, table: TableSpec, col: Col, at: Path_) -> ColumnType | None:
        spec = table.columns.get(col.name)
        if spec is None:
            known = ", ".join(table.columns)
            self.formula_problem(at, FormulaError(f"table '{table.name}' has no column '{col.name}' ({known})", col.at))
            return None
        return spec.type

    def typed(self, table: TableSpec, col: Col, wanted: ColumnType, at: Path_) -> None:
        found = self.column_type(table, col, at)
        if found is not None and found is not wanted:
            self.formula_problem(at, FormulaError(f"'{col.name}' is a {found} column, not a {wanted} one", col.at))

    def value_type(self, table: TableSpec, value: Value, at: Path_, wanted: ColumnType | None) -> ColumnType | None:
        match value:
            case Lit(literal):
                return ColumnType.NUMBER if isinstance(literal, float) else ColumnType.TEXT
            case Days(start, end):
                self.typed(table, start, ColumnType.DATE, at)
                self.typed(table, end, ColumnType.DATE, at)
                found: ColumnType | None = ColumnType.NUMBER
            case Col():
                found = self.column_type(table, value, at)
        if wanted is not None and found is not None and found is not wanted:
            self.formula_problem(at, FormulaError(f"expected a {wanted} value, found a {found} one"))
        return found

    def filter_types(self, table: TableSpec, node: Filter, at: Path_) -> None:
        match node:
            case Cmp(op, left, right):
                kinds = [self.value_type(table, side, at, None) for side in (left, right)]
                if None in kinds:
                    return
                if isinstance(left, Lit) and isinstance(right, Lit):
                    self.formula_problem(at, FormulaError("a comparison needs a column"))
                elif ColumnType.DATE in kinds:
                    if not (isinstance(left, Col | Lit) and isinstance(right, Col | Lit)) or (
                        kinds[0] != kinds[1]
                        and not any(isinstance(s, Lit) and isinstance(s.value, str) for s in (left, right))
                    ):
                        self.formula_problem(at, FormulaError("a date compares with a date or a 'YYYY-MM-DD' text"))
                elif kinds[0] != kinds[1]:
                    self.formula_problem(at, FormulaError(f"cannot compare a {kinds[0]} with a {kinds[1]}"))
                elif kinds[0] is ColumnType.TEXT and op not in ("=", "!="):
                    self.formula_problem(at, FormulaError(f"text compares with = or != only, not {op}"))
            case In(value, items):
                kind = self.value_type(table, value, at, None)
                if kind is ColumnType.DATE:
                    self.formula_problem(at, FormulaError("'in' takes a text or number value, not a date"))
                elif kind is not None and items is not None:
                    textual = kind is ColumnType.TEXT
                    if any(isinstance(item, str) != textual for item in items):
                        self.formula_problem(at, FormulaError(f"the list does not hold {kind} values only"))
            case IsNull(value):
                self.value_type(table, value, at, None)
            case grammar.Bool(_, items):
                for item in items:
                    self.filter_types(table, item, at)
            case grammar.Not(item):
                self.filter_types(table, item, at)
