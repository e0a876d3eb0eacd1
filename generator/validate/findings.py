"""What the validator reports: one ``Finding`` per problem, with a stable code and where it is.

The codes and fields are the contract of ``--format json`` and ``--format csv`` (see
docs/validation.md): tools match on ``code``, people read ``message`` (in the workbook's language).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """Stable finding codes; a catalogue rule adds ``rule:<rule id>`` (see ``rule_code``)."""

    # Which template, and where its parts are
    CATALOG_VERSION = "catalog-version"
    CATALOG_MISMATCH = "catalog-mismatch"
    LAYOUT_VERSION = "layout-version"
    LOCALE = "locale"
    PROPERTIES_LOST = "properties-lost"
    MISSING_SHEET = "missing-sheet"
    MISSING_NAME = "missing-name"
    BROKEN_NAME = "broken-name"
    MOVED_CELLS = "moved-cells"
    BAD_SETTING = "bad-setting"
    # Typed values
    NOT_A_NUMBER = "not-a-number"
    NUMBER_AS_TEXT = "number-as-text"
    ERROR_VALUE = "error-value"
    OUT_OF_RANGE = "out-of-range"
    MERGED_CELLS = "merged-cells"
    NEGATIVE = "negative"
    NOT_INTEGER = "not-integer"
    PERCENT_RANGE = "percent-range"
    BELOW_MIN = "below-min"
    ABOVE_MAX = "above-max"
    CONTINUITY = "continuity"
    LOOKS_LIKE_DATE = "looks-like-date"
    # Formulas and calculated values
    FORMULA_OVERWRITTEN = "formula-overwritten"
    FORMULA_MISSING = "formula-missing"
    FORMULA_CHANGED = "formula-changed"
    NOT_RECALCULATED = "not-recalculated"
    STALE_VALUE = "stale-value"
    UNCHECKED_FORMULA = "unchecked-formula"
    VALUE_MISMATCH = "value-mismatch"
    STATUS_MISMATCH = "status-mismatch"


def rule_code(rule_id: str) -> str:
    return f"rule:{rule_id}"


Scalar = str | float | int | bool | None


def plain(value: Any) -> Scalar:
    """A cell value as JSON can hold it: whole numbers as int, dates and odd objects as text, no NaN."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return str(value)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Text from a file made safe for a terminal: no control characters (escape sequences, line breaks)."""
    return _CONTROL.sub("\ufffd", text)


def brief(value: object, limit: int = 60) -> str:
    """A cell's text as quoted in a message: one line, control characters replaced, at most ``limit`` long."""
    text = printable(" ".join(str(value).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show(value: float | None, locale: str | None = None) -> str:
    """A number as a person reads it in a message: no ".0" on whole numbers, full precision otherwise;
    with ``locale``, in its digits and separators (21.000,5 in a Turkish sentence, not 21000.5)."""
    if value is None:
        return ""
    number = float(value)
    if locale is not None and math.isfinite(number) and (number == 0 or 1e-9 <= abs(number) < 1e15):
        from generator.i18n.formats import format_number

        return format_number(int(number) if number.is_integer() else number, locale)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    """A1 address on ``sheet``, without the sheet name."""
    input: str | None = None
    kpi: str | None = None
    month: str | None = None
    """The column's label as the file shows it (a month, a quarter, the year to date, a target)."""
    value: Scalar = None
    expected: Scalar = None

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def as_dict(self) -> dict[str, Scalar]:
        return {
            "severity": self.severity.value,
            "code": str(self.code),
            "sheet": self.sheet,
            "cell": self.cell,
            "input": self.input,
            "kpi": self.kpi,
            "month": self.month,
            "value": plain(self.value),
            "expected": plain(self.expected),
            "message": self.message,
        }
