"""`kpigen regenerate`: a fresh workbook carrying over everything typed into a filled one."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.options import CatalogSpec, ExchangeRate, MonthNumber
from generator.cli.run import user_errors


@click.command()
@click.argument("filled", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--out",
    "out",
    required=True,
    help="The new workbook: a name ending in .xlsx, or a folder that receives the default name (crm-tr.xlsx).",
)
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
    type=MonthNumber(),
    default=None,
    help="First month of the fiscal year, 1-12; refused if a month holding data would fall out. [default: the old one]",
)
@click.option(
    "--exchange-rate",
    type=ExchangeRate(),
    default=None,
    help="With a new --currency: how many units of it one unit of the old currency buys (1 USD = 34.5 TRY: 34.5). "
    "Money inputs and the money targets you changed are converted; needed when there are any.",
)
@click.option(
    "--kpis",
    "kpi_ids",
    default=None,
    metavar="ID,ID…|all",
    help="Only these KPIs, or 'all'; values without a place go to 'Carried over'. [default: the old workbook's]",
)
@click.option(
    "--categories",
    "category_ids",
    default="",
    metavar="ID,…",
    help="Only the KPIs of these categories (added to --kpis). [default: the old workbook's]",
)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def regenerate(
    filled: Path,
    out: str,
    locale: str | None,
    catalog_path: Path | None,
    currency: str | None,
    company: str | None,
    year: int | None,
    first_month: int | None,
    exchange_rate: float | None,
    kpi_ids: str | None,
    category_ids: str,
    force: bool,
) -> None:
    """Rebuild FILLED as a fresh workbook (another language, catalogue version, currency or year),
    carrying over every input value, setting and changed target; values without a place go to a
    "Carried over" sheet. FILLED is only read."""
    from generator.catalog.selection import parse_ids
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
            exchange_rate=exchange_rate,
            kpis=None if kpi_ids is None else tuple(parse_ids(kpi_ids)),
            categories=tuple(parse_ids(category_ids)),
            force=force,
        )
        result = run_regenerate(filled, out, options)
        click.echo(result.summary())
