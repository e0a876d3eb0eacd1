"""What is worked out from an object, kept by the object's identity while the object lives.

The catalogue's expression trees and the validator's per-template plans are made once and kept, so a
value derived from one (its compiled function, its inputs, its cells grouped by sheet) is worth keeping
too; they are not all hashable, and hashing a tree would cost what keeping it saves. An entry holds its
object, so the object's id cannot be reused while the entry stands; past ``most`` entries the table
starts again (it is only a cache).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

Owner = TypeVar("Owner")
Value = TypeVar("Value")


class ByIdentity(Generic[Owner, Value]):
    """Values made by one function from objects, each kept by its object's identity."""

    def __init__(self, make: Callable[[Owner], Value], most: int) -> None:
        self.make, self.most = make, most
        self._table: dict[int, tuple[Owner, Value]] = {}

    def __call__(self, owner: Owner) -> Value:
        found = self._table.get(id(owner))
        if found is not None and found[0] is owner:
            return found[1]
        value = self.make(owner)
        if len(self._table) >= self.most:
            self._table.clear()
        self._table[id(owner)] = (owner, value)
        return value

    def __len__(self) -> int:
        return len(self._table)
