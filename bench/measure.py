"""Timing with the standard library only: wall and CPU time, and each child's own peak memory.

A command is run with ``subprocess.Popen`` and reaped with ``os.wait4``, which returns that one
child's resource usage (``ru_maxrss``: its peak resident memory), so peaks are per process, not
the running maximum ``RUSAGE_CHILDREN`` keeps. Alternatives are run interleaved, round by round,
and a ratio is taken within each round (never between medians timed apart).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak_mib: float | None = None


@dataclass
class Series:
    """The samples of one alternative in one row."""

    label: str
    samples: list[Sample] = field(default_factory=list)
    failed: str | None = None

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    def summary(self) -> str:
        if self.failed:
            return f"failed: {self.failed}"
        if not self.samples:
            return "not run"
        walls = self.walls
        cpu = statistics.median(s.cpu for s in self.samples)
        peaks = [s.peak_mib for s in self.samples if s.peak_mib is not None]
        peak = f", peak {max(peaks):.0f} MiB" if peaks else ""
        return (
            f"median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f}; "
            f"CPU {cpu:.3f} s{peak})"
        )


def run_process(command: Sequence[str], env: dict[str, str] | None = None, timeout: float = 600) -> Sample:
    """Run ``command`` to completion; its wall time, CPU time and peak memory. Raises on failure."""
    start = time.perf_counter()
    child = subprocess.Popen(
        list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            child.kill()
            os.wait4(child.pid, 0)
            raise RuntimeError(f"timed out after {timeout:.0f} s: {' '.join(command[:3])}")
        time.sleep(0.002)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if child.returncode not in (0, 1, 3):  # 1 and 3: a validation that found problems or refused: measured as work done
        raise RuntimeError(f"exit {child.returncode}: {error.strip()[-300:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def run_in_process(action: Callable[[], object]) -> Sample:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    action()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    return Sample(wall, after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime)


Alternative = tuple[str, Callable[[], Sample]]


def interleaved(alternatives: Sequence[Alternative], rounds: int) -> list[Series]:
    """Run every alternative once per round, in turn; an alternative that fails is not run again."""
    series = [Series(label) for label, _ in alternatives]
    for _ in range(rounds):
        for (_, measure), found in zip(alternatives, series, strict=True):
            if found.failed:
                continue
            try:
                found.samples.append(measure())
            except Exception as exc:  # an alternative that cannot run here is reported, not fatal
                found.failed = " ".join(str(exc).split())[:200]
    return series


def ratio(ours: Series, theirs: Series) -> str:
    """Median, min and max of ours/theirs taken round by round."""
    pairs = [a.wall / b.wall for a, b in zip(ours.samples, theirs.samples, strict=False) if b.wall > 0]
    if not pairs:
        return "n/a"
    return f"{statistics.median(pairs):.2f}x (min {min(pairs):.2f}, max {max(pairs):.2f})"


def ratio_value(ours: Series, theirs: Series) -> float | None:
    pairs = [a.wall / b.wall for a, b in zip(ours.samples, theirs.samples, strict=False) if b.wall > 0]
    return statistics.median(pairs) if pairs else None
