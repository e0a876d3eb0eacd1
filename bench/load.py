"""Load on ``kpigen serve`` as a download page sees it: cached and new-company downloads and validations.

``python -m bench.load`` starts the server itself on 127.0.0.1 (a free port, one worker per core
unless ``--workers``), then, for 20 and 50 clients each (``--clients``), runs three request mixes
(``--mixes`` picks some) for ``--seconds`` each (bounded too by ``--max-requests``):

  cached    POST /api/workbooks over 16 option combinations, each requested before the clock starts;
  new       the same 16 combinations, every request with a company name never asked before, so each
            is personalised from its combination's base workbook (built before the clock starts);
  validate  POST /api/validate of the CRM workbook with its demo year (84 KB).

For each it prints requests, errors (any answer but 200), throughput, p50/p95/p99, the server's
CPU time per request (user + system of the server and its workers, from /proc) and its peak
memory (the sum of each process's VmHWM, so far), then ``kpigen build --batch``'s rate for 100
workbooks (``bench/batch_speed.py``) for comparison. Clients are a few lines of asyncio on raw
sockets, so that they leave the CPU to the server; each keeps its connection open, and opens a
new one, inside the next request's time, when an answer says ``Connection: close`` (a worker
busier than another says so, to spread the uploads over the workers). Not a test: it prints, it does not judge;
on a shared machine the figures move with the other work (the load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.batch_speed import batch_case
from bench.process import cpu_seconds, free_port, peak_kib

ROOT = Path(__file__).resolve().parent.parent
COMBINATIONS = [
    {"locale": locale, "currency": currency, "sample": sample, "year": 2026}
    for locale, currency, sample in itertools.product(("tr", "en"), ("TRY", "USD", "EUR", "GBP"), (True, False))
]


@dataclass
class Result:
    mix: str
    clients: int
    latencies: list[float]
    errors: list[str]
    seconds: float
    cpu: float
    peak_mib: float

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")

    def line(self) -> str:
        count = len(self.latencies)
        return (
            f"| {self.mix} | {self.clients} | {count} | {len(self.errors)} | {count / self.seconds:.1f}/s "
            f"| {self.percentile(0.5):.0f} ms | {self.percentile(0.95):.0f} ms | {self.percentile(0.99):.0f} ms "
            f"| {self.cpu / max(count, 1) * 1000:.1f} ms | {self.peak_mib:.0f} MiB |"
        )


def workbook_request(body: dict[str, object]) -> bytes:
    data = json.dumps(body).encode()
    return (
        b"POST /api/workbooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data
    )


def validate_request(workbook: bytes) -> bytes:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="crm-demo.xlsx"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode()
        + workbook
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return (
        b"POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Content-Type: multipart/form-data; boundary={boundary}\r\n".encode()
        + b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


def demo_workbook() -> bytes:
    from generator.catalog import load_catalog
    from generator.paths import CATALOG_DIR
    from generator.workbook.build import build_workbook
    from generator.workbook.context import BuildOptions

    catalog = load_catalog(CATALOG_DIR / "crm.yaml")
    return build_workbook(catalog, BuildOptions(locale="en", sample=True, year=2026, company="Demo")).data


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes, bool]:
    """One request and its answer: the status, the body, and whether the server closes the connection."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    closing = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"connection":
            closing = value.strip().lower() == b"close"
    return status, await reader.readexactly(length), closing


async def client(port: int, deadline: float, limit: int, requests: Iterator[bytes], result: Result) -> None:
    """One keep-alive connection, opened again (inside the next request's time) when the server closes it."""
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    try:
        while time.perf_counter() < deadline and len(result.latencies) + len(result.errors) < limit:
            request = next(requests)
            started = time.perf_counter()
            try:
                connection = connection or await asyncio.open_connection("127.0.0.1", port)
                status, data, closing = await asyncio.wait_for(exchange(*connection, request), timeout=60)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                result.errors.append(f"{type(exc).__name__}: {exc}")
                closing = True
            else:
                if status == 200:
                    result.latencies.append(time.perf_counter() - started)
                else:
                    result.errors.append(f"{status}: {data[:100]!r}")
                closing = closing or status >= 500
            if closing and connection is not None:  # as an HTTP client does: the next request on a new one
                connection[1].close()
                connection = None
    finally:
        if connection is not None:
            connection[1].close()


