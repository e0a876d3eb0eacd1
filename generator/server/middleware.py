"""The plumbing, as plain ASGI middleware: bounded request bodies, security headers, JSON access logs.

``Guard`` streams a request body through to the application (Starlette's multipart parser spools
a file past 1 MB to an anonymous temporary file), counting it as it passes: a body over its
limit (``ServerSettings.body_limit``) gets 413 as soon as it is known, a client silent for
``read_timeout`` seconds in the middle of a body gets 408, and at most ``max_uploads`` uploads
are read or worked on at once (one more waits, its body unread, for up to ``read_timeout`` seconds,
then gets 503). Whatever the
application answered meanwhile is replaced by that refusal, so every refusal has the one format.
With several workers, an upload answered by a worker busier than another (``board.py``) carries
``Connection: close``, so that the client's next request can land on a less busy worker.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generator.server.board import Board
from generator.server.problems import N_, Problem, Size
from generator.server.settings import UPLOAD_PATHS, ServerSettings

ACCESS_LOG = logging.getLogger("kpigen.access")
CSP = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
Refuse = Callable[[Scope, Problem], tuple[str, bytes]]
"""A refusal as (content type, body): JSON for the API, the form's page in its language elsewhere."""


class _Refused(Exception):
    """Raised from ``receive`` to stop the application reading a body that was refused."""


class Guard:
    def __init__(self, app: ASGIApp, settings: ServerSettings, refuse: Refuse, board: Board | None = None) -> None:
        self.app = app
        self.settings = settings
        self.refuse = refuse
        self.board = board
        """The other workers' uploads (``board.py``); None when this process serves alone."""
        self.slots: asyncio.Semaphore | None = None
        """Uploads under way; made in the server's event loop, on the first upload."""
        self.uploads = 0
        """Uploads in this worker now, waiting for a slot or holding one."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in {"POST", "PUT", "PATCH"}:
            await self.app(scope, receive, send)
            return
        path = str(scope["path"])
        limit = self.settings.body_limit(path)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and not declared.strip().isdigit():  # uvicorn's parser refuses it first
            bad = Problem(400, "bad-content-length", N_("The request's Content-Length is not a number."))
            await self._send_refusal(scope, send, bad)
            return
        if declared is not None and int(declared) > limit:
            await self._send_refusal(scope, send, self._too_large(path, limit))
            return
        if path not in UPLOAD_PATHS:
            await self._run(scope, receive, send, limit)
            return
        self._count(+1)
        try:
            await self._upload(scope, receive, send, limit)
        finally:
            self._count(-1)

    def _count(self, change: int) -> None:
        self.uploads += change
        if self.board is not None:
            self.board.set(self.uploads)

    def _busier(self) -> bool:
        """More uploads here than at the least busy other worker, by more than this one."""
        least = self.board.least_other() if self.board is not None else None
        return least is not None and self.uploads > least + 1

    async def _upload(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        if self.slots is None:
            self.slots = asyncio.Semaphore(self.settings.max_uploads)
        try:  # wait for a slot with the body unread (uvicorn stops reading past 64 KB)
            await asyncio.wait_for(self.slots.acquire(), self.settings.read_timeout)
        except TimeoutError:
            busy = Problem(503, "server-busy", N_("The server is busy checking other files; try again in a minute."))
            await self._send_refusal(scope, send, busy)
            return

        async def parting(message: Message) -> None:
            """From a busier worker, the client's next request goes on a new connection, to whichever is free."""
            headers = message.get("headers", [])
            mine = all(name.lower() != b"connection" for name, _value in headers)
            if message["type"] == "http.response.start" and mine and self._busier():
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self._run(scope, receive, parting, limit)
        finally:
            self.slots.release()

    async def _run(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        refusal: Problem | None = None
        started = False
        size = 0
        timeout = self.settings.read_timeout

        async def counted() -> Message:
            nonlocal refusal, size
            try:
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                refusal = Problem(
                    408,
                    "upload-stalled",
                    N_("Nothing arrived for {seconds} seconds while the file was being sent; send it again."),
                    "file",
                    {"seconds": f"{timeout:g}"},
                )
                raise _Refused from None
            size += len(message.get("body", b""))
            if size > limit:
                refusal = self._too_large(str(scope["path"]), limit)
                raise _Refused
            return message

        async def replaced(message: Message) -> None:
            nonlocal started
            if refusal is not None:
                if not started:
                    started = True
                    await self._send_refusal(scope, send, refusal)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, replaced)
        except Exception:
            if refusal is None:
                raise
        if refusal is not None and not started:
            await self._send_refusal(scope, send, refusal)

    def _too_large(self, path: str, limit: int) -> Problem:
        if path in UPLOAD_PATHS:
            return Problem(
                413,
                "upload-too-large",
                N_("The request is larger than this server accepts (files up to {limit})."),
                "file",
                {"limit": Size(self.settings.max_upload_bytes)},
            )
        return Problem(
            413,
            "request-too-large",
            N_("The request is larger than a form needs ({limit} at most)."),
            None,
            {"limit": Size(limit)},
        )

    async def _send_refusal(self, scope: Scope, send: Send, problem: Problem) -> None:
        kind, payload = self.refuse(scope, problem)
        headers = [
            (b"content-type", kind.encode()),
            (b"content-length", str(len(payload)).encode()),
            (b"connection", b"close"),
        ]
        if problem.status == 503:
            headers.append((b"retry-after", b"30"))
        await send({"type": "http.response.start", "status": problem.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


class SecurityHeaders:
    """On every response: no sniffing, no framing (CSP ``frame-ancestors`` and X-Frame-Options), no
    referrer, and ``no-store`` on everything but the static files (pages may show uploaded data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope["path"]).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                ours = _OURS if static else _OURS | {b"cache-control"}
                headers = [(name, value) for name, value in message.get("headers", []) if name.lower() not in ours]
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


_OURS = {b"content-security-policy", b"x-content-type-options", b"x-frame-options", b"referrer-policy"}


class AccessLog:
    """One JSON line per request: time, client, method, path (no query), status, bytes, duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        sent = 0

        async def recording(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            client = scope.get("client")
            entry: dict[str, Any] = {
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "client": client[0] if client else None,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "bytes": sent,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            ACCESS_LOG.info(json.dumps(entry))
