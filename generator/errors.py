"""Errors a user can cause: each carries a one-line message and the exit code the CLI returns.

Anything that is not a ``UserError`` is a bug and may show a traceback; anything a user can
trigger with a file, an option or a typed value must be one of these.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input, reported as one line and a non-zero exit code."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CatalogError(UserError):
    """A catalogue that cannot be used; ``problems`` holds every finding, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems:\n" + "\n".join(problems))
        self.problems = problems


class OutputExists(UserError):
    """Refusal to overwrite a file the user may have filled."""


class UnreadableWorkbook(UserError):
    """A file the validator cannot or will not read (wrong type, encrypted, hostile, corrupt)."""

    exit_code = 2
