"""Load a catalogue file, resolve its imports and check it, reporting every problem with its line.

``load_catalog`` is the only way code gets a ``Catalog``: what it returns has been checked
(ids unique, formulas parsed, every reference known, every text in every declared locale),
so the writer and the validator never meet a half-valid catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import msgspec
from babel.numbers import is_currency

from generator.catalog.bundled import resolve_catalog
from generator.catalog.catalog import Catalog
from generator.catalog.extend import EXTENDS_SAYS, IMPORT_SAYS, base_spec, extend
from generator.catalog.limits import (
    MAX_KPIS,
    check_text_lengths,
    constant_problems,
    kpi_count_problem,
    number_problems,
    shortened_texts,
    typed_number_problems,
)
from generator.catalog.model import Aggregation, CatalogFile, Kpi, Rule
from generator.catalog.source import Path_, SourceDocument, SourceError, dotted, read_source, split_msgspec

__all__ = ["load_catalog", "split_msgspec"]  # split_msgspec: also used by the raw-report profiles
from generator.errors import CatalogError, UnreadableCatalog, UserError
from generator.formula import FormulaError, parse
from generator.formula.expr import Compare, Expr, refs, time_degree

_MAX_IMPORT_DEPTH = 5
CELL_LIMIT = 32_767
"""Excel's limit on the characters of one cell: a longer catalogue text would be cut without a word."""


def load_catalog(path: Path | str) -> Catalog:
    """The checked catalogue at ``path``; raises CatalogError listing every problem."""
    return _Loader().load(Path(path), depth=0)


def load_with_file(path: Path) -> tuple[Catalog, CatalogFile]:
    """``load_catalog`` and the decoded top file, which ``parsed`` remembers between runs."""
    loader = _Loader()
    document, file = loader._decode(path)
    catalog = loader._resolve(document, file, 0)
    if loader.problems:
        raise CatalogError(loader.problems)
    return catalog, file


class _Loader:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self._stack: list[Path] = []

    def load(self, path: Path, depth: int) -> Catalog:
        document, file = self._decode(path)
        catalog = self._resolve(document, file, depth)
        if self.problems:
            raise CatalogError(self.problems)
        return catalog

    def _decode(self, path: Path) -> tuple[SourceDocument, CatalogFile]:
        try:
            document = read_source(path)
        except SourceError as exc:
            raise (UnreadableCatalog if exc.unreadable else CatalogError)([exc.message]) from None
        for where, position in document.duplicates:
            self.problems.append(f"{document.path}:{position.line}:{position.column}: duplicate key '{where[-1]}'")
        numbers = [f"{document.where(at)}: {dotted(at)}: {message}" for at, message in number_problems(document.data)]
        if numbers:
            raise CatalogError([*self.problems, *numbers])
        try:
            file = msgspec.convert(document.data, CatalogFile, strict=False)
        except msgspec.ValidationError as exc:
            message, at = split_msgspec(str(exc))
            raise CatalogError([*self.problems, f"{document.where(at)}: {dotted(at)}: {message}"]) from None
        numbers = [f"{document.where(at)}: {dotted(at)}: {message}" for at, message in typed_number_problems(file)]
        if numbers:
            raise CatalogError([*self.problems, *numbers])
        return document, file

    def _resolve(self, doc: SourceDocument, file: CatalogFile, depth: int) -> Catalog:
        report = _Reporter(doc, self.problems)
        imported = [self._import(doc, file, i, depth) for i in range(len(file.imports))]
        base = self._base(doc, file, depth) if file.extends is not None else None
        parts = [c for c in [base, *imported] if c is not None]
        catalog = Catalog.assemble(file, parts, doc.path)
        too_many = kpi_count_problem(len(catalog.kpis))
        if too_many is not None:  # before the checks, whose work grows with the KPIs
            report(("kpis", min(MAX_KPIS, len(file.kpis) - 1)) if file.kpis else ("kpis",), too_many)
            raise CatalogError(self.problems)
        if base is not None:
            catalog, changed = extend(catalog, base, file, report)
            for at, kpi in changed:
                _check_kpi(catalog, kpi, at, report)
        _check(catalog, file, report)
        check_text_lengths(file, doc.data, report)
        missing = {code: tuple(found) for code, found in report.missing.items() if found}
        shortened = tuple(f"{doc.where(at)}: {dotted(at)}: {message}" for at, message in shortened_texts(file))
        return replace(catalog, missing_texts=missing, shortened=shortened) if missing or shortened else catalog

    def _base(self, doc: SourceDocument, file: CatalogFile, depth: int) -> Catalog | None:
        """The catalogue ``extends`` names: a bundled id, or a file beside this one."""
        assert file.extends is not None
        where = doc.where(("extends",))
        try:
            target = Path(resolve_catalog(base_spec(file.extends, doc.path))).resolve()
        except UserError as exc:
            self.problems.append(f"{where}: extends: {exc.message.removeprefix('--catalog ')}")
            return None
        return self._nested(doc, target, depth, where, file.extends, EXTENDS_SAYS)

    def _nested(
        self, doc: SourceDocument, target: Path, depth: int, where: str, spec: str, says: tuple[str, str, str]
    ) -> Catalog | None:
        """Load a catalogue this one reads (an import or its base), refusing cycles and deep chains."""
        if depth >= _MAX_IMPORT_DEPTH or target in self._stack or target == doc.path.resolve():
            self.problems.append(f"{where}: {says[0].format(spec)}")
            return None
        if not target.is_file():
            self.problems.append(f"{where}: {says[1].format(spec)}")
            return None
        nested = _Loader()
        nested._stack = [*self._stack, doc.path.resolve()]
        try:
            return nested.load(target, depth + 1)
        except CatalogError as exc:
            self.problems.append(f"{where}: {says[2]}{exc.problems[0]}")
            return None

    def _import(self, doc: SourceDocument, file: CatalogFile, index: int, depth: int) -> Catalog | None:
        spec = file.imports[index]
        where = doc.where(("imports", index, "catalog"))
        source = self._nested(doc, (doc.path.parent / spec.catalog).resolve(), depth, where, spec.catalog, IMPORT_SAYS)
        if source is None:
            return None
        for section, known in (("kpis", source.kpis), ("inputs", source.inputs), ("rules", source.rules)):
            for j, item in enumerate(getattr(spec, section)):
                if item not in known:
                    at = doc.where(("imports", index, section, j))
                    what = {"kpis": "KPI", "inputs": "input", "rules": "rule"}[section]
                    self.problems.append(f"{at}: '{spec.catalog}' has no {what} '{item}'{_suggest(item, dict(known))}")
        return source.subset(spec.kpis, spec.inputs, spec.rules)


