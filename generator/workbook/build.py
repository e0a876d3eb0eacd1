"""Build a workbook from a catalogue: in memory as bytes, or atomically to a file."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from xlsxwriter.workbook import Workbook

from generator import __version__
from generator.catalog import Catalog
from generator.catalog.selection import selection_properties
from generator.formula.address import cell, quote_sheet
from generator.i18n import Texts
from generator.i18n.formats import default_currency, month_names
from generator.i18n.locales import resolve_locale
from generator.output import check_target, write_atomic
from generator.template.layout import LAYOUT_VERSION, Layout, defined_names, sheet_names
from generator.template.options import check_company, check_currency, check_first_month, check_year
from generator.workbook.cached import cache_values
from generator.workbook.context import BuildOptions, Context
from generator.workbook.sample import prior_sample, read_sample
from generator.workbook.sheet_carried import COLUMNS, FIRST_COL, FIRST_ROW, CarriedRow, write_carried
from generator.workbook.sheet_chart_data import write_chart_data
from generator.workbook.sheet_dashboard import write_dashboard
from generator.workbook.sheet_definitions import write_definitions
from generator.workbook.sheet_inputs import write_inputs
from generator.workbook.sheet_kpis import write_kpis
from generator.workbook.sheet_prior_kpis import write_prior_kpis
from generator.workbook.sheet_scorecard import write_scorecard
from generator.workbook.sheet_settings import write_settings
from generator.workbook.sheet_sources import SourceKpis, write_sources
from generator.workbook.sheet_start import description, write_start
from generator.workbook.styles import Styles
from generator.workbook.widths import fit_columns
from generator.workbook.worksheet import FormulaWorksheet

__all__ = ["LAYOUT_VERSION", "BuildResult", "build_to_file", "build_workbook", "default_file_name", "sheet_names"]


@dataclass(frozen=True)
class BuildResult:
    data: bytes
    options: BuildOptions
    warnings: list[str]
    """Everything to say: each text that fell back to another language, then ``notes``."""
    notes: list[str] = field(default_factory=list)
    """What the build changed and must always say (a shortened company name, a library's warning)."""
    summary: str | None = None
    """One line for the texts that fell back (how many, how to list them), or None."""


Progress = Callable[[str, int, int], None]
"""Told each step of a build as it starts: what, its number, and how many steps there are."""


def _silent(_step: str, _number: int, _total: int) -> None:
    """No one is watching."""


def resolve_options(options: BuildOptions) -> BuildOptions:
    """Check the options by the one set of rules (``generator.template.options``) and fill the locale's
    default currency; an ``OptionError`` (exit 2, or 422 from the server) names the field at fault."""
    check_first_month(options.first_month)
    check_year(options.year)
    currency = check_currency(options.currency) or default_currency(options.locale).upper()
    return replace(options, currency=currency, company=check_company(options.company))


def build_workbook(
    catalog: Catalog,
    options: BuildOptions,
    values: dict[str, list[float | None]] | None = None,
    *,
    targets: Mapping[str, float | None] | None = None,
    tolerances: Mapping[str, float | None] | None = None,
    carried: Sequence[CarriedRow] = (),
    sources: Sequence[SourceKpis] = (),
    prior_values: dict[str, list[float | None]] | None = None,
    progress: Progress | None = None,
    properties: Mapping[str, str] | None = None,
) -> BuildResult:
    """The workbook as .xlsx bytes, built entirely in memory.

    ``values`` (input id -> 12 monthly values) pre-fills the inputs, as regeneration and
    import do; otherwise ``options.sample`` decides between the demo year and empty inputs.
    ``targets`` and ``tolerances`` (KPI id -> value, None for a blank target) replace the
    catalogue's; ``carried`` adds a "Carried over" sheet listing values without a place.
    ``sources`` (consolidation) adds a "Sources" sheet with each source workbook's KPI values.
    ``prior_values`` (input id -> 12 monthly values) pre-fills the prior year's inputs.
    A warning a library raises (XlsxWriter's, say) becomes one of the result's notes, so no
    library path or stack line reaches a user's terminal. ``progress`` is told each step as it
    starts (a large catalogue's build takes seconds to minutes). ``properties`` adds custom
    document properties (a raw import's exact distinct counts) beside the template's identity.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _build(
            catalog,
            options,
            values,
            targets,
            tolerances,
            carried,
            sources,
            prior_values,
            progress or _silent,
            properties or {},
        )
    raised = [" ".join(str(w.message).split()) for w in caught]
    notes = result.notes + [note for note in dict.fromkeys(raised) if note not in result.notes]
    return replace(result, notes=notes, warnings=result.warnings + notes[len(result.notes) :])


def _build(
    catalog: Catalog,
    options: BuildOptions,
    values: dict[str, list[float | None]] | None,
    targets: Mapping[str, float | None] | None,
    tolerances: Mapping[str, float | None] | None,
    carried: Sequence[CarriedRow],
    sources: Sequence[SourceKpis],
    prior_values: dict[str, list[float | None]] | None,
    progress: Progress,
    properties: Mapping[str, str],
) -> BuildResult:
    options = resolve_options(replace(options, locale=resolve_locale(options.locale, catalog.locales).code))
    texts = Texts.for_build(catalog, options.locale, options.currency, options.fallback, options.locales_dir)
    if not options.company:
        options = replace(options, company=texts.gettext("Your company"))
    names = sheet_names(texts)
    layout = Layout.plan(catalog, names)
    renamed: list[str] = []
    sample = None
    if values is None and options.sample:
        values = sample = read_sample(catalog, options.currency, renamed)
    buffer = io.BytesIO()
    workbook = Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    ctx = Context(
        catalog,
        texts,
        options,
        layout,
        workbook,
        Styles(workbook),
        values,
        targets=dict(targets or {}),
        tolerances=dict(tolerances or {}),
        carried=tuple(carried),
        sources=tuple(sources),
        prior_values=prior_values if prior_values is not None or sample is None else prior_sample(catalog, sample),
    )
    if renamed and catalog.sample is not None:
        ctx.notes.append(catalog.renamed_note(f"sample data {catalog.sample.name}", renamed))
    order = ["start", "settings", "inputs", "kpis", "dashboard", "prior_inputs", "prior_kpis"]
    if catalog.scorecard:
        order.append("scorecard")
    if carried:
        order.append("carried")
    if sources:
        order.append("sources")
    order += ["definitions", "chart_data"]
    extra = {"carried": texts.gettext("Carried over"), "sources": texts.gettext("Sources")}
    for role in order:
        title = extra[role] if role in extra else getattr(names, role)
        ctx.sheets[role] = workbook.add_worksheet(title, worksheet_class=FormulaWorksheet)
    for name, target in defined_names(layout).items():
        workbook.define_name(name, "=" + target)
    if carried:
        last = cell(FIRST_ROW + len(carried) - 1, FIRST_COL + COLUMNS - 1, absolute=True)
        workbook.define_name(
            "carried_over",
            "=" + quote_sheet(texts.gettext("Carried over")) + cell(FIRST_ROW, FIRST_COL, absolute=True) + ":" + last,
        )
    writers: dict[str, Callable[[Context], None]] = {
        "chart_data": write_chart_data,
        "start": write_start,
        "settings": write_settings,
        "inputs": write_inputs,
        "kpis": write_kpis,
        "dashboard": write_dashboard,
        "prior_inputs": partial(write_inputs, prior=True),
        "prior_kpis": write_prior_kpis,
        "scorecard": write_scorecard,
        "carried": write_carried,
        "sources": write_sources,
        "definitions": write_definitions,
    }
    steps = ["chart_data", *(role for role in order if role != "chart_data")]
    total = len(steps) + 2
    for number, role in enumerate(steps, 1):
        progress(f"sheet {ctx.sheets[role].name}", number, total)
        writers[role](ctx)
    fit_columns(ctx)
    _properties(ctx, properties)
    progress("computing the cached values", total - 1, total)
    cache_values(workbook)
    progress("compressing", total, total)
    workbook.close()
    return BuildResult(buffer.getvalue(), options, texts.warnings() + ctx.notes, ctx.notes, texts.fallback_summary())


def build_to_file(
    catalog: Catalog,
    options: BuildOptions,
    path: Path,
    *,
    force: bool = False,
    values: dict[str, list[float | None]] | None = None,
    targets: Mapping[str, float | None] | None = None,
    tolerances: Mapping[str, float | None] | None = None,
    carried: Sequence[CarriedRow] = (),
) -> BuildResult:
    """Build, then write atomically; an existing file is kept unless ``force``."""
    check_target(Path(path), force=force)
    result = build_workbook(catalog, options, values, targets=targets, tolerances=tolerances, carried=carried)
    write_atomic(Path(path), result.data, force=force)
    return result


def default_file_name(catalog: Catalog, options: BuildOptions) -> str:
    suffix = "-sample" if options.sample else ""
    return f"{catalog.id}-{options.locale}{suffix}.xlsx"


def _properties(ctx: Context, extra: Mapping[str, str]) -> None:
    """Document properties that let a reader identify the template without guessing, then ``extra``."""
    title = ctx.texts.pick(ctx.catalog.title)
    ctx.workbook.set_properties(
        {
            "title": title,
            "subject": description(ctx) or title,
            "company": ctx.options.company,
            "comments": f"Generated by kpi-template-generator {__version__}",
        }
    )
    for name, value in {
        "catalog_id": ctx.catalog.id,
        "catalog_version": ctx.catalog.version,
        "locale": ctx.options.locale,
        "currency": ctx.options.currency,
        "generator_version": __version__,
        "layout_version": LAYOUT_VERSION,
        "first_month": str(ctx.options.first_month),
        "month_names": ",".join(month_names(ctx.options.locale, "abbreviated")),
        **selection_properties(ctx.catalog),
        **extra,
    }.items():
        ctx.workbook.set_custom_property(name, value)
