"""Timing with the standard library only: wall and CPU time, and each child's own peak memory.

A command is run under ``/usr/bin/time``, which reports that one process's wall time, CPU time and
peak resident memory. Alternatives are run interleaved, round by round,
and a ratio is taken within each round (never between medians timed apart).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


TIME = "/usr/bin/time"


def run_process(command: Sequence[str], env: dict[str, str] | None = None, timeout: float = 600) -> Sample:
    """Run ``command`` to completion; its wall time, CPU time and peak memory. Raises on failure.

    Linux starts a child's peak-memory count from its parent's size at fork, so a child forked
    from this (large) process would report this process's memory: ``/usr/bin/time`` forks it
    instead and reports the child's own figures. Without it, ``os.wait4`` gives the child's usage.
    """
    with tempfile.NamedTemporaryFile(prefix="kpigen-bench-time-", suffix=".txt") as report:
        wrapped = [TIME, "-f", "%e %U %S %M", "-o", report.name, *command] if os.path.exists(TIME) else list(command)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        child = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        try:
            _, error = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise RuntimeError(f"timed out after {timeout:.0f} s: {' '.join(command[:3])}") from None
        except BaseException:  # stopped (Ctrl+C, SIGTERM): leave no child running
            child.kill()
            child.communicate()
            raise
        wall = time.perf_counter() - start
        text = error.decode(errors="replace")
        if child.returncode not in (0, 1, 3):  # 1 and 3: a validation that found problems or refused
            raise RuntimeError(f"exit {child.returncode}: {text.strip()[-300:]}")
        # time writes "Command exited with non-zero status N" before its figures when the exit is not 0
        lines = Path(report.name).read_text().strip().splitlines() if wrapped[0] == TIME else []
        fields = lines[-1].split() if lines else []
    if len(fields) >= 4:
        return Sample(wall, float(fields[1]) + float(fields[2]), int(fields[3]) / 1024)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Sample(wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, None)


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


def _pairs(ours: Series, theirs: Series, cpu: bool) -> list[float]:
    def pick(sample: Sample) -> float:
        return sample.cpu if cpu else sample.wall

    return [pick(a) / pick(b) for a, b in zip(ours.samples, theirs.samples, strict=False) if pick(b) > 0]


def ratio(ours: Series, theirs: Series) -> str:
    """Median, min and max of ours/theirs taken round by round, in wall time and in CPU time."""
    wall, cpu = _pairs(ours, theirs, False), _pairs(ours, theirs, True)
    if not wall:
        return "n/a"
    text = f"{statistics.median(wall):.2f}x (min {min(wall):.2f}, max {max(wall):.2f})"
    return text + (f"; CPU {statistics.median(cpu):.2f}x" if cpu else "")


def ratio_value(ours: Series, theirs: Series, cpu: bool = False) -> float | None:
    pairs = _pairs(ours, theirs, cpu)
    return statistics.median(pairs) if pairs else None
