"""The stale check's shortcut (``calculated._AGREE_WHEN_EQUAL``): equal values of those kinds are what
``agrees`` accepts anyway, so skipping its call changes no verdict. Checked on every kind of value a
cell shows or the engine gives, ``inf`` and -0.0 included; NaN is never equal to itself, so it never
takes the shortcut."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.validate.calculated import _AGREE_WHEN_EQUAL, agrees

VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(max_size=8),
    st.booleans(),
    st.sampled_from([0.0, -0.0, 0, "", "#N/A", "#DIV/0!", math.inf, -math.inf]),
)


@given(VALUES, VALUES)
def test_equal_values_of_the_shortcut_kinds_agree(shown: Any, computed: Any) -> None:
    if shown.__class__ is computed.__class__ and shown.__class__ in _AGREE_WHEN_EQUAL and shown == computed:
        assert agrees(shown, computed)


@given(VALUES)
def test_a_value_agrees_with_itself_unless_nan(value: Any) -> None:
    assert agrees(value, value) or (isinstance(value, float) and math.isnan(value))


def test_the_shortcut_leaves_out_the_engine_errors() -> None:
    from generator.engine import XlError

    assert XlError not in _AGREE_WHEN_EQUAL
