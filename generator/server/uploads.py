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
from generator.server.problems import N_, Problem, Size
from generator.server.settings import ServerSettings
from generator.validate.file_kind import ZIP_MAGICS
from generator.validate.refusals import clean
from generator.validate.report import Report

_STORED_NAME = "upload.xlsx"
_CLI_HINT = re.compile(r"; if you trust the file, raise the limits? with .*$")
_PASS_CATALOG = re.compile(
    r"[;,] (if it was built from a catalogue, )?pass --catalog PATH|\(see 'kpigen catalog list'\)"
)


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
            {"size": Size(len(data)), "limit": Size(settings.max_upload_bytes)},
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


_PASSWORD = N_(
    "{file} is protected by a password; remove the password in Excel (File > Info > Protect Workbook), "
    "save it and upload it again."
)
_NOT_KPIGEN = N_(
    "{file} is not a workbook made on this page (it carries no KPI template properties); "
    "upload one you downloaded here."
)
_OTHER_CATALOG = N_("{file} was built from a catalogue this server does not have; it can check workbooks of {choices}.")
_NOT_XLSX = N_("{file} is not an Excel workbook (.xlsx); check that you chose the right file.")
_KINDS: tuple[tuple[str, int, str, str], ...] = (
    # (words in the validator's refusal, status, code (the API's, unchanged), what the page says: in its
    # language, naming the upload)
    ("password-protected", 422, "unreadable-workbook", _PASSWORD),
    ("has encrypted zip entries", 422, "unreadable-workbook", _PASSWORD),
    (
        "old binary Excel file",
        415,
        "not-xlsx",
        N_("{file} is an old Excel file (.xls); open it in Excel or LibreOffice, save it as .xlsx and upload that."),
    ),
    (
        "is a text/CSV file",
        415,
        "not-xlsx",
        N_(
            "{file} is a text (CSV) file, not an Excel workbook; open it in Excel or LibreOffice, "
            "save it as .xlsx and upload that."
        ),
    ),
    (
        "is an HTML or XML file",
        415,
        "not-xlsx",
        N_(
            "{file} is an HTML or XML file, not an Excel workbook; open it in Excel or LibreOffice, "
            "save it as .xlsx and upload that."
        ),
    ),
    (
        "OpenDocument",
        415,
        "not-xlsx",
        N_("{file} is an OpenDocument spreadsheet (.ods); save it as .xlsx in LibreOffice and upload that."),
    ),
    ("is empty (0 bytes)", 400, "empty-upload", N_("The uploaded file is empty; choose a filled .xlsx workbook.")),
    ("not a kpigen workbook", 422, "unreadable-workbook", _NOT_KPIGEN),
    ("catalog_id property is not", 422, "unreadable-workbook", _NOT_KPIGEN),
    ("which is not bundled", 422, "unreadable-workbook", _OTHER_CATALOG),
    ("not bundled with kpigen", 422, "unreadable-workbook", _OTHER_CATALOG),
    (
        "damaged or truncated",
        422,
        "unreadable-workbook",
        N_("{file} is damaged or cut short; save it again from Excel or LibreOffice and upload it again."),
    ),
    (
        "XML entity",
        422,
        "unreadable-workbook",
        N_(
            "{file} holds XML that no spreadsheet program writes (entity declarations), so it is not read; "
            "save it again from Excel or LibreOffice."
        ),
    ),
    (
        "zip bomb",
        422,
        "unreadable-workbook",
        N_("{file} unpacks to far more than its size (a possible zip bomb), so it is not read."),
    ),
    (
        "if you trust the file",
        422,
        "unreadable-workbook",
        N_(
            "{file} is larger than this server reads (too many cells, rows, columns, texts or parts); "
            "split it or upload the workbook as it was downloaded."
        ),
    ),
    ("not an Excel workbook", 415, "not-xlsx", _NOT_XLSX),
    ("is a zip file but not", 415, "not-xlsx", _NOT_XLSX),
)


def refusal(error: UserError, path: Path, upload: Upload, choices: str) -> Problem:
    """The validator's refusal as the page says it: in the page's language, naming the user's file,
    never a command-line option or the temporary file's name.

    415 when the file is not an .xlsx at all, 422 when it is one (or an encrypted one, as README
    says) but is refused: hostile, damaged, not a kpigen workbook. A refusal of a kind not listed
    here keeps the validator's sentence, with the temporary path and command-line hints taken out.
    """
    for words, status, code, message in _KINDS:
        if words in error.message:
            return Problem(status, code, message, "file", {"file": upload.name, "choices": choices})
    reason = error.message.replace(str(path), upload.name)
    reason = _CLI_HINT.sub("", reason)
    reason = _PASS_CATALOG.sub("", reason)
    not_xlsx = isinstance(error, UnreadableWorkbook) and not upload.data.startswith(ZIP_MAGICS)
    return Problem(
        415 if not_xlsx else 422,
        "not-xlsx" if not_xlsx else "unreadable-workbook",
        N_("The file was refused: {reason}"),
        "file",
        {"reason": reason},
    )


def validate_upload(upload: Upload, settings: ServerSettings, choices: str) -> Report:
    """Run the validator on an upload, exactly as ``kpigen validate`` does on a file."""
    from generator.validate.run import Options, validate

    with stored(upload) as path:
        try:
            report = validate(path, Options(limits=settings.read_limits()))
        except UserError as error:
            raise refusal(error, path, upload, choices) from None
    report.file = upload.name
    return report
