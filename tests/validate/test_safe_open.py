"""safe_open refuses wrong-kind, damaged and hostile files with one clear line, and opens genuine ones."""

from __future__ import annotations

import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import defusedxml
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ExitCode, UnreadableWorkbook
from generator.validate import safe_open
from generator.validate.safe_open import ReadLimits, inspect_file, open_workbook

from . import hostile

Opener = Callable[..., object]
DEFAULTS = ReadLimits()
Members = dict[str, bytes]


def _open(path: Path, limits: ReadLimits = DEFAULTS) -> object:
    return open_workbook(path, formulas=False, limits=limits)


def _inspect(path: Path, limits: ReadLimits = DEFAULTS) -> object:
    return inspect_file(path, limits)


BOTH = pytest.mark.parametrize("opener", [_open, _inspect], ids=["open_workbook", "inspect_file"])


def refused(path: Path, phrase: str, opener: Opener = _open, limits: ReadLimits = DEFAULTS) -> str:
    """Assert a refusal: UnreadableWorkbook, exit code 3, one line, file name first, key phrase."""
    with pytest.raises(UnreadableWorkbook) as caught:
        opener(path, limits)
    message = str(caught.value)
    assert caught.value.exit_code == ExitCode.UNREADABLE
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(f"{path}: "), message
    assert phrase in message, message
    return message


# ----------------------------------------------------------------------------------------- genuine files


@pytest.mark.parametrize("formulas", [True, False])
def test_genuine_workbook_opens(tmp_path: Path, formulas: bool) -> None:
    path = hostile.genuine(tmp_path)
    assert inspect_file(path) == "xlsx"
    workbook = open_workbook(path, formulas=formulas)
    assert workbook.sheetnames == ["Data", "Notes"]
    data = workbook["Data"]
    assert data["A2"].value == "kpi1"
    assert data["C6"].value == ("=SUM(C2:C5)" if formulas else 90)


def test_genuine_workbook_opens_whatever_its_extension(tmp_path: Path) -> None:
    path = hostile.genuine(tmp_path, "filled.DAT")
    assert open_workbook(path, formulas=False)["Notes"]["A1"].value == "hello"


def test_xlsm_is_read_and_reported_but_macros_are_dropped(tmp_path: Path) -> None:
    path = hostile.xlsm(tmp_path)
    assert inspect_file(path) == "xlsm"
    workbook = open_workbook(path, formulas=True)
    assert workbook["Data"]["B2"].value == 10
    assert workbook.vba_archive is None


def test_sheet_at_the_limits_opens(tmp_path: Path) -> None:
    path = hostile.sheet_without_dimension(tmp_path, rows=99)
    workbook = open_workbook(path, formulas=False, limits=ReadLimits(max_rows=100, max_columns=3))
    assert workbook["Data"].max_row == 100


# ----------------------------------------------------------------------------------------- wrong kind


@BOTH
def test_old_xls(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.xls_like(tmp_path), "is an old binary Excel file (.xls); open it in Excel", opener)


@BOTH
@pytest.mark.parametrize("stream", ["EncryptedPackage", "EncryptionInfo"])
def test_password_protected_workbook(tmp_path: Path, opener: Opener, stream: str) -> None:
    message = refused(hostile.encrypted_cfb(tmp_path, stream), "password-protected", opener)
    assert "File > Info > Protect Workbook" in message


@BOTH
def test_csv_renamed(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.csv_renamed(tmp_path), "is a text/CSV file renamed to .xlsx", opener)


@BOTH
def test_empty_file(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.empty(tmp_path), "is empty", opener)


@BOTH
def test_binary_junk(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.binary_junk(tmp_path), "is not an Excel workbook", opener)


@BOTH
def test_truncated_zip(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.truncated(tmp_path), "damaged or truncated zip file", opener)


@BOTH
@pytest.mark.parametrize("build", [hostile.no_workbook_part, hostile.plain_zip])
def test_zip_without_workbook(tmp_path: Path, opener: Opener, build: Callable[[Path], Path]) -> None:
    refused(build(tmp_path), "is a zip file but not an Excel workbook", opener)


