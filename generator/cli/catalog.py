"""`kpigen catalog`: check catalogue files and print their schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.run import user_errors


@click.group()
def catalog() -> None:
    """Work with catalogue files."""


@catalog.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def catalog_check(paths: tuple[Path, ...]) -> None:
    """Check catalogue files; print every problem as file:line:column: message."""
    from generator.catalog import load_catalog
    from generator.errors import CatalogError, ExitCode

    code = ExitCode.OK
    for path in paths:
        try:
            catalog = load_catalog(path)
        except CatalogError as error:  # 1 for problems in a file, 3 for a file that cannot be read
            code = max(code, error.exit_code)
            for problem in error.problems:
                click.echo(problem, err=True)
            continue
        click.echo(
            f"{path}: ok ({catalog.id} {catalog.version}: {len(catalog.kpis)} KPIs, "
            f"{len(catalog.inputs)} inputs, locales {', '.join(catalog.locales)})"
        )
    sys.exit(code)


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
