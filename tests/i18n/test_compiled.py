"""Translations through gettext: the .mo compiled from a .po says what Babel reads in the .po.

The reference is Babel's own ``read_po`` (and the standard library's gettext reading the .mo):
every non-fuzzy translation of the bundled catalogues comes back as written; fuzzy, empty and
placeholder-breaking ones are reported, never shown. A .mo beside the .po is used only when it
was compiled from those very files; otherwise one is compiled into the cache, once.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from generator.errors import UnreadableInput
from generator.i18n import compiled
from generator.i18n.messages import Messages, po_path, pot_path

HEADER = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
POT = HEADER + "".join(f'msgid "{m}"\nmsgstr ""\n\n' for m in ("Save", "Open {name}", "Close", "Quit", "Help"))
PO = HEADER + (
    'msgid "Save"\nmsgstr "Speichern"\n\n'
    'msgid "Open {name}"\nmsgstr "{name} öffnen"\n\n'
    '#, fuzzy\nmsgid "Close"\nmsgstr "Schließen"\n\n'
    'msgid "Quit"\nmsgstr "Beenden {what}"\n\n'  # a placeholder the msgid does not have
    'msgid "Help"\nmsgstr ""\n'
)


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "kpigen" / "mo"


def _files(folder: Path, po: str = PO) -> tuple[Path, Path]:
    (folder / "de" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    (folder / "messages.pot").write_text(POT, encoding="utf-8")
    path = folder / "de" / "LC_MESSAGES" / "messages.po"
    path.write_text(po, encoding="utf-8")
    return path, folder / "messages.pot"


def test_usable_translations_are_read_and_the_rest_reported(tmp_path: Path) -> None:
    po, pot = _files(tmp_path)
    found = compiled.load(po, pot)
    assert found.lookup("Save") == "Speichern"
    assert found.lookup("Open {name}") == "{name} öffnen"
    assert [found.lookup(m) for m in ("Close", "Quit", "Help", "Unknown")] == [None, None, None, None]
    assert found.broken == {"Quit"}
    assert found.missing == {"Close", "Quit", "Help"}


def test_a_fallback_answers_what_the_catalogue_lacks(tmp_path: Path) -> None:
    po, pot = _files(tmp_path)
    other = tmp_path / "other.po"
    other.write_text(HEADER + 'msgid "Help"\nmsgstr "Hilfe"\n\nmsgid "Save"\nmsgstr "Sichern"\n', encoding="utf-8")
    found = compiled.load(po, pot, compiled.load(other, pot))
    assert (found.lookup("Help"), found.lookup("Save"), found.lookup("Close")) == ("Hilfe", "Speichern", None)


def test_compiled_once_into_the_cache_and_again_after_an_edit(tmp_path: Path, cache: Path) -> None:
    po, pot = _files(tmp_path)
    compiled.load(po, pot)
    first = sorted(cache.glob("*.mo"))
    compiled.load(po, pot)
    assert sorted(cache.glob("*.mo")) == first and len(first) == 1
    po.write_text(PO.replace("Speichern", "Sichern"), encoding="utf-8")
    assert compiled.load(po, pot).lookup("Save") == "Sichern"
    assert len(list(cache.glob("*.mo"))) == 2


def test_a_mo_beside_the_po_is_used_only_when_compiled_from_it(tmp_path: Path, cache: Path) -> None:
    po, pot = _files(tmp_path)
    compiled.compile_tree(tmp_path)
    assert compiled.load(po, pot).lookup("Save") == "Speichern"
    assert not cache.exists(), "the .mo beside the .po was read, nothing compiled"
    po.write_text(PO.replace("Speichern", "Sichern"), encoding="utf-8")  # the .mo beside it is stale now
    assert compiled.load(po, pot).lookup("Save") == "Sichern"


def test_an_unwritable_cache_still_translates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po, pot = _files(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert compiled.load(po, pot).lookup("Save") == "Speichern"


def test_a_po_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    po, _pot = _files(tmp_path)
    po.write_bytes(PO.encode("utf-8").replace("ö".encode(), b"\xf6"))  # Latin-1 in a file declared UTF-8
    with pytest.raises(UnreadableInput, match="cannot read this gettext catalogue"):
        Messages.load("de", "en", tmp_path)


@pytest.mark.parametrize("locale", ["en", "tr"])
def test_the_bundled_translations_are_what_babel_reads(locale: str) -> None:
    catalog = read_po(io.BytesIO(po_path(locale).read_bytes()))
    expected = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    found = compiled.load(po_path(locale), pot_path())
    assert {m: found.lookup(m) for m in expected} == expected
    if locale == "tr":
        assert expected and not found.missing and not found.broken
        messages = Messages.load("tr")
        assert messages.gettext("Start") == expected["Start"] and not messages.missing
