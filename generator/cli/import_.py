"""`kpigen import`: a workbook filled from a table of monthly values (CSV, XLSX, Parquet)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.options import catalog_option, force_option, workbook_settings
from generator.cli.run import user_errors

if TYPE_CHECKING:
    from generator.transfer.import_options import ImportOptions

_SHOWN = 20
"""Warnings printed before the rest are counted: a wrong --year would otherwise flood the terminal."""


@click.command(name="import")
@click.argument("data", nargs=-1, required=True, metavar="DATA | [TABLE=]TABLE_FILE...")
@click.option(
    "--out",
    required=True,
    help="The workbook to write: a name ending in .xlsx, or a folder that receives the default name.",
)
@catalog_option
@workbook_settings
@click.option(
    "--mapping",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="YAML file renaming the report's own column headers (or metric names) to input ids.",
)
@click.option("--sheet", default=None, help="Sheet of an XLSX data file to read. [default: the first]")
@click.option("--strict", is_flag=True, help="Refuse the import (exit 1, nothing written) if any cell cannot be used.")
@click.option(
    "--profile",
    default=None,
    metavar="NAME|FILE",
    help="Read raw CRM exports (one row per deal or contact) through this source profile: hubspot, "
    "salesforce, pipedrive, zoho, or a profile file.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "pandas", "duckdb"]),
    default="auto",
    show_default=True,
    help="With --profile: who computes the measures (auto: DuckDB for files over 40 MiB, when installed).",
)
@force_option
def import_(
    data: tuple[str, ...],
    out: str,
    catalog_path: Path,
    locale: str,
    company: str,
    year: int | None,
    first_month: int | None,
    currency: str,
    fallback: str | None,
    mapping: Path | None,
    sheet: str | None,
    strict: bool,
    profile: str | None,
    engine: str,
    force: bool,
) -> None:
    """Build a workbook filled with the monthly input values in DATA.

    DATA is long (columns month, input, value) or wide (a month column, then one column per
    input, headed by its id or its name). Months are dates (2026-04), numbers (4 is April) or
    month names in the workbook's language or English; numbers are in the locale's format.
    A cell that cannot be used is reported with its row and column and skipped (--strict: refused).

    With --profile, each TABLE_FILE is a raw export (CSV, XLSX, Parquet) of one of the profile's
    tables, recognised by its header or named as TABLE=FILE (deals=export.csv); the inputs are
    computed per month from its rows. Files are only read.
    """
    from generator.catalog import load_catalog
    from generator.transfer.import_options import ImportOptions

    options = ImportOptions(
        out=out,
        locale=locale,
        company=company,
        year=year,
        first_month=first_month,
        currency=currency,
        fallback=fallback,
        strict=strict,
        force=force,
    )
    if profile is not None:
        _import_raw(data, catalog_path, options, profile, engine)
        return
    if len(data) != 1:
        raise click.UsageError("give one DATA file (several table files need --profile)")
    from generator.transfer.import_table import MAX_LISTED_ISSUES
    from generator.transfer.importer import ImportRequest, import_file

    with user_errors():
        request = ImportRequest(
            data=Path(data[0]), catalog=load_catalog(catalog_path), options=options, mapping=mapping, sheet=sheet
        )
        result = import_file(request)
    for warning in result.warnings[:_SHOWN]:
        click.echo(f"warning: {warning}", err=True)
    if len(result.warnings) + result.unlisted > _SHOWN:
        more = len(result.warnings) + result.unlisted - _SHOWN
        click.echo(f"warning: ... and {more} more like these (--strict lists up to {MAX_LISTED_ISSUES})", err=True)
    skipped = f"; {result.imported.issue_count} cells or columns skipped" if result.imported.issues else ""
    click.echo(
        f"wrote {result.out}: {result.imported.count} values of {result.inputs_filled} inputs from {data[0]} "
        f"({result.imported.form} form, fiscal year {result.imported.year} from month {result.imported.first_month})"
        + skipped
    )


def _import_raw(files: tuple[str, ...], catalog_path: Path, options: ImportOptions, profile: str, engine: str) -> None:
    from generator.catalog import load_catalog
    from generator.transfer.raw.importer import RawImportRequest, import_raw
    from generator.transfer.raw.profile import load_profile

    with user_errors():
        if engine == "duckdb":
            from generator.transfer.raw.duck import need_raw_extra

            need_raw_extra()
        result = import_raw(
            RawImportRequest(
                files=list(files),
                profile=load_profile(profile),
                catalog=load_catalog(catalog_path),
                options=options,
                engine=engine,
            )
        )
    for warning in result.warnings[:_SHOWN]:
        click.echo(f"warning: {warning}", err=True)
    if len(result.warnings) > _SHOWN:
        click.echo(
            f"warning: ... and {len(result.warnings) - _SHOWN} more like these (--strict lists them all)", err=True
        )
    click.echo(result.summary())
