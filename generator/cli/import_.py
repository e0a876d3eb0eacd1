"""`kpigen import`: a workbook filled from a table of monthly values (CSV, XLSX, Parquet)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.options import catalog_option, force_option, workbook_settings
from generator.cli.run import user_errors

_SHOWN = 20
"""Warnings printed before the rest are counted: a wrong --year would otherwise flood the terminal."""


@click.command(name="import")
@click.argument("data", type=click.Path(path_type=Path, readable=False))
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
@force_option
def import_(
    data: Path,
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
    force: bool,
) -> None:
    """Build a workbook filled with the monthly input values in DATA.

    DATA is long (columns month, input, value) or wide (a month column, then one column per
    input, headed by its id or its name). Months are dates (2026-04), numbers (4 is April) or
    month names in the workbook's language or English; numbers are in the locale's format.
    A cell that cannot be used is reported with its row and column and skipped (--strict: refused).
    """
    from generator.catalog import load_catalog
    from generator.transfer.import_table import MAX_LISTED_ISSUES
    from generator.transfer.importer import ImportRequest, import_file

    with user_errors():
        request = ImportRequest(
            data=data,
            out=out,
            catalog=load_catalog(catalog_path),
            locale=locale,
            company=company,
            year=year,
            first_month=first_month,
            currency=currency,
            fallback=fallback,
            mapping=mapping,
            sheet=sheet,
            strict=strict,
            force=force,
        )
        result = import_file(request)
    for warning in result.warnings[:_SHOWN]:
        click.echo(f"warning: {warning}", err=True)
    if len(result.warnings) + result.unlisted > _SHOWN:
        more = len(result.warnings) + result.unlisted - _SHOWN
        click.echo(f"warning: ... and {more} more like these (--strict lists up to {MAX_LISTED_ISSUES})", err=True)
    skipped = f"; {result.imported.issue_count} cells or columns skipped" if result.imported.issues else ""
    click.echo(
        f"wrote {result.out}: {result.imported.count} values of {result.inputs_filled} inputs from {data} "
        f"({result.imported.form} form, fiscal year {result.imported.year} from month {result.imported.first_month})"
        + skipped
    )
