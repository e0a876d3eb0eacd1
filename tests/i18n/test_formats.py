"""Locale data from CLDR (through Babel) as a Turkish or English reader expects to see it.

The expected values are written by hand from CLDR facts, not computed with Babel, so a data
or code change that moves a percent sign or drops a Turkish letter fails here:

* Turkish puts the percent sign before the number (pattern ``%#,##0``): %12,5.
* Turkish puts the lira sign before the number without a space (pattern ``¤#,##0.00``): ₺1.234,50.
* Turkish groups with ``.`` and separates decimals with ``,``; English the other way round.
* A letter currency symbol gets a no-break space before the digits (CLDR currencySpacing).
* Turkish upper-cases i to İ and ı to I.
"""

from __future__ import annotations

import re

import pytest

from generator.catalog import Catalog
from generator.catalog.model import Unit
from generator.errors import UserError
from generator.i18n import NumberFormats, month_names, upper
from generator.i18n.formats import default_currency, parse_locale

NBSP = "\u00a0"
SEPARATORS = {"tr": (".", ","), "en": (",", "."), "de": (".", ",")}
"""Group and decimal separators a spreadsheet in that locale shows (CLDR latn symbols)."""


def render(code: str, value: float, locale: str) -> str:
    """Show ``value`` as a spreadsheet does with the Excel format ``code`` in ``locale``.

    Enough of Excel's rules for the codes NumberFormats makes: quoted literals, one
    ``#,##0.00``-style number and ``%`` (which multiplies by 100).
    """
    group, decimal = SEPARATORS[locale]
    parts = re.findall(r'"[^"]*"|[#0,.]+|%|.', code)
    if "%" in parts:
        value *= 100
    out = []
    for part in parts:
        if part.startswith('"'):
            out.append(part[1:-1])
        elif part[0] in "#0":
            decimals = len(part.split(".")[1]) if "." in part else 0
            text = f"{value:,.{decimals}f}" if "," in part else f"{value:.{decimals}f}"
            out.append(text.replace(",", "\0").replace(".", decimal).replace("\0", group))
        else:
            out.append(part)
    return "".join(out)


# fmt: off
TURKISH_SHORT = ["Oca", "Şub", "Mar", "Nis", "May", "Haz", "Tem", "Ağu", "Eyl", "Eki", "Kas", "Ara"]
TURKISH_WIDE = ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
                "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"]
ENGLISH_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# fmt: on


def test_turkish_month_names() -> None:
    assert month_names("tr", "abbreviated") == TURKISH_SHORT
    assert month_names("tr") == TURKISH_WIDE


def test_english_month_names() -> None:
    assert month_names("en", "abbreviated") == ENGLISH_SHORT
    assert month_names("en")[8] == "September"


def test_turkish_percent_sign_comes_first() -> None:
    code = NumberFormats("tr", "TRY").for_unit(Unit.PERCENT, 1)
    assert code == "%#,##0.0"
    assert render(code, 0.125, "tr") == "%12,5"
    assert render(NumberFormats("tr", "TRY").for_unit(Unit.RATIO, 0), 0.5, "tr") == "%50"


def test_english_percent_sign_comes_last() -> None:
    code = NumberFormats("en", "USD").for_unit(Unit.PERCENT, 1)
    assert code == "#,##0.0%"
    assert render(code, 0.125, "en") == "12.5%"


def test_german_percent_has_a_no_break_space() -> None:
    code = NumberFormats("de", "EUR").for_unit(Unit.PERCENT, 1)
    assert render(code, 0.125, "de") == f"12,5{NBSP}%"


def test_turkish_lira_sign_before_the_number() -> None:
    code = NumberFormats("tr", "TRY").for_unit(Unit.CURRENCY, 2)
    assert code == '"₺"#,##0.00'
    assert render(code, 1234.5, "tr") == "₺1.234,50"


def test_other_currencies_in_turkish() -> None:
    assert render(NumberFormats("tr", "USD").for_unit(Unit.CURRENCY, 2), 1234.5, "tr") == "$1.234,50"
    assert render(NumberFormats("tr", "EUR").for_unit(Unit.CURRENCY, 0), 1234.5, "tr") == "€1.234"


