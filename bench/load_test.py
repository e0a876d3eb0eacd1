"""Load test of ``kpigen serve`` on loopback: concurrent clients downloading workbooks for a fixed time.

Starts the server in its own process (127.0.0.1, a free port), runs ``--clients`` clients that
each POST /api/workbooks one request after another for ``--seconds`` (bounded too by
``--max-requests``), then stops the server with SIGTERM and prints p50, p95, max, errors,
throughput and the server's peak memory (the sum of VmHWM, the peak resident set, of the server
process and its workers, from /proc).

Two request mixes:
  --mix common   (default) the options rotate over ``--distinct`` combinations (locales, currencies,
                 sample or empty), as a download page's visitors mostly ask for the same few; each
                 is requested once before the clock starts (the first builds are printed apart);
  --mix unique   every request names a different company, so no built workbook is ever reused.
Run: ``python bench/load_test.py`` (20 clients, 30 s). Not a test: it prints figures, it does not judge them.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc (uvicorn's workers are children of its supervisor)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time used so far by ``pid`` and its descendants (/proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def peak_kib(pid: int) -> int:
    total = 0
    for member in tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def options_stream(mix: str, distinct: int) -> itertools.cycle[dict[str, Any]] | Any:
    combos = [
        {"locale": locale, "currency": currency, "sample": sample, "year": 2026, "company": "Örnek A.Ş."}
        for locale, currency, sample in itertools.product(("tr", "en"), ("TRY", "USD", "EUR", "GBP"), (True, False))
    ][:distinct]
    if mix == "common":
        return itertools.cycle(combos)
    return ({**combos[n % len(combos)], "company": f"Company {n}"} for n in itertools.count())


def warm_up(url: str, args: argparse.Namespace) -> list[float]:
    """One request per combination of the common mix, one at a time: each is a first (uncached) build."""
    import httpx

    times = []
    stream = options_stream("common", args.distinct)
    with httpx.Client(base_url=url, timeout=60) as http:
        for _ in range(min(args.distinct, 16)):
            started = time.perf_counter()
            http.post("/api/workbooks", json=next(stream)).raise_for_status()
            times.append(time.perf_counter() - started)
    return times


async def post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a kept-alive connection; a client this small leaves the CPU to the server
    (httpx costs several times the server's own time per request)."""
    writer.write(
        b"POST /api/workbooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def client(url: str, seconds: float, limit: int, stream: Any, latencies: list[float], errors: list[str]) -> None:
    host, port = url.removeprefix("http://").split(":")
    deadline = time.perf_counter() + seconds
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        while time.perf_counter() < deadline and len(latencies) + len(errors) < limit:
            body = json.dumps(next(stream)).encode()
            started = time.perf_counter()
            try:
                status, data = await asyncio.wait_for(post(reader, writer, body), timeout=30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                writer.close()
                reader, writer = await asyncio.open_connection(host, int(port))
                continue
            if status != 200 or not data.startswith(b"PK"):
                errors.append(f"{status}: {data[:100]!r}")
                continue
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def drive(url: str, clients: int, seconds: float, limit: int, stream: Any) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    await asyncio.gather(*(client(url, seconds, limit, stream, latencies, errors) for _ in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--mix", choices=("common", "unique"), default="common")
    parser.add_argument("--distinct", type=int, default=16, help="option combinations in the common mix (1-16)")
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "generator.cli", "serve", "--port", str(port), "--workers", str(args.workers)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("kpigen serve did not start")
                time.sleep(0.2)
        cold = warm_up(url, args) if args.mix == "common" else []
        cpu_before = cpu_seconds(server.pid)
        started = time.perf_counter()
        latencies, errors = asyncio.run(
            drive(url, args.clients, args.seconds, args.max_requests, options_stream(args.mix, args.distinct))
        )
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(server.pid) - cpu_before
        peak = peak_kib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    latencies.sort()
    count = len(latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p95 = latencies[max(0, int(0.95 * count) - 1)] * 1000 if latencies else float("nan")
    load = os.getloadavg()[0]
    print(
        f"mix={args.mix} clients={args.clients} seconds={args.seconds:.0f} workers={args.workers} "
        f"cores={os.cpu_count()} load(1 min, at the end)={load:.1f}"
    )
    print(
        f"requests={count} errors={len(errors)} throughput={count / elapsed:.1f}/s p50={p50:.0f} ms "
        f"p95={p95:.0f} ms max={latencies[-1] * 1000 if latencies else float('nan'):.0f} ms "
        f"server peak memory={peak / 1024:.0f} MiB"
    )
    print(
        f"server CPU: {cpu:.1f} s in {elapsed:.0f} s ({cpu / elapsed * 100:.0f}% of one core), "
        f"{cpu / max(count, 1) * 1000:.1f} ms per request"
    )
    if cold:
        print(
            f"warm-up (not counted above): {len(cold)} first builds one at a time, "
            f"median {statistics.median(cold) * 1000:.0f} ms, max {max(cold) * 1000:.0f} ms"
        )
    for error in errors[:5]:
        print("error:", error)


if __name__ == "__main__":
    main()
