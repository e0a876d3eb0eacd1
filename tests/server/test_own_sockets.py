"""Each worker listens on a socket of its own (``generator/server/workers.py``), with real processes and sockets.

Which worker holds which connection is read from the kernel (``/proc/net/tcp`` and each process's
file descriptors), not from timing: a connection accepted by a worker is an established socket
among that worker's descriptors.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.server.workers import bind_address, share_port
from tests.server.live import Live, children, read_response, serving, split

LISTEN, ESTABLISHED = "0A", "01"
BODY = (
    b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\nnot a workbook\r\n--b--\r\n"
)
HEAD = (
    b"POST /api/validate HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
    b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n"
)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT spreads connections on Linux only")


def tcp(port: int) -> list[tuple[str, int, int]]:
    """(state, bytes not yet read by the server, inode) of each IPv4 socket whose local port is ``port``."""
    rows = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            rows.append((fields[3], int(fields[4].split(":")[1], 16), int(fields[9])))
    return rows


def inodes(pid: int) -> set[int]:
    """The sockets among a process's open file descriptors."""
    found: set[int] = set()
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:  # the process has ended since it was listed
        return found
    for fd in descriptors:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(int(target[8:-1]))
    return found


def held(pid: int, port: int, state: str) -> int:
    mine = inodes(pid)
    return sum(1 for row_state, _unread, inode in tcp(port) if row_state == state and inode in mine)


def workers(live: Live) -> list[int]:
    """The server's child processes that listen on its port (not uvicorn's resource tracker)."""
    return [pid for pid in children(live.process.pid) if held(pid, live.port, LISTEN)]


def both_listening(live: Live) -> list[int]:
    """The two workers, once both listen (/healthz answers once the first does: each joins when loaded)."""
    wait_for(lambda: len(workers(live)) == 2, "two workers listening")
    return workers(live)


def replaced(live: Live, before: list[int]) -> int:
    """How many of two workers listening now were not among ``before`` (0 unless two listen)."""
    now = workers(live)
    return len(set(now) - set(before)) if len(now) == 2 else 0


def wait_for(condition: Callable[[], bool], what: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {limit} s: {what}")
        time.sleep(0.05)


def accepted(live: Live, pids: list[int], count: int) -> dict[int, int]:
    """Open ``count`` connections at once; how many of them each of ``pids`` accepted."""
    connections = [live.connect() for _ in range(count)]
    try:
        spread: dict[int, int] = {}

        def all_accepted() -> bool:
            nonlocal spread
            spread = {pid: held(pid, live.port, ESTABLISHED) for pid in pids}
            return sum(spread.values()) >= count

        wait_for(all_accepted, f"{count} connections accepted by the workers {pids}")
        return spread
    finally:
        for connection in connections:
            connection.close()


def test_each_worker_listens_on_its_own_socket_and_a_burst_is_spread_over_them(tmp_path: Path) -> None:
    """40 connections opened at once: each worker accepts some (the kernel hashes each to one worker's
    socket; that one worker got all 40 has a chance of 2 in 2**40). The main process listens on nothing."""
    with serving(tmp_path, "--workers", "2") as live:
        pids = both_listening(live)
        assert [held(pid, live.port, LISTEN) for pid in pids] == [1, 1]
        assert len([row for row in tcp(live.port) if row[0] == LISTEN]) == 2  # one socket each, not one shared
        assert held(live.process.pid, live.port, LISTEN) == 0
        spread = accepted(live, pids, 40)
    assert sum(spread.values()) == 40 and all(count > 0 for count in spread.values()), spread


def test_one_worker_serves_on_the_socket_uvicorn_binds(tmp_path: Path) -> None:
    with serving(tmp_path, "--workers", "1") as live:
        assert held(live.process.pid, live.port, LISTEN) == 1
        assert workers(live) == []


def test_a_request_under_way_finishes_after_sigterm_and_new_connections_are_refused(tmp_path: Path) -> None:
    """The upload's headers and half its body are in when SIGTERM comes; the rest follows, and its answer
    comes whole. Meanwhile a new connection is refused at once: no socket is left listening that
    nobody would accept from (the main process's holds the address without listening)."""
    with serving(tmp_path, "--workers", "2") as live:
        with live.connect() as sock:
            pids = both_listening(live)
            sock.sendall(HEAD + BODY[:40])
            wait_for(
                lambda: (
                    sum(held(pid, live.port, ESTABLISHED) for pid in pids) == 1
                    and all(unread == 0 for state, unread, _inode in tcp(live.port) if state == ESTABLISHED)
                ),
                "the request read by a worker",
            )
            live.process.send_signal(signal.SIGTERM)
            wait_for(lambda: not [row for row in tcp(live.port) if row[0] == LISTEN], "the listening sockets closed")
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", live.port), timeout=10).close()
            sock.sendall(BODY[40:])
            status, headers, body = split(read_response(sock, 30))
        assert status == 415 and b"not-xlsx" in body, (status, body)
        assert len(body) == int(headers["content-length"])  # whole, and then the connection closed
        assert live.process.wait(timeout=30) == 0
    messages = [entry.get("message", "") for entry in live.entries()]
    assert messages.count("Shutting down") == 2 and "Stopping parent process" in messages[-1]


def test_a_killed_worker_is_replaced_with_a_socket_of_its_own(tmp_path: Path) -> None:
    with serving(tmp_path, "--workers", "2") as live:
        first = both_listening(live)
        os.kill(first[0], signal.SIGKILL)
        wait_for(lambda: replaced(live, first) == 1, "a new worker listening in place of the killed one")
        pids = workers(live)
        assert len(pids) == 2 and first[1] in pids
        for _ in range(10):  # each on a new connection, which the kernel hashes over the live sockets only
            with live.connect() as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                assert split(read_response(sock))[0] == 200
        spread = accepted(live, pids, 40)
    assert all(count > 0 for count in spread.values()), spread
    messages = [entry["message"] for entry in live.entries() if "message" in entry]
    assert f"Child process [{first[0]}] died" in messages, "\n".join(messages)


def test_a_second_server_on_the_same_port_is_refused_in_one_line(tmp_path: Path) -> None:
    """The workers' sockets allow port sharing, but the address is checked by a bind that does not:
    another ``kpigen serve`` never joins a running one."""
    with serving(tmp_path, "--workers", "2") as live:
        command = [sys.executable, "-m", "generator.cli", "serve", "--port", str(live.port), "--workers", "2"]
        second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert second.returncode == 2
    assert second.stderr.splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{live.port} (Address already in use); choose another with --port or --host"
    ]


