"""The validator's shortcuts give what the calls they skip give, on every kind of value.

The stale check's (``calculated._AGREE_WHEN_EQUAL``): equal values of those kinds are what ``agrees``
accepts anyway, ``inf`` and -0.0 included; NaN is never equal to itself, so it never takes it. The
input check's (``inputs._plain_number``): the number ``read_cell`` reads with no problem. The KPI
comparison's: an equal finite number is what ``recompute._same`` accepts."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.validate.calculated import _AGREE_WHEN_EQUAL, agrees
from generator.validate.inputs import Cell, _plain_number, read_cell
from generator.validate.recompute import _same

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


@given(st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.integers(-(2**60), 2**60)))
def test_a_whole_number_shown_agrees_with_the_equal_float_computed(shown: int) -> None:
    computed = float(shown)
    if shown == computed:  # an int past 2**53 may not be the float it rounds to
        assert agrees(shown, computed)


@given(VALUES)
def test_a_value_agrees_with_itself_unless_nan(value: Any) -> None:
    assert agrees(value, value) or (isinstance(value, float) and math.isnan(value))


def test_the_shortcut_leaves_out_the_engine_errors() -> None:
    from generator.engine import XlError

    assert XlError not in _AGREE_WHEN_EQUAL


NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.integers(min_value=-(2**54), max_value=2**54),
    st.sampled_from([0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1e308, 9.99999999999999e307, 2**53, 2**53 + 1]),
    st.booleans(),
    st.text(max_size=4),
)


@given(NUMBERS)
def test_a_plain_number_is_what_read_cell_reads(value: Any) -> None:
    number = _plain_number(value)
    if number is not None:
        assert read_cell(value) == Cell(number)
        assert number.__class__ is float
    elif value.__class__ in (int, float) and not (isinstance(value, float) and math.isnan(value)):
        assert read_cell(value).problem is not None or value.__class__ is int  # only ints past 2**53 go the long way


@given(NUMBERS)
def test_an_equal_finite_number_is_the_same_to_the_comparison(value: Any) -> None:
    if value.__class__ is float and math.isfinite(value):
        assert _same(value, value)
        assert _same(value, float(value))
