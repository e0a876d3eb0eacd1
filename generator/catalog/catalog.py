"""The resolved catalogue: one file plus what it imports, with lookups the writer and validator share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import msgspec

from generator.catalog.model import (
    Aggregation,
    Better,
    CatalogFile,
    Category,
    Goal,
    InputSpec,
    Kpi,
    Perspective,
    Rule,
    Unit,
)
from generator.formula import parse
from generator.formula.expr import Compare, Expr, never_negative, refs, time_degree

DEFAULT_TOLERANCE = 0.1
T = TypeVar("T")


def in_locale(texts: Mapping[str, T], *codes: str | None) -> T | None:
    """The first of the catalogue's texts found for these locale codes, in order; a regional code
    (pt_BR) falls back to its language (pt). None when no code has a text."""
    for code in codes:
        if code:
            for candidate in (code, code.split("_")[0]):
                if candidate in texts:
                    return texts[candidate]
    return None


@dataclass(frozen=True, eq=False)
class Catalog:
    id: str
    version: str
    default_locale: str
    locales: tuple[str, ...]
    title: dict[str, str]
    description: dict[str, str]
    source: Path
    sample: Path | None
    perspectives: dict[str, Perspective]
    categories: dict[str, Category]
    inputs: dict[str, InputSpec]
    rules: dict[str, Rule]
    kpis: dict[str, Kpi]
    scorecard: tuple[Goal, ...] = field(default=())
    missing_texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per declared locale (never the default one), each text it lacks as ``file:line:col: where``:
    warnings for ``catalog check``, a refusal for a build in that locale without ``--fallback``."""
    shortened: tuple[str, ...] = ()
    """Texts a workbook shows cut (``file:line:col: where: message``): warnings for ``catalog check``."""
    sample_currency: str = "USD"
    left_out: frozenset[str] = frozenset()
    """Inputs of the base an extending catalogue dropped with its KPIs (``drop:``): the sample it
    inherits still has their rows, unused on purpose."""
    selection: tuple[str, ...] = ()
    """The KPI ids a user chose (``build --kpis``/``--categories``), recorded in the workbook; empty
    for the whole catalogue."""
    whole_kpis: int = 0
    """With a selection: how many KPIs the whole catalogue has (the workbook says "2 of 26")."""

    @classmethod
    def assemble(cls, file: CatalogFile, imported: Iterable[Catalog], source: Path) -> Catalog:
        """Merge a file with the parts it imports; the loader checks the result afterwards."""
        perspectives: dict[str, Perspective] = {}
        categories: dict[str, Category] = {}
        inputs: dict[str, InputSpec] = {}
        rules: dict[str, Rule] = {}
        kpis: dict[str, Kpi] = {}
        for part in imported:
            perspectives.update(part.perspectives)
            categories.update(part.categories)
            inputs.update(part.inputs)
            rules.update(part.rules)
            kpis.update(part.kpis)
        perspectives.update((p.id, p) for p in file.perspectives)
        categories.update((c.id, c) for c in file.categories)
        inputs.update((s.id, s) for s in file.inputs)
        rules.update((r.id, r) for r in file.rules)
        kpis.update((k.id, k) for k in file.kpis)
        return cls(
            id=file.id,
            version=file.version,
            default_locale=file.default_locale,
            locales=tuple(file.locales),
            title=file.title,
            description=file.description,
            source=source,
            sample=(source.parent / file.sample) if file.sample else None,
            perspectives=perspectives,
            categories=categories,
            inputs=inputs,
            rules=rules,
            kpis=dict(sorted(kpis.items(), key=lambda item: item[1].number)),
            scorecard=tuple(file.scorecard),
            sample_currency=file.sample_currency,
        )

    def subset(self, kpi_ids: Iterable[str], input_ids: Iterable[str] = (), rule_ids: Iterable[str] = ()) -> Catalog:
        """These KPIs with the inputs they read (and ``input_ids``), their groups, and the rules over
        those inputs (and ``rule_ids`` with the inputs they check)."""
        kpis = {k: self.kpis[k] for k in self.kpis if k in set(kpi_ids)}
        wanted_rules = {r for r in rule_ids if r in self.rules}
        needed = {name for k in kpis for name in refs(self.formulas[k])} | set(input_ids)
        needed |= {name for r in wanted_rules for name in refs(self.rule_checks[r])}
        inputs = {
            i: spec if spec.weight in needed or spec.weight is None else msgspec.structs.replace(spec, weight=None)
            for i, spec in self.inputs.items()
            if i in needed
        }
        rules = {r: rule for r, rule in self.rules.items() if set(refs(self.rule_checks[r])) <= needed}
        used_categories = {k.category for k in kpis.values()} | {s.category for s in inputs.values()}
        return Catalog(
            id=self.id,
            version=self.version,
            default_locale=self.default_locale,
            locales=self.locales,
            title=self.title,
            description=self.description,
            source=self.source,
            sample=self.sample,
            sample_currency=self.sample_currency,
            perspectives={p: v for p, v in self.perspectives.items() if p in {k.perspective for k in kpis.values()}},
            categories={c: v for c, v in self.categories.items() if c in used_categories},
            inputs=inputs,
            rules=rules,
            kpis=kpis,
        )

    @cached_property
    def renamed(self) -> dict[str, str]:
        """An input id of an earlier catalogue version -> the input that ``replaces`` it now, so
        sample data, mapping files and column headers written for that version still find it."""
        return {
            old: input_id for input_id, spec in self.inputs.items() for old in spec.replaces if old not in self.inputs
        }

    def renamed_note(self, where: str, old_ids: Iterable[str]) -> str:
        """The one line that says which old ids were read as their new inputs."""
        pairs = ", ".join(f"{old} as {self.renamed[old]}" for old in dict.fromkeys(old_ids))
        return f"{where}: read {pairs} (renamed in catalogue {self.id} {self.version}; 'replaces' in the catalogue)"

    @cached_property
    def formulas(self) -> dict[str, Expr]:
        """Each KPI's formula, parsed once."""
        return {k: parse(kpi.formula) for k, kpi in self.kpis.items()}

    @cached_property
    def rule_checks(self) -> dict[str, Compare]:
        checks: dict[str, Compare] = {}
        for r, rule in self.rules.items():
            expr = parse(rule.check, comparison=True)
            assert isinstance(expr, Compare)
            checks[r] = expr
        return checks

    @cached_property
    def time_degree(self) -> dict[str, int | None]:
        """Per KPI: 1 when a quarter's or year's target is the monthly target times its months with
        data (counts, churn), 0 when the monthly target holds as it is (ratios, averages), None when
        no monthly target can judge a longer period (retention)."""
        flows = {i: spec.aggregation is Aggregation.FLOW for i, spec in self.inputs.items()}
        return {k: time_degree(expr, flows) for k, expr in self.formulas.items()}

    @cached_property
    def never_negative(self) -> dict[str, bool]:
        """Per KPI: True when no inputs within their bounds can make it negative (a chart may start at 0)."""
        floors = {i: spec.min is not None and spec.min >= 0 for i, spec in self.inputs.items()}
        return {k: never_negative(expr, floors) for k, expr in self.formulas.items()}

    def points(self, kpi_id: str) -> bool:
        """Whether a KPI's tolerance is in points of its own scale rather than a fraction of the target."""
        return self.kpis[kpi_id].tolerance_unit == "points"

    def tolerance(self, kpi: Kpi) -> float | None:
        if kpi.better is Better.INFO:
            return None
        return DEFAULT_TOLERANCE if kpi.tolerance is None else kpi.tolerance

    def target(self, kpi: Kpi, currency: str) -> float | None:
        """The KPI's default monthly target in this currency: a money KPI's comes from its
        per-currency ``targets`` (None for a currency not listed), any other KPI's from ``target``."""
        if kpi.unit is Unit.CURRENCY:
            return kpi.targets.get(currency)
        return kpi.target

    def kpis_in(self, category: str) -> list[Kpi]:
        return [k for k in self.kpis.values() if k.category == category]

    def inputs_in(self, category: str) -> list[InputSpec]:
        return [s for s in self.inputs.values() if s.category == category]

    def headline(self, category: str) -> Kpi | None:
        """The KPI the dashboard charts for a category."""
        chosen = self.categories[category].headline
        if chosen is not None and chosen in self.kpis:
            return self.kpis[chosen]
        candidates = [k for k in self.kpis_in(category) if k.better is not Better.INFO] or self.kpis_in(category)
        return candidates[0] if candidates else None