@BOTH
def test_ods_renamed(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.ods_renamed(tmp_path), "OpenDocument", opener)


@BOTH
def test_missing_path(tmp_path: Path, opener: Opener) -> None:
    refused(tmp_path / "nowhere.xlsx", "does not exist", opener)


@BOTH
def test_directory(tmp_path: Path, opener: Opener) -> None:
    refused(tmp_path, "is a directory", opener)


def test_control_characters_in_the_name_stay_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "evil\nname\x1b[31m.xlsx"
    path.write_bytes(b"")
    with pytest.raises(UnreadableWorkbook) as caught:
        open_workbook(path, formulas=False)
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)
    assert "is empty" in str(caught.value)


# ----------------------------------------------------------------------------------------- damaged


@BOTH
def test_zip_level_encryption(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.zip_encrypted_entry(tmp_path), "encrypted zip entries", opener)


def test_corrupt_member(tmp_path: Path) -> None:
    refused(hostile.corrupt_member(tmp_path), "could not be read")


# ----------------------------------------------------------------------------------------- zip bombs


@BOTH
def test_file_size_limit(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.genuine(tmp_path), "--max-file-mb", opener, ReadLimits(max_file_bytes=1000))


@BOTH
def test_ratio_bomb(tmp_path: Path, opener: Opener) -> None:
    message = refused(hostile.ratio_bomb(tmp_path), "possible zip bomb", opener)
    assert "xl/media/zeros.bin" in message and "--max-ratio" in message


@BOTH
def test_total_uncompressed_limit(tmp_path: Path, opener: Opener) -> None:
    path = hostile.padded(tmp_path, 2 * 1024 * 1024)
    message = refused(path, "--max-uncompressed-mb", opener, ReadLimits(max_uncompressed_bytes=1024 * 1024))
    assert "more than the limit of 1 MB" in message


@BOTH
def test_too_many_members(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.many_members(tmp_path, 30), "--max-members", opener, ReadLimits(max_members=20))


def test_small_limits_still_allow_the_genuine_file(tmp_path: Path) -> None:
    path = hostile.padded(tmp_path, 512 * 1024)
    assert inspect_file(path, ReadLimits(max_uncompressed_bytes=1024 * 1024, max_members=12)) == "xlsx"


# ----------------------------------------------------------------------------------------- XML attacks


@BOTH
@pytest.mark.parametrize("build", [hostile.billion_laughs, hostile.external_entity])
def test_entity_attacks(tmp_path: Path, opener: Opener, build: Callable[[Path], Path]) -> None:
    message = refused(build(tmp_path), "contains XML entity declarations", opener)
    assert "root:" not in message


@pytest.mark.parametrize("build", [hostile.billion_laughs, hostile.external_entity])
def test_entity_attacks_are_also_stopped_inside_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: Callable[[Path], Path]
) -> None:
    """Defence in depth: with our own checks skipped, defusedxml inside openpyxl still refuses."""
    monkeypatch.setattr(safe_open, "_inspect", lambda *args: "xlsx")
    refused(build(tmp_path), "contains XML entity declarations")


def test_openpyxl_without_defusedxml_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    refused(hostile.genuine(tmp_path), "install it (pip install defusedxml)")


# ----------------------------------------------------------------------------------------- sheet sizes


@BOTH
def test_absurd_dimension(tmp_path: Path, opener: Opener) -> None:
    message = refused(hostile.huge_dimension(tmp_path), "dimension A1:XFD1048576", opener)
    assert "sheet 'Data'" in message and "--max-rows" in message


@BOTH
def test_actual_rows_without_dimension(tmp_path: Path, opener: Opener) -> None:
    path = hostile.sheet_without_dimension(tmp_path, rows=150)
    refused(path, "--max-rows", opener, ReadLimits(max_rows=100))


