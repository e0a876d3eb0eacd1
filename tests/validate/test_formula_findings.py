"""The formula comparison (``formulas.py``) and the findings' own rules (``findings.py``), without
LibreOffice: fast enough to run for every mutant of both modules (the mutation run of issue 24).

One sample workbook straight from the writer gets several edits in its XML at once, as a script
or another program would leave them, and is validated once; each test reads its own cell's
finding. The expected texts are the template's formulas as the file holds them and the messages
as docs/validation.md describes them; the names come from kpi_catalog/crm.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.validate.findings import Code, Finding, Severity, brief, plain, printable, show
from generator.validate.run import Options, Report, validate

from . import fill
from .test_validator_catches import sheet_part

YEAR = 2026
# Inputs row 8 is emails_sent, row 9 email_unique_clicks, row 10 website_visits (the catalogue's order
# after email_campaigns on row 7); KPIs row 8 is email_ctr; Dashboard F13 is email_ctr's card, year to date.
Q2_SENT = 'IF(COUNT(G8:I8)=0,"",SUM(G8:I8))'
Q3_SENT = 'IF(COUNT(J8:L8)=0,"",SUM(J8:L8))'
YTD_CLICKS = 'IF(COUNT(D9:O9)=0,"",SUM(D9:O9))'
Q1_VISITS = 'IF(COUNT(D10:F10)=0,"",SUM(D10:F10))'
CTR_FEB = "IF(COUNT('Inputs'!E9,'Inputs'!E8)<2,\"\",IF('Inputs'!E8=0,\"\",'Inputs'!E9/'Inputs'!E8))"
EDITS = {
    # sheet, cell: what the cell becomes (the <c> element's content and attributes after r=)
    ("Inputs", "Q8"): ' s="31"><f>IF(COUNT(G8:H8)=0,"",SUM(G8:H8))</f><v>1</v></c>',
    ("Inputs", "R8"): ' s="31"/>',
    ("Inputs", "T9"): ' s="31"><v>5</v></c>',
    ("Inputs", "S8"): ' s="31" t="inlineStr"><is><t></t></is></c>',  # emptied to an empty text, as some tools do
    ("Inputs", "P10"): ' s="31" t="inlineStr"><is><t>see notes</t></is></c>',
    ("Inputs", "D5"): ' s="19" t="inlineStr"><is><t>Jan 2026</t></is></c>',
    ("Dashboard", "F13"): " s=\"66\"><f>'KPIs'!T8</f><v>0</v></c>",
    ("Dashboard", "I13"): ' s="66"/>',
    ("Dashboard", "L13"): ' s="69"><v>7</v></c>',
}
RESPELT = {
    # sheet, cell: another program's spelling of the same formula (sheet names bare, '$', spaces, lower case)
    ("KPIs", "F8"): 'if(count(Inputs!$E$9, Inputs!E8)&lt;2,"",IF(Inputs!E8=0,"",Inputs!E9/Inputs!E8))',
    # the formula's own sheet named in its references, as some programs write them
    ("Inputs", "Q9"): "IF(COUNT(Inputs!G9:I9)=0,\"\",SUM('Inputs'!G9:I9))",
    # the Dashboard's hint reworded (a later translation): only its words differ
    ("Dashboard", "H4"): 'IF(MAX(\'Chart data\'!$B$1:$M$1)=0,"Nothing typed yet.","Leave the month empty.")',
}


def _edited(
    source: Path,
    target: Path,
    edits: dict[tuple[str, str], str] = EDITS,
    respelt: dict[tuple[str, str], str] = RESPELT,
) -> Path:
    with zipfile.ZipFile(source) as package:
        parts = {sheet: sheet_part(package, sheet) for sheet, _ in [*edits, *respelt]}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in package.infolist():
                data = package.read(item.filename)
                for (sheet, address), new in edits.items():
                    if parts[sheet] == item.filename:
                        text = data.decode()
                        found = re.search(rf'<c r="{address}"(?: [^>]*)?(?:/>|>.*?</c>)', text)
                        assert found, (sheet, address)
                        data = (text[: found.start()] + f'<c r="{address}"' + new + text[found.end() :]).encode()
                for (sheet, address), formula in respelt.items():
                    if parts[sheet] == item.filename:
                        text = data.decode()
                        found = re.search(rf'<c r="{address}"[^>]*><f>([^<]*)</f>', text)
                        assert found, (sheet, address)
                        data = (text[: found.start(1)] + formula + text[found.end(1) :]).encode()
                out.writestr(item, data)
    return target


@pytest.fixture(scope="module")
def sample(crm: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill.build(tmp_path_factory.mktemp("formulas"), "sample.xlsx", crm, None, sample=True, year=YEAR)


@pytest.fixture(scope="module")
def edited(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _edited(sample, tmp_path_factory.mktemp("formulas-edited") / "edited.xlsx")


@pytest.fixture
def report(edited: Path) -> Report:
    """Validated in each test: mutmut runs, for a mutant, only the tests that reached its function, and
    it credits a module fixture's calls to the first test alone."""
    return validate(edited, Options())


