"""The robustness corpus: bad inputs a user (or an attacker) can hand kpigen, and what each must get.

Every item is built at test time in a temporary folder (nothing large or hostile is committed)
and says what the command must answer: its exit code (the contract in generator/errors.py) and
where the answer points (a file's line, a sheet's cell). ``python -m tests.corpus.items`` prints
the count by kind. The test module runs each item through the installed ``kpigen`` in a fresh
process with a memory ceiling and a timeout.
"""

from __future__ import annotations

from collections import Counter

from tests.corpus import (
    catalogue_items,
    edge_items,
    engine_items,
    file_items,
    input_items,
    limit_items,
    workbook_items,
)
from tests.corpus.model import ITEMS, Bases, Case, Item
from tests.corpus.workbook_items import UNO_JOBS

__all__ = [
    "ITEMS",
    "UNO_JOBS",
    "Bases",
    "Case",
    "Item",
    "catalogue_items",
    "counts",
    "edge_items",
    "engine_items",
    "file_items",
    "input_items",
    "limit_items",
    "workbook_items",
]


def counts() -> Counter[str]:
    return Counter(entry.kind for entry in ITEMS)


if __name__ == "__main__":
    for kind, count in sorted(counts().items()):
        print(f"{count:4d}  {kind}")
    print(f"{len(ITEMS):4d}  in all")
