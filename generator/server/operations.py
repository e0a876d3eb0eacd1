"""What the pages and the API do, once: build a workbook, shape a report, regenerate an upload."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.responses import Response

from generator.errors import UserError
from generator.server.catalogs import Catalogs
from generator.server.download import XLSX, BuildCache, content_disposition, file_name
from generator.server.language import messages
from generator.server.options import WorkbookRequest, resolve
from generator.server.problems import N_, Problem
from generator.server.uploads import Upload
from generator.validate.report import Report

__all__ = ["XLSX", "Built", "attachment", "build", "in_thread", "regenerate", "report_dict"]


@dataclass(frozen=True)
class Built:
    data: bytes
    name: str


def build(state: Any, request: WorkbookRequest) -> Built:
    """The workbook for these options (from the cache when built before) and its download name."""
    catalogs: Catalogs = state.catalogs
    cache: BuildCache = state.cache
    catalog, options = resolve(request, catalogs)
    try:
        result = cache.build(catalog, options)
    except UserError as error:  # whatever the writer still refuses, in its own words
        raise Problem(422, "build-refused", "{reason}", None, {"reason": error.message}) from None
    return Built(result.data, file_name(catalog, options, messages(options.locale).gettext))


def attachment(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type=XLSX,
        headers={
            "Content-Disposition": content_disposition(name),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def report_dict(report: Report) -> dict[str, Any]:
    """The validator's JSON report, without the server's own file paths."""
    shaped = report.as_dict()
    source = shaped["template"].get("catalog_source")
    if source:
        shaped["template"]["catalog_source"] = Path(str(source)).name
    return shaped


def regenerate(state: Any, upload: Upload, locale: str, catalog: str) -> Built:
    """Carry an upload's data into a fresh workbook (``kpigen regenerate``)."""
    raise Problem(501, "not-available", N_("Regeneration is not available on this server yet."), None, {})


async def in_thread(function: Any, *args: Any) -> Any:
    """CPU-bound library work off the event loop, so /healthz and other requests keep answering."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)
