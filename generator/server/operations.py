"""What the pages and the API do, once: build a workbook, shape a report, regenerate an upload."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.responses import Response

from generator.catalog import Catalog
from generator.errors import UserError
from generator.server.catalogs import Catalogs
from generator.server.download import XLSX, BuildCache, content_disposition, file_name
from generator.server.language import messages
from generator.server.options import WorkbookRequest, any_locale, checked_currency, checked_rate, resolve
from generator.server.problems import N_, Problem
from generator.server.settings import ServerSettings
from generator.server.uploads import Upload, refusal, stored
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
    name = file_name(catalog, options, messages(options.locale).gettext, _total(catalogs, catalog))
    return Built(result.data, name)


def _total(catalogs: Catalogs, catalog: Catalog) -> int:
    """KPIs of the whole bundled catalogue ``catalog`` may be cut from: the "of 26" of a file name."""
    whole = catalogs.get(catalog.id)
    return len(whole.kpis) if whole is not None else 0


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


def regenerate(state: Any, upload: Upload, locale: str, currency: str, exchange_rate: str = "") -> Built:
    """Carry an upload's data into a fresh workbook, as ``kpigen regenerate`` does, and return its bytes.

    The new workbook uses the newest bundled version of the file's catalogue, in ``locale`` and
    ``currency`` when given (else the file's own); money values are converted by ``exchange_rate``,
    which a new currency needs when there are any. Nothing is written but the upload's private copy.
    """
    from generator.transfer.regenerate import (
        ExchangeRateNeeded,
        ExchangeRateUnused,
        RegenerateOptions,
        build_regenerated,
    )

    catalogs: Catalogs = state.catalogs
    settings: ServerSettings = state.settings
    chosen = RegenerateOptions(
        locale=any_locale(locale, catalogs) if locale.strip() else None,
        currency=checked_currency(currency) or None,
        exchange_rate=checked_rate(exchange_rate),
        limits=settings.read_limits(),
    )
    with stored(upload) as path:
        try:
            _filled, plan, result = build_regenerated(path, chosen)
        except ExchangeRateNeeded as error:
            raise Problem(
                422,
                "exchange-rate-needed",
                N_("The workbook's money values are in {old}; give the exchange rate: how many {new} one {old} buys."),
                "exchange_rate",
                {"old": error.old, "new": error.new},
            ) from None
        except ExchangeRateUnused:
            raise Problem(
                422,
                "exchange-rate-unused",
                N_("An exchange rate converts money into another currency; choose the new currency too."),
                "exchange_rate",
            ) from None
        except UserError as error:
            raise refusal(error, path, upload, ", ".join(catalogs.ids())) from None
    gettext = messages(plan.options.locale).gettext
    return Built(result.data, file_name(plan.catalog, plan.options, gettext, _total(catalogs, plan.catalog)))


async def in_thread(function: Any, *args: Any) -> Any:
    """CPU-bound library work off the event loop, so /healthz and other requests keep answering."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)
