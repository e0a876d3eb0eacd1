"""The application factory: one FastAPI app with the pages, the JSON API, static files and /healthz.

Everything a request needs is loaded once here (catalogues, templates) and kept on
``app.state``; routes never name a file from the request.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.types import Scope

from generator import __version__
from generator.server.catalogs import Catalogs
from generator.server.download import BuildCache
from generator.server.language import COOKIE, choose
from generator.server.middleware import AccessLog, BodyLimit
from generator.server.problems import N_, Problem
from generator.server.settings import ServerSettings
from generator.validate.refusals import human_size

ENVELOPE = 64 * 1024
"""Room for a multipart form's boundaries and other fields on top of the upload itself."""


def package_folder(name: str) -> Path:
    return Path(str(files("generator.server").joinpath(name)))


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    from generator.server import api, pages
    from generator.server.pages import render_html

    settings = settings or ServerSettings()
    app = FastAPI(
        title="kpigen",
        version=__version__,
        description="Download KPI dashboard workbooks, and validate or regenerate filled ones.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.catalogs = Catalogs.load(settings.catalog_dir)
    app.state.cache = BuildCache(settings.cache_entries)
    app.state.templates = Environment(
        loader=FileSystemLoader(package_folder("templates")),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    app.mount("/static", StaticFiles(directory=package_folder("static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, object]:
        """Liveness: the catalogues are loaded."""
        return {"status": "ok", "version": __version__, "catalogs": app.state.catalogs.ids()}

    @app.exception_handler(Problem)
    async def problem(request: Request, error: Problem) -> JSONResponse:
        return JSONResponse(error.as_dict(), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "form")]
        field = ".".join(where) or None
        message = str(first.get("msg", "invalid request"))
        text = f"{field}: {message}" if field else message
        return JSONResponse({"error": "invalid-request", "field": field, "message": text}, status_code=422)

    limit = settings.max_upload_bytes + ENVELOPE
    too_large = Problem(
        413,
        "upload-too-large",
        N_("The request is larger than this server accepts (files up to {limit})."),
        "file",
        {"limit": human_size(settings.max_upload_bytes)},
    )

    def too_large_page(scope: Scope) -> bytes:
        request = Request(scope)
        language = choose(None, request.cookies.get(COOKIE), request.headers.get("accept-language"))
        error = too_large.text(language.gettext)
        return render_html(
            app.state.templates, "validate.html", language, "/validate", settings.max_upload_bytes, error=error
        ).encode()

    app.add_middleware(BodyLimit, max_bytes=limit, message=too_large.text(), page=too_large_page)
    app.add_middleware(AccessLog)
    return app
