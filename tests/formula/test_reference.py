"""The one reading of references and defined names, against what Excel and LibreOffice write.

Each expectation is how the spreadsheet programs treat the text: Excel turns a typed reversed
block (``=SUM(P8:D8)``) into ``D8:P8`` and LibreOffice does the same; both write a sheet name
that starts with a digit quoted (``'2024'!$A$1``); whole columns and rows span the full sheet.
"""

from __future__ import annotations

import pytest

from generator.formula.reference import MAX_COLS, MAX_ROWS, Area, column_index, parse_address, parse_target


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'KPI''lar'!$E$8:$P$8", Area("KPI'lar", 7, 4, 7, 15)),  # as Excel writes a Turkish sheet
        ("Inputs!$D$8", Area("Inputs", 7, 3, 7, 3)),
        ("=Inputs!$D$8", Area("Inputs", 7, 3, 7, 3)),  # openpyxl and some writers keep the '='
        ("Inputs!$P$8:$D$8", Area("Inputs", 7, 3, 7, 15)),  # reversed: the same block
        ("Inputs!$D$9:$D$8", Area("Inputs", 7, 3, 8, 3)),
        ("'2024'!$A$1", Area("2024", 0, 0, 0, 0)),
        ("Data!$A:$C", Area("Data", 0, 0, MAX_ROWS - 1, 2)),  # whole columns
        ("Data!$2:$3", Area("Data", 1, 0, 2, MAX_COLS - 1)),  # whole rows
        ("Data!$XFD$1048576", Area("Data", MAX_ROWS - 1, MAX_COLS - 1, MAX_ROWS - 1, MAX_COLS - 1)),
        ("'Chart data'!O2:O13", Area("Chart data", 1, 14, 12, 14)),
    ],
)
def test_a_reference_names_its_block(text: str, expected: Area) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024!$A$1",  # Excel and LibreOffice quote a name starting with a digit
        "#REF!",
        "Inputs!#REF!",
        "#REF!$D$8",
        "",
        "=SUM(Inputs!A1)",  # a formula, not a reference
        "42",  # a constant
        "Data!$A$1048577",  # past the last row
        "Data!$XFE$1",  # past the last column
        "Data!$A$0",
        "$A$1",  # no sheet: a defined name's target always names one
    ],
)
def test_what_is_not_a_reference(text: str) -> None:
    assert parse_target(text) is None


def test_addresses_and_columns() -> None:
    assert [column_index(c) for c in ("A", "z", "AA", "XFD")] == [0, 25, 26, MAX_COLS - 1]
    assert parse_address("S", "B2") == Area("S", 1, 1, 1, 1)
    assert parse_address("S", "not") is None
    area = parse_target("S!$B$2:$C$3")
    assert area is not None and area.size == 4 and area.address() == "B2:C3"
    assert area.cells() == [(1, 1), (1, 2), (2, 1), (2, 2)]


def test_engine_and_validator_read_names_alike() -> None:
    """The engine resolves a defined name with the same reading the validator uses."""
    from generator.engine.spreadsheet import Spreadsheet

    sheet = Spreadsheet(["Inputs"])
    sheet.set_value("Inputs", 7, 3, 5)
    sheet.set_value("Inputs", 7, 4, 7)
    sheet.define_name("reversed", "Inputs!$E$8:$D$8")
    sheet.set_formula("Inputs", 0, 0, "=SUM(reversed)")
    assert sheet.value("Inputs", 0, 0) == 12


def test_column_letters_asked_twice_are_the_same() -> None:
    """Excel's column names (A, Z, AA, AZ, BA, ZZ, AAA, XFD), the first time and from the cache."""
    from generator.formula.address import cell, column_letter

    columns = (0, 25, 26, 51, 52, 701, 702, MAX_COLS - 1, MAX_COLS + 3)
    expected = ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD", "XFH"]
    assert [column_letter(c) for c in columns] == expected
    assert [column_letter(c) for c in columns] == expected
    assert [cell(0, 703), cell(9, 2, absolute=True)] == ["AAB1", "$C$10"]
