"""`kpigen validate`: check a filled workbook and report."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from generator.cli.run import user_errors
from generator.errors import UserError
from generator.validate.refusals import LIMITS, LimitOption, ReadLimits


def _limit_options(command: Callable[..., None]) -> Callable[..., None]:
    """One ``--max-*`` option per reading limit, from the validator's table (defaults shown)."""
    for limit in reversed(LIMITS):
        default = getattr(ReadLimits(), limit.field) / limit.scale
        command = click.option(
            limit.option,
            limit.field,
            type=LimitValue(limit),
            default=None,
            help=f"{limit.help} [default: {_number(default)}]",
        )(command)
    return command


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class LimitValue(click.ParamType):  # type: ignore[type-arg]
    """A finite number within the limit's sensible range: never nan, inf or 1e308."""

    name = "number"

    def __init__(self, limit: LimitOption) -> None:
        self.limit = limit

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        limit = self.limit
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if limit.integer and not number.is_integer():
            self.fail(f"{value!r} is not a whole number", param, ctx)
        if not limit.low <= number <= limit.high:
            self.fail(f"{value} is not between {_number(limit.low)} and {_number(limit.high)}", param, ctx)
        return number


@click.command()
@click.argument("file", type=click.Path(path_type=Path, readable=False))
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
@_limit_options
def validate(
    file: Path,
    catalog_spec: str | None,
    output_format: str,
    strict: bool,
    recalc: bool,
    **limits: float | None,
) -> None:
    """Check a filled workbook: inputs, formulas and every KPI value.

    Exit status: 0 clean, 1 problems found (errors; warnings too with --strict), 2 a bad option,
    3 the file could not be read or is not a kpigen workbook, 5 LibreOffice missing for --recalc.
    The file itself is never changed.
    """
    from dataclasses import replace

    from generator.catalog.bundled import resolve_catalog
    from generator.validate.report import to_csv, to_json, to_table
    from generator.validate.run import Options
    from generator.validate.run import validate as run_validate

    chosen: dict[str, Any] = {}
    for limit in LIMITS:
        value = limits.get(limit.field)
        if value is not None:
            scaled = value * limit.scale
            chosen[limit.field] = max(1, int(scaled)) if limit.integer or limit.scale > 1 else scaled
    limits_chosen = replace(ReadLimits(), **chosen)
    with user_errors(), _json_error(file, output_format == "json"):
        catalog_path = None if catalog_spec is None else resolve_catalog(catalog_spec)
        report = run_validate(file, Options(catalog=catalog_path, recalc=recalc, limits=limits_chosen))
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
