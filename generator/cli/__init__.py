"""Command line: thin commands over library functions, one module per command.

Every command keeps one exit-code contract (``generator.errors.ExitCode``): a ``UserError`` is
one line on stderr and its code, and anything else is reported as an internal error in one line
(set ``KPIGEN_DEBUG=1`` for the traceback). Heavy modules (the writer, openpyxl, Babel's data)
are imported inside the commands that need them, so ``--help`` and ``catalog check`` start fast.
"""

from __future__ import annotations

import click

from generator import __version__
from generator.cli.run import run


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kpigen")
def main() -> None:
    """Generate localised Excel KPI dashboard templates from a catalogue, and check filled ones.

    \b
    Exit codes, the same for every command (README, "Exit codes"):
      0 done   1 read, and has problems   2 bad option or argument
      3 an input file is missing, unreadable or refused
      4 an output could not be written (exists without --force, disk full, closed pipe)
      5 a needed program is missing or failed (LibreOffice)   70 a bug   130 interrupted
    """


def _register() -> None:
    from generator.cli.build import build
    from generator.cli.catalog import catalog
    from generator.cli.consolidate import consolidate
    from generator.cli.export import export
    from generator.cli.import_ import import_
    from generator.cli.regenerate import regenerate
    from generator.cli.serve import serve
    from generator.cli.validate import validate

    for command in (build, catalog, validate, import_, regenerate, serve, export, consolidate):
        main.add_command(command)


_register()


def entry() -> None:
    """Console entry point (``kpigen``): the group under the exit-code contract."""
    run(main)


if __name__ == "__main__":  # pragma: no cover
    entry()
