"""`kpigen sql`: a source profile's measures as one SQL query, for a warehouse that holds the CRM's tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.options import catalog_option
from generator.cli.run import user_errors

if TYPE_CHECKING:
    from sqlglot import exp

    from generator.transfer.raw.profile import Profile

DIALECTS = ("duckdb", "postgres", "bigquery", "snowflake", "spark")


@click.command(name="sql")
@click.option(
    "--profile", required=True, metavar="NAME|FILE", help="A bundled source profile (hubspot, ...) or a file."
)
@catalog_option
@click.option(
    "--dialect",
    default="duckdb",
    show_default=True,
    metavar="|".join(DIALECTS) + "|...",
    help="The SQL dialect to print (any dialect sqlglot knows: redshift, trino, tsql, ...).",
)
@click.option("--year", type=int, default=None, help="Fiscal year (the year of its first month). [default: this year]")
@click.option("--first-month", type=click.IntRange(1, 12), default=1, show_default=True, help="First month, 1-12.")
@click.option(
    "--exact",
    is_flag=True,
    help="Print instead the exact quarter and year counts of the count_distinct inputs: (period, input, value) "
    "rows, period Q1-Q4 or year.",
)
def sql(profile: str, catalog_path: Path, dialect: str, year: int | None, first_month: int, exact: bool) -> None:
    """Print one SQL query returning (month, input, value) rows for the fiscal year, over tables
    named as the profile names them (deals, contacts, ...).

    Run it where the CRM's tables are, save the result as CSV, and give it to 'kpigen import':
    it is the long form import reads. The query is built as an expression tree (sqlglot) and
    printed in the dialect asked; needs the 'raw' extra. With --exact, a second query: each
    distinct input (customers who bought) counted over each whole quarter and the year, each id
    once, where the workbook shows the average month; a table for reports, not for import.
    """
    import datetime as dt

    from generator.catalog import load_catalog
    from generator.errors import CatalogError
    from generator.transfer.raw.check import check_profile
    from generator.transfer.raw.duck import EXTRA
    from generator.transfer.raw.profile import load_profile

    with user_errors():
        try:
            import sqlglot
        except ImportError:
            from generator.errors import EnvironmentProblem

            raise EnvironmentProblem(f"kpigen sql needs sqlglot: {EXTRA}") from None
        try:
            sqlglot.Dialect.get_or_raise(dialect)
        except ValueError:
            raise click.BadParameter(
                f"unknown dialect '{dialect}' (e.g. {', '.join(DIALECTS)})", param_hint="--dialect"
            ) from None
        loaded = load_profile(profile)
        problems, _ = check_profile(loaded, load_catalog(catalog_path))
        if problems:
            raise CatalogError(problems)
        from generator.transfer.raw.sql import build_query

        fiscal_year = year if year is not None else dt.date.today().year
        query = (
            _exact_query(loaded, fiscal_year, first_month) if exact else build_query(loaded, fiscal_year, first_month)
        )
    click.echo(query.sql(dialect=dialect, pretty=True) + ";")


def _exact_query(profile: Profile, year: int, first_month: int) -> exp.Expr:
    from generator.errors import UserError
    from generator.transfer.raw.exact_sql import build_exact_query

    query = build_exact_query(profile, year, first_month)
    if query is None:
        raise UserError(
            f"--exact: profile {profile.id} measures no input with count_distinct; nothing to count exactly"
        )
    return query
