"""The batch row (issue 12, ``kpigen build --batch``): ``>= 30 workbooks/s for 100 workbooks on 2 cores``.

The measurement itself is the ``tables`` engineer's ``bench/batch_speed.py`` (``batch_case``: a
list of personalised workbooks built by one whole ``kpigen build --batch`` process); this row
runs it a few times and judges the median rate. A later change to the batch measurement belongs
in ``batch_speed.py``; this file only turns it into the table's row.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.inputs import Inputs


def batch_rows(inputs: Inputs, rounds: int, work: Path, count: int = 100) -> list[tuple[str, str, str, str]]:
    try:
        from bench.batch_speed import batch_case
    except ImportError:
        return [("build --batch of 100 workbooks", "not measured: bench/batch_speed.py is missing", ">= 30/s", "")]
    rates: list[float] = []
    try:
        for _ in range(max(1, min(rounds, 3))):
            rates.append(batch_case(count).rate)
    except Exception as exc:  # reported in the table, not fatal to the other rows
        return [(f"build --batch of {count} workbooks", f"failed: {str(exc)[:200]}", ">= 30/s", "GAP")]
    rate = statistics.median(rates)
    measured = f"{rate:.1f} workbooks/s (min {min(rates):.1f}, max {max(rates):.1f}; {len(rates)} runs)"
    verdict = ("met" if rate >= 30 else "GAP") if count >= 100 else ""
    return [(f"build --batch of {count} workbooks, whole process", measured, ">= 30/s", verdict)]
