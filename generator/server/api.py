"""The JSON API: the same operations as the pages and the command line, described at /openapi.json."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from generator.server import operations
from generator.server.catalogs import Catalogs, summary
from generator.server.options import WorkbookRequest
from generator.server.uploads import checked, validate_upload

router = APIRouter(prefix="/api", tags=["api"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "A bad option or a refused file: `{error, field, message}`."},
}
_UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "An empty upload, a second file, or a form that cannot be read."},
    408: {"description": "The client stayed silent for --read-timeout seconds while sending the file."},
    413: {"description": "The upload is larger than the server's limit."},
    415: {"description": "The upload is not an .xlsx workbook (an .xls, CSV, ...)."},
    503: {"description": "More uploads under way than --max-uploads for longer than --read-timeout; try again."},
    **_ERRORS,
}
_XLSX_RESPONSE: dict[str, Any] = {
    "content": {operations.XLSX: {"schema": {"type": "string", "format": "binary"}}},
    "description": "The workbook, as an attachment with its file name.",
}


def _catalogs(request: Request) -> Catalogs:
    found: Catalogs = request.app.state.catalogs
    return found


@router.get("/catalogs")
def catalogs(request: Request, locale: str = "en") -> list[dict[str, Any]]:
    """Every bundled catalogue with its KPIs grouped by category; texts in ``locale`` where the catalogue has them."""
    return [summary(catalog, locale) for catalog in _catalogs(request).by_id.values()]


@router.post("/workbooks", response_class=Response, responses={200: _XLSX_RESPONSE, **_ERRORS})
def workbooks(request: Request, options: WorkbookRequest) -> Response:
    """Build a workbook from these options and return the .xlsx."""
    built = operations.build(request.app.state, options)
    return operations.attachment(built.data, built.name)


@router.post("/validate", responses=_UPLOAD_ERRORS)
async def validate(request: Request, file: Annotated[UploadFile, File(description="The filled .xlsx")]) -> JSONResponse:
    """Validate a filled workbook; the answer is the validator's JSON report (schema kpigen.validation/1)."""
    upload = checked(file.filename, await file.read(), request.app.state.settings)
    report = await operations.in_thread(
        validate_upload, upload, request.app.state.settings, ", ".join(_catalogs(request).ids())
    )
    return JSONResponse(operations.report_dict(report))


@router.post("/regenerate", response_class=Response, responses={200: _XLSX_RESPONSE, **_UPLOAD_ERRORS})
async def regenerate(
    request: Request,
    file: Annotated[UploadFile, File(description="The filled .xlsx to carry over")],
    locale: Annotated[str, Form(description="Language of the new workbook (en, tr); default: the file's.")] = "",
    currency: Annotated[str, Form(description="ISO 4217 code for money; default: the file's.")] = "",
    exchange_rate: Annotated[
        str, Form(description="With a new currency: how many units of it one unit of the old buys (34.5).")
    ] = "",
) -> Response:
    """Carry a filled workbook's data into a fresh template from the newest version of its catalogue,
    in another locale or currency if asked: inputs, settings and changed targets; values without a
    place in the new catalogue are listed on its "Carried over" sheet."""
    upload = checked(file.filename, await file.read(), request.app.state.settings)
    built = await operations.in_thread(
        operations.regenerate, request.app.state, upload, locale, currency, exchange_rate
    )
    return operations.attachment(built.data, built.name)
