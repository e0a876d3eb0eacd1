"""`kpigen catalog`: list the bundled catalogues, check catalogue files, print their schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.run import user_errors


@click.group()
def catalog() -> None:
    """Work with catalogues: the bundled ones, or your own files."""


@catalog.command("list")
def catalog_list() -> None:
    """List the bundled catalogues: id, version, locales, KPI count and file.

    Any of these ids can be given to --catalog (the newest version), or an id and version as
    crm-1.0.0; validate picks one by a workbook's catalog_id and catalog_version.
    """
    from generator.catalog import load_catalog
    from generator.catalog.bundled import bundled
    from generator.errors import CatalogError

    rows = [("id", "version", "locales", "KPIs", "file")]
    broken: list[str] = []
    for entry in bundled():
        try:
            loaded = load_catalog(entry.path)
        except CatalogError as error:
            broken.append(f"{entry.path}: cannot be used: {error.problems[0]}")
            continue
        rows.append((loaded.id, loaded.version, ", ".join(loaded.locales), str(len(loaded.kpis)), entry.path.name))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())
    for line in broken:
        click.echo(line, err=True)
    sys.exit(1 if broken else 0)


@catalog.command("check")
@click.argument("catalogs", nargs=-1, metavar="ID|FILE...")
@click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (texts missing in a declared locale, texts a workbook shows cut) as errors.",
)
@click.option(
    "--mapping",
    "mappings",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Also check an import mapping file's input ids against each catalogue (repeatable).",
)
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="NAME|FILE",
    help="A source profile (bundled: hubspot, salesforce, pipedrive, zoho) to check against the catalogue "
    "given (or the one the profile names).",
)
def catalog_check(
    catalogs: tuple[str, ...], strict: bool, mappings: tuple[Path, ...], profiles: tuple[str, ...]
) -> None:
    """Check catalogues (files or bundled ids); print every problem as file:line:column: message.

    A text missing in a declared locale other than the default one is a warning (builds in that
    locale need --fallback until it is written). The catalogue's sample file and each --mapping
    file must name its inputs: an id an earlier version used is a warning naming the input that
    replaces it, an id naming no input an error. With --profile, each profile is checked against
    the catalogue: unknown input ids and columns, a measure that does not fit its input. Exit
    status: 0 usable, 1 problems found (or warnings, with --strict), 3 a file could not be read.
    """
    from generator.catalog import load_catalog
    from generator.catalog.bundled import resolve_catalog
    from generator.errors import CatalogError, ExitCode, UserError
    from generator.workbook.sample import sample_findings

    if not catalogs and not profiles:
        raise click.UsageError("Missing argument 'ID|FILE...' (or give --profile NAME|FILE).")
    if profiles:
        sys.exit(_check_profiles(profiles, catalogs[0] if catalogs else None, strict))
    code = ExitCode.OK
    for spec in catalogs:
        with user_errors():
            path = resolve_catalog(spec)
        try:
            loaded = load_catalog(path)
        except CatalogError as error:  # 1 for problems in a file, 3 for a file that cannot be read
            code = max(code, error.exit_code)
            for problem in error.problems:
                click.echo(problem, err=True)
            continue
        try:
            sample_errors, renamed = sample_findings(loaded)
        except UserError as error:  # an unreadable sample file
            sample_errors, renamed = str(error).splitlines()[-1:], []
        for mapping in mappings:
            from generator.transfer.mapping import check_mapping  # with --mapping only: Babel's month names

            with user_errors():
                errors, warnings = check_mapping(mapping, loaded)
            sample_errors += errors
            renamed += warnings
        gaps = [text for texts in loaded.missing_texts.values() for text in texts] + list(loaded.shortened) + renamed
        label = "error" if strict else "warning"
        for text in gaps:
            where, _, message = text.partition(": ")
            click.echo(f"{where}: {label}: {message}", err=True)
        for text in sample_errors:
            where, _, message = text.partition(": ")
            click.echo(f"{where}: error: {message}", err=True)
        if sample_errors:
            code = max(code, ExitCode.PROBLEMS)
            continue
        if gaps and strict:
            code = max(code, ExitCode.PROBLEMS)
            continue
        missing = "".join(f"; {len(texts)} texts missing in {lang}" for lang, texts in loaded.missing_texts.items())
        click.echo(
            f"{path}: ok ({loaded.id} {loaded.version}: {len(loaded.kpis)} KPIs, "
            f"{len(loaded.inputs)} inputs, locales {', '.join(loaded.locales)}{missing})"
        )
    sys.exit(code)


@catalog.command("new")
@click.option(
    "--extends", "base", required=True, metavar="ID|FILE", help="The catalogue to build on: a bundled id or a file."
)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file instead of stdout.")
@click.option("--id", "new_id", default=None, help="The new catalogue's id. [default: the --out name, or my_<base>]")
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
def catalog_new(base: str, out: Path | None, new_id: str | None, force: bool) -> None:
    """Write a commented starting file for your own catalogue extending another: its sections show
    how to add inputs and KPIs, change targets, tolerances and texts, and drop KPIs."""
    import os
    import re

    from generator.catalog import load_catalog
    from generator.catalog.bundled import resolve_catalog
    from generator.catalog.starter import default_id, starter_text
    from generator.errors import UserError

    with user_errors():
        try:
            path = resolve_catalog(base)
        except UserError as exc:
            raise UserError(exc.message.replace("--catalog", "--extends", 1)) from None
        loaded = load_catalog(path)
        chosen = new_id or default_id(loaded, out)
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", chosen):
            raise UserError(f"--id '{chosen}' is not an id: lowercase letters, digits and _, starting with a letter")
        spec = base
        if Path(base).exists():  # a file: named relative to where the new one is written
            spec = os.path.relpath(Path(path).resolve(), (out or Path("x")).resolve().parent)
        text = starter_text(loaded, spec, chosen, str(out) if out is not None else "my.yaml")
        if out is None:
            click.echo(text, nl=False)
            return
        from generator.output import write_atomic

        write_atomic(out, text.encode("utf-8"), force=force)
    click.echo(f"wrote {out} ({chosen}, extends {spec}); check it with: kpigen catalog check {out}")


def _check_profiles(profiles: tuple[str, ...], catalog_spec: str | None, strict: bool) -> int:
    from generator.catalog import load_catalog
    from generator.catalog.bundled import resolve_catalog
    from generator.errors import CatalogError, ExitCode
    from generator.transfer.raw.check import check_profile
    from generator.transfer.raw.profile import load_profile

    code = ExitCode.OK
    for spec in profiles:
        with user_errors():  # a profile name that is not bundled: one line and exit 2
            try:
                profile = load_profile(spec)
                catalog = load_catalog(resolve_catalog(catalog_spec or profile.catalog))
            except CatalogError as error:
                code = max(code, error.exit_code)
                for problem in error.problems:
                    click.echo(problem, err=True)
                continue
        problems, warnings = check_profile(profile, catalog)
        label = "error" if strict else "warning"
        for line in problems:
            click.echo(line, err=True)
        for line in warnings:
            where, _, message = line.partition(": ")
            click.echo(f"{where}: {label}: {message}", err=True)
        if problems or (warnings and strict):
            code = max(code, ExitCode.PROBLEMS)
            continue
        click.echo(
            f"{profile.path}: ok ({profile.id} against {catalog.id} {catalog.version}: "
            f"{len(profile.measures)} inputs measured, {len(profile.unmeasured)} left to type)"
        )
    return code


@catalog.command("schema")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
def catalog_schema(out: Path | None, force: bool) -> None:
    """Print the catalogue JSON Schema (generated from the typed models)."""
    from generator.catalog.schema import schema_text

    text = schema_text()
    if out is None:
        click.echo(text, nl=False)
        return
    from generator.output import write_atomic

    with user_errors():
        write_atomic(out, text.encode("utf-8"), force=force)
    click.echo(f"wrote {out}")


@catalog.command("migrate")
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write here. [default: FILE itself]")
@click.option(
    "--currency",
    default=None,
    help="The currency a single money target was meant in. [default: the catalogue's sample_currency]",
)
@click.option("--force", is_flag=True, help="Replace an existing file (FILE itself, or --out).")
def catalog_migrate(file: Path, out: Path | None, currency: str | None, force: bool) -> None:
    """Update a catalogue written for an earlier release: a money KPI's single target becomes a target
    per currency (targets: {USD: 350}). Only those lines change; the result must load before it is
    written, atomically, and an existing file is replaced only with --force.
    """
    from generator.catalog.migrate import check_loads, migrate_text
    from generator.output import write_atomic

    target = out or file
    with user_errors():
        migration = migrate_text(file, currency)
        if not migration.kpis:
            click.echo(f"{file}: nothing to migrate")
            return
        check_loads(migration.text, target if out is None else file)
        write_atomic(target, migration.text.encode("utf-8"), force=force)
    kpis = ", ".join(migration.kpis)
    click.echo(f"wrote {target}: the single target of {kpis} is now its {migration.currency} target")
