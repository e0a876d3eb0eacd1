"""The gettext catalogues match the code: every interface string is in the template and translated.

Babel's own extractor runs over ``generator/`` with the method map of ``babel.cfg`` and its
default keywords (``_`` and ``gettext``, which also finds ``texts.gettext(...)``), exactly as
``pybabel extract`` does, so a string added to a sheet writer without re-extracting fails here
with the commands to run (docs/translating.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from generator.catalog import Catalog
from generator.i18n import Texts, available_locales
from generator.i18n.messages import SOURCE_LOCALE, placeholders, po_path
from generator.paths import LOCALES_DIR
from generator.workbook.build import sheet_names
from tests.checkout import ROOT

SHEET_MSGIDS = [
    "Start",
    "Settings",
    "Inputs",
    "KPIs",
    "Dashboard",
    "Definitions",
    "Scorecard",
    "Chart data",
    "Prior year",
    "Prior-year KPIs",
]
STATUS_MSGIDS = ["On track", "At risk", "Off track"]
FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")
UPDATE = (
    "pybabel extract -F babel.cfg -c Translators: --no-wrap --sort-output --add-location=file "
    '--project kpi-template-generator --copyright-holder "kpi-template-generator contributors" '
    "-o locales/messages.pot.new generator && mv locales/messages.pot.new locales/messages.pot && "
    "pybabel update -i locales/messages.pot -d locales -D messages --no-wrap --ignore-pot-creation-date"
)
"""The commands of docs/translating.md that bring the template and every catalogue up to date."""
TRANSLATED = [code for code in available_locales() if code != SOURCE_LOCALE]


def extracted() -> dict[str, list[str]]:
    """msgid -> where it is used, as Babel finds them in the code today."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT / "generator", method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.setdefault(text, []).append(f"generator/{filename}:{lineno}")
    return found


def in_workbook(message: Message) -> bool:
    """A string the workbook writer puts into a file (Excel limits apply), not a validator message."""
    return any(filename.startswith("generator/workbook/") for filename, _line in message.locations)


def read(path: Path) -> PoCatalog:
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def code_ids() -> dict[str, list[str]]:
    found = extracted()
    assert len(found) > 50, "the extractor found almost nothing: is babel.cfg right?"
    return found


@pytest.fixture(scope="module")
def pot_ids() -> set[str]:
    return {str(m.id) for m in read(LOCALES_DIR / "messages.pot") if m.id}


def test_babel_cfg_finds_both_call_styles(code_ids: dict[str, list[str]]) -> None:
    """``_("...")`` in the sheet writers and ``texts.gettext("...")`` in build.py."""
    assert any("sheet_start.py" in where for where in code_ids["How to use this workbook"])
    assert any("build.py" in where for where in code_ids["Your company"])


def test_every_string_in_the_code_is_in_the_template(code_ids: dict[str, list[str]], pot_ids: set[str]) -> None:
    missing = {m: code_ids[m][0] for m in sorted(code_ids.keys() - pot_ids)}
    assert not missing, f"not in locales/messages.pot: {missing}; run: {UPDATE}"


def test_template_has_no_stale_strings(code_ids: dict[str, list[str]], pot_ids: set[str]) -> None:
    """A msgid the code no longer uses only costs translators work."""
    stale = sorted(pot_ids - code_ids.keys())
    assert not stale, f"locales/messages.pot lists strings the code no longer uses: {stale}; run: {UPDATE}"


def test_template_has_no_line_numbers() -> None:
    """Locations name files only, so moving code does not rewrite the .pot and every .po."""
    text = (LOCALES_DIR / "messages.pot").read_text(encoding="utf-8")
    assert not re.search(r"^#: .*\.py:\d+", text, re.MULTILINE), f"extract with --add-location=file: {UPDATE}"


@pytest.mark.parametrize("locale", ["tr", "en"])
def test_catalogue_follows_the_template(locale: str, pot_ids: set[str]) -> None:
    path = po_path(locale)
    assert path.is_file(), f"{path} is missing"
    catalog = read(path)
    ids = {str(m.id) for m in catalog if m.id}
    assert ids == pot_ids, (
        f"{path} is out of date: missing {sorted(pot_ids - ids)}, extra {sorted(ids - pot_ids)}; run: {UPDATE}"
    )
    assert not catalog.obsolete, f"{path}: obsolete entries {list(catalog.obsolete)}: remove them"
    assert catalog.locale is not None and str(catalog.locale) == locale


