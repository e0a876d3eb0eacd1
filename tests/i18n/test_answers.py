"""Babel's answers kept between builds: each one Babel's own, and a build from them the same build.

Expected values come from Babel itself (asked directly, outside ``kept_answers``) and from a
build that asks Babel everything; the kept answers may only spare the import and the asking.
"""

from __future__ import annotations

import io
import json
import stat
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.dates import get_month_names
from babel.numbers import format_decimal, format_percent, get_currency_precision, is_currency

from generator.catalog import load_catalog
from generator.i18n import answers, formats
from generator.i18n.locales import canonical, parse_spelling
from generator.paths import CATALOG_DIR
from generator.template.options import check_currency
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions

BUILDS = [
    BuildOptions(locale="en", sample=True, year=2026),
    BuildOptions(locale="tr-TR", sample=True, year=2026, first_month=4),
    BuildOptions(locale="en-GB", sample=True, year=2026, currency="EUR"),
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KPIGEN_CACHE_DIR", str(folder))
    answers.forget()
    formats.NumberFormats.for_unit.cache_clear()  # type: ignore[attr-defined]
    formats._month_names.cache_clear()
    yield folder
    answers.forget()
    formats.NumberFormats.for_unit.cache_clear()  # type: ignore[attr-defined]
    formats._month_names.cache_clear()


def _parts(data: bytes) -> dict[str, bytes]:
    """A workbook's parts but its creation time (docProps/core.xml), which differs between builds."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def _builds() -> list[bytes]:
    catalog = load_catalog(CATALOG_DIR / "crm.yaml")
    with answers.kept_answers():
        check_currency("EUR")
        return [build_workbook(catalog, options).data for options in BUILDS]


def _babel(question: str) -> object:
    """Babel's own answer to a kept question, asked directly."""
    kind, *args = question.split("|")
    if kind in ("format_decimal", "format_percent"):
        code, typed, text = args
        value = float(text) if typed == "float" else int(text)
        ask = format_decimal if kind == "format_decimal" else format_percent
        return ask(value, locale=parse_spelling(code), decimal_quantization=False)
    if kind == "month_names":
        names = get_month_names(args[1], context="stand-alone", locale=parse_spelling(args[0]))
        return [names[m] for m in range(1, 13)]
    if kind == "currency_precision":
        return get_currency_precision(args[0])
    if kind == "is_currency":
        return is_currency(args[0])
    if kind == "canonical":
        locale = parse_spelling(args[0])
        return locale.language + (f"_{locale.territory}" if locale.territory else "")
    return None  # worked out by this project's code from Babel's data: held to a build below


def test_every_kept_answer_is_babels_own(cache: Path) -> None:
    _builds()
    where = cache / answers.FILE
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    kept = json.loads(where.read_text(encoding="utf-8"))["answers"]  # plain JSON
    assert kept["canonical|tr-TR"] == "tr_TR"
    assert kept["default_currency|tr_TR"] == "TRY"
    assert kept["currency_precision|EUR"] == 2
    assert kept["is_currency|EUR"] is True
    assert kept["month_names|tr_TR|wide"][0] == "Ocak"
    assert any(question.startswith("format_decimal|tr_TR|") for question in kept)
    checked = 0
    for question, found in kept.items():
        expected = _babel(question)
        if expected is not None:
            assert found == expected, question
            checked += 1
    assert checked >= 10


def test_a_build_from_kept_answers_imports_no_babel_and_is_the_same_build(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _builds()
    answers.forget()
    formats.NumberFormats.for_unit.cache_clear()  # type: ignore[attr-defined]
    formats._month_names.cache_clear()
    parse_spelling.cache_clear()  # Babel's Locale objects of the first builds
    kept_stamp = answers.stamp()
    monkeypatch.setattr(answers, "stamp", lambda: kept_stamp)  # it finds Babel's file, blocked below
    for name in [name for name in sys.modules if name == "babel" or name.startswith("babel.")]:
        monkeypatch.setitem(sys.modules, name, None)  # importing Babel now fails
    try:
        found = _builds()
    finally:
        parse_spelling.cache_clear()
    assert [_parts(data) for data in found] == [_parts(data) for data in expected]


def test_a_stale_or_broken_file_is_the_same_as_none(cache: Path) -> None:
    cache.mkdir()
    where = cache / answers.FILE
    for planted in (b"not json", json.dumps({"stamp": "kpigen 0.0.1", "answers": {"canonical|en": "xx"}}).encode()):
        where.write_bytes(planted)
        assert answers.recall(where) == 0
    with answers.kept_answers():
        assert canonical("en") == "en"


def test_outside_a_build_nothing_is_kept(cache: Path) -> None:
    assert formats.format_number(1234.5, "tr") == "1.234,5"
    assert answers._kept == {}
    assert not cache.exists()
