"""Every refusal the server gives: a status, a stable code, the field at fault and one clear sentence.

The JSON API answers ``{"error": code, "field": field, "message": text}``; the pages show the
same sentence in the interface language. Messages are msgids, translated where they are shown.
"""

from __future__ import annotations

import re
from typing import Any

PAGE_PATHS = frozenset({"/", "/download", "/validate", "/regenerate"})
"""The HTML pages; a refusal anywhere else is JSON."""
_SURROGATE = re.compile("[\ud800-\udfff]")


class Problem(Exception):
    """A refusal; ``message`` is an msgid with ``{placeholders}``, filled from ``values`` after translation."""

    def __init__(
        self, status: int, code: str, message: str, field: str | None = None, values: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.values = values or {}

    def text(self, gettext: Any = None) -> str:
        template = gettext(self.message) if gettext is not None else self.message
        return _SURROGATE.sub("\ufffd", str(template).format(**self.values))

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.code, "field": self.field, "message": self.text()}


def N_(message: str) -> str:
    """Mark an msgid for extraction (Babel's default keywords include ``N_``); it is translated where shown."""
    return message


def is_api(path: str) -> bool:
    return path not in PAGE_PATHS