def test_letter_currency_symbol_is_spaced_from_the_digits() -> None:
    """English has no symbol for the lira: the code TRY, then a no-break space."""
    code = NumberFormats("en", "TRY").for_unit(Unit.CURRENCY, 0)
    assert render(code, 1234, "en") == f"TRY{NBSP}1,234"
    assert render(NumberFormats("tr", "CHF").for_unit(Unit.CURRENCY, 0), 1234, "tr") == f"CHF{NBSP}1.234"


def test_currency_after_the_number_in_german() -> None:
    assert render(NumberFormats("de", "EUR").for_unit(Unit.CURRENCY, 2), 1234.5, "de") == f"1.234,50{NBSP}€"


def test_english_dollar() -> None:
    assert render(NumberFormats("en", "USD").for_unit(Unit.CURRENCY, 2), 1234.5, "en") == "$1,234.50"


@pytest.mark.parametrize(
    ("unit", "value", "shown"),
    [
        (Unit.DAYS, 12, "12 gün"),
        (Unit.MINUTES, 45, "45 dakika"),
        (Unit.YEARS, 3, "3 yıl"),
        (Unit.COUNT, 12345, "12.345"),
    ],
)
def test_turkish_units(unit: Unit, value: float, shown: str) -> None:
    assert render(NumberFormats("tr", "TRY").for_unit(unit, 0), value, "tr") == shown


def test_number_formats_never_hold_a_stray_quote() -> None:
    """Every literal is quoted in pairs, or Excel refuses the file."""
    for locale, currency in [("tr", "TRY"), ("en", "USD"), ("de", "EUR"), ("en", "TRY")]:
        for unit in Unit:
            assert NumberFormats(locale, currency).for_unit(unit, 2).count('"') % 2 == 0


def test_turkish_upper_case() -> None:
    assert upper("istanbul ılık iğdır", "tr") == "İSTANBUL ILIK İĞDIR"
    assert upper("Müşteri ilişkileri", "tr") == "MÜŞTERİ İLİŞKİLERİ"
    assert upper("Bu çalışma kitabı nasıl kullanılır", "tr") == "BU ÇALIŞMA KİTABI NASIL KULLANILIR"
    assert upper("KPI sonuçları", "tr_TR") == "KPI SONUÇLARI"


def test_english_upper_case_keeps_dotless_i() -> None:
    assert upper("istanbul", "en") == "ISTANBUL"


def test_default_currency_follows_the_locale() -> None:
    assert default_currency("tr") == "TRY"
    assert default_currency("en") == "USD"
    assert default_currency("de") == "EUR"


def test_unknown_locale_is_a_user_error() -> None:
    with pytest.raises(UserError, match="unknown locale 'xx'"):
        parse_locale("xx")


def test_numbers_inside_sentences_follow_the_locale() -> None:
    """Validation messages say "%0 ile %100 arasında" in Turkish, not "0% ile 100%"."""
    from generator.i18n.formats import format_number, format_percent

    assert (format_percent(0, "tr"), format_percent(1, "tr"), format_percent(0.125, "tr")) == ("%0", "%100", "%12,5")
    assert (format_percent(0, "en"), format_percent(10, "en")) == ("0%", "1,000%")
    assert format_percent(0.5, "de") == f"50{NBSP}%"
    assert (format_number(1234.5, "tr"), format_number(0.25, "tr"), format_number(-3, "tr")) == (
        "1.234,5",
        "0,25",
        "-3",
    )
    assert format_number(1234.5, "en") == "1,234.5"


def test_texts_format_in_their_locale(crm: Catalog) -> None:
    from generator.i18n import Texts

    texts = Texts.for_build(crm, "tr", "TRY")
    assert (texts.percent(1), texts.number(2500.75)) == ("%100", "2.500,75")
    assert texts.months()[:3] == ["Oca", "Şub", "Mar"]
    assert texts.upper("iç süreçler") == "İÇ SÜREÇLER"