def test_the_held_address_takes_no_connection_and_lets_the_workers_share_it() -> None:
    holder = bind_address("127.0.0.1", 0)
    try:
        assert share_port(holder)
        port = holder.getsockname()[1]
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        own = []
        for _ in range(2):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen()
            own.append(sock)
        plain = socket.socket()
        with pytest.raises(OSError):  # a socket without SO_REUSEPORT cannot join
            plain.bind(("127.0.0.1", port))
        plain.close()
        for sock in own:
            sock.close()
    finally:
        holder.close()


def test_a_second_server_starting_at_the_same_time_is_refused_before_any_worker_listens() -> None:
    """The first server's address held, its workers not yet listening: the second one's bind is refused."""
    holder = bind_address("127.0.0.1", 0)
    try:
        assert share_port(holder)
        port = holder.getsockname()[1]
        with pytest.raises(UserError, match=f"cannot listen on 127.0.0.1:{port} "):
            bind_address("127.0.0.1", port).close()
    finally:
        holder.close()


def test_without_so_reuseport_the_workers_share_one_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")  # macOS has SO_REUSEPORT, but hands every connection to one
    holder = bind_address("127.0.0.1", 0)
    try:
        assert not share_port(holder)
    finally:
        holder.close()


def test_sighup_replaces_each_worker_with_one_listening_on_its_own_socket(tmp_path: Path) -> None:
    """uvicorn's graceful restart: each replacement is ready (and listening) before the old worker stops."""
    with serving(tmp_path, "--workers", "2") as live:
        first = both_listening(live)
        live.process.send_signal(signal.SIGHUP)
        wait_for(lambda: replaced(live, first) == 2, "two new workers listening")
        pids = workers(live)
        assert len(pids) == 2 and not set(first) & set(pids)
        spread = accepted(live, pids, 40)
    assert all(count > 0 for count in spread.values()), spread


FAILING_BIND = """
import socket, sys
import generator.server.workers as workers

taken = socket.create_server(("127.0.0.1", 0))  # listening without SO_REUSEPORT: no worker can join it


class Elsewhere(socket.socket):
    def getsockname(self):
        return taken.getsockname()


def held(host, port):
    holder = Elsewhere()
    holder.bind(("127.0.0.1", 0))
    return holder


workers.bind_address = held
workers.share_port = lambda holder: True
from generator.cli import entry
sys.argv = ["kpigen", "serve", "--port", "0", "--workers", "2"]
entry()
"""


def test_workers_that_cannot_listen_stop_the_server_with_one_line() -> None:
    """A worker that cannot bind its socket exits as uvicorn's failed start-up; the server stops, in one line."""
    process = subprocess.Popen(
        [sys.executable, "-c", FAILING_BIND], stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the server and its workers, which are in its session
            process.wait()
    assert process.returncode == 5, stderr
    lines = stderr.splitlines()
    assert lines[-1] == "Error: the web server could not start on 127.0.0.1:0; see the log above"
    assert all(line.startswith("{") for line in lines[:-1])  # the rest is the JSON log
    assert any("could not listen" in line for line in lines)


def test_a_uvicorn_without_the_supervisor_parts_used_gives_the_shared_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    from uvicorn.supervisors.multiprocess import Process

    holder = bind_address("127.0.0.1", 0)
    try:
        monkeypatch.delattr(Process, "wait_until_ready")  # as a later uvicorn might rename it
        assert not share_port(holder)
        monkeypatch.undo()
        assert share_port(holder)
    finally:
        holder.close()
