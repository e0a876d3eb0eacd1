"""Command line: thin commands over library functions; user errors are one line and an exit code.

Heavy modules (the writer, openpyxl, Babel's data) are imported inside the commands that need
them, so ``--help`` and ``catalog check`` start fast.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator import __version__
from generator.errors import UserError
from generator.paths import DEFAULT_CATALOG


class Failure(click.ClickException):
    """A UserError shown the click way: ``Error: message`` on stderr and the error's exit code."""

    def __init__(self, error: UserError) -> None:
        super().__init__(error.message)
        self.exit_code = error.exit_code


@contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except UserError as error:
        raise Failure(error) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kpigen")
def main() -> None:
    """Generate localised Excel KPI dashboard templates from a catalogue, and check filled ones."""


@main.command()
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path),
    default=DEFAULT_CATALOG,
    show_default="kpi_catalog/crm.yaml",
    help="Catalogue file (YAML or JSON).",
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
def build(
    catalog_path: Path,
    locale: str,
    out: Path,
    sample: bool,
    company: str,
    year: int | None,
    first_month: int,
    currency: str,
    fallback: str | None,
    force: bool,
) -> None:
    """Build workbook(s) from a catalogue."""
    from generator.catalog import load_catalog
    from generator.workbook.build import build_to_file, default_file_name
    from generator.workbook.context import BuildOptions

    with user_errors():
        catalog = load_catalog(catalog_path)
        locales = list(catalog.locales) if locale == "all" else [locale]
        if out.suffix.lower() == ".xlsx" and len(locales) > 1:
            raise UserError("--out names one file but --locale all builds several; give a folder")
        for code in locales:
            options = BuildOptions(
                locale=code,
                company=company,
                year=year or _dt.date.today().year,
                first_month=first_month,
                currency=currency,
                sample=sample,
                fallback=fallback,
            )
            target = out if out.suffix.lower() == ".xlsx" else out / default_file_name(catalog, options)
            result = build_to_file(catalog, options, target, force=force)
            for warning in result.warnings:
                click.echo(f"warning: {warning}", err=True)
            click.echo(f"wrote {target} ({len(result.data) // 1024} KiB, {code}, {result.options.currency})")


@main.group()
def catalog() -> None:
    """Work with catalogue files."""


@catalog.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def catalog_check(paths: tuple[Path, ...]) -> None:
    """Check catalogue files; print every problem as file:line:column: message."""
    from generator.catalog import load_catalog
    from generator.errors import CatalogError

    failed = False
    for path in paths:
        try:
            catalog = load_catalog(path)
        except CatalogError as error:
            failed = True
            for problem in error.problems:
                click.echo(problem, err=True)
            continue
        click.echo(
            f"{path}: ok ({catalog.id} {catalog.version}: {len(catalog.kpis)} KPIs, "
            f"{len(catalog.inputs)} inputs, locales {', '.join(catalog.locales)})"
        )
    if failed:
        sys.exit(1)


@catalog.command("schema")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file instead of stdout.")
def catalog_schema(out: Path | None) -> None:
    """Print the catalogue JSON Schema (generated from the typed models)."""
    from generator.catalog.schema import schema_text

    text = schema_text()
    if out is None:
        click.echo(text, nl=False)
        return
    from generator.output import write_atomic

    with user_errors():
        write_atomic(out, text.encode("utf-8"), force=True)
    click.echo(f"wrote {out}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Catalogue to check against. [default: kpi_catalog/<the file's catalog_id>.yaml]",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Report as a table, as JSON (schema kpigen.validation/1) or as CSV.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option(
    "--recalc",
    is_flag=True,
    help="Recalculate a copy with LibreOffice first (for files saved without calculated values).",
)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Largest file to read, in MB. [default: 50]",
)
@click.option(
    "--max-uncompressed-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Largest total unpacked size, in MB. [default: 200]",
)
@click.option(
    "--max-ratio",
    type=click.FloatRange(min=1),
    default=None,
    help="Highest compression ratio of a large part. [default: 200]",
)
@click.option("--max-members", type=click.IntRange(min=1), default=None, help="Most parts in the file. [default: 2000]")
@click.option("--max-rows", type=click.IntRange(min=1), default=None, help="Most rows per sheet. [default: 10000]")
@click.option("--max-columns", type=click.IntRange(min=1), default=None, help="Most columns per sheet. [default: 1000]")
def validate(
    file: Path,
    catalog_path: Path | None,
    output_format: str,
    strict: bool,
    recalc: bool,
    max_file_mb: float | None,
    max_uncompressed_mb: float | None,
    max_ratio: float | None,
    max_members: int | None,
    max_rows: int | None,
    max_columns: int | None,
) -> None:
    """Check a filled workbook: inputs, formulas and every KPI value.

    Exit status: 0 clean, 1 problems found (errors; warnings too with --strict), 2 the file
    could not be read or is not a kpigen workbook. The file itself is never changed.
    """
    from dataclasses import replace
    from typing import Any

    from generator.validate.refusals import MIB, ReadLimits
    from generator.validate.report import to_csv, to_json, to_table
    from generator.validate.run import Options
    from generator.validate.run import validate as run_validate

    limits = ReadLimits()
    chosen: dict[str, Any] = {
        "max_file_bytes": None if max_file_mb is None else int(max_file_mb * MIB),
        "max_uncompressed_bytes": None if max_uncompressed_mb is None else int(max_uncompressed_mb * MIB),
        "max_member_ratio": max_ratio,
        "max_members": max_members,
        "max_rows": max_rows,
        "max_columns": max_columns,
    }
    limits = replace(limits, **{key: value for key, value in chosen.items() if value is not None})
    with user_errors():
        report = run_validate(file, Options(catalog=catalog_path, recalc=recalc, limits=limits))
    if output_format == "json":
        click.echo(to_json(report), nl=False)
    elif output_format == "csv":
        click.echo(to_csv(report), nl=False)
    else:
        click.echo(to_table(report), nl=False)
    sys.exit(report.exit_code(strict))


if __name__ == "__main__":  # pragma: no cover
    main()
