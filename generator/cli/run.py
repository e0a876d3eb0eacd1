"""Running the click group under the exit-code contract, with no traceback for a user.

Beyond turning a ``UserError`` into its line and code, the wrapper keeps the promises no single
command can: a terminal that cannot show a character (``PYTHONIOENCODING=ascii``, a cp1252
console, a non-UTF-8 file name) gets an escape instead of a crash; a full disk or a closed pipe
on stdout (``kpigen ... > /dev/full``, ``kpigen ... | head -1``) is one line on stderr and exit 4.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import click

from generator.errors import ExitCode, OptionError, UserError


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
    except OptionError as error:  # the library's option rules, worded as click words its own: exit 2
        raise Failure(UserError(f"Invalid value for '{error.option}': {error.message}")) from None
    except UserError as error:
        raise Failure(error) from None


def _tolerant_streams() -> None:
    """Unencodable characters (and the surrogates of a non-UTF-8 file name) become escapes."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _output_failed(error: OSError) -> None:
    """stdout cannot take more (closed pipe, full disk): say so once on stderr and exit 4."""
    with suppress(OSError, ValueError):  # stdout is unusable: point it at nothing so exit does not flush it again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    reason = "the reader closed the pipe" if error.errno == errno.EPIPE else (error.strerror or str(error))
    with suppress(OSError, ValueError):
        sys.stderr.write(f"kpigen: cannot write the output: {reason}\n")
        sys.stderr.flush()
    sys.exit(ExitCode.NOT_WRITTEN)


def run(group: click.Group) -> None:
    """Run ``group``; an unexpected exception is one line and ``ExitCode.INTERNAL``."""
    _tolerant_streams()
    try:
        try:
            code = group.main(standalone_mode=False)  # click returns ctx.exit()'s code instead of exiting
        finally:
            sys.stdout.flush()
    except click.ClickException as error:
        with suppress(OSError):
            error.show()
        sys.exit(error.exit_code)
    except click.Abort:  # Ctrl-C, or end of input at a prompt
        with suppress(OSError):
            click.echo("kpigen: interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except OSError as error:
        if error.errno in (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT) or isinstance(error, BrokenPipeError):
            _output_failed(error)
        _internal(error)
    except SystemExit:
        if "PacifyFlushWrapper" in type(sys.stdout).__name__:  # click met EPIPE and would exit 1
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            _output_failed(BrokenPipeError(errno.EPIPE, "Broken pipe"))
        raise
    except Exception as error:
        _internal(error)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _internal(error: BaseException) -> None:
    if os.environ.get("KPIGEN_DEBUG"):
        raise error
    click.echo(
        f"kpigen: internal error ({type(error).__name__}: {error}); this is a bug, please report it "
        "(KPIGEN_DEBUG=1 shows the traceback)",
        err=True,
    )
    sys.exit(ExitCode.INTERNAL)
