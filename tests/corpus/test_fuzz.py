"""Fuzzing: mutated bytes and mutated XML of real workbooks, and mutated catalogues.

Any answer is fine if it is a report or a documented refusal: a ``UserError`` with a one-line
message (a catalogue's problems, one line each) and an exit code of the contract. Anything else
(another exception, a "bug in kpigen" wrapper) is a failure that hypothesis shrinks.

CI runs a few dozen examples of each (about a minute); for a longer run set
``KPIGEN_FUZZ_EXAMPLES``, e.g. ``KPIGEN_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest -q
tests/corpus/test_fuzz.py`` (hypothesis then also explores new examples unless CI is set).
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog import load_catalog
from generator.errors import CatalogError, ExitCode, UserError
from generator.paths import CATALOG_DIR
from generator.validate.run import validate
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from tests.corpus.conftest import FUZZ_CASES
from tests.corpus.items import Bases

SCALE = int(os.environ.get("KPIGEN_FUZZ_EXAMPLES", "0"))
DOCUMENTED = {ExitCode.PROBLEMS, ExitCode.USAGE, ExitCode.UNREADABLE, ExitCode.NOT_WRITTEN, ExitCode.ENVIRONMENT}


def _examples(ci: int) -> int:
    return SCALE or ci


def _fuzz_settings(ci: int) -> settings:
    return settings(
        max_examples=_examples(ci),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _count(name: str) -> None:
    FUZZ_CASES[name] = FUZZ_CASES.get(name, 0) + 1


def _documented(error: UserError) -> None:
    assert error.exit_code in DOCUMENTED, error.exit_code
    lines = error.problems if isinstance(error, CatalogError) else [error.message]
    for line in lines:
        assert line.strip() and "\n" not in line, repr(line)
        assert "bug in kpigen" not in line, line


def _validate(data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="kpigen-fuzz-") as folder:
        path = Path(folder) / "fuzzed.xlsx"
        path.write_bytes(data)
        try:
            validate(path)
        except UserError as error:
            _documented(error)
            assert error.message.startswith(str(path)) or isinstance(error, CatalogError), error.message


# ------------------------------------------------------------------------------------------ workbooks


@pytest.fixture(scope="module")
def workbook_bytes(bases: Bases) -> dict[str, bytes]:
    return {"built": bases.built.read_bytes(), "calculated": bases.calculated.read_bytes()}


@pytest.fixture(scope="module")
def workbook_members(bases: Bases) -> dict[str, bytes]:
    with zipfile.ZipFile(bases.calculated) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


_byte_edits = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255), st.sampled_from(["set", "insert", "cut"])),
    min_size=1,
    max_size=8,
)


@given(which=st.sampled_from(["built", "calculated"]), edits=_byte_edits)
@_fuzz_settings(ci=25)
def test_mutated_bytes(workbook_bytes: dict[str, bytes], which: str, edits: list[tuple[float, int, str]]) -> None:
    data = bytearray(workbook_bytes[which])
    for where, value, how in edits:
        at = int(where * len(data))
        if how == "set":
            data[at] = value
        elif how == "insert":
            data[at:at] = bytes([value]) * (value % 7 + 1)
        else:
            del data[at : at + value + 1]
    _count("workbook bytes")
    _validate(bytes(data))


_TOKENS = [
    "<",
    ">",
    '"',
    "&amp;",
    "&#0;",
    "&bogus;",
    "<v>1E+308</v>",
    "<v>NaN</v>",
    "<v>INF</v>",
    "<v>-0</v>",
    "<v>" + "9" * 400 + "</v>",
    "<v>4.9E-324</v>",
    "<v></v>",
    '<c r="XFD1048576"><v>1</v></c>',
    '<c r="A0"/>',
    '<c r="E42" t="s"><v>99999999</v></c>',
    '<c r="E42" t="b"><v>2</v></c>',
    '<c r="E42" t="e"><v>#DIV/0!</v></c>',
    '<c r="E42" t="str"><v>text</v></c>',
    '<c r="E42" t="d"><v>not a date</v></c>',
    "<f>1/0</f>",
    "<f>" + "(" * 300 + "</f>",
    "<f>" + "(" * 5000 + "1" + ")" * 5000 + "</f>",
    '<c r="E0"><v>1</v></c>',
    '<c r="E42" t="s"><v>-1</v></c>',
    '<c r="E42" s="\u00b2"><v>1</v></c>',
    '<c r="E42' + "9" * 5000 + '"><v>1</v></c>',
    '<mergeCell ref="E8:P60"/>',
    '<row r="1048576"/>',
    "$A$1:$XFD$1048576",
    "#REF!",
    "'Inputs'!$E$9999999",
    "<vt:lpwstr>schema</vt:lpwstr>",
    "<vt:lpwstr>../crm</vt:lpwstr>",
    "\u202e",
    "\x01",
    "",
]
_MEMBERS = [
    "xl/workbook.xml",
    "xl/worksheets/sheet3.xml",
    "xl/worksheets/sheet4.xml",
    "xl/worksheets/sheet2.xml",
    "xl/sharedStrings.xml",
    "docProps/custom.xml",
    "xl/styles.xml",
    "[Content_Types].xml",
    "xl/_rels/workbook.xml.rels",
]
_xml_edits = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 200), st.sampled_from(_TOKENS)),
    min_size=1,
    max_size=6,
)


@given(member=st.sampled_from(_MEMBERS), edits=_xml_edits)
@_fuzz_settings(ci=50)
def test_mutated_xml(
    workbook_members: dict[str, bytes], member: str, edits: list[tuple[float, int, str]], tmp_path: Path
) -> None:
    """Text edits inside one part, re-zipped (valid CRCs), so the XML reader and the checks meet them."""
    text = workbook_members[member].decode("utf-8")
    for where, span, token in edits:
        at = int(where * len(text))
        text = text[:at] + token + text[at + span :]
    path = tmp_path / "xml.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in workbook_members.items():
            package.writestr(name, text.encode("utf-8") if name == member else data)
    _count("workbook XML")
    _validate(path.read_bytes())


# ------------------------------------------------------------------------------------------ catalogues

CRM_LINES = (CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
_VALUES = [
    ".nan",
    ".inf",
    "-.inf",
    "1e400",
    "'1e400'",
    "7" * 400,
    "0",
    "-1",
    "''",
    "x / 0",
    "x / (x - x)",
    "-" * 200 + "x",
    "max()",
    "abs(1, 2)",
    "__import__('os')",
    "&a [1]",
    "*a",
    "[" * 100,
    "{",
    "!!python/object:os.system",
    "N" * 300,
    "email_clicks / emails_sent",
    "null",
    "true",
]


@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(CRM_LINES) - 1),
            st.sampled_from(["value", "drop", "copy", "indent"]),
            st.sampled_from(_VALUES),
        ),
        min_size=1,
        max_size=5,
    )
)
@_fuzz_settings(ci=60)
def test_mutated_catalogue(edits: list[tuple[int, str, str]], tmp_path: Path) -> None:
    """Line edits of the CRM catalogue: it loads and builds, or every problem is one documented line."""
    lines = list(CRM_LINES)
    for index, how, value in edits:
        index %= len(lines)
        line = lines[index]
        if how == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {value}\n"
        elif how == "drop":
            del lines[index]
        elif how == "copy":
            lines.insert(index, line)
        else:
            lines[index] = "  " + line
        if not lines:
            lines = ["\n"]
    (tmp_path / "crm.sample.csv").write_bytes((CATALOG_DIR / "crm.sample.csv").read_bytes())
    path = tmp_path / "fuzzed.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    _count("catalogues")
    try:
        catalog = load_catalog(path)
        locale = catalog.default_locale
        build_workbook(catalog, BuildOptions(locale=locale, year=2026, sample=catalog.sample is not None))
    except UserError as error:
        _documented(error)
