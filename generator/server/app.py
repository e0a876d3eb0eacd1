"""The application factory: one FastAPI app with the pages, the JSON API, static files and /healthz.

Everything a request needs is loaded once here (catalogues, templates) and kept on
``app.state``; routes never name a file from the request.
"""

from __future__ import annotations

import json
import logging
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Scope

from generator import __version__
from generator.server.board import Board
from generator.server.catalogs import Catalogs
from generator.server.download import BuildCache
from generator.server.middleware import AccessLog, Guard, SecurityHeaders
from generator.server.problems import N_, Problem, Size, is_api
from generator.server.settings import FORM_BYTES, ServerSettings

LOG = logging.getLogger("kpigen.server")


def package_folder(name: str) -> Path:
    return Path(str(files("generator.server").joinpath(name)))


def create_app(settings: ServerSettings | None = None, board: Board | None = None) -> FastAPI:
    from generator.server import api, pages

    settings = settings or ServerSettings()
    app = FastAPI(
        title="kpigen",
        version=__version__,
        description="Download KPI dashboard workbooks, and validate or regenerate filled ones.",
        docs_url=None,
        redoc_url=None,
        form_limits={"max_files": 1, "max_fields": 20, "max_part_size": FORM_BYTES},
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

    def respond(request: Request, problem: Problem) -> Response:
        if is_api(request.url.path):
            return JSONResponse(problem.as_dict(), status_code=problem.status)
        return pages.error_page(request, problem)

    @app.exception_handler(Problem)
    async def problem(request: Request, error: Problem) -> Response:
        return respond(request, error)

    @app.exception_handler(HTTPException)
    async def framework(request: Request, error: HTTPException) -> Response:
        return respond(request, from_framework(error.status_code, str(error.detail)))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {}
        where = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "form")]
        field = ".".join(where) or None
        message = str(first.get("msg", "invalid request"))
        text = f"{field}: {message}" if field else message
        return respond(request, Problem(422, "invalid-request", "{text}", field, {"text": text}))

    @app.exception_handler(ClientDisconnect)
    async def gone(request: Request, error: ClientDisconnect) -> Response:
        """The client left in the middle of its request: nobody to answer, nothing to log as a failure."""
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> Response:
        LOG.error("request failed: %s %s", request.method, request.url.path, exc_info=error)
        return JSONResponse(
            {"error": "internal-error", "field": None, "message": "The server failed on this request; it is logged."},
            status_code=500,
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
        )

    def refuse(scope: Scope, problem: Problem) -> tuple[str, bytes]:
        if is_api(str(scope["path"])):
            return "application/json", json.dumps(problem.as_dict()).encode()
        return "text/html; charset=utf-8", bytes(pages.error_page(Request(scope), problem).body)

    app.add_middleware(Guard, settings=settings, refuse=refuse, board=board)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)
    return app


def from_framework(status: int, detail: str) -> Problem:
    """Starlette's own refusals (multipart parser, routing) in the one format, with a translatable sentence."""
    if detail.startswith("Too many files"):
        return Problem(400, "too-many-files", N_("Send one file: the form takes one workbook."), "file")
    if detail.startswith("Too many fields"):
        return Problem(400, "too-many-fields", N_("The form has more fields than it can have."))
    if detail.startswith("Field exceeded maximum size"):
        return Problem(
            413, "field-too-large", N_("A form field is longer than {limit}."), None, {"limit": Size(FORM_BYTES)}
        )
    if status == 400:
        return Problem(400, "bad-form", N_("The form could not be read; send it again from the page."))
    if status == 404:
        return Problem(404, "not-found", N_("There is no such page."))
    if status == 405:
        return Problem(405, "method-not-allowed", N_("This address does not take that kind of request."))
    if status == 413:
        return Problem(413, "request-too-large", N_("The request is larger than this server accepts."))
    return Problem(status, "refused", "{detail}", None, {"detail": detail})
