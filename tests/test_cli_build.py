"""`kpigen build` through click's runner: files written, refusals, and atomic replacement."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator import output
from generator.cli import main
from generator.errors import ExitCode


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_build_writes_a_workbook_with_the_chosen_settings(tmp_path: Path) -> None:
    target = tmp_path / "crm.xlsx"
    code, text = run(
        "build",
        "--out",
        str(target),
        "--company",
        "=Acme & Co",
        "--year",
        "2027",
        "--first-month",
        "4",
        "--currency",
        "eur",
    )
    assert code == 0, text
    book = openpyxl.load_workbook(target)
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props["catalog_id"] == "crm" and props["currency"] == "EUR" and props["locale"] == "en"
    settings = book["Settings"]
    values = [c.value for row in settings.iter_rows(min_row=5, max_row=8, min_col=4, max_col=4) for c in row]
    assert values == ["=Acme & Co", 2027, "April", "EUR"]
    assert settings["D5"].data_type == "s", "a company name starting with '=' must stay text"


def test_build_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "crm.xlsx"
    target.write_bytes(b"typed by the user")
    code, text = run("build", "--out", str(target))
    assert code == ExitCode.NOT_WRITTEN
    assert "already exists" in text and "--force" in text and "Traceback" not in text
    assert target.read_bytes() == b"typed by the user"
    code, text = run("build", "--out", str(target), "--force")
    assert code == 0, text
    assert target.read_bytes()[:2] == b"PK"


def test_build_to_a_folder_uses_the_default_name(tmp_path: Path) -> None:
    code, text = run("build", "--out", str(tmp_path), "--sample")
    assert code == 0, text
    assert (tmp_path / "crm-en-sample.xlsx").is_file()


@pytest.mark.parametrize(
    ("args", "phrase", "expected"),
    [
        (["--currency", "XYZ"], "Invalid value for '--currency': Unknown currency 'XYZ'", ExitCode.USAGE),
        (["--year", "1200"], "'--year': The fiscal year must be between 1900 and 2200, not 1200.", ExitCode.USAGE),
        (["--locale", "de"], "has no 'de' texts", ExitCode.USAGE),
        (["--locale", "qq"], "'qq'", ExitCode.USAGE),
        (["--company", "bad\x07name"], "control characters", ExitCode.USAGE),
        (["--catalog", "missing.yaml"], "missing.yaml: file not found", ExitCode.UNREADABLE),
        (["--catalog", "tests/catalogs/valid/minimal.yaml", "--sample"], "has no sample data", ExitCode.USAGE),
        (["--sample", "--currency", "ISK"], "no demo figures in ISK", ExitCode.USAGE),
    ],
)
def test_bad_options_give_one_line_and_their_exit_code(
    tmp_path: Path, args: list[str], phrase: str, expected: ExitCode
) -> None:
    code, text = run("build", "--out", str(tmp_path / "x.xlsx"), *args)
    assert code == expected
    assert phrase in text
    assert "Traceback" not in text
    assert len(text.strip().splitlines()) == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "crm.xlsx"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", broken_fsync)
    code, text = run("build", "--out", str(target), "--force")
    assert code == ExitCode.NOT_WRITTEN and "No space left on device" in text
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.xlsx"]


def test_read_only_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated, since root (as in CI) may write anywhere: the folder refuses a new file."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    code, text = run("build", "--out", str(tmp_path / "crm.xlsx"))
    assert code == ExitCode.NOT_WRITTEN and "cannot write here: Permission denied" in text
    assert not (tmp_path / "crm.xlsx").exists()


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("Nisan", "'Nisan' is a month's name; give its number, 4 (months are 1-12)"),
        ("april", "'april' is a month's name; give its number, 4 (months are 1-12)"),
        ("13", "The first month must be 1 to 12, not 13."),
        ("x", "'x' is not a month number; give 1 to 12 (4 for April)"),
    ],
)
def test_a_first_month_that_is_not_1_to_12_says_what_is_wanted(tmp_path: Path, given: str, said: str) -> None:
    """click said "'Nisan' is not a valid integer range" with no hint that 1-12 is wanted (issue 22)."""
    for command in (["build"], ["import", str(tmp_path / "data.csv")], ["regenerate", str(tmp_path / "old.xlsx")]):
        code, text = run(*command, "--first-month", given, "--out", str(tmp_path / "out.xlsx"))
        assert code == 2 and said in text, text
    assert not (tmp_path / "out.xlsx").exists()


def test_a_long_build_shows_its_steps_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above PROGRESS_KPIS (lowered here to the CRM's 26) each step is a line on stderr, not on stdout."""
    from generator.cli import build as build_command

    monkeypatch.setattr(build_command, "PROGRESS_KPIS", 25)
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "crm.xlsx")])
    assert result.exit_code == 0, result.output
    steps = result.stderr.splitlines()
    assert steps[0] == "building en: sheet Chart data (1/11)"  # 9 sheets (two of them the prior year's), then 2 steps
    assert steps[-2:] == ["building en: computing the cached values (10/11)", "building en: compressing (11/11)"]
    assert "building" not in result.stdout


def test_a_short_build_is_quiet(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "crm.xlsx")])
    assert result.exit_code == 0 and result.stderr == "", result.stderr
