"""The reader refuses wrong-kind, damaged and hostile files with one clear line, and reads genuine ones.

``Book.open`` (safe_open's checks, then one streaming read) and ``inspect_file`` (the same read,
before LibreOffice gets a copy) must refuse alike. Expected values come from the builders in
``hostile`` (what XlsxWriter was told to write) and from hand work, never from the reader.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ExitCode, UnreadableWorkbook
from generator.formula.reference import Area
from generator.validate import reader, safe_open
from generator.validate.book import Book
from generator.validate.reader import inspect_file
from generator.validate.safe_open import ReadLimits

from . import hostile

Opener = Callable[..., object]
DEFAULTS = ReadLimits()
Members = dict[str, bytes]


def _open(path: Path, limits: ReadLimits = DEFAULTS) -> object:
    return Book.open(path, limits)


def _inspect(path: Path, limits: ReadLimits = DEFAULTS) -> object:
    return inspect_file(path, limits)


BOTH = pytest.mark.parametrize("opener", [_open, _inspect], ids=["Book.open", "inspect_file"])


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


def test_genuine_workbook_opens(tmp_path: Path) -> None:
    path = hostile.genuine(tmp_path)
    assert inspect_file(path) == "xlsx"
    book = Book.open(path)
    assert book.sheetnames == ["Data", "Notes"]
    assert book.value("Data", 1, 0) == "kpi1"
    assert book.formula("Data", 5, 2) == "=SUM(C2:C5)"
    assert book.value("Data", 5, 2) == 90
    assert book.value("Data", 1, 1) == 10 and isinstance(book.value("Data", 1, 1), int)
    assert book.value("Data", 40, 40) is None


def test_genuine_workbook_opens_whatever_its_extension(tmp_path: Path) -> None:
    path = hostile.genuine(tmp_path, "filled.DAT")
    assert Book.open(path).value("Notes", 0, 0) == "hello"


def test_xlsm_is_read_and_reported(tmp_path: Path) -> None:
    path = hostile.xlsm(tmp_path)
    assert inspect_file(path) == "xlsm"
    book = Book.open(path)
    assert book.kind == "xlsm"
    assert book.formula("Data", 1, 1) == 10


def test_sheet_at_the_limits_opens(tmp_path: Path) -> None:
    path = hostile.sheet_without_dimension(tmp_path, rows=99)
    book = Book.open(path, ReadLimits(max_rows=100, max_columns=3))
    # row 100 holds the sum genuine() wrote under its 98 data rows (C = row * 9)
    assert book.formula("Data", 99, 2) == "=SUM(C2:C99)"
    assert book.value("Data", 99, 2) == sum(row * 9 for row in range(1, 99))


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
        Book.open(path)
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)
    assert "is empty" in str(caught.value)


# ----------------------------------------------------------------------------------------- damaged


@BOTH
def test_zip_level_encryption(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.zip_encrypted_entry(tmp_path), "encrypted zip entries", opener)


@BOTH
def test_corrupt_member(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.corrupt_member(tmp_path), "could not be read", opener)


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
def test_entity_attacks_are_also_stopped_by_the_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: Callable[[Path], Path]
) -> None:
    """Defence in depth: with the prolog check skipped, the XML parser itself refuses any DTD."""
    monkeypatch.setattr(safe_open, "_check_prologs", lambda *args: None)
    refused(build(tmp_path), "contains XML entity declarations")


# ----------------------------------------------------------------------------------------- sheet sizes


def test_a_dimension_is_only_a_claim(tmp_path: Path) -> None:
    """A sheet claiming the whole grid (A1:XFD1048576) is judged by the cells it holds."""
    assert Book.open(hostile.huge_dimension(tmp_path)).value("Data", 5, 2) == 90


def test_libreoffice_phantom_last_row_is_tolerated(tmp_path: Path) -> None:
    """LibreOffice writes an empty row 1048576 (and says so in the dimension) after a row is deleted."""
    path = hostile.phantom_row(tmp_path)
    assert inspect_file(path) == "xlsx"
    assert Book.open(path).value("Data", 5, 2) == 90


@BOTH
def test_actual_rows_without_dimension(tmp_path: Path, opener: Opener) -> None:
    path = hostile.sheet_without_dimension(tmp_path, rows=150)
    message = refused(path, "--max-rows", opener, ReadLimits(max_rows=100))
    assert "sheet 'Data' has a cell at 101 rows (A101), more than the limit of 100 rows" in message


@BOTH
def test_actual_columns_beyond_a_lying_dimension(tmp_path: Path, opener: Opener) -> None:
    refused(hostile.wide_cell(tmp_path, "AMK"), "1025 columns", opener)


@BOTH
def test_cells_without_references_are_counted_as_columns(tmp_path: Path, opener: Opener) -> None:
    """Issue 18: cells without r= used to slip past the column check; each follows the one before."""
    message = refused(hostile.cells_without_references(tmp_path, 1001), "--max-columns", opener)
    assert "1001 columns (ALM1)" in message


def test_cells_without_references_are_placed_one_after_another(tmp_path: Path) -> None:
    book = Book.open(hostile.cells_without_references(tmp_path, 30))
    assert [book.value("Data", 0, col) for col in (0, 29, 30)] == [1, 1, None]


@BOTH
def test_dense_sheet_is_refused_while_reading(tmp_path: Path, opener: Opener) -> None:
    """Issue 18: 7.7 million small cells took 133 s; the cell limit stops the read at the limit."""
    path = hostile.dense(tmp_path, rows=300, columns=100)
    message = refused(path, "--max-cells", opener, ReadLimits(max_cells=20_000))
    assert "has, counting up to sheet 'Data', at least 20001 cells, more than the limit of 20000" in message


def test_xml_elements_are_bounded_by_the_cell_limit(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"/>' % r for r in range(1, 2_000))
    path = hostile.with_sheet_data(tmp_path, "rows.xlsx", rows)
    message = refused(path, "--max-cells", limits=ReadLimits(max_cells=400))
    assert "more than 1600 XML elements" in message


@BOTH
def test_shared_string_count(tmp_path: Path, opener: Opener) -> None:
    message = refused(
        hostile.shared_strings(tmp_path, 3_000), "--max-shared-strings", opener, ReadLimits(max_shared_strings=2_000)
    )
    assert "has at least 2001 shared strings" in message


@BOTH
def test_string_length(tmp_path: Path, opener: Opener) -> None:
    path = hostile.shared_strings(tmp_path, 10, b"y" * 40_000)
    message = refused(path, "--max-string-chars", opener)
    assert "shared string 1 holds at least" in message and "more than the limit of 32767" in message


def test_a_defined_name_over_the_whole_sheet_is_refused(tmp_path: Path) -> None:
    """Issue 18: a name at $A$1:$XFD$1048576 ended in a MemoryError; it is refused, naming the name."""
    message = refused(hostile.defined_name(tmp_path, b"Data!$A$1:$XFD$1048576"), "--max-name-cells")
    assert "defined name 'everything' spanning 17179869184 cells" in message


def test_a_defined_name_over_a_whole_column_is_read(tmp_path: Path) -> None:
    """LibreOffice writes a whole-column name as $A$1:$A$1048576; that stays within the default."""
    book = Book.open(hostile.defined_name(tmp_path, b"Data!$A$1:$A$1048576"))
    assert book.defined_names()["everything"] == "Data!$A$1:$A$1048576"


# ----------------------------------------------------------------------------------------- what cells hold


def test_merged_cells_show_only_their_first_cell(tmp_path: Path) -> None:
    rows = b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c></row>'
    path = hostile.with_sheet_data(
        tmp_path, "merged.xlsx", rows, b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    )
    book = Book.open(path)
    assert [book.value("Data", 0, 0), book.value("Data", 0, 1), book.value("Data", 1, 0)] == [1, None, 3]


def test_merged_blocks_are_listed_from_the_same_pass(tmp_path: Path) -> None:
    """The blocks in file order, 0-based; reversed corners name the same block (one rule for every
    reference, formula/reference.py); a ref that is no block is left out."""
    rows = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    merges = b'<mergeCell ref="E42:G42"/><mergeCell ref="B2:A1"/><mergeCell ref="x"/><mergeCell ref="$b$3:C4"/>'
    after = b'<mergeCells count="4">' + merges + b"</mergeCells>"
    book = Book.open(hostile.with_sheet_data(tmp_path, "blocks.xlsx", rows, after))
    assert book.merged("Data") == [Area("Data", 41, 4, 41, 6), Area("Data", 0, 0, 1, 1), Area("Data", 2, 1, 3, 2)]
    assert book.merged("No such sheet") == []


def test_a_whole_sheet_merge_costs_one_pass(tmp_path: Path) -> None:
    rows = b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
    after = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    book = Book.open(hostile.with_sheet_data(tmp_path, "vast-merge.xlsx", rows, after))
    assert [book.value("Data", 0, 0), book.value("Data", 0, 1)] == [1, None]


def test_shared_formulas_are_moved_to_each_cell(tmp_path: Path) -> None:
    """Excel stores a filled-down formula once; by hand: C3 = A3+$B$1+Sheet!A3, D2 = B2+$B$1+..."""
    rows = (
        b'<row r="2"><c r="C2"><f t="shared" ref="C2:D3" si="0">A2+$B$1+\'Notes\'!A2&amp;"A1"</f><v>1</v></c>'
        b'<c r="D2"><f t="shared" si="0"/><v>1</v></c></row>'
        b'<row r="3"><c r="C3"><f t="shared" si="0"/><v>1</v></c><c r="D3"><f t="shared" si="0"/></c></row>'
    ).replace(b"\\'", b"'")
    book = Book.open(hostile.with_sheet_data(tmp_path, "shared.xlsx", rows))
    assert book.formula("Data", 1, 2) == "=A2+$B$1+'Notes'!A2&\"A1\""
    assert book.formula("Data", 1, 3) == "=B2+$B$1+'Notes'!B2&\"A1\""
    assert book.formula("Data", 2, 2) == "=A3+$B$1+'Notes'!A3&\"A1\""
    assert book.formula("Data", 2, 3) == "=B3+$B$1+'Notes'!B3&\"A1\""
    assert book.value("Data", 2, 3) is None


def test_typed_values(tmp_path: Path) -> None:
    rows = (
        b'<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c>'
        b'<c r="C1" t="str"><f>"a"</f><v>a</v></c>'
        b'<c r="D1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r><rPh><t>x</t></rPh></is></c>'
        b'<c r="E1"><v>2.5E3</v></c><c r="F1"><v>-0</v></c><c r="G1"><v></v></c></row>'
    )
    book = Book.open(hostile.with_sheet_data(tmp_path, "typed.xlsx", rows))
    assert [book.value("Data", 0, c) for c in range(7)] == [True, "#N/A", "a", "inline", 2500.0, 0, None]
    assert book.formula("Data", 0, 2) == '="a"'


def test_a_date_styled_number_reads_as_a_date(tmp_path: Path) -> None:
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "dated.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_datetime(0, 0, dt.datetime(2026, 1, 2), workbook.add_format({"num_format": "dd.mm.yyyy"}))
    sheet.write_number(0, 1, 46024, workbook.add_format({"num_format": "#,##0"}))
    workbook.close()
    book = Book.open(path)
    assert book.value("Data", 0, 0) == dt.datetime(2026, 1, 2)
    assert book.value("Data", 0, 1) == 46024


# ----------------------------------------------------------------------------------------- error conversion


def _failing_sheet_reader(monkeypatch: pytest.MonkeyPatch, which: str, error: BaseException) -> None:
    """The named sheet reader raises ``error``: the stream (the plain reader then declines every
    sheet) or the plain reader (sheet_plain, which reads the genuine workbook's sheets)."""

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    if which == "read_sheet":
        monkeypatch.setattr(reader, "read_plain_sheet", lambda *args, **kwargs: None)
    monkeypatch.setattr(reader, which, fail)


@pytest.mark.parametrize(
    ("error", "phrase"),
    [
        (KeyError("There is no item named 'xl/styles.xml' in the archive"), "could not be read: KeyError"),
        (TypeError("expected <class 'int'>\nsecond line"), "could not be read: TypeError"),
        (zipfile.BadZipFile("Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"), "Bad CRC-32"),
        (zlib.error("Error -3 while decompressing data"), "could not be read"),
        (OSError("File contains no valid workbook part"), "could not be read"),
        (RecursionError("maximum recursion depth exceeded"), "could not be read"),
    ],
)
@pytest.mark.parametrize("which", ["read_sheet", "read_plain_sheet"])
def test_errors_while_reading_become_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, phrase: str, which: str
) -> None:
    _failing_sheet_reader(monkeypatch, which, error)
    refused(hostile.genuine(tmp_path), phrase)


@pytest.mark.parametrize("which", ["read_sheet", "read_plain_sheet"])
def test_memory_error_is_not_disguised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str) -> None:
    _failing_sheet_reader(monkeypatch, which, MemoryError())
    with pytest.raises(MemoryError):
        Book.open(hostile.genuine(tmp_path))


def test_reading_imports_neither_openpyxl_nor_numpy() -> None:
    code = (
        "import sys, generator.validate.run, generator.validate.book; "
        "sys.exit(any(m in sys.modules for m in ('openpyxl', 'numpy', 'pandas')))"
    )
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
        Book.open(path)
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
