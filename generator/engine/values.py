"""Excel's values and the conversions between them, as a spreadsheet applies them.

A cell holds a number (``float``/``int``), text (``str``), a boolean, an error (``XlError``) or
nothing (``None``, a blank cell). Blank is not "" and not 0: it reads as 0 in arithmetic, as ""
beside text, and equals both in a comparison; these rules decide what a template shows for a
month without data, so they follow Excel (and LibreOffice, which computes them alike).
"""

from __future__ import annotations

import math
from typing import Any


class EngineError(Exception):
    """A formula the engine cannot compute (unknown function or name, a cycle, bad syntax).

    Never turned into a cached 0: the writer fails, the validator reports the cell as unchecked.
    """


class XlError:
    """An error value such as #N/A; compared by identity, one instance per code."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code

    def __repr__(self) -> str:
        return self.code


NA = XlError("#N/A")
DIV0 = XlError("#DIV/0!")
VALUE = XlError("#VALUE!")
REF = XlError("#REF!")
NAME = XlError("#NAME?")
NUM = XlError("#NUM!")
NULL = XlError("#NULL!")
ERRORS = {e.code: e for e in (NA, DIV0, VALUE, REF, NAME, NUM, NULL)}


def is_number(value: Any) -> bool:
    cls = value.__class__
    return cls is float or cls is int


def to_number(value: Any) -> float | XlError:
    """A value used by arithmetic: blank is 0, TRUE is 1, numeric text is read, other text is #VALUE!."""
    cls = value.__class__
    if cls is float or cls is int:
        return value  # type: ignore[no-any-return]
    if value is None:
        return 0
    if cls is bool:
        return 1 if value else 0
    if cls is XlError:
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        return text_to_number(value)
    raise EngineError(f"cannot use {value!r} as a number")


def text_to_number(text: str) -> float | XlError:
    """Text that reads as a plain number (" 12", "1e3", "50%") becomes that number; anything else #VALUE!."""
    body = text.strip()
    scale = 1.0
    if body.endswith("%"):
        body, scale = body[:-1].strip(), 0.01
    if not body or body.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return VALUE
    try:
        return float(body) * scale
    except ValueError:
        return VALUE


def to_bool(value: Any) -> bool | XlError:
    """A condition: a number is true unless 0, blank is false, text "TRUE"/"FALSE" counts, other text #VALUE!."""
    cls = value.__class__
    if cls is bool:
        return value  # type: ignore[no-any-return]
    if cls is float or cls is int:
        return value != 0  # type: ignore[no-any-return]
    if value is None:
        return False
    if cls is XlError:
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        upper = value.upper()
        if upper == "TRUE":
            return True
        if upper == "FALSE":
            return False
        return VALUE
    raise EngineError(f"cannot use {value!r} as a condition")


def to_text(value: Any) -> str | XlError:
    """A value joined with ``&``: numbers as the General format shows them, TRUE/FALSE, blank as ""."""
    cls = value.__class__
    if cls is str:
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if cls is float or cls is int:
        return number_text(value)
    if cls is XlError:
        return value  # type: ignore[no-any-return]
    raise EngineError(f"cannot use {value!r} as text")


def number_text(value: float) -> str:
    """A number as Excel's General format writes it in a formula's text (15 significant digits)."""
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa.upper()}E{sign}{abs(int(exponent)):02d}"
    return text


_RANK = {float: 0, int: 0, str: 1, bool: 2}


def compare(left: Any, right: Any) -> int | XlError:
    """-1, 0 or 1 as Excel orders two values: numbers < text < booleans; text ignores case;
    blank equals 0, "" and FALSE (whichever the other side is)."""
    if left.__class__ is XlError:
        return left
    if right.__class__ is XlError:
        return right
    if left is None:
        left = _blank_like(right)
    if right is None:
        right = _blank_like(left)
    lrank, rrank = _RANK.get(left.__class__), _RANK.get(right.__class__)
    if lrank is None or rrank is None:
        raise EngineError(f"cannot compare {left!r} with {right!r}")
    if lrank != rrank:
        return -1 if lrank < rrank else 1
    if lrank == 1:
        left, right = left.lower(), right.lower()
    return -1 if left < right else 1 if left > right else 0


def _blank_like(other: Any) -> Any:
    if other is None or other.__class__ is float or other.__class__ is int:
        return 0
    if other.__class__ is bool:
        return False
    return ""


def finite(value: float) -> float | XlError:
    """Excel has no infinity or NaN: an overflow is #NUM!."""
    return value if math.isfinite(value) else NUM
