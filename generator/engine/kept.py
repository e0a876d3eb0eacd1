"""Tables kept for the life of a process, bounded: a file of a million distinct formulas must not
fill the memory of a server that validates it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

MOST_KEPT = 20_000
"""Entries per table, at most (a workbook of the CRM catalogue has about 1,300 distinct formulas):
past it, the table starts again empty."""
LONGEST_KEPT = 1_000
"""Formulas longer than this (characters; the templates' longest is under 300) are worked out each
time, never kept: a table holds at most about 20 MB of formula text."""


class Kept(Generic[K, V]):
    """A dict filled as results are worked out; ``get`` is the dict's own (no extra call)."""

    def __init__(self, most: int = MOST_KEPT) -> None:
        self.table: dict[K, V] = {}
        self.get = self.table.get
        self.most = most

    def keep(self, key: K, value: V, length: int = 0) -> V:
        """Keep ``value`` (worked out from a text of ``length`` characters) and return it."""
        if length <= LONGEST_KEPT:
            if len(self.table) >= self.most:
                self.table.clear()
            self.table[key] = value
        return value

    def made(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``make()``'s, kept."""
        found = self.table.get(key)
        return self.keep(key, make()) if found is None else found

    def __len__(self) -> int:
        return len(self.table)
