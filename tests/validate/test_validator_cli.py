"""``kpigen validate`` on files it must refuse: exit 3, one line, no traceback, the file untouched.

None of these needs LibreOffice: a refusal happens before any value is compared.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.cli import main
from generator.errors import ExitCode

from . import fill, hostile

HOSTILE: dict[str, Callable[[Path], Path]] = {
    "xls": hostile.xls_like,
    "encrypted": hostile.encrypted_cfb,
    "csv": hostile.csv_renamed,
    "empty": hostile.empty,
    "junk": hostile.binary_junk,
    "truncated": hostile.truncated,
    "hollow": hostile.no_workbook_part,
    "zip": hostile.plain_zip,
    "ods": hostile.ods_renamed,
    "bomb": hostile.ratio_bomb,
    "crowded": lambda d: hostile.many_members(d, 2100),
    "zipcrypt": hostile.zip_encrypted_entry,
    "crc": hostile.corrupt_member,
    "laughs": hostile.billion_laughs,
    "xxe": hostile.external_entity,
    "vast": hostile.huge_dimension,
    "tall": lambda d: hostile.sheet_without_dimension(d, 10_050),
    "wide": lambda d: hostile.wide_cell(d, "ALZ"),
    "genuine": hostile.genuine,  # a real workbook, but not a kpigen template
    "xlsm": hostile.xlsm,
}


def refused(path: Path, *args: str) -> str:
    """Run the CLI on a file it must refuse; return the one line it printed."""
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = CliRunner().invoke(main, ["validate", str(path), *args])
    assert result.exit_code == ExitCode.UNREADABLE, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {path}: "), lines[0]
    if "json" in args:  # stdout still holds one JSON document, with the same message (docs/validation.md)
        document = json.loads(result.stdout)
        assert document["schema"] == "kpigen.validation/1" and document["file"] == str(path)
        assert document["error"] == {"exit_code": 3, "kind": "unreadable", "message": lines[0][len("Error: ") :]}
    else:
        assert result.stdout == ""
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before, "validate changed the file"
    return lines[0]


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("output", ["table", "json"])
def test_hostile_files_exit_3_with_one_line(tmp_path: Path, kind: str, output: str) -> None:
    refused(HOSTILE[kind](tmp_path), "--format", output)


def test_not_a_template_says_what_to_do(tmp_path: Path) -> None:
    assert "pass --catalog" in refused(hostile.genuine(tmp_path))


def test_directory_and_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == ExitCode.UNREADABLE and "directory" in result.output
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nothing.xlsx")])
    assert result.exit_code == ExitCode.UNREADABLE and "does not exist" in result.output


def test_limits_are_options(crm: Catalog, tmp_path: Path) -> None:
    path = fill.build(tmp_path, "crm.xlsx", crm, None)
    assert "--max-rows" in refused(path, "--max-rows", "20")
    assert "--max-file-mb" in refused(path, "--max-file-mb", "0.01")
    assert "--max-members" in refused(path, "--max-members", "5")
    result = CliRunner().invoke(main, ["validate", str(path), "--max-rows", "5000", "--max-columns", "100"])
    assert result.exit_code == 0, result.output  # readable, and clean as the writer delivers it


def test_unknown_or_hostile_catalogue_id(crm: Catalog, tmp_path: Path) -> None:
    path = fill.build(tmp_path, "crm.xlsx", crm, None)

    def retag(name: str, value: str) -> Path:
        return fill.edit_part(
            path,
            tmp_path / name,
            "docProps/custom.xml",
            lambda text: text.replace("<vt:lpwstr>crm</vt:lpwstr>", f"<vt:lpwstr>{value}</vt:lpwstr>", 1),
        )

    assert "catalogue 'nosuch'" in refused(retag("unknown.xlsx", "nosuch"))
    assert "not a catalogue id" in refused(retag("escape.xlsx", "../../etc/passwd"))


def test_help_does_not_import_openpyxl() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from generator.cli import main; "
        "r = CliRunner().invoke(main, ['validate', '--help']); assert r.exit_code == 0; "
        "print('openpyxl' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "0", "-1", "abc", "2.5"])
@pytest.mark.parametrize("option", ["--max-ratio", "--max-rows", "--max-file-mb", "--max-cells", "--max-name-cells"])
def test_limit_options_take_only_sensible_finite_values(tmp_path: Path, option: str, value: str) -> None:
    """Issue 18: --max-* took inf, nan and 1e308 and crashed; --max-ratio nan turned the zip-bomb check off."""
    if value == "2.5" and option in ("--max-ratio", "--max-file-mb"):
        return  # fractions are sensible there
    path = hostile.genuine(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(path), option, value])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and f"Invalid value for '{option}'" in result.output


def test_every_limit_has_an_option_with_its_default() -> None:
    from generator.validate.refusals import LIMITS, ReadLimits

    shown = CliRunner().invoke(main, ["validate", "--help"], terminal_width=200).output
    for limit in LIMITS:
        default = getattr(ReadLimits(), limit.field) / limit.scale
        assert limit.option in shown
        assert f"[default: {default:g}]" in shown or f"[default: {int(default)}]" in shown, limit.option


def test_a_zip_bomb_is_refused_whatever_ratio_is_asked(tmp_path: Path) -> None:
    path = hostile.ratio_bomb(tmp_path)
    assert "--max-ratio" in refused(path, "--max-ratio", "100")
    result = CliRunner().invoke(main, ["validate", str(path), "--max-ratio", "nan"])
    assert result.exit_code == 2
