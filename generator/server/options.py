"""Build options from a request (JSON body or HTML form), checked into the writer's ``BuildOptions``.

One function checks both the API's body and the page's form, so the two refuse the same things
with the same sentences: an unknown catalogue, locale or currency, a year out of range, a
company name with control characters or over ``COMPANY_MAX`` characters.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from generator.catalog import Catalog
from generator.server.catalogs import Catalogs
from generator.server.problems import N_, Problem
from generator.server.settings import COMPANY_MAX, YEAR_MAX, YEAR_MIN
from generator.workbook.context import BuildOptions
from generator.workbook.sample import DEMO_RATES

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNENCODABLE = re.compile("[\ud800-\udfff]")
"""Lone surrogates: JSON can spell them (``\\ud800``), but no UTF-8 file or workbook can hold them."""
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_LOCALE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


class WorkbookRequest(BaseModel):
    """The options of one workbook; every field may be left out."""

    catalog: str = Field("crm", description="Catalogue id, as listed by GET /api/catalogs.", max_length=64)
    locale: str = Field("en", description="Workbook language: en, tr (tr-TR and tr_TR are accepted).", max_length=35)
    company: str = Field("", description=f"Company name shown on every sheet; at most {COMPANY_MAX} characters.")
    year: int | None = Field(None, description=f"Fiscal year, {YEAR_MIN}-{YEAR_MAX}; default: this year.")
    first_month: int = Field(1, description="First month of the fiscal year, 1-12.")
    currency: str = Field("", description="ISO 4217 code (TRY, USD, EUR, ...); default: the locale's currency.")
    sample: bool = Field(False, description="Fill a demo year instead of leaving the inputs empty.")


def resolve(request: WorkbookRequest, catalogs: Catalogs) -> tuple[Catalog, BuildOptions]:
    """The catalogue and checked ``BuildOptions``; raises ``Problem`` (422) naming the field at fault."""
    catalog = catalogs.get(request.catalog)
    if catalog is None:
        raise Problem(
            422,
            "unknown-catalog",
            N_("Unknown catalogue '{value}'; choose one of {choices}."),
            "catalog",
            {"value": _shown(request.catalog), "choices": ", ".join(catalogs.ids())},
        )
    locale = workbook_locale(request.locale, catalog)
    year = _dt.date.today().year if request.year is None else request.year
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Problem(
            422,
            "year-out-of-range",
            N_("The fiscal year must be between {low} and {high}, not {value}."),
            "year",
            {"low": YEAR_MIN, "high": YEAR_MAX, "value": year},
        )
    if not 1 <= request.first_month <= 12:
        raise Problem(
            422,
            "month-out-of-range",
            N_("The first month must be 1 to 12, not {value}."),
            "first_month",
            {"value": request.first_month},
        )
    company = request.company.strip()
    if _UNENCODABLE.search(company):
        raise Problem(
            422,
            "company-unencodable",
            N_("The company name holds a character no text file can store (a lone UTF-16 surrogate); type it again."),
            "company",
        )
    if _CONTROL.search(company):
        raise Problem(
            422,
            "company-control-characters",
            N_("The company name must not contain control characters (line breaks, tabs and the like)."),
            "company",
        )
    if len(company) > COMPANY_MAX:
        raise Problem(
            422,
            "company-too-long",
            N_("The company name has {length} characters; at most {limit} are allowed."),
            "company",
            {"length": len(company), "limit": COMPANY_MAX},
        )
    currency = checked_currency(request.currency)
    if request.sample and catalog.sample is None:
        raise Problem(
            422,
            "no-sample",
            N_("Catalogue '{catalog}' has no sample data; choose an empty workbook."),
            "sample",
            {"catalog": catalog.id},
        )
    if request.sample and currency and currency not in DEMO_RATES:
        raise Problem(
            422,
            "no-demo-currency",
            N_("The demo year has no figures in {value}; choose another currency or an empty workbook."),
            "currency",
            {"value": currency},
        )
    options = BuildOptions(
        locale=locale,
        company=company,
        year=year,
        first_month=request.first_month,
        currency=currency,
        sample=request.sample,
    )
    return catalog, options


def checked_rate(text: str) -> float | None:
    """An exchange rate as typed (34.5 or 34,5), or None when blank; a finite number above 0, at most 1e9."""
    typed = text.strip().replace(",", ".")
    if not typed:
        return None
    try:
        rate = float(typed)
    except ValueError:
        rate = math.nan
    if not 0 < rate <= 1e9:  # false for nan too
        raise Problem(
            422,
            "bad-exchange-rate",
            N_("'{value}' is not an exchange rate; type how many units of the new currency one of the old buys."),
            "exchange_rate",
            {"value": _shown(text)},
        )
    return rate


def checked_currency(code: str) -> str:
    """An ISO 4217 code in capitals, or "" for the default; anything else is refused."""
    currency = code.strip().upper()
    if currency and not _is_currency(currency):
        raise Problem(
            422,
            "unknown-currency",
            N_("Unknown currency '{value}'; use an ISO 4217 code such as TRY, USD or EUR."),
            "currency",
            {"value": _shown(code)},
        )
    return currency


def _match_locale(code: str, carried: tuple[str, ...] | list[str]) -> str | None:
    cleaned = code.strip().replace("-", "_")
    if _LOCALE.fullmatch(cleaned):
        for candidate in (cleaned, cleaned.split("_")[0]):
            for known in carried:
                if known.lower() == candidate.lower():
                    return known
    return None


def workbook_locale(code: str, catalog: Catalog) -> str:
    """The catalogue's locale for ``code``: exact, or by language (``tr-TR``, ``TR`` and ``tr_TR`` give ``tr``)."""
    found = _match_locale(code, catalog.locales)
    if found is None:
        raise Problem(
            422,
            "unknown-locale",
            N_("Unknown locale '{value}' for catalogue '{catalog}'; choose one of {choices}."),
            "locale",
            {"value": _shown(code), "catalog": catalog.id, "choices": ", ".join(catalog.locales)},
        )
    return found


