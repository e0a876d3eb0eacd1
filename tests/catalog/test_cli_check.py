"""``kpigen catalog check`` through click's test runner: ok lines, one-line problems, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.paths import CATALOG_DIR
from tests.catalog.test_load import BROKEN, CASES, FIXTURES, MINIMAL, line_of


def check(*paths: Path | str) -> Result:
    return CliRunner().invoke(main, ["catalog", "check", *map(str, paths)])


def no_crash(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_shipped_catalogues_are_ok() -> None:
    result = check(CATALOG_DIR / "crm.yaml", CATALOG_DIR / "bsc.yaml", CATALOG_DIR / "crm-1.0.0.yaml")
    no_crash(result)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0] == f"{CATALOG_DIR / 'crm.yaml'}: ok (crm 1.1.0: 26 KPIs, 45 inputs, locales en, tr)"
    assert lines[1].startswith(f"{CATALOG_DIR / 'bsc.yaml'}: ok (bsc ")
    assert lines[2] == f"{CATALOG_DIR / 'crm-1.0.0.yaml'}: ok (crm 1.0.0: 26 KPIs, 45 inputs, locales en, tr)"


def test_json_catalogue_is_ok() -> None:
    result = check(MINIMAL.with_suffix(".json"))
    no_crash(result)
    assert result.exit_code == 0
    assert ": ok (mini 1.0: 2 KPIs, 2 inputs, locales en, tr)" in result.stdout


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_catalogue(name: str) -> None:
    path = BROKEN / name
    where, _column, phrase = CASES[name]
    line = where if isinstance(where, int) else line_of(path, *where)
    result = check(path)
    no_crash(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}:{line}:")
    assert phrase in lines[0]


def test_a_broken_file_does_not_hide_a_good_one() -> None:
    result = check(BROKEN / "wrong_type.yaml", MINIMAL)
    no_crash(result)
    assert result.exit_code == 1
    assert f"{MINIMAL}: ok (" in result.stdout
    assert "Expected `int`, got `str`" in result.stderr


def test_missing_path() -> None:
    missing = FIXTURES / "does_not_exist.yaml"
    result = check(missing)
    no_crash(result)
    assert result.exit_code == 3
    assert result.stderr.strip() == f"{missing}: file not found"


def test_directory_path() -> None:
    result = check(FIXTURES)
    no_crash(result)
    assert result.exit_code == 3
    assert "is a directory" in result.stderr


def test_no_path_is_a_usage_error() -> None:
    result = check()
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_missing_texts_are_warnings_and_errors_under_strict() -> None:
    path = BROKEN / "missing_kpi_text.yaml"
    result = check(path)
    no_crash(result)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: ok (mini 1.0: ") and "; 1 texts missing in tr)" in result.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}:") and ": warning: kpis[1].texts: missing the 'tr' text" in line
    result = CliRunner().invoke(main, ["catalog", "check", "--strict", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert ": error: kpis[1].texts: missing the 'tr' text" in result.stderr


def test_a_help_text_the_input_message_cuts_is_a_warning(tmp_path: Path) -> None:
    """Excel's input message holds 255 characters: the writer cuts a longer help at a word, so say so."""
    path = tmp_path / "long_help.yaml"
    long = "Clicks on links in this month's emails, " + "counted the way your email tool counts them " * 6
    assert len(long) > 255
    path.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("Clicks on links in this month's emails.", long.strip()),
        encoding="utf-8",
    )
    result = check(path)
    no_crash(result)
    assert result.exit_code == 0, result.output
    (line,) = result.stderr.splitlines()
    row = line_of(path, "counted the way", 0)
    assert line.startswith(f"{path}:{row}:")
    assert (
        f": warning: inputs[1].help.en: {len(long.strip())} characters: the input message shows the first 255" in line
    )
    strict = CliRunner().invoke(main, ["catalog", "check", "--strict", str(path)])
    assert strict.exit_code == 1 and ": error: inputs[1].help.en: " in strict.stderr
