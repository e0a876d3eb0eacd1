"""A third language added as files only: a .po under a locales folder and texts in the catalogue.

German here is built in a temporary folder, as a translator would start it (docs/translating.md):
the template copied to ``de/LC_MESSAGES/messages.po`` with a few strings translated, and every
catalogue text given a ``de`` version. A build with ``fallback="en"`` succeeds and lists each
untranslated string; without a fallback it is refused in one line that names the .po file.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from generator.catalog import Catalog, load_catalog
from generator.cli import main
from generator.errors import ExitCode, UserError
from generator.i18n import Messages, available_locales
from generator.i18n.messages import MissingTranslation
from generator.paths import CATALOG_DIR, LOCALES_DIR
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions

GERMAN = {
    "Start": "Start",
    "Settings": "Einstellungen",
    "Inputs": "Eingaben",
    "KPIs": "Kennzahlen",
    "Dashboard": "Cockpit",
    "Definitions": "Definitionen",
    "Scorecard": "Scorecard",
    "Chart data": "Diagrammdaten",
    "On track": "Im Plan",
    "At risk": "Gefährdet",
    "Off track": "Verfehlt",
    "Type a number between {low} and {high}.": "Geben Sie eine Zahl zwischen {low} und {high} ein.",
}
GERMAN_SHEETS = ["Start", "Einstellungen", "Eingaben", "Kennzahlen", "Cockpit"]
GERMAN_SHEETS += ["Prior year", "Prior-year KPIs"]  # not translated here: they fall back to English
GERMAN_SHEETS += ["Definitionen", "Diagrammdaten"]


def write_po_file(root: Path, locale: str, strings: dict[str, str]) -> Path:
    """The project's template with ``strings`` filled in, as ``pybabel init`` and an editor leave it."""
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    for message in catalog:
        if message.id in strings:
            message.string = strings[str(message.id)]
    path = root / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=None)
    path.write_bytes(buffer.getvalue())
    return path


def add_locale(data: Any, locale: str, source: str = "en") -> None:
    """Give every text map (a mapping with a ``source`` key) a ``locale`` text: "[de] " + English."""
    if isinstance(data, dict):
        if source in data and isinstance(data[source], str):
            data[locale] = f"[{locale}] {data[source]}"
        elif source in data and isinstance(data[source], dict):  # a KPI's texts: name, description, ...
            data[locale] = {key: f"[{locale}] {value}" for key, value in data[source].items()}
        for value in list(data.values()):
            add_locale(value, locale, source)
    elif isinstance(data, list):
        for item in data:
            add_locale(item, locale, source)