@BOTH
def test_actual_columns_beyond_a_lying_dimension(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.wide_cell(tmp_path, "AMK"), "1025 columns", opener)


def test_sizes_are_checked_again_after_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_open, "scan_sheet", lambda *args: None)
    path = hostile.sheet_without_dimension(tmp_path, rows=150)
    message = refused(path, "--max-rows", limits=ReadLimits(max_rows=100))
    assert "sheet 'Data' uses 151 rows, more than the limit of 100 rows" in message


# ----------------------------------------------------------------------------------------- error conversion


def _wrapped_entity_error() -> Exception:
    """openpyxl wraps parse errors in ValueError; the entity error is the cause."""
    try:
        try:
            raise defusedxml.EntitiesForbidden("lol", None, None, None, None, None)
        except ValueError as inner:
            raise ValueError("Unable to read workbook: could not read worksheets\nmore") from inner
    except ValueError as outer:
        return outer


@pytest.mark.parametrize(
    ("error", "phrase"),
    [
        (KeyError("There is no item named 'xl/styles.xml' in the archive"), "could not be read: KeyError"),
        (TypeError("expected <class 'int'>\nsecond line"), "could not be read: TypeError"),
        (zipfile.BadZipFile("Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"), "Bad CRC-32"),
        (zlib.error("Error -3 while decompressing data"), "could not be read"),
        (OSError("File contains no valid workbook part"), "could not be read"),
        (RecursionError("maximum recursion depth exceeded"), "could not be read"),
        (_wrapped_entity_error(), "contains XML entity declarations"),
    ],
)
def test_errors_inside_openpyxl_become_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, phrase: str
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(openpyxl, "load_workbook", fail)
    refused(hostile.genuine(tmp_path), phrase)


def test_memory_error_is_not_disguised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(openpyxl, "load_workbook", fail)
    with pytest.raises(MemoryError):
        open_workbook(hostile.genuine(tmp_path), formulas=False)


def test_import_does_not_load_openpyxl() -> None:
    code = "import sys, generator.validate.safe_open; sys.exit('openpyxl' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# ----------------------------------------------------------------------------------------- fuzzing


@pytest.fixture(scope="module")
def genuine_members(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    with zipfile.ZipFile(hostile.genuine(tmp_path_factory.mktemp("genuine"))) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _only_refusals(path: Path) -> None:
    """The property: a workbook or an UnreadableWorkbook, never any other exception."""
    try:
        open_workbook(path, formulas=True)
    except UnreadableWorkbook as refusal:
        assert "\n" not in str(refusal) and str(refusal).startswith(f"{path}: ")


_SPOTS = st.floats(0, 1, exclude_max=True)  # relative positions in a byte string
_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FUZZ
@given(data=st.binary(max_size=2048))
def test_fuzz_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    _only_refusals(path)


@_FUZZ
@given(
    part=st.sampled_from(["xl/workbook.xml", hostile.SHEET, "xl/styles.xml", "[Content_Types].xml"]),
    edits=st.lists(st.tuples(_SPOTS, st.binary(max_size=8)), min_size=1, max_size=4),
)
def test_fuzz_mutated_xml(
    tmp_path: Path, genuine_members: dict[str, bytes], part: str, edits: list[tuple[float, bytes]]
) -> None:
    members = dict(genuine_members)
    text = bytearray(members[part])
    for where, junk in edits:
        at = int(where * len(text))
        text[at : at + len(junk)] = junk
    members[part] = bytes(text)
    path = tmp_path / "mutated.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    _only_refusals(path)


@_FUZZ
@given(flips=st.lists(st.tuples(_SPOTS, st.integers(0, 255)), min_size=1, max_size=6))
def test_fuzz_damaged_zip(tmp_path: Path, genuine_members: Members, flips: list[tuple[float, int]]) -> None:
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in genuine_members.items():
            archive.writestr(member, data)
    raw = bytearray(path.read_bytes())
    for where, value in flips:
        raw[int(where * len(raw))] = value
    path.write_bytes(bytes(raw))
    _only_refusals(path)
