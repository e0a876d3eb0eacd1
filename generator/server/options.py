"""Build options from a request (JSON body or HTML form), checked into the writer's ``BuildOptions``.

One function checks both the API's body and the page's form, by the rules the command line
keeps too (``generator.template.options``): an unknown catalogue, locale, currency, KPI or
category, a year out of range, a company name with control characters or over ``COMPANY_MAX``
characters, a selection of no KPI; each refusal is a 422 naming the field.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field

from generator.catalog import Catalog
from generator.i18n.locales import UnknownLocale, resolve_locale
from generator.server.catalogs import Catalogs
from generator.server.problems import N_, Problem
from generator.template.options import (
    COMPANY_MAX,
    YEAR_MAX,
    YEAR_MIN,
    OptionError,
    check_company,
    check_currency,
    check_first_month,
    check_rate,
    check_selection,
    check_year,
    shown,
)
from generator.workbook.context import BuildOptions
from generator.workbook.sample import DEMO_RATES

MAX_IDS = 1000
"""Ids a request may name in ``kpis`` or ``categories``: more than any catalogue holds (a 1,000-KPI one builds)."""
_UNENCODABLE = re.compile("[\ud800-\udfff]")
"""Lone surrogates: JSON can spell them (``\\ud800``), but no UTF-8 file or workbook can hold them."""


class WorkbookRequest(BaseModel):
    """The options of one workbook; every field may be left out."""

    catalog: str = Field("crm", description="Catalogue id, as listed by GET /api/catalogs.", max_length=64)
    locale: str = Field("en", description="Workbook language: en, tr (tr-TR and tr_TR are accepted).", max_length=35)
    company: str = Field("", description=f"Company name shown on every sheet; at most {COMPANY_MAX} characters.")
    year: int | None = Field(None, description=f"Fiscal year, {YEAR_MIN}-{YEAR_MAX}; default: this year.")
    first_month: int = Field(1, description="First month of the fiscal year, 1-12.")
    currency: str = Field("", description="ISO 4217 code (TRY, USD, EUR, ...); default: the locale's currency.")
    sample: bool = Field(False, description="Fill a demo year instead of leaving the inputs empty.")
    kpis: list[str] | None = Field(
        None,
        description="Only these KPIs (ids as GET /api/catalogs lists them) and the inputs they read; "
        "with categories, the KPIs of both. Default (neither given): every KPI. Both given and empty: refused.",
        max_length=MAX_IDS,
    )
    categories: list[str] | None = Field(
        None, description="Only the KPIs of these categories (ids as GET /api/catalogs lists them).", max_length=MAX_IDS
    )


def problem(error: OptionError) -> Problem:
    """The library's refusal of an option as the server's 422, naming the same field with the same msgid."""
    return Problem(422, error.code, error.msgid, error.field, error.values)


def resolve(request: WorkbookRequest, catalogs: Catalogs) -> tuple[Catalog, BuildOptions]:
    """The catalogue and checked ``BuildOptions``; raises ``Problem`` (422) naming the field at fault."""
    catalog = catalogs.get(request.catalog)
    if catalog is None:
        raise Problem(
            422,
            "unknown-catalog",
            N_("Unknown catalogue '{value}'; choose one of {choices}."),
            "catalog",
            {"value": shown(request.catalog), "choices": ", ".join(catalogs.ids())},
        )
    locale = workbook_locale(request.locale, catalog)
    if _UNENCODABLE.search(request.company):
        raise Problem(
            422,
            "company-unencodable",
            N_("The company name holds a character no text file can store (a lone UTF-16 surrogate); type it again."),
            "company",
        )
    try:
        year = check_year(_dt.date.today().year if request.year is None else request.year)
        first_month = check_first_month(request.first_month)
        company = check_company(request.company)
        currency = check_currency(request.currency)
    except OptionError as error:
        raise problem(error) from None
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
    try:
        chosen = check_selection(catalog, request.kpis, request.categories)
    except OptionError as error:
        raise problem(error) from None
    options = BuildOptions(
        locale=locale,
        company=company,
        year=year,
        first_month=first_month,
        currency=currency,
        sample=request.sample,
    )
    return selected(catalog, chosen), options


@lru_cache(maxsize=64)
def selected(catalog: Catalog, chosen: tuple[str, ...]) -> Catalog:
    """The catalogue cut to ``chosen`` (the whole one for ()), cut once per selection: the build
    cache's key reads the cut's ``selection``, so the same choice must give the same catalogue."""
    from generator.catalog.selection import restrict

    return restrict(catalog, chosen) if chosen else catalog


def checked_rate(text: str) -> float | None:
    """An exchange rate as typed (34.5 or 34,5), or None when blank (``check_rate``'s rule, as a 422)."""
    try:
        return check_rate(text)
    except OptionError as error:
        raise problem(error) from None


def checked_currency(code: str) -> str:
    """An ISO 4217 code in capitals, or "" for the default (``check_currency``'s rule, as a 422)."""
    try:
        return check_currency(code)
    except OptionError as error:
        raise problem(error) from None


def _match_locale(code: str, carried: tuple[str, ...] | list[str]) -> str | None:
    """The carried locale of ``code``'s language, as the command line resolves it (``resolve_locale``)."""
    try:
        return resolve_locale(code, list(carried)).language
    except UnknownLocale:
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
            {"value": shown(code), "catalog": catalog.id, "choices": ", ".join(catalog.locales)},
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
            {"value": shown(code), "choices": ", ".join(offered)},
        )
    return found


def from_form(form: Mapping[str, Any]) -> WorkbookRequest:
    """The page's form fields as a request; a number field that is not a number is refused like a bad value.

    The KPI boxes of catalogue ``crm`` are fields ``kpis:crm`` (and ``categories:crm``), with a
    hidden ``pick=crm`` saying the boxes were on the form: then no box ticked is a refusal, while
    a form without them (an older page, a script) builds every KPI.
    """
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
                422, "not-a-number", N_("'{value}' is not a whole number."), name, {"value": shown(raw)}
            ) from None
    catalog = str(form.get("catalog") or "crm")[:64]
    kpis, categories = _ticked(form, catalog)
    return WorkbookRequest(
        catalog=catalog,
        kpis=kpis,
        categories=categories,
        locale=str(form.get("locale") or "en")[:35],
        company=str(form.get("company") or ""),
        year=numbers["year"],
        first_month=numbers["first_month"] or 1,
        currency=str(form.get("currency") or "")[:16],
        sample=str(form.get("sample") or "") in {"1", "true", "on", "yes"},
    )


def _ticked(form: Mapping[str, Any], catalog: str) -> tuple[list[str] | None, list[str] | None]:
    """The ticked KPI and category ids of ``catalog``'s boxes; (None, None) when the form had none."""
    values = getattr(form, "getlist", lambda name: [form[name]] if name in form else [])
    if catalog not in [str(v) for v in values("pick")]:
        return None, None
    kpis = [str(v)[:200] for v in values(f"kpis:{catalog}")]
    categories = [str(v)[:200] for v in values(f"categories:{catalog}")]
    return kpis[:MAX_IDS], categories[:MAX_IDS]
