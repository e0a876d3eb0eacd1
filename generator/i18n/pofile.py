"""A small, fast reader for the plain gettext .po files this project writes, falling back to Babel's.

Babel's ``read_po`` builds a full ``Catalog`` (MIME headers through the ``email`` package, dates,
plural rules, locations) and importing it costs more than a ``kpigen build`` spends on its
translations otherwise. What the workbook needs is less: each entry's msgid, msgstr and whether
it is marked fuzzy. This module reads that from the common form of a .po file (comments, one
``msgid`` and one ``msgstr`` per entry, quoted strings, UTF-8) and gives exactly what Babel
would. Anything outside that form (plurals, contexts, obsolete ``#~`` entries, a duplicate msgid,
an unusual header, a line Babel would warn about or refuse) is not guessed at: ``read_entries``
then returns what Babel's reader gives for the same bytes, errors included. A test compares the
two on every .po and .pot under ``locales/`` and on each of those cases.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_UNESCAPE = re.compile(r'\\([\\abfnrtv"])')  # Babel's unescape: these escapes, any other backslash kept
_UNESCAPE_MAP = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_BYTES_WHITESPACE = " \t\n\r\x0b\x0c"  # what bytes.strip() removes: Babel strips each line as bytes
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)")
_CHARSET = re.compile(r"text/plain;[ \t]*charset=(utf-8|utf8|charset)", re.IGNORECASE)
_PLURAL_FORMS = re.compile(r"nplurals=\d+;[ \t]*plural=[^;]*;?")
_LANGUAGE = re.compile(r"(?:[A-Za-z]{2,3}(?:[_-][A-Za-z]{2})?)?")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?:([+-])(\d{2})(\d{2}))?")


@dataclass(frozen=True)
class Entry:
    """One message as Babel's catalogue shows it: msgid, msgstr, and the ``fuzzy`` flag."""

    id: str
    string: str
    fuzzy: bool


class PoError(ValueError):
    """Babel's ``PoFileError`` (the same message), as a ValueError: callers need not import Babel."""


class _Unusual(Exception):
    """Outside the plain form this reader knows: Babel's reader decides."""


def read_entries(data: bytes, *, abort_invalid: bool = True) -> list[Entry]:
    """The entries of a .po file's bytes in file order, without the header (msgid "").

    Raises what Babel's ``read_po`` raises for the same bytes (``UnicodeDecodeError``,
    ``ValueError``; its ``PoFileError`` as ``PoError``, with the same message); with
    ``abort_invalid=False`` a malformed file is read as Babel reads it, warnings included.
    """
    try:
        return _read_plain(data)
    except _Unusual:
        return _read_with_babel(data, abort_invalid)


def _read_with_babel(data: bytes, abort_invalid: bool) -> list[Entry]:
    import io

    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=abort_invalid)
    except PoFileError as error:
        raise PoError(str(error)) from None
    return [
        Entry(m.id, m.string, m.fuzzy)
        for m in catalog
        if m.id and isinstance(m.id, str) and isinstance(m.string, str)  # plurals: not interface strings
    ]


def _read_plain(data: bytes) -> list[Entry]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unusual from None
    entries: list[Entry] = []
    seen: set[str] = set()
    flags: set[str] = set()
    msgid: list[str] | None = None
    msgstr: list[str] | None = None

    def finish() -> None:
        nonlocal msgid, msgstr, flags
        if msgid is None:
            if msgstr is not None:
                raise _Unusual  # a msgstr without its msgid
            return
        if msgstr is None:
            raise _Unusual  # Babel reports the missing msgstr
        key, string = "".join(map(_unescape, msgid)), "".join(map(_unescape, msgstr))
        if key == "":
            _check_header(string)  # Babel reads its fields (charset, plural forms, dates, language)
        elif key in seen:
            raise _Unusual  # Babel merges duplicates
        else:
            seen.add(key)
            entries.append(Entry(key, string, "fuzzy" in flags))
        msgid, msgstr, flags = None, None, set()

    for raw in text.split("\n"):
        line = raw.strip(_BYTES_WHITESPACE)
        if not line:
            continue
        if line[0] == "#":
            if line[1:2] in ("-", "~") or "\u2068" in line or "\u2069" in line:
                raise _Unusual  # conflict markers, obsolete entries, isolated locations
            finish()
            if line[:2] == "#,":
                flags.update(flag.strip() for flag in line[2:].lstrip().split(","))
            continue
        if line[0] == '"':
            part = _string(line)
            if msgstr is not None:
                msgstr.append(part)
            elif msgid is not None:
                msgid.append(part)
            else:
                raise _Unusual  # Babel: a string outside msgid or msgstr
            continue
        keyword, _, argument = line.partition(" ")
        if keyword == "msgid":
            finish()
            msgid = [_string(argument.strip(_BYTES_WHITESPACE))]
        elif keyword == "msgstr" and msgid is not None and msgstr is None:
            msgstr = [_string(argument.strip(_BYTES_WHITESPACE))]
        else:
            raise _Unusual  # msgctxt, msgid_plural, msgstr[n], or a keyword out of place
    finish()
    return entries


def _string(token: str) -> str:
    if not _STRING.fullmatch(token):
        raise _Unusual
    return token


def _unescape(token: str) -> str:
    inner = token[1:-1]
    if "\\" not in inner:
        return inner
    return _UNESCAPE.sub(lambda m: _UNESCAPE_MAP.get(m.group(1), m.group(1)), inner)


def _check_header(header: str) -> None:
    """Only headers whose every field Babel reads without error; anything else goes to Babel."""
    lines = header.split("\n")
    while lines and not lines[-1]:
        lines.pop()
    for line in lines:
        match = _HEADER_LINE.fullmatch(line)
        if match is None or "\r" in line:  # email folds, splits or trims such lines its own way
            raise _Unusual
        name, value = match.group(1).lower(), match.group(2)
        if name == "content-type" and not _CHARSET.fullmatch(value):
            raise _Unusual
        if name == "plural-forms" and not _PLURAL_FORMS.fullmatch(value):
            raise _Unusual
        if name == "language" and not _LANGUAGE.fullmatch(value):
            raise _Unusual
        if name == "pot-creation-date" or (name == "po-revision-date" and "YEAR" not in value):
            _check_date(value)


def _check_date(value: str) -> None:
    if not value.strip():
        return
    match = _DATE.fullmatch(value)
    if match is None:
        raise _Unusual
    year, month, day, hour, minute, sign, tz_hours, tz_minutes = match.groups()
    try:
        datetime.datetime(int(year), int(month), int(day), int(hour), int(minute))
    except ValueError:
        raise _Unusual from None
    if sign is not None and int(tz_hours) * 60 + int(tz_minutes) >= 24 * 60:
        raise _Unusual
