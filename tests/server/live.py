"""``kpigen serve`` as its own process on a loopback port, for tests that need real sockets."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Live:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def connect(self, timeout: float = 10) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def rss_kib(self) -> int:
        """Resident memory of the server and its workers (uvicorn's supervisor has none to speak of)."""
        total = 0
        for pid in [self.process.pid, *children(self.process.pid)]:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total

    def entries(self) -> list[dict[str, Any]]:
        """Every line of the log, each parsed as JSON (a line that is not JSON fails the test here)."""
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line.strip()]


def children(pid: int) -> list[int]:
    try:
        return [int(part) for part in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@contextmanager
def serving(folder: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[Live]:
    """Start ``kpigen serve`` with ``options`` (one worker unless told), wait for /healthz, stop it with SIGTERM."""
    port = free_port()
    log = folder / f"serve-{port}.log"
    workers = [] if "--workers" in options else ["--workers", "1"]
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "serve", "--port", str(port), *workers, *options],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"},
        )
        live = Live(port, process, log)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(live.url + "/healthz", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"kpigen serve did not start: {log.read_text()}") from None
                    time.sleep(0.2)
            yield live
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def read_response(sock: socket.socket, limit: float = 10) -> bytes:
    """Everything the server sends until it closes the connection, or until ``limit`` seconds pass."""
    sock.settimeout(0.5)
    received = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
    return received


def split(response: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of a raw HTTP/1.1 response."""
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body
