"""`kpigen export`: a filled workbook as one tidy long table (CSV, XLSX, JSON, Parquet) for BI tools."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.options import force_option
from generator.cli.run import user_errors
from generator.errors import OutputError


@click.command()
@click.argument("filled", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "xlsx", "json", "parquet"]),
    default=None,
    help="Table format. [default: from the --out suffix (.csv, .xlsx, .json, .parquet); csv for a name without one]",
)
@click.option("--out", required=True, help="File to write, or - for standard output.")
@click.option("--locale", default=None, help="Language of the names. [default: the workbook's]")
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="Catalogue to read the workbook with. [default: the one it names]",
)
@force_option
def export(
    filled: Path, output_format: str | None, out: str, locale: str | None, catalog_path: Path | None, force: bool
) -> None:
    """Write every input and KPI of FILLED, per month, quarter and year, as a long table.

    Columns: period_type, period, start, end, kind (input or kpi), id, name, unit, value,
    target, status, exact (a distinct input's quarter and year counted exactly from the raw
    rows of `kpigen import --profile`). KPI values are recomputed from the typed inputs.
    `kpigen import` reads the table back into the same inputs. The workbook itself is never changed.
    """
    from generator.i18n.formats import parse_locale
    from generator.output import write_atomic
    from generator.transfer.export_table import tidy_rows
    from generator.transfer.export_write import to_bytes
    from generator.transfer.filled import read_filled

    with user_errors():
        chosen = output_format or _format_of(out)
        if locale is not None:
            parse_locale(locale)
        book = read_filled(filled, catalog_path)
        rows = tidy_rows(book, locale)
        data = to_bytes(rows, chosen)
        if out == "-":
            _to_stdout(data)
        else:
            write_atomic(Path(out), data, force=force)
    for input_id in book.stale_exact:
        click.echo(
            f"warning: {input_id}: its months changed after the raw import; its exact quarter and year "
            "counts are left out (import the raw rows again to count them)",
            err=True,
        )
    inputs = sum(1 for r in rows if r["kind"] == "input" and r["period_type"] == "month" and r["value"] is not None)
    click.echo(
        f"exported {len(rows)} rows ({inputs} input values typed, {len(book.catalog.kpis)} KPIs) "
        f"from {filled} to {'standard output' if out == '-' else out} as {chosen}",
        err=out == "-",
    )


def _to_stdout(data: bytes) -> None:
    try:
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise OutputError("standard output: closed before the table was written (a closed pipe)") from None


def _format_of(out: str) -> str:
    """The format an --out name asks for: its suffix, csv for none (or stdout); another suffix is refused,
    never written as csv under a name that says otherwise (report.doc, table.tsv)."""
    from generator.errors import UserError
    from generator.transfer.export_write import FORMATS

    suffix = Path(out).suffix.lower().lstrip(".") if out != "-" else ""
    if not suffix:
        return "csv"
    if suffix in FORMATS:
        return suffix
    raise UserError(f"--out {out}: export writes {', '.join('.' + f for f in FORMATS)}; give such a name or --format")
