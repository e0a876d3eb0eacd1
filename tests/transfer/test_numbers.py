"""The import's number reader: its quick path for plain digits must read exactly what Babel's
strict parser reads (issue 24: the import spent minutes in Babel), and refuse what Babel refuses."""

from __future__ import annotations

import pytest
from babel.numbers import NumberFormatError, parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from generator.transfer.numbers import NumberReader

SPELLINGS = st.text(alphabet="0123456789.,-+%", min_size=1, max_size=12)


def babel(text: str, locale: str) -> float | None:
    """What the reader read before the quick path: Babel's strict parse of the stripped text."""
    text = text.strip()
    scale = 1.0
    if text.startswith("%") or text.endswith("%"):
        text, scale = text.strip("%").strip(), 0.01
    try:
        return float(parse_decimal(text, locale=locale, strict=True)) * scale
    except (NumberFormatError, ValueError):
        return None


@pytest.mark.parametrize("locale", ["en", "tr"])
@given(text=SPELLINGS, pad=st.sampled_from(["", " "]))
def test_the_reader_reads_what_babel_reads(locale: str, text: str, pad: str) -> None:
    try:
        got = NumberReader(locale).read(pad + text + pad)
    except ValueError:
        got = None
    assert got == babel(text, locale)


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("en", "1234.5", 1234.5),
        ("en", "-12", -12.0),
        ("en", "0123", 123.0),
        ("en", "1,234.5", 1234.5),
        ("tr", "12,5", 12.5),
        ("tr", "-12,50", -12.5),
        ("tr", "1.234,5", 1234.5),
        ("tr", "%12,5", 0.125),
    ],
)
def test_numbers_in_the_locales_format(locale: str, text: str, expected: float) -> None:
    assert NumberReader(locale).read(text) == expected


@pytest.mark.parametrize(("locale", "text"), [("en", "12,5"), ("tr", "12.5"), ("tr", "5."), ("en", "1" * 400)])
def test_what_the_locale_does_not_write_is_refused(locale: str, text: str) -> None:
    with pytest.raises(ValueError, match="is not a"):
        NumberReader(locale).read(text)


def test_a_machine_export_uses_a_point_whatever_the_locale() -> None:
    plain = NumberReader("tr", plain=True)
    assert plain.read("12.5") == 12.5
    with pytest.raises(ValueError, match=r"write it as 1234\.5"):
        plain.read("12,5")
