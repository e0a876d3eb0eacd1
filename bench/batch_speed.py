"""How fast ``kpigen build --batch`` builds 100 personalised workbooks (issue 17: >= 30/s on 2 cores).

``batch_case(count)`` is the case a benchmark runner calls: it writes its own list (companies,
both locales, several currencies and first months), runs the whole command as a new process,
and returns the seconds and workbooks per second. Run: ``python bench/batch_speed.py [COUNT]``.
Not a test: it prints figures, it does not judge them.
"""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BatchTiming:
    count: int
    seconds: float
    """The whole ``kpigen build --batch`` process, start-up included."""
    cpu_seconds: float
    """User and system time of the command and its workers: what the batch costs on an idle machine."""
    summary: str

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def write_list(path: Path, count: int) -> None:
    currencies = ["USD", "EUR", "TRY", "GBP"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["company", "locale", "currency", "year", "first_month", "file"])
        for n in range(count):
            locale = "tr" if n % 2 else "en"
            writer.writerow([f"Client {n}", locale, currencies[n % 4], 2026, 1 + n % 12, f"client-{n:03d}.xlsx"])


def batch_case(count: int = 100, jobs: int | None = None) -> BatchTiming:
    """Build ``count`` workbooks with one ``kpigen build --batch`` process; the files are discarded."""
    with tempfile.TemporaryDirectory(prefix="kpigen-bench-batch-") as folder:
        work = Path(folder)
        write_list(work / "list.csv", count)
        command = [sys.executable, "-m", "generator.cli", "build", "--batch", str(work / "list.csv")]
        command += ["--out", str(work / "out")] + (["--jobs", str(jobs)] if jobs else [])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        built = len(list((work / "out").glob("*.xlsx")))
        if built != count:
            raise RuntimeError(f"built {built} of {count}: {done.stdout}{done.stderr}")
        return BatchTiming(count, seconds, cpu, done.stdout.strip())


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    for jobs in (1, None):
        timing = batch_case(count, jobs)
        label = "1 process" if jobs == 1 else "one process per core"
        print(f"build --batch of {count}, {label}: {timing.seconds:.2f} s whole command, {timing.rate:.1f} workbooks/s")
        print(f"  its summary: {timing.summary}")
        print(
            f"  CPU time {timing.cpu_seconds:.2f} s ({timing.cpu_seconds / count * 1000:.0f} ms a workbook); "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a shared machine reads slower)"
        )


if __name__ == "__main__":
    main()