@pytest.fixture(scope="module")
def rewired(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Dashboard's hint with its own words but a reference moved (months B-L instead of B-M)."""
    with zipfile.ZipFile(sample) as package:
        text = package.read(sheet_part(package, "Dashboard")).decode()
    found = re.search(r'<c r="H4"[^>]*><f>([^<]*)</f>', text)
    assert found and "$B$1:$M$1" in found[1]
    respelt = {("Dashboard", "H4"): found[1].replace("$B$1:$M$1", "$B$1:$L$1")}
    return _edited(sample, tmp_path_factory.mktemp("formulas-rewired") / "rewired.xlsx", {}, respelt)


def _at(report: Report, sheet: str, address: str) -> list[Finding]:
    return [f for f in report.findings if f.sheet == sheet and f.cell == address]


def _formula_count(path: Path) -> int:
    with zipfile.ZipFile(path) as package:
        return sum(
            len(re.findall(r"<f[ >]", package.read(name).decode()))
            for name in package.namelist()
            if name.startswith("xl/worksheets/")
        )


def test_every_placed_formula_is_compared(sample: Path) -> None:
    """The file's formulas, counted in its XML, less the 13 the validator does not place: the Start
    sheet's company line and the 12 month headings of the KPIs sheet."""
    clean = validate(sample, Options())
    assert clean.findings == []
    assert clean.formulas_compared == _formula_count(sample) - 13


def test_a_changed_formula_is_reported_with_both_texts(report: Report) -> None:
    [finding] = _at(report, "Inputs", "Q8")
    assert (finding.severity, finding.code) == (Severity.ERROR, Code.FORMULA_CHANGED)
    assert (finding.input, finding.kpi, finding.month) == ("emails_sent", None, "Q2")
    assert finding.value == '=IF(COUNT(G8:H8)=0,"",SUM(G8:H8))'
    assert finding.expected == "=" + Q2_SENT
    assert finding.message == (
        "Emails sent: the formula differs from the template's; restore it (copy it from a neighbouring cell) "
        "or rebuild the template."
    )


def test_a_deleted_formula_is_reported_without_a_value(report: Report) -> None:
    [finding] = _at(report, "Inputs", "R8")
    assert (finding.severity, finding.code, finding.value) == (Severity.ERROR, Code.FORMULA_MISSING, None)
    assert (finding.input, finding.month, finding.expected) == ("emails_sent", "Q3", "=" + Q3_SENT)
    assert finding.message == (
        "Emails sent: the formula was deleted; restore it (copy it from a neighbouring cell) or rebuild the template."
    )


def test_a_formula_emptied_to_an_empty_text_is_deleted(report: Report) -> None:
    [finding] = _at(report, "Inputs", "S8")
    assert (finding.code, finding.value, finding.month) == (Code.FORMULA_MISSING, None, "Q4")


def test_a_number_typed_over_a_formula_is_the_one_finding_at_its_cell(report: Report) -> None:
    """The typed total is not also called stale: the cell is flagged once."""
    [finding] = _at(report, "Inputs", "T9")
    assert (finding.severity, finding.code) == (Severity.ERROR, Code.FORMULA_OVERWRITTEN)
    assert finding.value == 5 and isinstance(finding.value, int)
    assert (finding.input, finding.month, finding.expected) == ("email_unique_clicks", "Year to date", "=" + YTD_CLICKS)
    assert finding.message == (
        "Emails clicked (unique clicks): a typed value replaced the formula; restore the formula (copy it from "
        "a neighbouring cell) or rebuild the template."
    )


def test_text_typed_over_a_formula_is_its_value(report: Report) -> None:
    [finding] = _at(report, "Inputs", "P10")
    assert (finding.code, finding.value, finding.expected) == (Code.FORMULA_OVERWRITTEN, "see notes", "=" + Q1_VISITS)


def test_a_month_label_has_no_input_and_says_so(report: Report) -> None:
    [finding] = _at(report, "Inputs", "D5")
    assert (finding.code, finding.input, finding.kpi, finding.value) == (
        Code.FORMULA_OVERWRITTEN,
        None,
        None,
        "Jan 2026",
    )
    assert finding.message.startswith("Month label: a typed value replaced the formula; restore the formula")


def test_another_programs_spelling_of_the_same_formula_is_no_finding(report: Report) -> None:
    assert _at(report, "KPIs", "F8") == []
    assert _at(report, "Inputs", "Q9") == []
    # the hint's shown text is the old wording: stale, but its formula is the template's
    assert [f.code for f in _at(report, "Dashboard", "H4")] == [Code.STALE_VALUE]
    assert RESPELT[("KPIs", "F8")].replace("&lt;", "<") != CTR_FEB  # the file's text really differs


def test_a_reworded_hint_must_still_read_the_same_cells(rewired: Path) -> None:
    [finding] = [f for f in validate(rewired, Options()).findings if f.cell == "H4"]
    assert (finding.code, finding.sheet, finding.month) == (Code.FORMULA_CHANGED, "Dashboard", None)
    assert finding.message.startswith("Dashboard: the hint beside the month: the formula differs")


def test_a_dashboard_card_is_named_by_its_kpi_and_part_and_cannot_be_copied(report: Report) -> None:
    """A card's cells have no neighbour holding the same formula: the advice is to undo."""
    [changed] = _at(report, "Dashboard", "F13")
    assert (changed.code, changed.kpi, changed.input) == (Code.FORMULA_CHANGED, "email_ctr", None)
    assert (changed.value, changed.expected) == ("='KPIs'!T8", "='KPIs'!U8")
    assert changed.message == (
        "Email click-through rate (CTR) (Dashboard card: year to date): the formula differs from the template's; "
        "undo the change or rebuild the template."
    )
    [deleted] = _at(report, "Dashboard", "I13")
    assert (deleted.code, deleted.value, deleted.expected) == (Code.FORMULA_MISSING, None, "='KPIs'!U9")
    assert deleted.message.endswith(": the formula was deleted; undo the deletion or rebuild the template.")
    [typed] = _at(report, "Dashboard", "L13")
    assert (typed.code, typed.value, typed.expected) == (Code.FORMULA_OVERWRITTEN, 7, "='KPIs'!U10")
    assert typed.message.endswith(": a typed value replaced the formula; undo it or rebuild the template.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("text", "text"),
        (True, True),
        (3, 3),
        (5.0, 5),
        (-5.0, -5),
        (2.5, 2.5),
        (999_999_999_999_999.0, 999_999_999_999_999),  # below 1e15: still a whole number
        (1e15, 1e15),  # from 1e15 a float stays a float (JSON readers lose whole numbers beyond 2**53)
        (-1e15, -1e15),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
        (dt.date(2026, 5, 12), "2026-05-12"),
    ],
)
def test_plain_values_as_json_holds_them(value: object, expected: object) -> None:
    got = plain(value)
    assert got == expected or (got != got and expected != expected)
    assert type(got) is type(expected)


