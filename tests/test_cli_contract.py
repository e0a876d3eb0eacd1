"""The command-line contract (README "Exit codes"): output files, --out rules, long texts, and the
top-level wrapper's promises about full disks, closed pipes and terminals that cannot show a
character. Subprocesses where the promise is about the real process (streams, exit status)."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import recalc
from generator.cli import main
from generator.paths import CATALOG_DIR

KPIGEN = [sys.executable, "-m", "generator.cli"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_files_follow_the_umask_and_force_keeps_the_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "crm.xlsx"
    code, _, err = run("build", "--out", str(target))
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # 0666 & ~022, as touch would make it
    target.chmod(0o664)  # a file a team shares
    code, _, err = run("build", "--out", str(target), "--force")
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o664


@pytest.mark.parametrize(
    ("out", "why"),
    [
        ("report.xls", "kpigen writes .xlsx workbooks (no macros, no legacy .xls)"),
        ("x.xlsm", "kpigen writes .xlsx workbooks (no macros, no legacy .xls)"),
        ("mine", "it is not an existing folder (end it with / to create one)"),
    ],
)
def test_out_that_is_neither_a_workbook_nor_a_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str, why: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run("build", "--out", out)
    assert code == 2
    assert err.strip() == f"Error: --out {out}: {why}; give a name ending in .xlsx, or a folder"
    assert stdout == "" and list(tmp_path.iterdir()) == [], "nothing created"


def test_out_folder_existing_or_ending_in_a_slash(tmp_path: Path) -> None:
    code, _, err = run("build", "--out", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "crm-en.xlsx").is_file()
    code, _, err = run("build", "--out", f"{tmp_path / 'new'}/", "--locale", "tr")
    assert code == 0, err
    assert (tmp_path / "new" / "crm-tr.xlsx").is_file()


def test_locale_all_writes_nothing_when_one_locale_fails(tmp_path: Path) -> None:
    (tmp_path / "crm-tr.xlsx").write_bytes(b"typed")
    code, _, err = run("build", "--locale", "all", "--out", str(tmp_path))
    assert code == 4 and "crm-tr.xlsx: already exists" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm-tr.xlsx"], "en was not written either"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    for extra in ([], ["--force"]):
        code, _, err = run("build", "--out", "/dev/full", *extra)
        assert code == 4, err
        assert len(err.strip().splitlines()) == 1 and "/dev/full" in err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_stdout_on_a_full_disk_is_one_line_and_exit_4() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*KPIGEN, "catalog", "schema"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 4
    assert done.stderr == "kpigen: cannot write the output: No space left on device\n"


def test_a_closed_pipe_is_one_line_and_exit_4() -> None:
    reader = subprocess.Popen([*KPIGEN, "catalog", "schema"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # like `| head -0`: the reader is gone before kpigen writes
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 4
    assert err == "kpigen: cannot write the output: the reader closed the pipe\n"


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C"}])
def test_terminal_and_file_name_encodings_never_crash(tmp_path: Path, env: dict[str, str]) -> None:
    folder = os.fsencode(tmp_path) + b"/caf\xe9-\xff"  # not UTF-8: a name from an old Latin-1 disk
    args = [*KPIGEN, "build", "--locale", "tr", "--company", "Örnek A.Ş.", "--out", folder + b"/"]
    done = subprocess.run(args, capture_output=True, env={**os.environ, **env}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"wrote ") and b"Traceback" not in done.stderr
    assert os.path.isfile(folder + b"/crm-tr.xlsx")
    done = subprocess.run(
        [*KPIGEN, "validate", folder + b"/crm-tr.xlsx"], capture_output=True, env={**os.environ, **env}
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr  # clean as delivered, no crash


def test_catalog_schema_out_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("mine", encoding="utf-8")
    code, _, err = run("catalog", "schema", "--out", str(target))
    assert code == 4 and "already exists; pass --force" in err
    assert target.read_text(encoding="utf-8") == "mine"
    code, _, err = run("catalog", "schema", "--out", str(target), "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == (CATALOG_DIR / "schema.json").read_text(encoding="utf-8")


def _footers(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        return [archive.read(n).decode() for n in sheets]


def test_long_company_names(tmp_path: Path) -> None:
    code, _, err = run("build", "--company", "A" * 101, "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and err.strip() == (
        "Error: Invalid value for '--company': The company name has 101 characters; at most 100 are allowed."
    )
    name = "A & B " * 16  # 95 characters once stripped, 111 once every & is doubled for the footer (room: 100)
    code, _, err = run("build", "--company", name, "--out", str(tmp_path / "y.xlsx"))
    assert code == 0, err
    assert err.strip().splitlines() == [  # 14 times "A & B " and "A", then "…": 99 footer characters and the "…"
        f"warning: {tmp_path / 'y.xlsx'}: company name shortened to 86 characters in the page footers "
        "(a longer one runs into the page numbers)"
    ]
    code, _, err = run("build", "--company", "Smith & Sons", "--out", str(tmp_path / "z.xlsx"))
    printed = [xml.count("<oddFooter>") for xml in _footers((tmp_path / "z.xlsx").read_bytes())]
    shortened = [xml.count("<oddFooter>") for xml in _footers((tmp_path / "y.xlsx").read_bytes())]
    assert sum(printed) >= 6 and shortened == printed, "every printed sheet keeps its footer"


def test_catalogue_text_over_the_cell_limit_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load((CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8"))
    data["kpis"][0]["texts"]["en"]["description"] = "x" * 32_768
    data["sample"] = None
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, _, err = run("catalog", "check", str(path))
    assert code == 1
    assert "kpis[0].texts.en.description: text has 32768 characters; an Excel cell holds at most 32767" in err


def test_recalc_without_libreoffice_is_exit_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run("build", "--out", str(tmp_path / "x.xlsx"))
    assert code == 0, err
    monkeypatch.setattr(recalc.shutil, "which", lambda name: None)
    code, _, err = run("validate", str(tmp_path / "x.xlsx"), "--recalc")
    assert code == 5 and "LibreOffice is not installed" in err


def test_usage_errors_are_exit_2() -> None:
    for args in (["build", "--first-month", "13"], ["build", "--locale", "xx"], ["validate"], ["nosuch"]):
        code, _, _ = run(*args)
        assert code == 2, args
