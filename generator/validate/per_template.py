"""A table of what the validator works out once per template, bounded and shared by the server's threads.

A server or a batch validates many files of the same few templates; what depends only on the template
(its expected formulas, its located layout) is kept here, least recently used first out. The value is
worked out outside the lock, so another thread's file need not wait for it; two threads that work out
the same template at once keep the same answer twice, the second replacing the first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class PerTemplate(Generic[Value]):
    """At most ``most`` values by key, least recently used first out, behind a lock."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._kept: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def keep(self, key: Hashable, value: Value) -> Value:
        """Keep ``value`` for ``key``, dropping the least recently used past ``most``; returns it."""
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > self.most:
                self._kept.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
