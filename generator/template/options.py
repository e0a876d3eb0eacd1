"""The rules of a workbook's options (company, fiscal year, first month, currency, exchange rate), kept once.

The command line and the web server both check what a user typed here, so they accept and refuse
the same values with the same sentence: ``OptionError`` is a ``UserError`` (exit 2) that the
command line shows against its option and the server answers with 422 and the field's name.
Messages are msgids (``N_``) translated where they are shown; the writer and the validator read
the ranges (``YEAR_MIN``, ``YEAR_MAX``) from here as well.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from generator.errors import OptionError
from generator.i18n.answers import answer

if TYPE_CHECKING:
    from generator.catalog.catalog import Catalog

YEAR_MIN, YEAR_MAX = 1900, 2200
"""Fiscal years a workbook accepts: the Settings sheet's data validation allows the same range."""
COMPANY_MAX = 100
"""Longest company name: it is shown on every sheet, in page footers (``FOOTER_COMPANY``) and in file names."""
RATE_MAX = 1e9
"""Largest exchange rate: no two currencies differ by more; a larger one is a typing slip."""

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters (C0, DEL, C1) and the Unicode line and paragraph separators."""
_CURRENCY = re.compile(r"[A-Z]{3}")


__all__ = ["COMPANY_MAX", "RATE_MAX", "YEAR_MAX", "YEAR_MIN", "OptionError", "check_company", "check_currency"]
__all__ += ["check_first_month", "check_rate", "check_selection", "check_year", "shown"]


def N_(message: str) -> str:
    """Mark an msgid for extraction (Babel's default keywords include ``N_``); it is translated where shown."""
    return message


def check_company(company: str) -> str:
    """The name without surrounding blanks; refused with a control character or over ``COMPANY_MAX``."""
    name = company.strip()
    if CONTROL.search(name):
        raise OptionError(
            "company",
            "company-control-characters",
            N_("The company name must not contain control characters (line breaks, tabs and the like)."),
        )
    if len(name) > COMPANY_MAX:
        raise OptionError(
            "company",
            "company-too-long",
            N_("The company name has {length} characters; at most {limit} are allowed."),
            length=len(name),
            limit=COMPANY_MAX,
        )
    return name


def check_year(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise OptionError(
            "year",
            "year-out-of-range",
            N_("The fiscal year must be between {low} and {high}, not {value}."),
            low=YEAR_MIN,
            high=YEAR_MAX,
            value=year,
        )
    return year


def check_first_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise OptionError(
            "first_month", "month-out-of-range", N_("The first month must be 1 to 12, not {value}."), value=month
        )
    return month


def check_currency(code: str) -> str:
    """An ISO 4217 code in capitals, or "" (the locale's currency); anything else is refused."""
    currency = code.strip().upper()
    if currency and not (_CURRENCY.fullmatch(currency) and _is_currency(currency)):
        raise OptionError(
            "currency",
            "unknown-currency",
            N_("Unknown currency '{value}'; use an ISO 4217 code such as TRY, USD or EUR."),
            value=shown(code),
        )
    return currency


def check_rate(typed: str | float | None) -> float | None:
    """An exchange rate (34.5, or typed as "34,5"), None when blank; a finite number above 0, at most ``RATE_MAX``."""
    text = "" if typed is None else str(typed).strip().replace(",", ".")
    if not text:
        return None
    try:
        rate = float(text)
    except ValueError:
        rate = math.nan
    if not 0 < rate <= RATE_MAX:  # false for nan too
        raise OptionError(
            "exchange_rate",
            "bad-exchange-rate",
            N_("'{value}' is not an exchange rate; type how many units of the new currency one of the old buys."),
            value=shown(str(typed)),
        )
    return rate


def check_selection(
    catalog: Catalog, kpis: Sequence[str] | None = None, categories: Sequence[str] | None = None
) -> tuple[str, ...]:
    """The chosen KPI ids in catalogue order: those named (renamed ids followed) and those of the named
    categories; () for the whole catalogue (nothing named, None, or every KPI named). A field given
    but empty on both sides is a refusal: a workbook without KPIs is no workbook."""
    from generator.catalog.selection import resolve_kpi  # the catalogue only when a selection is checked

    if kpis is None and categories is None:
        return ()
    unknown = [k for k in kpis or () if resolve_kpi(catalog, k) is None]
    if unknown:
        raise OptionError(
            "kpis",
            "unknown-kpi",
            N_("Unknown KPI {value} in catalogue '{catalog}'; known: {choices}."),
            value=shown(", ".join(f"'{k}'" for k in unknown)),
            catalog=catalog.id,
            choices=", ".join(catalog.kpis),
        )
    missing = [c for c in categories or () if c not in catalog.categories]
    if missing:
        raise OptionError(
            "categories",
            "unknown-category",
            N_("Unknown category {value} in catalogue '{catalog}'; known: {choices}."),
            value=shown(", ".join(f"'{c}'" for c in missing)),
            catalog=catalog.id,
            choices=", ".join(catalog.categories),
        )
    wanted = {resolve_kpi(catalog, k) for k in kpis or ()}
    wanted |= {k for k, kpi in catalog.kpis.items() if kpi.category in set(categories or ())}
    chosen = tuple(k for k in catalog.kpis if k in wanted)
    if not chosen:
        raise OptionError(
            "kpis", "no-kpis", N_("Choose at least one KPI: a workbook without KPIs has nothing to show.")
        )
    return () if len(chosen) == len(catalog.kpis) else chosen


def shown(value: str, limit: int = 40) -> str:
    """A user's value quoted back: one line, no control characters, bounded."""
    text = CONTROL.sub("\ufffd", value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_currency(code: str) -> bool:
    def ask() -> bool:
        from babel.numbers import is_currency

        return bool(is_currency(code))

    return answer(f"is_currency|{code}", ask)
