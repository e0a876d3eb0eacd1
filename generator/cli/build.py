"""`kpigen build`: one workbook per locale from a catalogue."""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from pathlib import Path

import click

from generator.cli.run import user_errors
from generator.errors import UserError
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
    help="Language of the workbook: a locale code, or 'all' for every locale the catalogue carries.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Output folder, or a file name ending in .xlsx (single locale only).",
)
@click.option("--sample", is_flag=True, help="Fill a demo year so the dashboard shows something on first open.")
@click.option("--company", default="", help="Company name shown on every sheet.")
@click.option("--year", type=int, default=None, help="Fiscal year (the year of its first month). [default: this year]")
@click.option(
    "--first-month",
    type=click.IntRange(1, 12),
    default=1,
    show_default=True,
    help="First month of the fiscal year, 1-12.",
)
@click.option("--currency", default="", help="ISO 4217 code for money. [default: the locale's currency]")
@click.option(
    "--fallback",
    default=None,
    metavar="LOCALE",
    help="Use this locale's text where the chosen locale lacks one, listing each as a warning.",
)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option(
    "--batch",
    "batch_list",
    type=click.Path(path_type=Path),
    default=None,
    metavar="LIST.csv",
    help="Build one workbook per row of this CSV (company, locale, currency, year, first_month, file) "
    "into the --out folder; a missing column takes the option's value.",
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
    out: Path,
    sample: bool,
    company: str,
    year: int | None,
    first_month: int,
    currency: str,
    fallback: str | None,
    force: bool,
    batch_list: Path | None,
    jobs: int | None,
) -> None:
    """Build workbook(s) from a catalogue, or a batch of them from a list (--batch)."""
    from generator.catalog import load_catalog
    from generator.catalog.bundled import resolve_catalog
    from generator.workbook.build import build_to_file, default_file_name
    from generator.workbook.context import BuildOptions

    defaults = BuildOptions(
        locale=locale,
        company=company,
        year=year or _dt.date.today().year,
        first_month=first_month,
        currency=currency,
        sample=sample,
        fallback=fallback,
    )
    if batch_list is not None:
        from generator.cli.batch import run_batch_command

        run_batch_command(catalog_path, batch_list, out, defaults, force=force, jobs=jobs)
        return
    with user_errors():
        catalog = load_catalog(resolve_catalog(catalog_spec))
        locales = list(catalog.locales) if locale == "all" else [locale]
        if out.suffix.lower() == ".xlsx" and len(locales) > 1:
            raise UserError("--out names one file but --locale all builds several; give a folder")
        for code in locales:
            options = replace(defaults, locale=code)
            target = out if out.suffix.lower() == ".xlsx" else out / default_file_name(catalog, options)
            result = build_to_file(catalog, options, target, force=force)
            for warning in result.warnings:
                click.echo(f"warning: {warning}", err=True)
            click.echo(f"wrote {target} ({len(result.data) // 1024} KiB, {code}, {result.options.currency})")
