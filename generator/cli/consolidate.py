"""`kpigen consolidate`: teams' or regions' filled workbooks into one workbook of the totals."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.options import force_option
from generator.cli.run import user_errors


@click.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "--out",
    required=True,
    help="The consolidated workbook: a name ending in .xlsx, or a folder that receives the default name.",
)
@click.option("--locale", default=None, help="Language of the new workbook. [default: the first workbook's]")
@click.option("--company", default=None, help="Company name of the new workbook. [default: the first workbook's]")
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="Catalogue to read the workbooks with. [default: the one they name]",
)
@force_option
def consolidate(
    workbooks: tuple[Path, ...],
    out: str,
    locale: str | None,
    company: str | None,
    catalog_path: Path | None,
    force: bool,
) -> None:
    """Add up WORKBOOKS (two or more, of one catalogue version, currency and fiscal year).

    Flows and stocks are summed, levels (averages, rates) averaged, weighted where the
    catalogue names a weight; KPIs are recomputed from the combined inputs. A Sources sheet
    shows each workbook's KPI values for the year beside the total. The workbooks are never changed.
    """
    from generator.transfer.consolidate import ConsolidateRequest
    from generator.transfer.consolidate import consolidate as run_consolidate

    with user_errors():
        result = run_consolidate(
            ConsolidateRequest(list(workbooks), out, catalog_path, locale=locale, company=company, force=force)
        )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    filled = sum(1 for row in result.values.values() for v in row if v is not None)
    click.echo(
        f"wrote {result.out}: {len(result.sources)} workbooks consolidated, {filled} monthly input values, "
        f"{len(result.sources[0].catalog.kpis)} KPIs recomputed"
    )
