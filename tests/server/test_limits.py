"""Bounded work per client, with real sockets against a real ``kpigen serve`` process on 127.0.0.1.

Each test stands for one way a client can hold the server (issue 25): headers never finished, an
upload stopped at 99%, more connections or uploads than allowed, a malformed request line. The
server runs with small limits (3 s of silence, 6 connections, 2 uploads, 8 MB) so that the
tests stay short; every loop is bounded by a count or a deadline.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Iterator

import pytest

from tests.server.live import Live, read_response, serving, split

UPLOAD = 7 * 1024 * 1024
"""An upload of 7 MiB: held in memory whole, two stalled ones would add 14 MiB to the server."""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    options = ("--read-timeout", "3", "--max-connections", "6", "--max-uploads", "2", "--max-upload-mb", "8")
    folder = tmp_path_factory.mktemp("limits")
    home = folder / "home"  # where the user's cache would be (~/.cache/kpigen/bundled-heads.json)
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in {"KPIGEN_CACHE_DIR", "XDG_CACHE_HOME"}}
    with serving(folder, *options, env={**env, "HOME": str(home)}) as server:
        yield server
    # whatever happened, the log is JSON lines (a line that is not JSON fails in entries())
    assert all("message" in entry or "path" in entry for entry in server.entries())
    # and the server wrote nothing of its own: no bundled-heads.json in the cache folder
    assert [str(path.relative_to(home)) for path in home.rglob("*")] == []


def stalled_upload(live: Live, size: int = UPLOAD) -> socket.socket:
    """Headers and 99% of a multipart upload to /api/validate, then silence."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = head + b"\0" * size + tail
    sock = live.connect()
    sock.sendall(
        (
            "POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
    )
    sock.sendall(body[: len(body) * 99 // 100])
    return sock


def refusal(response: bytes) -> tuple[int, dict[str, str]]:
    status, headers, body = split(response)
    assert headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff"
    problem = json.loads(body)
    assert set(problem) == {"error", "field", "message"}
    return status, problem


def test_headers_never_finished_are_answered_408_and_closed(live: Live) -> None:
    socks = [live.connect() for _ in range(3)]
    socks[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: headers go on
    socks[1].sendall(b"GET /heal")
    # socks[2] sends nothing at all
    for sock in socks:
        with sock:
            status, problem = refusal(read_response(sock, limit=20))  # returns when the server closes
            assert (status, problem["error"]) == (408, "headers-timeout")


def test_a_stalled_upload_is_answered_408_and_holds_no_copy_in_memory(live: Live) -> None:
    before = live.rss_kib()
    first, second = stalled_upload(live), stalled_upload(live)
    time.sleep(1)  # the server has read what was sent (loopback), and waits for the rest
    held = live.rss_kib() - before
    # Starlette spools a file past 1 MiB to a temporary file: the two stalled uploads hold a few MiB
    # (buffers), not the 14 MiB they sent
    assert held < UPLOAD // 1024, f"{held} KiB held by two stalled uploads"
    with live.connect() as third:  # two uploads are under way: a third waits 3 s for a slot, then is refused
        third.sendall(
            b"POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 100\r\n\r\n"
        )
        third.settimeout(0.5)
        answer = b""
        for _ in range(20):  # at most 10 s; the two uploads trickle a byte each half second, so keep their slots
            for sock in (first, second):
                sock.sendall(b"\0")
            try:
                answer += third.recv(65536)
            except TimeoutError:
                continue
            if b"\r\n\r\n" in answer and answer.endswith(b"}"):
                break
        status, problem = refusal(answer)
        assert (status, problem["error"]) == (503, "server-busy")
    for sock in (first, second):
        with sock:
            status, problem = refusal(read_response(sock, limit=20))
            assert (status, problem["error"], problem["field"]) == (408, "upload-stalled", "file")


def test_a_connection_over_the_limit_is_answered_503_and_closed(live: Live) -> None:
    idle = [live.connect() for _ in range(6)]
    try:
        time.sleep(0.5)  # the server has accepted the six
        with live.connect() as seventh:
            status, problem = refusal(read_response(seventh, limit=2.5))
            assert (status, problem["error"]) == (503, "server-busy")
    finally:
        for sock in idle:
            sock.close()


def test_a_malformed_content_length_gets_the_one_format(live: Live) -> None:
    with live.connect() as sock:
        sock.sendall(b"POST /api/workbooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 12abc\r\n\r\n{}")
        status, problem = refusal(read_response(sock, limit=10))
    assert (status, problem["error"]) == (400, "bad-request")


def test_a_lone_surrogate_in_json_is_422_naming_the_field_and_the_log_stays_json(live: Live) -> None:
    body = b'{"company": "Acme \\ud800 Co"}'
    with live.connect() as sock:
        sock.sendall(
            b"POST /api/workbooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        status, problem = refusal(read_response(sock, limit=10))
    assert (status, problem["field"]) == (422, "company")
    time.sleep(0.3)
    entries = live.entries()  # each line parses as JSON
    assert any(e.get("path") == "/api/workbooks" and e.get("status") == 422 for e in entries)
    assert not any(e.get("level") == "error" for e in entries)


def test_a_client_leaving_mid_upload_is_no_failure(live: Live) -> None:
    """The page's form parser meets the end of the connection: no 500, no error line in the log."""
    with live.connect() as sock:
        sock.sendall(
            b"POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 5000\r\n\r\n"
            b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK'
        )
        time.sleep(0.5)
    time.sleep(1)
    entries = live.entries()
    assert not any(e.get("level") == "error" for e in entries), [e for e in entries if e.get("level") == "error"]
    assert not any(e.get("status") == 500 for e in entries)


def test_headers_past_h11s_limit_get_the_one_format(live: Live) -> None:
    """h11 holds at most 16 KiB of an unfinished request head; past it, a JSON 400 and the connection closed."""
    with live.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 20_000)  # not finished
        status, problem = refusal(read_response(sock, limit=10))
    assert (status, problem["error"]) == (400, "bad-request")