def any_locale(code: str, catalogs: Catalogs) -> str:
    """A locale some bundled catalogue carries (regeneration learns the catalogue from the file)."""
    offered = catalogs.locales()
    found = _match_locale(code, offered)
    if found is None:
        raise Problem(
            422,
            "unknown-locale",
            N_("Unknown locale '{value}'; choose one of {choices}."),
            "locale",
            {"value": _shown(code), "choices": ", ".join(offered)},
        )
    return found


def from_form(form: Mapping[str, Any]) -> WorkbookRequest:
    """The page's form fields as a request; a number field that is not a number is refused like a bad value."""
    numbers: dict[str, int | None] = {}
    for name in ("year", "first_month"):
        raw = str(form.get(name) or "").strip()
        if not raw:
            numbers[name] = None
            continue
        try:
            numbers[name] = int(raw)
        except ValueError:
            raise Problem(
                422, "not-a-number", N_("'{value}' is not a whole number."), name, {"value": _shown(raw)}
            ) from None
    return WorkbookRequest(
        catalog=str(form.get("catalog") or "crm")[:64],
        locale=str(form.get("locale") or "en")[:35],
        company=str(form.get("company") or ""),
        year=numbers["year"],
        first_month=numbers["first_month"] or 1,
        currency=str(form.get("currency") or "")[:16],
        sample=str(form.get("sample") or "") in {"1", "true", "on", "yes"},
    )


def _is_currency(code: str) -> bool:
    from babel.numbers import is_currency

    return bool(_CURRENCY.fullmatch(code)) and is_currency(code)


def _shown(value: str, limit: int = 40) -> str:
    """A user's value quoted back: one line, no control characters, bounded."""
    text = _UNENCODABLE.sub("\ufffd", _CONTROL.sub("\ufffd", value))
    return text if len(text) <= limit else text[: limit - 1] + "…"
