"""Command line: thin commands over library functions, one module per command.

Every command keeps one exit-code contract (``generator.errors.ExitCode``): a ``UserError`` is
one line on stderr and its code, and anything else is reported as an internal error in one line
(set ``KPIGEN_DEBUG=1`` for the traceback).

Start-up is most of a short command's time, so the group imports a command's module only when
that command runs (or its own ``--help`` is asked for): ``kpigen --help`` lists the commands from
the first paragraph of their help, kept in ``COMMANDS`` (a test holds it equal to each command's
own), and imports none of them. Heavy modules (the writer, openpyxl, Babel's data) are imported
inside the commands that need them.
"""

from __future__ import annotations

import gc
from gettext import gettext as click_text  # click's own headings go through it
from importlib import import_module
from typing import Any

import click

from generator import __version__
from generator.cli.run import run

COMMANDS: dict[str, tuple[str, str]] = {
    "build": (
        "generator.cli.build:build",
        "Build workbook(s) from a catalogue, or a batch of them from a list (--batch).",
    ),
    "catalog": ("generator.cli.catalog:catalog", "Work with catalogues: the bundled ones, or your own files."),
    "consolidate": (
        "generator.cli.consolidate:consolidate",
        "Add up WORKBOOKS (two or more, of one catalogue version, currency and fiscal year).",
    ),
    "export": (
        "generator.cli.export:export",
        "Write every input and KPI of FILLED, per month, quarter and year, as a long table.",
    ),
    "import": ("generator.cli.import_:import_", "Build a workbook filled with the monthly input values in DATA."),
    "regenerate": (
        "generator.cli.regenerate:regenerate",
        "Rebuild FILLED as a fresh workbook (another language, catalogue version, currency or year), "
        "carrying over every input value, setting and changed target; values without a place go to a "
        '"Carried over" sheet. FILLED is only read.',
    ),
    "serve": (
        "generator.cli.serve:serve",
        "Serve the download page, the upload pages and the JSON API (/openapi.json).",
    ),
    "sql": (
        "generator.cli.sql:sql",
        "Print one SQL query returning (month, input, value) rows for the fiscal year, over tables named as the "
        "profile names them (deals, contacts, ...).",
    ),
    "validate": ("generator.cli.validate:validate", "Check a filled workbook: inputs, formulas and every KPI value."),
}
"""Each command: where it is defined (``module:attribute``), and the first paragraph of its help."""

UNCOLLECTED = frozenset({"build"})
"""Commands that run with Python's cyclic garbage collector off, as the start-up before them does
(``entry``). Importing the commands and building a workbook allocate hundreds of thousands of objects
that live to the end and make no garbage cycles, so the collector's passes over them find nothing:
about a tenth of a whole ``kpigen build`` (peak memory: the same for the CRM workbook, 4% more for
208 KPIs). Every other command, and ``build --batch``, turns it back on."""


class Utf8Text(click.types.StringParamType):
    """Click's text type, refusing text that is not UTF-8: a Latin-1 terminal's ``\\xd6rnek``
    reaches Python as lone surrogates, which no workbook, CSV or JSON can hold (a usage error, 2).
    File names keep their own type: a non-UTF-8 name is a real file's name."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = super().convert(value, param, ctx)
        if isinstance(text, str):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                self.fail(f"'{shown}' is not UTF-8 text; set the terminal to UTF-8 and type it again", param, ctx)
        return text


FILE_NAMES = frozenset({"out", "catalogs"})
"""Text parameters that name files (``--out``, ``catalog check ID|FILE...``): a file name need not
be UTF-8 (an old Latin-1 disk), and the file system takes its bytes back unchanged."""


def utf8_only(command: click.Command) -> click.Command:
    """Give every plain text option and argument of ``command`` (and of its subcommands) ``Utf8Text``,
    except those that name files."""
    for param in command.params:
        if type(param.type) is click.types.StringParamType and param.name not in FILE_NAMES:
            param.type = Utf8Text()
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            utf8_only(sub)
    return command


class LazyGroup(click.Group):
    """A group whose commands are imported on first use; the listing needs only their summaries."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name][0].partition(":")
            command = getattr(import_module(module), attribute)
            assert isinstance(command, click.Command) and command.name == cmd_name, cmd_name
            self.add_command(utf8_only(command))
        if cmd_name not in UNCOLLECTED:
            gc.enable()
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """A name that is no command: register them all, so click's error (and its "Did you mean")
        is the one it gives with every command registered."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            if all(name in self.commands for name in self.lazy):
                raise
            for name in self.lazy:
                self.get_command(ctx, name)
            return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing, as click writes it, from summaries: a command not yet imported stays so."""
        names = self.list_commands(ctx)
        listed = [self.commands.get(name) or click.Command(name, help=self.lazy[name][1]) for name in names]
        shown = [(name, command) for name, command in zip(names, listed, strict=True) if not command.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        with formatter.section(click_text("Commands")):  # click's heading, translated as click does
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in shown])


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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


def entry() -> None:
    """Console entry point (``kpigen``): the group under the exit-code contract, the garbage collector
    off until a command other than those in ``UNCOLLECTED`` is imported."""
    gc.disable()
    try:
        run(main)
    finally:
        gc.enable()


if __name__ == "__main__":  # pragma: no cover
    entry()
