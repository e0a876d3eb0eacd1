"""A user's own selection of KPIs: the catalogue cut down before any layout is planned.

``select`` is applied to a loaded catalogue, so the layout, the dashboard, the scorecard, the
charts and the definitions only ever see the chosen KPIs and the inputs they read. The workbook
records the chosen ids (the ``kpis`` document property), and ``validate``, ``export`` and
``regenerate`` cut the catalogue the same way before reading the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import msgspec

from generator.catalog.catalog import Catalog
from generator.catalog.model import Goal
from generator.errors import UserError

PROPERTY = "kpis"
"""The document property that records a workbook's selection (comma-separated KPI ids); a long
selection continues in ``kpis_2``, ``kpis_3``… as Excel keeps at most 255 characters of one."""
PROPERTY_LIMIT = 255


def selection_properties(catalog: Catalog) -> dict[str, str]:
    """The document properties that record ``catalog.selection`` (none for a whole catalogue)."""
    chunks: list[str] = []
    for kpi_id in catalog.selection:
        if chunks and len(chunks[-1]) + 1 + len(kpi_id) <= PROPERTY_LIMIT:
            chunks[-1] += "," + kpi_id
        else:
            chunks.append(kpi_id)
    return {PROPERTY if i == 0 else f"{PROPERTY}_{i + 1}": chunk for i, chunk in enumerate(chunks)}


def recorded_selection(properties: dict[str, str]) -> str | None:
    """The recorded selection as one comma-separated text, or None for a whole-catalogue workbook."""
    parts = []
    for i in range(1, 100):
        part = properties.get(PROPERTY if i == 1 else f"{PROPERTY}_{i}")
        if part is None:
            break
        parts.append(part)
    return ",".join(parts) or None


def parse_ids(text: str | None) -> list[str]:
    """``"a, b,,c"`` as ``["a", "b", "c"]``; None or blank as []."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def resolve_kpi(catalog: Catalog, kpi_id: str) -> str | None:
    """The catalogue's id for ``kpi_id``: itself, or the KPI whose ``replaces`` lists it."""
    if kpi_id in catalog.kpis:
        return kpi_id
    return next((k for k, kpi in catalog.kpis.items() if kpi_id in kpi.replaces), None)


def chosen_kpis(catalog: Catalog, kpis: Sequence[str] = (), categories: Sequence[str] = ()) -> list[str]:
    """The catalogue's KPI ids named by ``kpis`` (renamed ids followed) or in ``categories``, in
    catalogue order; UserError (exit 2) naming the known ids for any id the catalogue lacks."""
    unknown = [k for k in kpis if resolve_kpi(catalog, k) is None]
    if unknown:
        raise UserError(
            f"--kpis: unknown KPI {', '.join(repr(k) for k in unknown)} in catalogue '{catalog.id}'; "
            f"known: {', '.join(catalog.kpis)}"
        )
    missing = [c for c in categories if c not in catalog.categories]
    if missing:
        raise UserError(
            f"--categories: unknown category {', '.join(repr(c) for c in missing)} in catalogue '{catalog.id}'; "
            f"known: {', '.join(catalog.categories)}"
        )
    wanted = {resolve_kpi(catalog, k) for k in kpis} | {
        k for k, kpi in catalog.kpis.items() if kpi.category in categories
    }
    return [k for k in catalog.kpis if k in wanted]


def select(catalog: Catalog, kpis: Sequence[str] = (), categories: Sequence[str] = ()) -> Catalog:
    """The catalogue cut to the chosen KPIs with exactly the inputs they read; unchanged when nothing
    is chosen or everything is."""
    if not kpis and not categories:
        return catalog
    ids = chosen_kpis(catalog, kpis, categories)
    return restrict(catalog, ids)


def restrict(catalog: Catalog, ids: Iterable[str]) -> Catalog:
    """The catalogue with only these (known) KPIs, their inputs, the rules over them, and the
    scorecard goals measured by them; records the selection for the workbook's properties."""
    chosen = [k for k in catalog.kpis if k in set(ids)]
    if len(chosen) == len(catalog.kpis):
        return catalog
    if not chosen:
        raise UserError(f"no KPI of catalogue '{catalog.id}' is selected; name at least one (--kpis or --categories)")
    cut = catalog.subset(chosen)
    goals = tuple(g for g in (_goal(goal, set(chosen)) for goal in catalog.scorecard) if g is not None)
    return replace(
        cut,
        scorecard=goals,
        selection=tuple(chosen),
        whole_kpis=catalog.whole_kpis or len(catalog.kpis),
        missing_texts=catalog.missing_texts,
        shortened=catalog.shortened,
    )


def apply_recorded(catalog: Catalog, recorded: str | None) -> Catalog:
    """The catalogue cut to a workbook's recorded selection; ids the catalogue no longer has (or
    under another name) are followed or left out, so a newer catalogue still reads the file."""
    ids = parse_ids(recorded)
    if not ids:
        return catalog
    found = [k for k in (resolve_kpi(catalog, i) for i in ids) if k is not None]
    return restrict(catalog, found) if found else catalog


def _goal(goal: Goal, chosen: set[str]) -> Goal | None:
    """A scorecard goal measured only by the chosen KPIs; None when it has none left."""
    kept = [k for k in goal.kpis if k in chosen]
    return msgspec.structs.replace(goal, kpis=kept) if kept else None
