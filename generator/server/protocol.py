"""uvicorn's h11 protocol with three bounds it lacks: a connection cap, a header timeout, JSON refusals.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but not one that never
finishes its request headers, refuses excess requests only once their headers are in
(``limit_concurrency``, in plain text), and answers a malformed request (a bad Content-Length,
say) with a plain-text 400. Here a connection over ``max_connections`` gets a JSON 503 and is
closed at once, the headers of each request must be complete within ``read_timeout`` seconds
of its first byte (or of the connection), and the parser's 400 is ``{error, field, message}``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from generator.server.settings import ServerSettings

SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
)


def raw_response(status: int, reason: str, code: str, message: str) -> bytes:
    """A whole HTTP/1.1 response with a JSON refusal, for answers given before any request is parsed."""
    body = json.dumps({"error": code, "field": None, "message": message}).encode()
    head = [f"HTTP/1.1 {status} {reason}".encode()]
    head += [b"content-type: application/json", b"content-length: " + str(len(body)).encode()]
    head += [b"connection: close"] + [name + b": " + value for name, value in SECURITY_HEADERS]
    if status == 503:
        head.append(b"retry-after: 5")
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class BoundedH11Protocol(H11Protocol):
    settings = ServerSettings()
    """Replaced by ``run`` in each worker process (``configure``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timer: asyncio.TimerHandle | None = None
        self.refused = False

    @classmethod
    def configure(cls, settings: ServerSettings) -> None:
        cls.settings = settings

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.settings.max_connections:
            self.refused = True
            self.logger.warning(
                "refused a connection: %d open, at most %d", len(self.connections) - 1, self.settings.max_connections
            )
            message = "The server is busy (too many open connections); try again in a few seconds."
            transport.write(raw_response(503, "Service Unavailable", "server-busy", message))
            transport.close()
            return
        self._start_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return
        super().data_received(data)
        if self.transport.is_closing():
            self._stop_header_timer()
        elif self.conn.their_state is h11.IDLE and self.conn.our_state is h11.IDLE:
            self._start_header_timer()  # part of a request's headers: they must be complete in time
        else:
            self._stop_header_timer()

    def _start_header_timer(self) -> None:
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(self.settings.read_timeout, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _headers_too_slow(self) -> None:
        self.header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        self.logger.info("closed a connection whose request headers took over %s s", self.settings.read_timeout)
        message = f"The request headers were not complete within {self.settings.read_timeout:g} seconds."
        self.transport.write(raw_response(408, "Request Timeout", "headers-timeout", message))
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        message = "The request is not valid HTTP (a malformed request line, header or Content-Length)."
        self.transport.write(raw_response(400, "Bad Request", "bad-request", message))
        self.transport.close()
