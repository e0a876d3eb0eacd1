"""`kpigen build --batch`: the command-line side of a batch (progress, failures, summary, exit code)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import click

from generator.cli.run import user_errors
from generator.errors import ExitCode, UserError
from generator.workbook.context import BuildOptions


def run_batch_command(
    catalog_path: Path,
    list_path: Path,
    out: Path,
    defaults: BuildOptions,
    *,
    force: bool,
    jobs: int | None,
    kpis: Sequence[str] = (),
    categories: Sequence[str] = (),
) -> None:
    """Build the list's rows into the folder ``out``; exit 1 when any row failed. ``kpis`` and
    ``categories`` (the command line's) choose the KPIs of every row whose own cells are blank.

    The progress bar goes to stderr and only to a terminal, so a log or a pipe gets the failures
    and the one summary line, nothing else.
    """
    from generator.catalog import load_catalog
    from generator.template.options import check_selection
    from generator.transfer.batch import Outcome, run_batch
    from generator.transfer.batch_list import Selection, read_batch_list

    with user_errors():
        if out.suffix.lower() == ".xlsx":
            raise UserError("--out names a file but --batch builds several; give a folder")
        catalog = load_catalog(catalog_path)
        if kpis or categories:  # refused once, as --kpis or --categories, before any row is read
            check_selection(catalog, kpis or None, categories or None)
        rows = read_batch_list(list_path, defaults, Selection(catalog, kpis, categories))
        with ExitStack() as stack:
            tick = None
            if sys.stderr.isatty():
                bar = stack.enter_context(
                    click.progressbar(length=len(rows), label="building", file=sys.stderr, show_pos=True)
                )

                def tick(_: Outcome) -> None:
                    bar.update(1)

            report = run_batch(catalog_path, rows, out, force=force, jobs=jobs, progress=tick)
    for failure in report.failed:
        click.echo(f"{list_path}:{failure.line}: {failure.file or '(no file)'}: {failure.error}", err=True)
    failed = len(report.failed)
    click.echo(
        f"built {report.built} of {len(rows)} workbooks into {out} in {report.seconds:.1f} s "
        f"({report.rate:.1f}/s, {report.jobs} processes)" + (f"; {failed} failed" if failed else "")
    )
    if failed:
        sys.exit(ExitCode.PROBLEMS)
