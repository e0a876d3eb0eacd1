"""``reader.within``: the quick check of a defined name's size never lets through a name that
``name_extent`` (``parse_target``) finds over the limit, and decides the common names itself."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.validate.reader import name_extent, within


@pytest.mark.parametrize(
    ("target", "most", "expected"),
    [
        ("Inputs!$D$8:$O$8", 12, True),  # D..O is 12 columns of one row (counted by hand)
        ("Inputs!$D$8:$O$8", 11, False),
        ("'Prior year'!$A$1:$T$55", 20 * 55, True),
        ("'Prior year'!$A$1:$T$55", 20 * 55 - 1, False),
        ("'KPI''lar'!B2:A1", 4, True),  # reversed corners name the same 2x2 block
        ("Settings!$E$20", 1, True),
        ("Inputs!$5:$5", 10**12, False),  # a whole row: left to parse_target
        ("#REF!", 10**12, False),
        ("S!a1:b2", 10**12, False),  # lower case: left to parse_target
    ],
)
def test_common_targets(target: str, most: int, expected: bool) -> None:
    assert within(target, most) is expected


_COLUMN = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=3)
_ROW = st.integers(0, 9_999_999).map(str)
_SHEET = st.sampled_from(["S", "'Prior year'", "'KPI''lar'", "Sheet1", "_x", "1bad"])


@settings(deadline=None)  # timing is not what is tested (a shared machine)
@given(_SHEET, _COLUMN, _ROW, st.none() | st.tuples(_COLUMN, _ROW), st.integers(0, 2**35), st.booleans())
def test_never_lets_a_larger_name_through(
    sheet: str, col: str, row: str, corner: tuple[str, str] | None, most: int, dollars: bool
) -> None:
    mark = "$" if dollars else ""
    target = f"{sheet}!{mark}{col}{mark}{row}" + (f":{mark}{corner[0]}{mark}{corner[1]}" if corner else "")
    if within(target, most):
        assert name_extent(target) <= most
