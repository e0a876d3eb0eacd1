"""`kpigen validate`: check a filled workbook and report."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.cli.run import user_errors
from generator.errors import UserError


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--catalog",
    "catalog_spec",
    default=None,
    metavar="ID|FILE",
    help="Catalogue to check against: a bundled id or a file. "
    "[default: the bundled catalogue of the file's catalog_id and catalog_version]",
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
    catalog_spec: str | None,
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

    Exit status: 0 clean, 1 problems found (errors; warnings too with --strict), 2 a bad option,
    3 the file could not be read or is not a kpigen workbook, 5 LibreOffice missing for --recalc.
    The file itself is never changed.
    """
    from dataclasses import replace
    from typing import Any

    from generator.catalog.bundled import resolve_catalog
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
    with user_errors(), _json_error(file, output_format == "json"):
        catalog_path = None if catalog_spec is None else resolve_catalog(catalog_spec)
        report = run_validate(file, Options(catalog=catalog_path, recalc=recalc, limits=limits))
    if output_format == "json":
        click.echo(to_json(report), nl=False)
    elif output_format == "csv":
        click.echo(to_csv(report), nl=False)
    else:
        click.echo(to_table(report), nl=False)
    sys.exit(report.exit_code(strict))


@contextmanager
def _json_error(file: Path, wanted: bool) -> Iterator[None]:
    """With --format json, a file that cannot be validated still gives one JSON document on stdout
    (docs/validation.md, "When the file cannot be read"); the one-line error goes to stderr as ever."""
    try:
        yield
    except UserError as error:
        if wanted:
            from generator.validate.report import SCHEMA

            document = {
                "schema": SCHEMA,
                "file": str(file),
                "error": {"exit_code": int(error.exit_code), "kind": _kind(error), "message": error.message},
            }
            click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        raise


def _kind(error: UserError) -> str:
    """A stable name for what went wrong, for programs: unreadable, catalogue, usage, environment, output."""
    from generator.errors import ExitCode

    return {
        ExitCode.UNREADABLE: "unreadable",
        ExitCode.PROBLEMS: "catalogue",
        ExitCode.USAGE: "usage",
        ExitCode.ENVIRONMENT: "environment",
        ExitCode.NOT_WRITTEN: "output",
    }.get(error.exit_code, "usage")
