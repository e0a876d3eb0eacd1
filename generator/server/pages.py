"""The HTML pages: choose and download a workbook, validate one, regenerate one. No JavaScript needed:
one small script (static/pick.js) only adds a "tick all" box to each category of KPIs.

Each page speaks the interface language chosen by ``language.choose``; the forms post back to
the same operations the API uses, and a refusal re-shows the form with the reason beside it.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from starlette.datastructures import FormData, UploadFile

from generator.server import operations
from generator.server.catalogs import Catalogs, summary
from generator.server.language import COOKIE, Language, choose, interface_locales, language_name
from generator.server.operations import in_thread
from generator.server.options import from_form
from generator.server.problems import N_, Problem, decimal
from generator.server.report_view import report_view
from generator.server.uploads import Upload, checked, validate_upload
from generator.template.options import COMPANY_MAX, YEAR_MAX, YEAR_MIN

router = APIRouter(include_in_schema=False)

CURRENCIES = ("TRY", "USD", "EUR", "GBP", "CHF", "JPY", "CNY", "AED", "SAR", "AZN", "RUB", "INR", "CAD", "AUD")
"""Offered in the form; the API takes any ISO 4217 code."""
_FORM_LIMITS = {"max_files": 1, "max_fields": 20}


def _language(request: Request, form: FormData | None = None) -> Language:
    chosen = (form.get("lang") if form is not None else None) or request.query_params.get("lang")
    return choose(str(chosen) if chosen else None, request.cookies.get(COOKIE), request.headers.get("accept-language"))


def render_html(env: Environment, template: str, language: Language, path: str, max_upload: int, **context: Any) -> str:
    """A page in ``language``: every template gets ``_``, the language switch and the upload limit."""
    names = {code: language_name(code, code) for code in interface_locales()}
    html: str = env.get_template(template).render(
        _=language.gettext,
        lang=language.code,
        languages=names,
        path=path,
        max_upload=max_upload,
        number=lambda value, digits=None: decimal(value, language.code, digits),
        **context,
    )
    return html


def _render(request: Request, template: str, language: Language, status: int = 200, **context: Any) -> HTMLResponse:
    state = request.app.state
    html = render_html(
        state.templates, template, language, request.url.path, state.settings.max_upload_bytes, **context
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") == language.code:
        response.set_cookie(COOKIE, language.code, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def _index(request: Request, language: Language, status: int = 200, **context: Any) -> HTMLResponse:
    from babel.numbers import get_currency_name

    catalogs: Catalogs = request.app.state.catalogs
    ui = language.code
    defaults = {
        "catalog": "crm",
        "locale": ui if ui in catalogs.locales() else "en",
        "company": "",
        "year": str(_dt.date.today().year),
        "first_month": "1",
        "currency": "TRY" if ui.startswith("tr") else "USD",
        "sample": "1",
    }
    defaults.update(context.pop("values", {}))
    ticked: dict[str, set[str]] = context.pop("ticked", {})
    return _render(
        request,
        "index.html",
        language,
        status,
        catalogs=[summary(catalog, ui) for catalog in catalogs.by_id.values()],
        ticked={c: ticked.get(c, set(catalog.kpis)) for c, catalog in catalogs.by_id.items()},
        workbook_locales={code: language_name(code, ui) for code in catalogs.locales()},
        months=[(m + 1, name) for m, name in enumerate(_months(ui))],
        currencies=[(code, get_currency_name(code, locale=ui)) for code in CURRENCIES],
        values=defaults,
        company_max=COMPANY_MAX,
        year_min=YEAR_MIN,
        year_max=YEAR_MAX,
        **context,
    )


def _months(locale: str) -> list[str]:
    from generator.i18n import month_names

    return month_names(locale, "wide")


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return _index(request, _language(request))


@router.post("/download")
async def download(request: Request) -> Response:
    catalogs: Catalogs = request.app.state.catalogs
    form = await request.form(max_files=1, max_fields=_FORM_LIMITS["max_fields"] + _boxes(catalogs))
    language = _language(request, form)
    try:
        options = from_form(form)
        built = await in_thread(operations.build, request.app.state, options)
    except Problem as problem:
        values = {key: str(value) for key, value in form.items() if isinstance(value, str)}
        values.setdefault("sample", "")
        picked = {str(c) for c in form.getlist("pick")}
        ticked = {c: {str(k) for k in form.getlist(f"kpis:{c}")} for c in catalogs.ids() if c in picked}
        return _index(
            request,
            language,
            problem.status,
            problem=problem,
            error=problem.text(language.gettext, language.code),
            values=values,
            ticked=ticked,
        )
    return operations.attachment(built.data, built.name)


def _boxes(catalogs: Catalogs) -> int:
    """Fields the download form adds to its own: a box per KPI and per category, a marker per catalogue."""
    return sum(len(c.kpis) + len(c.categories) + 1 for c in catalogs.by_id.values())


@router.get("/validate", response_class=HTMLResponse)
def validate_page(request: Request) -> HTMLResponse:
    return _render(request, "validate.html", _language(request))


@router.post("/validate", response_class=HTMLResponse)
async def validate_upload_page(request: Request) -> HTMLResponse:
    form = await request.form(**_FORM_LIMITS)
    language = _language(request, form)
    try:
        upload = _upload(request, form)
        catalogs: Catalogs = request.app.state.catalogs
        report = await in_thread(validate_upload, upload, request.app.state.settings, ", ".join(catalogs.ids()))
    except Problem as problem:
        return _render(
            request, "validate.html", language, problem.status, error=problem.text(language.gettext, language.code)
        )
    return _render(request, "report.html", language, report=report_view(report))


@router.get("/regenerate", response_class=HTMLResponse)
def regenerate_page(request: Request) -> HTMLResponse:
    return _regenerate_form(request, _language(request))


@router.post("/regenerate", response_model=None)
async def regenerate_upload_page(request: Request) -> Response:
    form = await request.form(**_FORM_LIMITS)
    language = _language(request, form)
    try:
        upload = _upload(request, form)
        built = await in_thread(
            operations.regenerate,
            request.app.state,
            upload,
            str(form.get("locale") or ""),
            str(form.get("currency") or ""),
            str(form.get("exchange_rate") or ""),
        )
    except Problem as problem:
        chosen = {key: str(form.get(key) or "") for key in ("locale", "currency", "exchange_rate")}
        return _regenerate_form(
            request, language, problem.status, error=problem.text(language.gettext, language.code), values=chosen
        )
    return operations.attachment(built.data, built.name)


def _regenerate_form(request: Request, language: Language, status: int = 200, **context: Any) -> HTMLResponse:
    from babel.numbers import get_currency_name

    catalogs: Catalogs = request.app.state.catalogs
    ui = language.code
    return _render(
        request,
        "regenerate.html",
        language,
        status,
        workbook_locales={code: language_name(code, ui) for code in catalogs.locales()},
        currencies=[(code, get_currency_name(code, locale=ui)) for code in CURRENCIES],
        **({"values": {}} | context),
    )


def error_page(request: Request, problem: Problem) -> HTMLResponse:
    """A refusal the framework or the guard gave, on the page of the form that was sent, in its language."""
    language = _language(request)
    error = problem.text(language.gettext, language.code)
    path = request.url.path
    if path == "/validate":
        return _render(request, "validate.html", language, problem.status, error=error)
    if path == "/regenerate":
        return _regenerate_form(request, language, problem.status, error=error)
    return _index(request, language, problem.status, problem=problem, error=error)


def _upload(request: Request, form: FormData) -> Upload:
    file = form.get("file")
    if not isinstance(file, UploadFile):
        raise Problem(400, "no-file", N_("Choose a workbook file to upload."), "file")
    data = file.file.read()
    return checked(file.filename, data, request.app.state.settings)
