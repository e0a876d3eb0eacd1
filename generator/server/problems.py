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

    def text(self, gettext: Any = None, locale: str = "en") -> str:
        """The sentence in the language of ``gettext``, its sizes and decimals written as ``locale`` writes them."""
        template = gettext(self.message) if gettext is not None else self.message
        values = {key: localised(value, locale) for key, value in self.values.items()}
        return _SURROGATE.sub("\ufffd", str(template).format(**values))

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.code, "field": self.field, "message": self.text()}


class Size(int):
    """A number of bytes in a message: written ``10 MB`` in English, ``10 MB`` / ``2,5 MB`` in Turkish."""


def localised(value: Any, locale: str) -> Any:
    """Sizes and decimals in the reader's notation (Babel, CLDR); any other value as it is."""
    if isinstance(value, Size):
        return size_text(int(value), locale)
    if isinstance(value, float):
        return decimal(value, locale)
    return value


def decimal(value: float, locale: str, digits: int | None = None) -> str:
    """``34.5`` in English, ``34,5`` in Turkish; ``digits`` fixes the decimals (``10,0``)."""
    from babel.numbers import format_decimal

    pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return str(format_decimal(value, format=pattern, locale=locale.replace("-", "_")))


def size_text(size: int, locale: str) -> str:
    """Bytes in MB like the options, in KB below one MB (the rules of ``refusals.human_size``)."""
    mib = 1024 * 1024
    if size < mib:
        return f"{decimal(size / 1024, locale, 0)} KB" if size >= 1024 else f"{decimal(size, locale, 0)} bytes"
    value = size / mib
    return f"{decimal(value, locale, 0 if value >= 10 or value == int(value) else 1)} MB"


def N_(message: str) -> str:
    """Mark an msgid for extraction (Babel's default keywords include ``N_``); it is translated where shown."""
    return message


def is_api(path: str) -> bool:
    return path not in PAGE_PATHS
