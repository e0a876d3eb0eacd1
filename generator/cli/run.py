"""Running the click group under the exit-code contract, with no traceback for a user."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from generator.errors import ExitCode, UserError


class Failure(click.ClickException):
    """A UserError shown the click way: ``Error: message`` on stderr and the error's exit code."""

    def __init__(self, error: UserError) -> None:
        super().__init__(error.message)
        self.exit_code = int(error.exit_code)  # type: ignore[misc]  # click reads it per instance


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a UserError raised inside a command into its one-line message and exit code."""
    try:
        yield
    except UserError as error:
        raise Failure(error) from None


def run(group: click.Group) -> None:
    """Run ``group``; an unexpected exception is one line and ``ExitCode.INTERNAL``."""
    try:
        group.main(standalone_mode=True)
    except Exception as error:
        if os.environ.get("KPIGEN_DEBUG"):
            raise
        click.echo(
            f"kpigen: internal error ({type(error).__name__}: {error}); this is a bug, please report it "
            "(KPIGEN_DEBUG=1 shows the traceback)",
            err=True,
        )
        sys.exit(ExitCode.INTERNAL)
