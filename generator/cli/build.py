"""`kpigen build`: one workbook per locale from a catalogue."""

from __future__ import annotations

import datetime as _dt
import gc
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from generator.cli.options import MonthNumber
from generator.cli.run import user_errors
from generator.paths import DEFAULT_CATALOG


@click.command()
@click.option(
    "--catalog",
    "catalog_spec",
    default=DEFAULT_CATALOG,
    show_default=True,
    metavar="ID|FILE",
    help="A bundled catalogue (see 'kpigen catalog list') or a catalogue file (YAML or JSON).",
)
@click.option(
    "--locale",
    default="en",
    show_default=True,
    help="Language of the workbook, as people write it (tr, tr-TR, tr_TR.UTF-8, en-GB: a region sets "
    "currency and number formats), or 'all' for every locale the catalogue carries.",
)
@click.option(
    "--out",
    "out",
    default="output/",
    show_default=True,
    help="A file name ending in .xlsx (one locale), or a folder that receives default names "
    "(an existing one, or a name ending in /).",
)
@click.option(
    "--kpis",
    "kpi_ids",
    default="",
    metavar="ID,ID…",
    help="Only these KPIs (ids as in the catalogue file) and exactly the inputs they read. [default: all]",
)
@click.option(
    "--categories",
    "category_ids",
    default="",
    metavar="ID,…",
    help="Only the KPIs of these categories (added to --kpis). [default: all]",
)
@click.option("--sample", is_flag=True, help="Fill a demo year so the dashboard shows something on first open.")
@click.option("--company", default="", help="Company name shown on every sheet (at most 100 characters).")
@click.option("--year", type=int, default=None, help="Fiscal year (the year of its first month). [default: this year]")
@click.option(
    "--first-month",
    type=MonthNumber(),
    default=1,
    show_default=True,
    help="First month of the fiscal year, 1-12.",
)
@click.option("--currency", default="", help="ISO 4217 code for money. [default: the locale's currency]")
@click.option(
    "--fallback",
    default=None,
    metavar="LOCALE",
    help="Use this locale's text where the chosen locale lacks one; one line says how many.",
)
@click.option("--list-missing", is_flag=True, help="With --fallback: list each text that fell back.")
@click.option("--force", is_flag=True, help="Replace an existing output file (keeping its permissions).")
@click.option(
    "--batch",
    "batch_list",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    metavar="LIST.csv",
    help="Build one workbook per row of this CSV (company, locale, currency, year, first_month, kpis, "
    "categories, file) into the --out folder; a missing column or blank cell takes the option's value.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for --batch. [default: one per core]",
)
def build(
    catalog_spec: str,
    locale: str,
    out: str,
    kpi_ids: str,
    category_ids: str,
    sample: bool,
    company: str,
    year: int | None,
    first_month: int,
    currency: str,
    fallback: str | None,
    list_missing: bool,
    force: bool,
    batch_list: Path | None,
    jobs: int | None,
) -> None:
    """Build workbook(s) from a catalogue, or a batch of them from a list (--batch).

    Every locale is built and checked in memory before anything is written, so --locale all
    either writes every workbook or none. Exit status: 0 written, 1 the catalogue or a
    translation has problems, 2 a bad option, 3 an input file cannot be read, 4 an output
    cannot be written (exists without --force, disk full, permission).
    """
    from generator.catalog import load_catalog
    from generator.catalog.bundled import resolve_catalog
    from generator.catalog.selection import parse_ids, restrict
    from generator.i18n.answers import kept_answers
    from generator.output import check_target, plan_output, write_atomic
    from generator.template.options import check_selection
    from generator.workbook.build import build_workbook, default_file_name
    from generator.workbook.context import BuildOptions
    from generator.workbook.splits import kept_splits

    defaults = BuildOptions(
        locale=locale,
        company=company,
        year=year or _dt.date.today().year,
        first_month=first_month,
        currency=currency,
        sample=sample,
        fallback=fallback,
    )
    kpis, categories = parse_ids(kpi_ids), parse_ids(category_ids)
    if batch_list is not None:
        gc.enable()  # a long run of builds: see generator.cli.UNCOLLECTED
        from generator.cli.batch import run_batch_command

        with user_errors():
            catalog_path = resolve_catalog(catalog_spec)
            folder = plan_output(out, several=True, folder=True).folder
        assert folder is not None
        run_batch_command(
            catalog_path, batch_list, folder, defaults, force=force, jobs=jobs, kpis=kpis, categories=categories
        )
        return
    with user_errors(), kept_answers():
        catalog_path = resolve_catalog(catalog_spec)
        catalog = load_catalog(catalog_path)
        if kpis or categories:
            catalog = restrict(catalog, check_selection(catalog, kpis or None, categories or None) or catalog.kpis)
        locales = list(catalog.locales) if locale == "all" else [locale]
        plan = plan_output(out, several=len(locales) > 1)
        if plan.file is not None:
            check_target(plan.file, force=force)
        results = []
        with kept_splits(catalog_path):
            for code in locales:
                progress = _progress(code) if len(catalog.kpis) > PROGRESS_KPIS else None
                result = build_workbook(catalog, replace(defaults, locale=code), progress=progress)
                target = plan.target(default_file_name(catalog, result.options))
                check_target(target, force=force)
                results.append((result, target))
        for result, target in results:
            write_atomic(target, result.data, force=force)
            for warning in result.warnings if list_missing else result.notes:
                click.echo(f"warning: {target}: {warning}", err=True)
            if result.summary is not None and not list_missing:
                click.echo(f"warning: {target}: {result.summary}", err=True)
            click.echo(
                f"wrote {target} ({len(result.data) // 1024} KiB, {result.options.locale}, {result.options.currency})"
            )


PROGRESS_KPIS = 200
"""Above this many KPIs a build takes several seconds (1,000 KPIs: about 26 s), so each step is
shown on stderr; below it a build is done before anyone would wonder."""


def _progress(locale: str) -> Callable[[str, int, int], None]:
    """Steps of a long build on stderr: one line rewritten in place on a terminal, else a line each."""
    terminal = sys.stderr.isatty()

    def show(step: str, number: int, total: int) -> None:
        line = f"building {locale}: {step} ({number}/{total})"
        if terminal:
            click.echo(f"\r\x1b[K{line}", err=True, nl=number == total)
        else:
            click.echo(line, err=True)

    return show
