"""A user's catalogue that extends a bundled one (``extends: crm``): the base's every part, plus the
file's own inputs and KPIs, with the base's KPIs and inputs changed (``change``) or left out (``drop``).

The result is an ordinary ``Catalog``, checked like any other, so a workbook of an extending
catalogue is built, validated and regenerated with no special case; the ids it shares with its
base keep their meaning, which is what lets ``regenerate --catalog my.yaml`` carry every value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import msgspec

from generator.catalog.catalog import Catalog
from generator.catalog.model import CatalogFile, InputSpec, Kpi, KpiTexts, KpiTextsChange
from generator.catalog.source import Path_
from generator.formula import FormulaError, parse
from generator.formula.expr import refs

Report = Callable[[Path_, str], None]
IMPORT_SAYS = (
    "import cycle or too deep imports at '{}'",
    "imported catalogue '{}' not found",
    "imported catalogue has problems: ",
)
EXTENDS_SAYS = (
    "extends: a cycle, or too deep, at '{}'",
    "extends: catalogue '{}' not found",
    "extends: the base catalogue has problems: ",
)
"""What the loader says of a catalogue it reads for another (an import, a base): cycle, missing, broken."""


def base_spec(spec: str, here: Path) -> Path | str:
    """A file named relative to the extending file when it exists there, else the spec as given
    (a bundled id such as ``crm``, resolved by the caller)."""
    beside = here.parent / spec
    return beside.resolve() if beside.is_file() else spec


def extend(
    catalog: Catalog, base: Catalog, file: CatalogFile, report: Report
) -> tuple[Catalog, list[tuple[Path_, Kpi]]]:
    """Apply ``file``'s changes and drops to ``catalog`` (the base's parts with the file's own added);
    returns it with the changed KPIs and where they were changed, for the loader to check again."""
    kpis = dict(catalog.kpis)
    inputs = dict(catalog.inputs)
    categories = dict(catalog.categories)
    changed: list[tuple[Path_, Kpi]] = []
    for i, change in enumerate(file.change.kpis):
        at: Path_ = ("change", "kpis", i)
        kpi = kpis.get(change.id)
        if kpi is None or change.id not in base.kpis:
            report((*at, "id"), f"'{change.id}' is not a KPI of the base catalogue '{base.id}'")
            continue
        kpi = msgspec.structs.replace(
            kpi,
            target=kpi.target if change.target is None else change.target,
            targets={**kpi.targets, **change.targets},
            tolerance=kpi.tolerance if change.tolerance is None else change.tolerance,
            decimals=kpi.decimals if change.decimals is None else change.decimals,
            texts=_texts(kpi, change.texts, at, report),
        )
        kpis[kpi.id] = kpi
        changed.append((at, kpi))
        if change.headline:
            categories[kpi.category] = msgspec.structs.replace(categories[kpi.category], headline=kpi.id)
    for i, input_change in enumerate(file.change.inputs):
        spec = inputs.get(input_change.id)
        if spec is None or input_change.id not in base.inputs:
            report(("change", "inputs", i, "id"), f"'{input_change.id}' is not an input of the base catalogue")
            continue
        inputs[spec.id] = msgspec.structs.replace(
            spec,
            name={**spec.name, **input_change.name},
            help={**spec.help, **input_change.help},
            min=spec.min if input_change.min is None else input_change.min,
            max=spec.max if input_change.max is None else input_change.max,
        )
    _undeclared(file, report)
    for i, kpi_id in enumerate(file.drop):
        if kpi_id not in base.kpis or any(k.id == kpi_id for k in file.kpis):
            report(("drop", i), f"'{kpi_id}' is not a KPI of the base catalogue '{base.id}'")
        kpis.pop(kpi_id, None)
    if not kpis:
        report(("drop",), "every KPI is dropped; keep or add at least one")
    whole = replace(
        catalog,
        kpis=kpis,
        inputs=inputs,
        categories=categories,
        scorecard=base.scorecard + catalog.scorecard,
        sample=catalog.sample if file.sample else base.sample,
        sample_currency=file.sample_currency if file.sample else base.sample_currency,
    )
    return (_without_dropped(whole, file) if file.drop else whole), changed


def _undeclared(file: CatalogFile, report: Report) -> None:
    """A changed text in a locale the file does not declare would never be shown: say so."""
    where: list[tuple[Path_, list[str]]] = [
        (("change", "kpis", i, "texts"), list(c.texts)) for i, c in enumerate(file.change.kpis)
    ]
    for i, change in enumerate(file.change.inputs):
        where += [
            (("change", "inputs", i, "name"), list(change.name)),
            (("change", "inputs", i, "help"), list(change.help)),
        ]
    for at, codes in where:
        for code in codes:
            if code not in file.locales:
                report((*at, code), f"text in locale '{code}', which is not in locales")


def _texts(kpi: Kpi, changes: dict[str, KpiTextsChange], at: Path_, report: Report) -> dict[str, KpiTexts]:
    """The KPI's texts with the changed fields replaced; a new locale needs all four."""
    texts = dict(kpi.texts)
    for code, change in changes.items():
        fields = {
            name: value for name in ("name", "description", "reading", "formula") if (value := getattr(change, name))
        }
        if code in texts:
            texts[code] = msgspec.structs.replace(texts[code], **fields)
        elif len(fields) == 4:
            texts[code] = KpiTexts(**fields)
        else:
            report((*at, "texts", code), "a new locale needs all four texts (name, description, reading, formula)")
    return texts


def _without_dropped(catalog: Catalog, file: CatalogFile) -> Catalog:
    """The inputs no remaining KPI reads (and the file did not add) leave with the dropped KPIs, with
    the rules over them; scorecard goals lose the dropped KPIs, and empty groups go."""
    needed = {s.id for s in file.inputs}
    for kpi in catalog.kpis.values():
        needed |= _refs(kpi.formula, comparison=False)
    needed &= set(catalog.inputs)
    needed |= {w for i in needed if (w := catalog.inputs[i].weight) in catalog.inputs}
    inputs: dict[str, InputSpec] = {i: s for i, s in catalog.inputs.items() if i in needed}
    rules = {r: rule for r, rule in catalog.rules.items() if _refs(rule.check, comparison=True) <= set(inputs)}
    goals = tuple(
        msgspec.structs.replace(g, kpis=[k for k in g.kpis if k in catalog.kpis])
        for g in catalog.scorecard
        if any(k in catalog.kpis for k in g.kpis)
    )
    used = {k.category for k in catalog.kpis.values()} | {s.category for s in inputs.values()}
    used |= {c.id for c in file.categories}
    perspectives = {k.perspective for k in catalog.kpis.values()} | {g.perspective for g in goals}
    perspectives |= {p.id for p in file.perspectives}
    return replace(
        catalog,
        inputs=inputs,
        left_out=frozenset(catalog.inputs) - frozenset(inputs),
        rules=rules,
        scorecard=goals,
        categories={c: v for c, v in catalog.categories.items() if c in used},
        perspectives={p: v for p, v in catalog.perspectives.items() if p in perspectives},
    )


def _refs(text: str, *, comparison: bool) -> set[str]:
    """The inputs a formula reads; none for one that does not parse (the loader reports it)."""
    try:
        return set(refs(parse(text, comparison=comparison)))
    except FormulaError:
        return set()
