"""Errors a user can cause, and the one exit-code contract every command keeps.

Anything that is not a ``UserError`` is a bug; the command line reports it in one line with
``ExitCode.INTERNAL``. Anything a user can trigger with a file, an option or a typed value
must be one of these, so that a script can tell "your workbook has problems" (1) from "the
tool could not do its job" (2 to 5).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar


class ExitCode(IntEnum):
    """Exit codes, the same for every command (README, "Exit codes")."""

    OK = 0
    PROBLEMS = 1  # the workbook, catalogue or data was read and has problems
    USAGE = 2  # a bad option or argument (click's own usage errors use 2 too)
    UNREADABLE = 3  # an input file is missing, unreadable, refused, or not what it should be
    NOT_WRITTEN = 4  # an output could not be written: exists without --force, disk, permission, pipe
    ENVIRONMENT = 5  # a program the command needs (LibreOffice) is missing or failed
    INTERNAL = 70  # a bug in kpigen (EX_SOFTWARE)
    INTERRUPTED = 130  # stopped by Ctrl-C (128 + SIGINT, as shells report it)


class UserError(Exception):
    """A problem the user can fix, reported as one line and an exit code; by default a bad option."""

    exit_code: ClassVar[ExitCode] = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class OptionError(UserError):
    """A refused option (exit 2; 422 from the server): the field at fault, a stable code, and an msgid
    with ``{placeholders}`` filled from ``values``. ``message`` is the English sentence; the server
    translates ``msgid`` where it is shown. The rules live in ``generator.template.options``."""

    def __init__(self, field: str, code: str, msgid: str, **values: Any) -> None:
        super().__init__(msgid.format(**values) if values else msgid)
        self.field = field
        self.code = code
        self.msgid = msgid
        self.values = values

    @property
    def option(self) -> str:
        """The command-line option naming the field (``first_month`` -> ``--first-month``)."""
        return "--" + self.field.replace("_", "-")


class CatalogError(UserError):
    """A catalogue that cannot be used; ``problems`` holds every finding, one line each."""

    exit_code = ExitCode.PROBLEMS

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems:\n" + "\n".join(problems))
        self.problems = problems


class UnreadableCatalog(CatalogError):
    """A catalogue file that is missing or cannot be read at all (not one with problems in it)."""

    exit_code = ExitCode.UNREADABLE


class UnreadableInput(UserError):
    """An input file that is missing, cannot be read, or is refused before its content is judged."""

    exit_code = ExitCode.UNREADABLE


class UnreadableWorkbook(UnreadableInput):
    """A file the validator cannot or will not read (wrong type, encrypted, hostile, corrupt)."""


class OutputError(UserError):
    """An output that could not be written (permission, full disk, closed pipe, a folder in the way)."""

    exit_code = ExitCode.NOT_WRITTEN


class OutputExists(OutputError):
    """Refusal to overwrite a file the user may have filled."""


class EnvironmentProblem(UserError):
    """A program or package the command needs is missing or failed."""

    exit_code = ExitCode.ENVIRONMENT


class DataError(UserError):
    """Data that was read and has problems (a batch list, an imported table, workbooks that do not
    combine): exit 1, like a catalogue with problems."""

    exit_code = ExitCode.PROBLEMS