@pytest.fixture(scope="module")
def german_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """crm.yaml with ``locales: [en, tr, de]`` and a German text beside every English one."""
    folder = tmp_path_factory.mktemp("catalog")
    data = yaml.safe_load((CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8"))
    add_locale(data, "de")
    data["locales"] = ["en", "tr", "de"]
    shutil.copy(CATALOG_DIR / data["sample"], folder / data["sample"])
    path = folder / "crm.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crm_de(german_catalog: Path) -> Catalog:
    return load_catalog(german_catalog)


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    root = tmp_path / "locales"
    write_po_file(root, "de", GERMAN)
    return root


def test_catalogue_copy_carries_german(crm_de: Catalog) -> None:
    assert crm_de.locales == ("en", "tr", "de")
    assert crm_de.title["de"] == "[de] CRM KPI Dashboard"
    assert all("de" in kpi.texts for kpi in crm_de.kpis.values())


def test_new_language_with_fallback(crm_de: Catalog, locales: Path, tmp_path: Path) -> None:
    assert available_locales(locales) == ["de", "en"]
    result = build_workbook(crm_de, BuildOptions(locale="de", fallback="en", locales_dir=locales, sample=True))
    path = tmp_path / "crm-de.xlsx"
    path.write_bytes(result.data)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == GERMAN_SHEETS

    untranslated = {w for w in result.warnings if w.startswith("interface string not translated to de: ")}
    assert "interface string not translated to de: 'Monthly inputs'" in untranslated
    assert "interface string not translated to de: 'Your company'" in untranslated
    assert not any(repr(msgid) in w for msgid in GERMAN for w in result.warnings), "translated strings listed"
    template = Messages.load("de", "en", locales).missing
    assert len(untranslated) == len(template) > 50
    assert not [w for w in result.warnings if w.startswith("catalogue text")], "the catalogue carries de"

    start = book[GERMAN_SHEETS[0]]
    texts = {str(c.value) for row in start.iter_rows() for c in row if isinstance(c.value, str)}
    assert "[de] CRM KPI Dashboard".upper() in texts
    assert "How to use this workbook".upper() in texts, "untranslated strings show the English msgid"
    settings = book["Einstellungen"]
    assert "Januar" in {c.value for row in settings.iter_rows() for c in row}, "German month names (CLDR)"
    status = {c.number_format for row in book["Kennzahlen"].iter_rows() for c in row}
    assert '[=1]"● Im Plan";[=-1]"● Verfehlt";"● Gefährdet"' in status


def test_new_language_without_fallback_is_refused(crm_de: Catalog, locales: Path) -> None:
    with pytest.raises(MissingTranslation) as caught:
        build_workbook(crm_de, BuildOptions(locale="de", locales_dir=locales))
    message = str(caught.value)
    assert isinstance(caught.value, UserError)
    assert "\n" not in message
    assert str(locales / "de" / "LC_MESSAGES" / "messages.po") in message
    assert "--fallback en" in message
    assert "not translated" in message


def test_language_without_po_is_refused(crm_de: Catalog, tmp_path: Path) -> None:
    with pytest.raises(MissingTranslation, match=r"messages\.po is missing.*--fallback en") as caught:
        build_workbook(crm_de, BuildOptions(locale="de", locales_dir=tmp_path))
    assert "docs/translating.md" in str(caught.value)


def test_complete_language_builds_without_warnings(crm_de: Catalog, tmp_path: Path) -> None:
    """Every string translated (here: the Turkish ones, to prove the file is what counts)."""
    with (LOCALES_DIR / "tr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        turkish = {str(m.id): str(m.string) for m in read_po(handle) if m.id}
    root = tmp_path / "locales"
    write_po_file(root, "de", turkish)
    result = build_workbook(crm_de, BuildOptions(locale="de", locales_dir=root))
    assert result.warnings == []
    book = openpyxl.load_workbook(io.BytesIO(result.data))
    assert "KPI'lar" in book.sheetnames


def test_fuzzy_and_broken_placeholders_count_as_missing(crm_de: Catalog, tmp_path: Path) -> None:
    """A translation that renames {low} would crash the build or mislead: it is not used."""
    root = tmp_path / "locales"
    broken = dict(GERMAN)
    broken["Type a whole number of {low} or more."] = "Geben Sie eine ganze Zahl ab {niedrig} ein."
    write_po_file(root, "de", broken)
    with pytest.raises(MissingTranslation, match=r"placeholders.*\{low\}") as caught:
        build_workbook(crm_de, BuildOptions(locale="de", locales_dir=root))
    assert caught.value.exit_code == 1, "README: a translation with problems is exit 1, not a bad option"
    result = build_workbook(crm_de, BuildOptions(locale="de", fallback="en", locales_dir=root))
    assert "interface string not translated to de: 'Type a whole number of {low} or more.'" in result.warnings


def test_invalid_sheet_name_translation_is_refused(crm_de: Catalog, tmp_path: Path) -> None:
    root = tmp_path / "locales"
    write_po_file(root, "de", {**GERMAN, "KPIs": "Soll/Ist"})
    with pytest.raises(UserError, match=r"sheet name 'Soll/Ist'.*fix its translation"):
        build_workbook(crm_de, BuildOptions(locale="de", fallback="en", locales_dir=root))


def test_edited_po_is_read_again(crm_de: Catalog, locales: Path) -> None:
    """A translator saves the file and builds again in the same process: the new text is used."""
    first = build_workbook(crm_de, BuildOptions(locale="de", fallback="en", locales_dir=locales))
    write_po_file(locales, "de", {**GERMAN, "Monthly inputs": "Monatliche Eingaben"})
    second = build_workbook(crm_de, BuildOptions(locale="de", fallback="en", locales_dir=locales))
    assert len(second.warnings) == len(first.warnings) - 1


def test_unknown_locale_is_refused(crm_de: Catalog, locales: Path) -> None:
    for options in (
        BuildOptions(locale="xx", locales_dir=locales),
        BuildOptions(locale="xx", fallback="en", currency="EUR", locales_dir=locales),
    ):
        with pytest.raises(UserError, match="unknown locale 'xx'"):
            build_workbook(crm_de, options)


def test_catalogue_without_the_language_is_refused(crm: Catalog, locales: Path) -> None:
    """The project's crm.yaml has no German texts: refused, or built with each text listed."""
    with pytest.raises(UserError, match=r"catalogue 'crm' has no 'de' texts.*--fallback en"):
        build_workbook(crm, BuildOptions(locale="de", locales_dir=locales))
    result = build_workbook(crm, BuildOptions(locale="de", fallback="en", locales_dir=locales))
    assert "catalogue text missing in de: KPI nps" in result.warnings
    assert "catalogue text missing in de: CRM KPI Dashboard" in result.warnings
    assert len(result.warnings) == len(set(result.warnings)), "each missing text listed once"


# The command line, end to end: the project's own locales/ folder has no German .po.


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_cli_refuses_a_language_without_interface_strings(german_catalog: Path, tmp_path: Path) -> None:
    code, output = invoke("--catalog", str(german_catalog), "--locale", "de", "--out", str(tmp_path))
    assert code == ExitCode.USAGE
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("Error: no interface translation for locale 'de'")
    assert "de/LC_MESSAGES/messages.po is missing" in lines[0] and "--fallback en" in lines[0]
    assert not list(tmp_path.iterdir()), "nothing written"


def test_cli_fallback_says_it_in_one_line_and_lists_on_request(german_catalog: Path, tmp_path: Path) -> None:
    missing = len(Messages.load("de", "en", tmp_path).missing)
    args = ("--catalog", str(german_catalog), "--locale", "de", "--fallback", "en", "--out", str(tmp_path) + "/")
    code, output = invoke(*args)
    assert code == 0, output
    warnings = [line for line in output.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        f"warning: {tmp_path / 'crm-de.xlsx'}: {missing} interface strings and 0 catalogue texts are missing in de "
        "and shown in en; --list-missing lists them"
    ]
    assert (tmp_path / "crm-de.xlsx").is_file()
    code, output = invoke(*args, "--force", "--list-missing")
    assert code == 0, output
    warnings = [line for line in output.splitlines() if line.startswith("warning: ")]
    assert f"warning: {tmp_path / 'crm-de.xlsx'}: interface string not translated to de: 'Settings'" in warnings
    assert len(warnings) == missing


def test_cli_refuses_a_catalogue_without_the_language(tmp_path: Path) -> None:
    code, output = invoke("--locale", "de", "--out", str(tmp_path))
    assert code == ExitCode.USAGE
    assert output.strip() == (
        "Error: Invalid value for '--locale': catalogue 'crm' has no 'de' texts (it carries en, tr); "
        "add them or pass --fallback en"
    )
    code, output = invoke("--locale", "de", "--fallback", "en", "--out", str(tmp_path), "--list-missing")
    assert code == 0, output
    assert f"warning: {tmp_path / 'crm-de.xlsx'}: catalogue text missing in de: KPI churn_rate" in output.splitlines()


def test_cli_refuses_an_unknown_locale(tmp_path: Path) -> None:
    code, output = invoke("--locale", "xx", "--fallback", "en", "--out", str(tmp_path))
    assert code == ExitCode.USAGE
    assert output.strip() == (
        "Error: Invalid value for '--locale': "
        "unknown locale 'xx'; available: en, tr (a region may follow: en-US, tr-TR)"
    )


def test_cli_builds_turkish_and_english_without_warnings(tmp_path: Path) -> None:
    code, output = invoke("--locale", "all", "--out", str(tmp_path))
    assert code == 0, output
    assert "warning" not in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm-en.xlsx", "crm-tr.xlsx"]
