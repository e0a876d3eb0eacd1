"""Uploaded workbooks: bounded, kept in a private temporary folder for one request, always removed.

The client's file name is only ever shown (cleaned), never used as a path: the file is written
as ``upload.xlsx`` in a fresh ``mkdtemp`` folder (mode 0700), which is deleted when the request
ends, whatever happens. The validator's own guards (``generator.validate.safe_open``: wrong
kind, zip bombs, XML entities, absurd sizes) then decide whether it is read at all.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UnreadableWorkbook, UserError
from generator.server.problems import N_, Problem
from generator.server.settings import ServerSettings
from generator.validate.file_kind import ZIP_MAGICS
from generator.validate.refusals import clean, human_size
from generator.validate.report import Report

_STORED_NAME = "upload.xlsx"
_CLI_HINT = re.compile(r"; if you trust the file, raise the limits? with .*$")


@dataclass(frozen=True)
class Upload:
    name: str
    """What the user called the file, cleaned for display; never a path."""
    data: bytes


def display_name(filename: str | None) -> str:
    """The last part of a client's file name, printable and bounded (``C:\\x\\Bütçe.xlsx`` -> ``Bütçe.xlsx``)."""
    base = re.split(r"[\\/]", filename or "")[-1].strip()
    return clean(base, 120) if base else "upload.xlsx"


def checked(filename: str | None, data: bytes, settings: ServerSettings) -> Upload:
    """Refuse an empty or oversized upload before anything reads it."""
    if len(data) > settings.max_upload_bytes:
        raise Problem(
            413,
            "upload-too-large",
            N_("The file is {size}; this server accepts files up to {limit}."),
            "file",
            {"size": human_size(len(data)), "limit": human_size(settings.max_upload_bytes)},
        )
    if not data:
        raise Problem(400, "empty-upload", N_("The uploaded file is empty; choose a filled .xlsx workbook."), "file")
    return Upload(display_name(filename), data)


@contextmanager
def stored(upload: Upload) -> Iterator[Path]:
    """The upload as a file in a private folder that is removed on leaving, even after an error."""
    with tempfile.TemporaryDirectory(prefix="kpigen-upload-") as folder:
        path = Path(folder) / _STORED_NAME
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(upload.data)
        yield path


def refusal(error: UserError, path: Path, upload: Upload) -> Problem:
    """The validator's one-line refusal, naming the user's file instead of the temporary one.

    415 when the file is not a zip package at all (not an .xlsx), 422 when it is one but is
    refused (hostile, encrypted, damaged, not a kpigen workbook).
    """
    reason = error.message.replace(str(path), upload.name)
    reason = _CLI_HINT.sub("", reason)
    not_xlsx = isinstance(error, UnreadableWorkbook) and not upload.data.startswith(ZIP_MAGICS)
    return Problem(
        415 if not_xlsx else 422,
        "not-xlsx" if not_xlsx else "unreadable-workbook",
        N_("The file was refused: {reason}"),
        "file",
        {"reason": reason},
    )


def validate_upload(upload: Upload, settings: ServerSettings) -> Report:
    """Run the validator on an upload, exactly as ``kpigen validate`` does on a file."""
    from generator.validate.run import Options, validate

    with stored(upload) as path:
        try:
            report = validate(path, Options(limits=settings.read_limits()))
        except UserError as error:
            raise refusal(error, path, upload) from None
    report.file = upload.name
    return report