def test_control_characters_never_reach_a_terminal() -> None:
    assert (
        printable("a\x1b[31mb\nc\x7fd\x9fe\u2028f\u2029g\x00")
        == "a\ufffd[31mb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffd"
    )
    assert printable("\x20~\xa0ş") == " ~\xa0ş"  # space, tilde, no-break space and letters stay


def test_brief_is_one_line_of_at_most_the_limit() -> None:
    assert brief("  two\n  lines\t here ") == "two lines here"
    assert brief("x" * 60) == "x" * 60
    assert brief("x" * 61) == "x" * 59 + "…"
    assert brief("abcdef", limit=5) == "abcd…"
    assert brief(12.5) == "12.5"


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (None, None, ""),
        (5.0, None, "5"),
        (-5.0, None, "-5"),
        (0.1, None, "0.1"),
        (999_999_999_999_999.0, None, "999999999999999"),
        (1e15, None, "1000000000000000.0"),
        (21000.5, "tr", "21.000,5"),
        (21000.0, "tr", "21.000"),
        (21000.5, "en", "21,000.5"),
        (0.0, "tr", "0"),
        (1e-9, "en", "0.000000001"),  # the smallest the locale's format takes
        (1e-10, "en", "1e-10"),  # smaller: Python's spelling, not a misleading 0
        (999_999_999_999_999.0, "en", "999,999,999,999,999"),
        (1e15, "en", "1000000000000000.0"),
        (float("inf"), "tr", "inf"),
    ],
)
def test_show_numbers_as_a_person_reads_them(value: float | None, locale: str | None, expected: str) -> None:
    assert show(value, locale) == expected


def test_a_finding_where_and_as_json() -> None:
    finding = Finding(Severity.WARNING, Code.LOOKS_LIKE_DATE, "m", "Inputs", "E8", "emails_sent", None, "May", 5.0, 2.5)
    assert finding.where == "Inputs!E8"
    assert Finding(Severity.ERROR, Code.MISSING_SHEET, "m", "Inputs").where == "Inputs"
    assert Finding(Severity.ERROR, Code.MISSING_SHEET, "m", None, "E8").where == ""
    assert finding.as_dict() == {
        "severity": "warning",
        "code": "looks-like-date",
        "sheet": "Inputs",
        "cell": "E8",
        "input": "emails_sent",
        "kpi": None,
        "month": "May",
        "value": 5,
        "expected": 2.5,
        "message": "m",
    }