def test_source_language_catalogue_may_stay_empty() -> None:
    """English is the source: an empty msgstr shows the msgid; one filled in must keep its placeholders."""
    for message in read(po_path(SOURCE_LOCALE)):
        if message.id and message.string:
            assert placeholders(str(message.id)) == placeholders(str(message.string)), message.id


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_string_is_translated(locale: str, pot_ids: set[str]) -> None:
    """Non-empty, not fuzzy, same placeholders; each problem listed with its msgid."""
    path = po_path(locale)
    problems = []
    by_id = {str(m.id): m for m in read(path) if m.id}
    for msgid in sorted(pot_ids):
        message = by_id.get(msgid)
        if message is None or not message.string:
            problems.append(f"not translated: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy (check it, then remove the flag): {msgid!r}")
        elif placeholders(msgid) != placeholders(str(message.string)):
            problems.append(f"placeholders differ: {msgid!r} -> {message.string!r}")
        elif len(str(message.string)) > 255 and in_workbook(message):
            problems.append(f"longer than Excel's 255-character prompt limit: {msgid!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_turkish_is_not_english() -> None:
    """Catch a msgstr pasted from the msgid: only words Turkish shares with English may stay."""
    same_in_turkish = {"%", "KPI"}

    def wordless(text: str) -> bool:
        return not re.search(r"[^\W\d_]", re.sub(r"\{[^{}]*\}", "", text))

    copied = [
        m.id
        for m in read(po_path("tr"))
        if m.id and m.string == m.id and m.id not in same_in_turkish and not wordless(str(m.id))
    ]
    assert not copied, f"msgstr equals msgid: {copied}"


def test_turkish_uses_turkish_letters() -> None:
    text = " ".join(str(m.string) for m in read(po_path("tr")) if m.id)
    assert set("ıİşğçöü") <= set(text)


@pytest.mark.parametrize("locale", [SOURCE_LOCALE, *TRANSLATED])
def test_sheet_names_are_valid_for_excel(locale: str, crm: Catalog) -> None:
    by_id = {str(m.id): str(m.string or m.id) for m in read(po_path(locale)) if m.id}
    names = [by_id[m] for m in SHEET_MSGIDS]
    for name in names:
        assert 1 <= len(name) <= 31, f"{locale}: sheet name {name!r} must have 1 to 31 characters"
        assert not set(name) & FORBIDDEN_IN_SHEET_NAMES, f"{locale}: sheet name {name!r} has one of []:*?/\\"
        assert not name.startswith("'") and not name.endswith("'"), f"{locale}: {name!r} starts or ends with '"
    assert len({n.casefold() for n in names}) == len(names), f"{locale}: two sheets share a name: {names}"
    fallback = None if locale in crm.locales else crm.default_locale
    assert sheet_names(Texts.for_build(crm, locale, "EUR", fallback)).all() == names


def test_turkish_sheet_names() -> None:
    """KPI'lar keeps its apostrophe: it proves the quoting of sheet names in formulas and names."""
    by_id = {str(m.id): str(m.string) for m in read(po_path("tr")) if m.id}
    expected = "Başlangıç|Ayarlar|Veri Girişi|KPI'lar|Gösterge Paneli|Tanımlar|Karne|Grafik Verisi"
    expected += "|Önceki Yıl|Önceki Yıl KPI'ları"
    assert [by_id[m] for m in SHEET_MSGIDS] == expected.split("|")


@pytest.mark.parametrize("locale", TRANSLATED)
def test_status_words_fit_in_a_number_format(locale: str) -> None:
    """The status words are quoted literals inside a number format: no double quote allowed."""
    by_id = {str(m.id): str(m.string) for m in read(po_path(locale)) if m.id}
    for msgid in STATUS_MSGIDS:
        assert '"' not in by_id[msgid] and "\\" not in by_id[msgid], f"{locale}: {msgid!r} -> {by_id[msgid]!r}"