class _Reporter:
    def __init__(self, doc: SourceDocument, problems: list[str]) -> None:
        self.doc = doc
        self.problems = problems
        self.missing: dict[str, list[str]] = {}

    def __call__(self, at: Path_, message: str) -> None:
        self.problems.append(f"{self.doc.where(at)}: {dotted(at)}: {message}")

    def missing_text(self, at: Path_, code: str, default_locale: str, message: str = "") -> None:
        """A text missing in a declared locale: a problem in the default locale (nothing to fall back
        on), else a warning kept per locale, so an unfinished translation still loads."""
        message = message or f"missing the '{code}' text"
        if code == default_locale:
            self(at, message)
        else:
            self.missing.setdefault(code, []).append(f"{self.doc.where(at)}: {dotted(at)}: {message}")

    def formula(self, at: Path_, error: FormulaError) -> None:
        start = self.doc.scalar_column(at)
        if start is None:
            self(at, error.message)
            return
        line, column = start
        self.problems.append(f"{self.doc.path}:{line}:{column + error.column - 1}: {dotted(at)}: {error.message}")


def _check(catalog: Catalog, file: CatalogFile, report: _Reporter) -> None:
    locales = file.locales
    if file.default_locale not in locales:
        report(("default_locale",), f"'{file.default_locale}' is not in locales {locales}")
    if len(set(locales)) != len(locales):
        report(("locales",), "a locale is listed twice")
    if not is_currency(file.sample_currency):
        report(("sample_currency",), f"unknown currency '{file.sample_currency}'")
    _check_texts(file, report)
    _check_imported_texts(file, catalog, report)
    _check_unique(file, catalog, report)
    for i, category in enumerate(file.categories):
        if category.headline is not None:
            kpi = catalog.kpis.get(category.headline)
            if kpi is None or kpi.category != category.id:
                report(("categories", i, "headline"), f"'{category.headline}' is not a KPI of this category")
    for i, spec in enumerate(file.inputs):
        if spec.category not in catalog.categories:
            report(("inputs", i, "category"), f"unknown category '{spec.category}'")
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            report(("inputs", i, "max"), f"max {spec.max} is below min {spec.min}")
        if spec.weight is not None:
            weight = catalog.inputs.get(spec.weight)
            if spec.aggregation is not Aggregation.LEVEL:
                report(("inputs", i, "weight"), "only a level input (an average or rate) has a weight")
            elif weight is None or spec.weight == spec.id:
                report(
                    ("inputs", i, "weight"),
                    f"'{spec.weight}' is not another input{_suggest(spec.weight, catalog.inputs)}",
                )
            elif weight.aggregation is Aggregation.LEVEL:
                report(("inputs", i, "weight"), f"'{spec.weight}' is a level; a weight must be a count or amount")
    for i, kpi in enumerate(file.kpis):
        _check_kpi(catalog, kpi, ("kpis", i), report)
    for i, rule in enumerate(file.rules):
        _check_rule(catalog, rule, ("rules", i), report)
    _check_replaces(file, catalog, report)
    for i, goal in enumerate(file.scorecard):
        if goal.perspective not in catalog.perspectives:
            report(("scorecard", i, "perspective"), f"unknown perspective '{goal.perspective}'")
        for j, kpi_id in enumerate(goal.kpis):
            if kpi_id not in catalog.kpis:
                report(("scorecard", i, "kpis", j), f"unknown KPI '{kpi_id}'")


