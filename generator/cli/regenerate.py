"""`kpigen regenerate`: a fresh workbook carrying over everything typed into a filled one."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.options import CatalogSpec
from generator.cli.run import user_errors


@click.command()
@click.argument("filled", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The new workbook.")
@click.option("--locale", default=None, help="Language of the new workbook. [default: the old one's]")
@click.option(
    "--catalog",
    "catalog_path",
    type=CatalogSpec(),
    default=None,
    help="A bundled catalogue id or a catalogue file. [default: the newest bundled version of the workbook's]",
)
@click.option("--currency", default=None, help="ISO 4217 code for money. [default: the old workbook's]")
@click.option("--company", default=None, help="Company name. [default: the old workbook's]")
@click.option("--year", type=int, default=None, help="Fiscal year. [default: the old workbook's]")
@click.option(
    "--first-month",
    type=click.IntRange(1, 12),
    default=None,
    help="First month of the fiscal year, 1-12; refused if a month holding data would fall out. [default: the old one]",
)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def regenerate(
    filled: Path,
    out: Path,
    locale: str | None,
    catalog_path: Path | None,
    currency: str | None,
    company: str | None,
    year: int | None,
    first_month: int | None,
    force: bool,
) -> None:
    """Rebuild FILLED as a fresh workbook (another language, catalogue version, currency or year),
    carrying over every input value, setting and changed target; values without a place go to a
    "Carried over" sheet. FILLED is only read."""
    from generator.transfer.regenerate import RegenerateOptions
    from generator.transfer.regenerate import regenerate as run_regenerate

    with user_errors():
        options = RegenerateOptions(
            locale=locale,
            catalog=catalog_path,
            currency=currency,
            company=company,
            year=year,
            first_month=first_month,
            force=force,
        )
        result = run_regenerate(filled, out, options)
        click.echo(result.summary())
