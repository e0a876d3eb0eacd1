"""The fast .po reader gives what Babel's ``read_po`` gives: the independent reference is Babel itself.

Every case is read both ways from the same bytes. The project's own files, and the plain forms a
translator's editor writes, must take the fast path (no Babel); anything else must come out
exactly as Babel reads it, errors included.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import PoFileError, read_po

from generator.i18n import pofile
from generator.i18n.pofile import Entry, PoError, read_entries
from generator.paths import LOCALES_DIR

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: kpi 0.1.0\\n"\n"Language: de\\n"\n'
    '"POT-Creation-Date: 2026-11-23 15:31+0000\\n"\n"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
)

PLAIN = {
    "simple": HEADER + 'msgid "Save"\nmsgstr "Speichern"\n',
    "fuzzy and other flags": HEADER
    + '#, fuzzy, python-brace-format\nmsgid "A {n}"\nmsgstr "B {n}"\n\n#,fuzzy\nmsgid "C"\nmsgstr "D"\n'
    + '#, python-format\nmsgid "E"\nmsgstr "F"\n',
    "continued lines": HEADER + 'msgid ""\n"Long "\n"text"\nmsgstr ""\n"Langer "\n  "Text"  \n',
    "escapes": HEADER + 'msgid "a\\nb\\t\\"c\\" \\\\ \\x \\a"\nmsgstr "d\\re\\v\\f\\b"\n',
    "empty and untranslated": HEADER + 'msgid "X"\nmsgstr ""\n\nmsgid "Y"\nmsgstr "Z"\n',
    "comments everywhere": HEADER + "# translator\n#. extracted\n#: a.py:3 b.py\n"
    'msgid "X"\nmsgstr "Y"\n# after\n#: c.py\nmsgid "Z"\nmsgstr "W"\n',
    "crlf line ends": (HEADER + 'msgid "X"\nmsgstr "Y"\n').replace("\n", "\r\n"),
    "no header": 'msgid "X"\nmsgstr "Y"\n',
    "a template": HEADER.replace("Language: de", "Language: ") + 'msgid "X"\nmsgstr ""\n',
    "unicode": HEADER + 'msgid "Done"\nmsgstr "Tamamlandı — ğüşiöç İ"\n',
}

UNUSUAL = {
    "context": HEADER + 'msgctxt "menu"\nmsgid "X"\nmsgstr "Y"\n',
    "plural": HEADER + 'msgid "1 file"\nmsgid_plural "{n} files"\nmsgstr[0] "a"\nmsgstr[1] "b"\n',
    "obsolete": HEADER + 'msgid "X"\nmsgstr "Y"\n#~ msgid "Old"\n#~ msgstr "Alt"\n',
    "duplicate msgid": HEADER + '#, fuzzy\nmsgid "X"\nmsgstr "Y"\n\nmsgid "X"\nmsgstr "Z"\n',
    "msgstr twice": HEADER + 'msgid "X"\nmsgstr "Y"\nmsgstr "Z"\n',
    "orphan msgstr": HEADER + 'msgstr "Y"\nmsgid "X"\nmsgstr "Z"\n',
    "unclosed quote": HEADER + 'msgid "X\nmsgstr "Y"\n',
    "text after the quote": HEADER + 'msgid "X" y\nmsgstr "Y"\n',
    "latin-1 charset": HEADER.replace("charset=utf-8", "charset=iso-8859-1") + 'msgid "X"\nmsgstr "Y"\n',
    "placeholder charset": HEADER.replace("charset=utf-8", "charset=CHARSET") + 'msgid "X"\nmsgstr "Y"\n',
    "region in the language": HEADER.replace("Language: de", "Language: de-DE") + 'msgid "X"\nmsgstr "Y"\n',
    "comments only": "# just a comment\n#, fuzzy\n",
    "empty file": "",
    "fuzzy header": "#, fuzzy\n" + HEADER + 'msgid "X"\nmsgstr "Y"\n',
    "string after the header": HEADER + '"stray"\nmsgid "X"\nmsgstr "Y"\n',
}
FALLBACK = ["context", "plural", "obsolete", "duplicate msgid", "msgstr twice", "orphan msgstr", "latin-1 charset"]
"""Forms the fast reader must leave to Babel (the other unusual cases may be read either way)."""

INVALID = {
    "missing msgstr": HEADER + 'msgid "X"\n\nmsgid "Y"\nmsgstr "Z"\n',
    "string outside an entry": '"stray"\nmsgid "X"\nmsgstr "Y"\n',
    "tab after keyword": HEADER + 'msgid\t"X"\nmsgstr "Y"\n',
    "a folded header line": HEADER.replace('"Language: de\\n"', '"Language: de\\n"\n"  more\\n"')
    + 'msgid "X"\nmsgstr "Y"\n',
    "unknown keyword": HEADER + 'msgid "X"\nmsgstring "Y"\n',
    "conflict marker": HEADER + '#-#-#-#-#  a.po  #-#-#-#-#\nmsgid "X"\nmsgstr "Y"\n',
    "bad creation date": HEADER.replace("2026-11-23 15:31+0000", "2026-13-45 15:31+0000") + 'msgid "X"\nmsgstr "Y"\n',
    "bad plural forms": HEADER.replace("nplurals=2", "nplurals=two") + 'msgid "X"\nmsgstr "Y"\n',
    "not utf-8": HEADER + 'msgid "X"\nmsgstr "\xff"\n',
}


def babel_entries(data: bytes, abort_invalid: bool = True) -> list[Entry]:
    catalog = read_po(io.BytesIO(data), abort_invalid=abort_invalid)
    return [Entry(m.id, m.string, m.fuzzy) for m in catalog if m.id and isinstance(m.string, str)]


def encode(text: str) -> bytes:
    return text.encode("latin-1") if "\xff" in text else text.encode("utf-8")


@pytest.mark.parametrize("path", sorted(LOCALES_DIR.rglob("*.po*")), ids=lambda p: p.name)
def test_the_projects_own_files_take_the_fast_path_and_read_as_babel_reads_them(path: Path) -> None:
    data = path.read_bytes()
    fast = pofile._read_plain(data)  # raises if it would have needed Babel
    assert len(fast) > 200
    assert fast == babel_entries(data)


@pytest.mark.parametrize("name", PLAIN)
def test_plain_files_take_the_fast_path(name: str) -> None:
    data = encode(PLAIN[name])
    assert pofile._read_plain(data) == babel_entries(data)


@pytest.mark.parametrize("name", UNUSUAL)
def test_unusual_files_read_as_babel_reads_them(name: str) -> None:
    data = encode(UNUSUAL[name])
    assert read_entries(data) == babel_entries(data)
    assert read_entries(data, abort_invalid=False) == babel_entries(data, abort_invalid=False)


@pytest.mark.parametrize("name", FALLBACK)
def test_plurals_contexts_obsolete_entries_and_duplicates_are_left_to_babel(name: str) -> None:
    with pytest.raises(pofile._Unusual):
        pofile._read_plain(encode(UNUSUAL[name]))


@pytest.mark.parametrize("name", INVALID)
def test_an_invalid_file_fails_as_babel_fails(name: str) -> None:
    data = encode(INVALID[name])
    with pytest.raises((PoFileError, ValueError)) as babel_error:
        babel_entries(data)
    with pytest.raises(ValueError) as ours:
        read_entries(data)
    assert str(ours.value) == str(babel_error.value)
    if isinstance(babel_error.value, PoFileError):
        assert isinstance(ours.value, PoError)
    else:
        assert type(ours.value) is type(babel_error.value)


@pytest.mark.parametrize("name", INVALID)
def test_an_invalid_template_is_read_as_babel_reads_it_without_aborting(name: str) -> None:
    data = encode(INVALID[name])
    try:
        expected: object = babel_entries(data, abort_invalid=False)
    except ValueError as error:
        expected = (type(error), str(error))
    try:
        found: object = read_entries(data, abort_invalid=False)
    except ValueError as error:
        found = (type(error), str(error))
    assert found == expected


def test_escapes_are_babels() -> None:
    """Checked by hand against Babel's unescape table: \\n \\t \\" \\\\ decoded, \\x kept as written."""
    (entry,) = read_entries(encode(PLAIN["escapes"]))
    assert entry.id == 'a\nb\t"c" \\ \\x \a'
    assert entry.string == "d\re\v\f\b"
