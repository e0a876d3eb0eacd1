"""The validator's shortcuts give what the calls they skip give, on every kind of value.

The stale check's (``calculated._AGREE_WHEN_EQUAL``): equal values of those kinds are what ``agrees``
accepts anyway, ``inf`` and -0.0 included; NaN is never equal to itself, so it never takes it. The
input check's (``inputs._plain_number``): the number ``read_cell`` reads with no problem. The KPI
comparison's (``recompute._agrees``): a close finite float, or an int equal to the float expected, is
what ``recompute._same`` accepts. The month loop's (``inputs._allowed``): a number inside an input's
bounds is one ``inputs._check_number`` reports nothing about."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.catalog.model import Aggregation, InputSpec, Unit
from generator.validate.calculated import _AGREE_WHEN_EQUAL, agrees, close
from generator.validate.findings import Code
from generator.validate.inputs import Cell, _allowed, _check_number, _plain_number, read_cell
from generator.validate.recompute import _agrees, _same

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


@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_close_floats_agree(shown: float, computed: float) -> None:
    if close(shown, computed):
        assert agrees(shown, computed)


@pytest.mark.parametrize(
    ("shown", "computed", "expected"),
    [
        (0.30000000000000004, 0.3, True),  # 0.1 + 0.2 as the engine adds, shown as written
        (1234.56789012345, 1234.567890123449, True),  # 15 significant digits, as LibreOffice writes
        (1.0, 1.000001, False),  # a real change
        (1.0, math.inf, False),
        (math.inf, math.inf, False),  # left to ``agrees``
        (math.nan, 1.0, False),
        (0.0, 0.0, True),
        (1e-13, 0.0, False),  # within agrees' absolute tolerance, left to it
    ],
)
def test_close_by_hand(shown: float, computed: float, expected: bool) -> None:
    assert close(shown, computed) is expected


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


# (shown, expected, same?) by hand: within 1e-9 of the expected number, relative or absolute, is the same
# (what a spreadsheet computing in another order, or LibreOffice writing 15 digits, leaves); blanks and
# text are judged as the cells show them, never as numbers.
AGREEMENT = [
    (0.1 + 0.2, 0.3, True),
    (0.30000000000000004, 0.3, True),
    (1.0000000001, 1.0, True),  # 1e-10 apart
    (1.00001, 1.0, False),
    (1.000000002, 1.0, False),  # 2e-9 apart
    (1e-10, 0.0, True),  # absolute: under 1e-9 from 0
    (1e-8, 0.0, False),
    (3, 3.0, True),  # LibreOffice's whole number
    (4, 3.0, False),
    (2**53 + 1, 9007199254740992.0, True),  # reads as the float 2**53
    (math.inf, math.inf, False),  # #NUM! in a spreadsheet, never a number
    (math.nan, 1.0, False),
    (True, 1.0, False),  # a logical is not the number 1 here
    ("3", 3.0, False),
    ("", None, True),
    (None, None, True),
    (None, 0.0, False),
    (0.0, None, False),
    (0, None, False),
]


@pytest.mark.parametrize(("shown", "expected", "same"), AGREEMENT)
def test_agreement_by_hand(shown: Any, expected: float | None, same: bool) -> None:
    assert _agrees(shown, expected) is same
    assert _same(shown, expected) is same


@given(NUMBERS, st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)))
def test_the_quick_agreement_is_the_slow_one(shown: Any, expected: float | None) -> None:
    assert _outcome(_agrees, shown, expected) == _outcome(_same, shown, expected)


def _outcome(compare: Any, shown: Any, expected: float | None) -> object:
    """The answer, or the kind of error raised (an int of hundreds of digits is no float either way)."""
    try:
        return compare(shown, expected)
    except OverflowError as error:
        return type(error)


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(min_value=-1e-10, max_value=1e-10))
def test_a_float_a_little_off_agrees_with_the_slow_answer(expected: float, off: float) -> None:
    shown = expected * (1 + off)
    if math.isfinite(shown):
        assert _agrees(shown, expected) == _same(shown, expected)


class _Noted:
    """Just what ``inputs._check_number`` uses of a Check: the codes it would report."""

    def __init__(self) -> None:
        self.codes: list[str] = []

    def gettext(self, text: str) -> str:
        return text

    def show(self, value: object) -> str:
        return str(value)

    def input_name(self, input_id: str) -> str:
        return input_id

    def add_input(self, severity: object, code: str, *args: object) -> None:
        self.codes.append(code)


def _spec(unit: Unit, low: float | None, high: float | None, integer: bool) -> InputSpec:
    return InputSpec(
        id="x",
        category="c",
        unit=unit,
        aggregation=Aggregation.FLOW,
        name={},
        help={},
        integer=integer,
        min=low,
        max=high,
    )


# (unit, min, max, whole numbers only, number, the code a user should see) worked out from the catalogue's
# rules (kpi-reference.md): a percentage is a fraction from 0 to 1 unless the input says otherwise.
BOUNDS = [
    (Unit.COUNT, 0.0, None, True, 12.0, None),
    (Unit.COUNT, 0.0, None, True, 12.5, Code.NOT_INTEGER),
    (Unit.COUNT, 0.0, None, True, -1.0, Code.NEGATIVE),
    (Unit.COUNT, 0.0, None, True, 0.0, None),
    (Unit.COUNT, 0.0, None, True, -0.0, None),
    (Unit.CURRENCY, None, None, False, -1e300, None),
    (Unit.CURRENCY, 10.0, None, False, 9.99, Code.BELOW_MIN),
    (Unit.SCORE, 0.0, 10.0, False, 10.0, None),
    (Unit.SCORE, 0.0, 10.0, False, 10.01, Code.ABOVE_MAX),
    (Unit.SCORE, None, 10.0, False, -5.0, None),
    (Unit.PERCENT, None, None, False, 0.25, None),
    (Unit.PERCENT, None, None, False, 1.0, None),
    (Unit.PERCENT, None, None, False, 25.0, Code.PERCENT_RANGE),
    (Unit.PERCENT, None, None, False, -0.01, Code.PERCENT_RANGE),
    (Unit.PERCENT, None, 2.0, False, 1.5, None),
    (Unit.PERCENT, 0.5, None, False, 0.4, Code.PERCENT_RANGE),
]


@pytest.mark.parametrize(("unit", "low", "high", "integer", "number", "code"), BOUNDS)
def test_the_month_loop_skips_only_numbers_check_number_passes(
    unit: Unit, low: float | None, high: float | None, integer: bool, number: float, code: Code | None
) -> None:
    spec = _spec(unit, low, high, integer)
    noted = _Noted()
    _check_number(noted, spec, 0, number, number)  # type: ignore[arg-type]
    assert noted.codes == ([] if code is None else [code])
    lowest, highest, whole = _allowed(spec)
    skipped = lowest <= number <= highest and (not whole or number.is_integer())
    assert skipped is (code is None)


@given(
    st.sampled_from(list(Unit)),
    st.one_of(st.none(), st.floats(-1e6, 1e6)),
    st.one_of(st.none(), st.floats(-1e6, 1e6)),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
def test_the_month_loop_skips_exactly_what_check_number_passes(
    unit: Unit, low: float | None, high: float | None, integer: bool, number: float
) -> None:
    spec = _spec(unit, low, high, integer)
    noted = _Noted()
    _check_number(noted, spec, 0, number, number)  # type: ignore[arg-type]
    lowest, highest, whole = _allowed(spec)
    assert (lowest <= number <= highest and (not whole or number.is_integer())) is (not noted.codes)
