"""Where validate's time goes, in process: CPU time of each step, over the same rounds.

The validator's steps are wrapped for the duration of the measurement (and restored after), so
the breakdown times the code ``validate()`` runs, not a copy of its order: reading the file, the
engine's stale check, the formula comparison, and everything else (identifying, locating,
inputs, the catalogue's recomputation, the report). CPU time, so that a shared machine's waiting
does not count.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STEPS = (
    ("reading the file", "generator.validate.book", "read_workbook"),
    ("stale check (the engine recomputes every formula cell)", "generator.validate.calculated", "check_calculated"),
    ("formula comparison", "generator.validate.formulas", "check_formulas"),
)


@contextmanager
def _timed(spent: dict[str, float]) -> Iterator[None]:
    import importlib

    originals: list[tuple[Any, str, Callable[..., Any]]] = []
    for label, module_name, name in STEPS:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def wrapper(*args: Any, _original: Callable[..., Any] = original, _label: str = label, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.process_time() - started

        originals.append((module, name, original))
        setattr(module, name, wrapper)
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def validate_steps(path: Path, rounds: int) -> list[str]:
    """Lines of a small table: median CPU milliseconds of each step and of the whole, over ``rounds``."""
    from generator.validate.run import validate

    validate(path)  # warm: imports, catalogue, per-process tables
    per_round: list[dict[str, float]] = []
    for _ in range(max(rounds, 3)):
        spent: dict[str, float] = {}
        with _timed(spent):
            started = time.process_time()
            validate(path)
            spent["whole"] = time.process_time() - started
        spent["everything else"] = spent["whole"] - sum(spent.get(label, 0.0) for label, _m, _n in STEPS)
        per_round.append(spent)
    lines = ["| step | CPU, median | share |", "|---|---|---|"]
    whole = statistics.median(r["whole"] for r in per_round)
    for label in [*(label for label, _m, _n in STEPS), "everything else", "whole"]:
        median = statistics.median(r.get(label, 0.0) for r in per_round)
        lines.append(f"| {label} | {median * 1000:.1f} ms | {median / whole:.0%} |")
    return lines