def _check_replaces(file: CatalogFile, catalog: Catalog, report: _Reporter) -> None:
    """An old id maps to one new input (or KPI) and is not also a current id: regeneration must not guess."""
    for section, current in (("inputs", catalog.inputs), ("kpis", catalog.kpis)):
        claimed: dict[str, str] = {}
        for owner in current.values():
            for old in owner.replaces:
                claimed.setdefault(old, owner.id)
        for i, item in enumerate(getattr(file, section)):
            for j, old in enumerate(item.replaces):
                at: Path_ = (section, i, "replaces", j)
                if old in current:
                    report(at, f"'{old}' is still an id of this catalogue; an id cannot replace a current one")
                elif claimed[old] != item.id:
                    report(at, f"'{old}' is already replaced by '{claimed[old]}'")


def _check_kpi(catalog: Catalog, kpi: Kpi, at: Path_, report: _Reporter) -> None:
    if kpi.category not in catalog.categories:
        report((*at, "category"), f"unknown category '{kpi.category}'")
    if kpi.perspective not in catalog.perspectives:
        report((*at, "perspective"), f"unknown perspective '{kpi.perspective}'")
    expr = _parse(kpi.formula, (*at, "formula"), report, comparison=False)
    if expr is not None:
        for problem in constant_problems(expr):
            report((*at, "formula"), problem)
        for name in refs(expr):
            if name not in catalog.inputs:
                report((*at, "formula"), f"unknown input '{name}'{_suggest(name, catalog.inputs)}")
    if kpi.better.value == "info" and (kpi.target is not None or kpi.tolerance is not None):
        report((*at, "target"), "an informational KPI (better: info) takes no target or tolerance")
    if kpi.unit.value == "currency" and kpi.target is not None:
        message = (
            "a money KPI's target depends on the currency: give it per currency, as targets: {USD: ...} "
            "('kpigen catalog migrate FILE' rewrites it so)"
        )
        report((*at, "target"), message)
    if kpi.targets and kpi.unit.value != "currency":
        report((*at, "targets"), "targets per currency are for money KPIs (unit: currency); use target")
    if kpi.targets and kpi.better.value == "info":
        report((*at, "targets"), "an informational KPI (better: info) takes no target or tolerance")
    for code in kpi.targets:
        if not is_currency(code):
            report((*at, "targets", code), f"unknown currency '{code}'")
    flows = {i: spec.aggregation is Aggregation.FLOW for i, spec in catalog.inputs.items()}
    if kpi.tolerance_unit == "points" and kpi.better.value != "info":
        if kpi.tolerance is None:
            report((*at, "tolerance"), "a tolerance in points needs its value: there is no default number of points")
        elif expr is not None and time_degree(expr, flows) == 1:
            report(
                (*at, "tolerance_unit"),
                "a tolerance in points cannot judge quarters and years against a target scaled by their months; "
                "use a percentage",
            )
    if kpi.range is not None and kpi.range[0] >= kpi.range[1]:
        report((*at, "range"), "range must be [low, high] with low < high")


def _check_rule(catalog: Catalog, rule: Rule, at: Path_, report: _Reporter) -> None:
    expr = _parse(rule.check, (*at, "check"), report, comparison=True)
    if isinstance(expr, Compare):
        for problem in [*constant_problems(expr.left), *constant_problems(expr.right)]:
            report((*at, "check"), problem)
    if expr is not None:
        for name in refs(expr):
            if name not in catalog.inputs:
                report((*at, "check"), f"unknown input '{name}'{_suggest(name, catalog.inputs)}")


