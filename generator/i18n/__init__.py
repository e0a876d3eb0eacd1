"""Everything a workbook needs to speak one language: interface strings, catalogue texts, CLDR formats.

The names below are loaded from their modules when first asked for, so importing one light module
of the package (``generator.i18n.formats`` for a currency's digits) does not also load the
interface strings and their compiled catalogues (about 15 ms of a ``catalog check`` process).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.i18n.formats import NumberFormats, month_names, upper
    from generator.i18n.messages import Messages, available_locales
    from generator.i18n.texts import Texts

_HOMES = {
    "NumberFormats": "formats",
    "month_names": "formats",
    "upper": "formats",
    "Messages": "messages",
    "available_locales": "messages",
    "Texts": "texts",
}
__all__ = ["Messages", "NumberFormats", "Texts", "available_locales", "month_names", "upper"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
