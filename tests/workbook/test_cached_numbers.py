"""A formula reading a number caches the number the file holds: XlsxWriter writes it with 16 significant
digits (``%.16G``), so 1/3 is computed as 0.3333333333333333 and a whole number as itself."""

from __future__ import annotations

import io
import math

import pytest
from xlsxwriter.workbook import Workbook

from generator.workbook.cached import cache_values

NUMBERS = [
    0.0,
    -0.0,
    1.0,
    -7.0,
    2026.0,
    999_999_999_999_999.0,
    1e15,
    -1e15,
    1e16 + 2,
    0.1 + 0.2,
    1 / 3,
    1e-7,
    5,
    10**17,
]


@pytest.mark.parametrize("number", NUMBERS, ids=repr)
def test_a_formula_caches_the_16_digits_the_file_holds(number: float) -> None:
    workbook = Workbook(io.BytesIO(), {"in_memory": True})
    sheet = workbook.add_worksheet("S")
    sheet.write_number(0, 0, number)
    sheet.write_formula(0, 1, "=A1")
    cache_values(workbook)
    cached = sheet.table[0][1].value
    held = float(f"{number:.16G}")  # as xmlwriter._xml_number_element writes it
    assert cached == held and math.copysign(1, cached) == math.copysign(1, held)
    assert cached.__class__ is float
    workbook.close()