def _parse(text: str, at: Path_, report: _Reporter, *, comparison: bool) -> Expr | None:
    try:
        expr = parse(text, comparison=comparison)
    except FormulaError as exc:
        report.formula(at, exc)
        return None
    assert comparison == isinstance(expr, Compare)
    return expr


def _check_texts(file: CatalogFile, report: _Reporter) -> None:
    """Every text in every declared locale, and no text in an undeclared one."""
    locales = set(file.locales)

    def need(at: Path_, text: Mapping[str, object], optional: bool = False) -> None:
        if optional and not text:
            return
        for code in sorted(locales - text.keys()):
            report.missing_text(at, code, file.default_locale)
        for code in sorted(text.keys() - locales):
            report((*at, code), f"text in locale '{code}', which is not in locales")
        for code, value in text.items():
            if isinstance(value, str) and not value.strip():
                report((*at, code), "text is empty")
            elif isinstance(value, str) and len(value) > CELL_LIMIT:
                report((*at, code), f"text has {len(value)} characters; an Excel cell holds at most {CELL_LIMIT}")

    need(("title",), file.title)
    need(("description",), file.description, optional=True)
    for section in ("perspectives", "categories"):
        for i, item in enumerate(getattr(file, section)):
            need((section, i, "name"), item.name)
            need((section, i, "description"), item.description, optional=True)
    for i, spec in enumerate(file.inputs):
        need(("inputs", i, "name"), spec.name)
        need(("inputs", i, "help"), spec.help)
    for i, rule in enumerate(file.rules):
        need(("rules", i, "message"), rule.message)
    for i, kpi in enumerate(file.kpis):
        need(("kpis", i, "texts"), dict(kpi.texts))
        for code, texts in kpi.texts.items():
            for field in ("name", "description", "reading", "formula"):
                value = getattr(texts, field)
                if not value.strip():
                    report(("kpis", i, "texts", code, field), "text is empty")
                elif len(value) > CELL_LIMIT:
                    report(
                        ("kpis", i, "texts", code, field),
                        f"text has {len(value)} characters; an Excel cell holds at most {CELL_LIMIT}",
                    )
            if texts.name.startswith("="):
                # a chart title or series name starting with = is read by Excel as a cell reference
                report(("kpis", i, "texts", code, "name"), "a KPI name must not start with '='")
    for i, goal in enumerate(file.scorecard):
        for field in ("goal", "data_source", "owner"):
            need(("scorecard", i, field), getattr(goal, field))


def _check_imported_texts(file: CatalogFile, catalog: Catalog, report: _Reporter) -> None:
    own = {k.id for k in file.kpis} | {s.id for s in file.inputs}
    for item_id, texts in [(k.id, k.texts) for k in catalog.kpis.values()] + [
        (s.id, s.name) for s in catalog.inputs.values()
    ]:
        if item_id not in own:
            for code in sorted(set(file.locales) - texts.keys()):
                report.missing_text(
                    ("imports",), code, file.default_locale, f"imported '{item_id}' has no '{code}' text"
                )


def _check_unique(file: CatalogFile, catalog: Catalog, report: _Reporter) -> None:
    imported_inputs = set(catalog.inputs) - {s.id for s in file.inputs}
    imported_kpis = set(catalog.kpis) - {k.id for k in file.kpis}
    for section, taken in (
        ("perspectives", set()),
        ("categories", set()),
        ("inputs", imported_inputs),
        ("rules", set()),
        ("kpis", imported_kpis),
        ("scorecard", set()),
    ):
        seen: set[str] = set()
        for i, item in enumerate(getattr(file, section)):
            if item.id in seen:
                report((section, i, "id"), f"duplicate id '{item.id}'")
            elif item.id in taken:
                report((section, i, "id"), f"id '{item.id}' is already imported")
            seen.add(item.id)
    numbers: dict[int, str] = {}
    for kpi in catalog.kpis.values():
        if kpi.number in numbers:
            index = next((i for i, k in enumerate(file.kpis) if k.id == kpi.id), None)
            at: Path_ = ("kpis", index, "number") if index is not None else ("imports",)
            report(at, f"number {kpi.number} is also used by '{numbers[kpi.number]}'")
        numbers[kpi.number] = kpi.id


def _suggest(name: str, known: Mapping[str, object]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