def run_mix(
    server: subprocess.Popen[bytes],
    port: int,
    mix: str,
    clients: int,
    args: argparse.Namespace,
    requests: Iterator[bytes],
) -> Result:
    result = Result(mix, clients, [], [], 0.0, 0.0, 0.0)
    cpu_before = cpu_seconds(server.pid)
    started = time.perf_counter()

    async def drive() -> None:
        deadline = time.perf_counter() + args.seconds
        await asyncio.gather(*(client(port, deadline, args.max_requests, requests, result) for _ in range(clients)))

    asyncio.run(drive())
    result.seconds = time.perf_counter() - started
    result.cpu = cpu_seconds(server.pid) - cpu_before
    result.peak_mib = peak_kib(server.pid) / 1024
    return result


def warm(port: int, workers: int) -> None:
    """Every combination (and so its base workbook) built in every worker before the clock starts."""
    requests = [workbook_request({**combo, "company": "Örnek A.Ş."}) for combo in COMBINATIONS] * (2 * workers)
    feed = itertools.cycle(requests)  # bounded by the count below
    result = Result("warm", 8, [], [], 0, 0, 0)

    async def drive() -> None:
        await asyncio.gather(*(client(port, time.perf_counter() + 120, len(requests), feed, result) for _ in range(8)))

    asyncio.run(drive())


def start(args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "generator.cli", "serve", "--port", str(port)]
    command += ["--workers", str(args.workers)] if args.workers else []
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("kpigen serve did not start")
            time.sleep(0.2)


def mixes(workbook: bytes) -> dict[str, Callable[[], Iterator[bytes]]]:
    run = uuid.uuid4().hex[:6]
    counter = itertools.count()

    def new() -> Iterator[bytes]:
        for n in counter:
            yield workbook_request({**COMBINATIONS[n % 16], "company": f"Company {run}-{n}"})

    return {
        "cached": lambda: (workbook_request({**c, "company": "Örnek A.Ş."}) for c in itertools.cycle(COMBINATIONS)),
        "new": new,
        "validate": lambda: itertools.repeat(validate_request(workbook)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--seconds", type=float, default=10.0, help="per mix and client count")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per mix and client count")
    parser.add_argument("--workers", type=int, default=0, help="server worker processes (default: one per core)")
    parser.add_argument(
        "--mixes",
        nargs="+",
        choices=["cached", "new", "validate"],
        default=["cached", "new", "validate"],
        help="which request mixes to run (default: all three)",
    )
    parser.add_argument("--batch", type=int, default=100, help="workbooks for build --batch (0: skip)")
    args = parser.parse_args()

    cores = len(os.sched_getaffinity(0))
    workbook = demo_workbook()
    server, port = start(args)
    results: list[Result] = []
    try:
        warm(port, args.workers or cores)
        feeds = mixes(workbook)
        for clients in args.clients:
            for mix, feed in feeds.items():
                if mix not in args.mixes:
                    continue
                results.append(run_mix(server, port, mix, clients, args, feed()))
                print(results[-1].line(), file=sys.stderr, flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    load = os.getloadavg()
    print(
        f"kpigen serve, {args.workers or cores} workers on {cores} cores, {args.seconds:.0f} s a mix, "
        f"load average {load[0]:.1f} at the end (a shared machine reads slower)"
    )
    print(
        "| mix | clients | requests | errors | throughput | p50 | p95 | p99 | server CPU a request "
        + "| server peak memory |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for result in results:
        print(result.line())
    for result in results:
        for error in result.errors[:3]:
            print(f"error ({result.mix}, {result.clients} clients): {error}")
    if args.batch:
        timing = batch_case(args.batch)
        print(
            f"build --batch of {args.batch}: {timing.rate:.1f} workbooks/s ({timing.rate / cores:.1f} a core), "
            f"{timing.cpu_seconds / args.batch * 1000:.0f} ms of CPU a workbook, whole command with start-up"
        )
        for result in results:
            if result.mix == "new":
                rate = len(result.latencies) / result.seconds
                print(f"new-company downloads at {result.clients} clients: {rate / cores:.1f} a core")


if __name__ == "__main__":
    main()
