"""Which text ``split_shape`` cuts out as a reference: only an address that no name's character precedes."""

from __future__ import annotations

import pytest

from generator.engine.reference import REF_MARK, split_shape


@pytest.mark.parametrize(
    ("before", "is_reference"),
    [
        ("+", True),
        ("(", True),
        ("\u00bf", True),  # ¿, the last character below the name range
        ("\u00c0", False),  # À, the first of it
        ("\u00e9", False),  # é
        ("\u4e2d", False),  # 中
        ("\uffff", False),  # the last of it
        ("\U0001f600", True),  # an emoji, past it and no word character
        ("_", False),
        (".", False),
        ("$", False),
        ("x", False),
    ],
)
def test_an_address_after_a_names_character_is_part_of_the_name(before: str, is_reference: bool) -> None:
    shape, references = split_shape(f"=1{before}A1*2")
    if is_reference:
        assert (shape, references) == (f"1{before}{REF_MARK}*2", [(None, "A1")])
    else:
        assert (shape, references) == (f"1{before}A1*2", [])
