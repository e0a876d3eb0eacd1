"""The workers under many uploads (issue 25: /api/validate at 20 clients): a worker busier than another
sends its clients' next requests to a new connection, and start-up objects stay out of the collector."""

from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from generator.server.board import Board
from generator.server.middleware import Guard
from generator.server.settings import ServerSettings
from tests.server.live import children, serving, split


class StubBoard:
    """The least busy other worker has ``other`` uploads; what this worker reports is recorded."""

    def __init__(self, other: int | None) -> None:
        self.other = other
        self.reported: list[int] = []

    def set(self, uploads: int) -> None:
        self.reported.append(uploads)

    def least_other(self) -> int | None:
        return self.other


def upload_scope() -> Scope:
    return {"type": "http", "method": "POST", "path": "/api/validate", "headers": [(b"content-length", b"3")]}


async def answers(guard: Guard, count: int, release: asyncio.Event) -> list[list[tuple[bytes, bytes]]]:
    """Response headers of ``count`` uploads sent at once to ``guard``; each waits for ``release``."""
    heads: list[list[tuple[bytes, bytes]]] = []

    async def one() -> None:
        async def receive() -> Message:
            return {"type": "http.request", "body": b"abc", "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                heads.append(list(message["headers"]))

        await guard(upload_scope(), receive, send)

    tasks = [asyncio.create_task(one()) for _ in range(count)]
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(*tasks)
    return heads


def guard_with(board: StubBoard | None, release: asyncio.Event) -> Guard:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    def refuse(scope: Scope, problem: Any) -> tuple[str, bytes]:
        raise AssertionError(problem.code)

    return Guard(app, ServerSettings(), refuse, board)  # type: ignore[arg-type]


def closes(heads: list[list[tuple[bytes, bytes]]]) -> list[bool]:
    return [(b"connection", b"close") in head for head in heads]


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        # three uploads here, answered one after the other with 3, 2 and 1 still here (each counts itself)
        (0, [True, True, False]),  # the other worker idle: 3 and 2 are more than 0 + 1
        (1, [True, False, False]),  # only 3 is more than 1 + 1
        (2, [False, False, False]),  # 3 is not more than 2 + 1
        (None, [False, False, False]),  # no other worker: a connection is never closed for balance
    ],
)
def test_a_busier_worker_closes_the_connection_after_an_upload(other: int | None, expected: list[bool]) -> None:
    async def run() -> list[bool]:
        release = asyncio.Event()
        board = StubBoard(other)
        heads = await answers(guard_with(board, release), 3, release)
        assert board.reported == [1, 2, 3, 2, 1, 0]
        return closes(heads)

    assert asyncio.run(run()) == expected


def test_without_a_board_nothing_is_closed() -> None:
    async def run() -> list[bool]:
        release = asyncio.Event()
        return closes(await answers(guard_with(None, release), 3, release))

    assert asyncio.run(run()) == [False, False, False]


def _report(name: str, uploads: int, ready: Any, done: Any) -> None:
    board = Board.join(name)
    assert board is not None
    board.set(uploads)
    ready.set()
    done.wait(30)


def test_the_board_shows_each_worker_the_others_and_not_itself() -> None:
    memory = Board.create()
    assert memory is not None
    context = multiprocessing.get_context("spawn")  # as uvicorn starts its workers
    ready, done = context.Event(), context.Event()
    other = context.Process(target=_report, args=(memory.name, 4, ready, done))
    other.start()
    try:
        assert ready.wait(60)
        here = Board.join(memory.name)
        assert here is not None
        assert here.least_other() == 4
        here.set(7)
        assert here.least_other() == 4  # its own count is not among the others
        done.set()
        other.join(30)
        assert here.least_other() is None  # the other worker has gone: this one is alone
        again = Board.join(memory.name)
        assert again is not None and again.slot == 0  # a dead worker's slot is taken again
        again.close()
        here.close()
    finally:
        done.set()
        other.join(30)
        memory.close()
        memory.unlink()


def test_a_missing_board_is_no_board() -> None:
    assert Board.join("kpigen-no-such-board") is None


def test_two_workers_keep_a_lone_client_s_connection_and_leave_nothing(tmp_path: Path) -> None:
    """A client alone sends two uploads on one connection (no worker is busier than another); after the
    stop the board is gone from shared memory and every line of the log is JSON."""
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\nnot a workbook\r\n--b--\r\n"
    )
    request = (
        b"POST /api/validate HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    with serving(tmp_path, "--workers", "2") as live:
        environs = [Path(f"/proc/{pid}/environ").read_bytes().split(b"\0") for pid in children(live.process.pid)]
        names = {entry.split(b"=", 1)[1].decode() for env in environs for entry in env if b"_SERVE_BOARD=" in entry}
        (name,) = names  # the workers' (not uvicorn's resource tracker, started before)
        assert Path("/dev/shm", name).exists()
        with live.connect() as sock:
            received = b""
            for _ in range(2):
                sock.sendall(request)
                while b"\r\n\r\n" not in received:
                    received += sock.recv(65536)
                status, headers, body = split(received)
                assert status == 415 and "connection" not in headers, received
                while len(body) < int(headers["content-length"]):
                    body += sock.recv(65536)
                received = body[int(headers["content-length"]) :]
    assert live.process.returncode == 0
    assert not Path("/dev/shm", name).exists()
    assert all(isinstance(entry, dict) for entry in live.entries())


def test_without_shared_memory_the_server_runs_without_the_board(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.server import board

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/dev/shm/psm_x")

    monkeypatch.setattr(board, "SharedMemory", refused)
    assert Board.create() is None


def test_a_worker_keeps_its_start_up_objects_out_of_the_collector() -> None:
    """gc.freeze after start-up: the collector's full passes no longer walk the catalogues and templates."""
    import subprocess
    import sys

    code = (
        "import gc; from generator.server.run import app_from_environment; "
        "before = gc.get_freeze_count(); app_from_environment(); print(before, gc.get_freeze_count())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    before, after = map(int, done.stdout.split())
    assert before == 0 and after > 10_000, done.stdout
