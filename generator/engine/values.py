"""Excel's values and the conversions between them, as a spreadsheet applies them.

A cell holds a number (``float``/``int``), text (``str``), a boolean, an error (``XlError``) or
nothing (``None``, a blank cell). Blank is not "" and not 0: it reads as 0 in arithmetic, as ""
beside text, and equals both in a comparison; these rules decide what a template shows for a
month without data. Excel is the reference for every rule (its function pages, MS-OI29500 and
ECMA-376 Part 1 §18.17); LibreOffice is *not* a witness for all of them: it reads booleans as the
numbers 1 and 0, so ranges of booleans sum and compare differently, and it converts text to numbers
by its own setting. tests/engine/known_differences.py lists each difference with its source.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any


class EngineError(Exception):
    """A formula the engine cannot compute (unknown function or name, a cycle, bad syntax).

    Never turned into a cached 0: the writer fails, the validator reports the cell as unchecked.
    """


class EngineLimit(EngineError):
    """A file that would make the engine read more cells than one check may: reported as a finding."""


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


_NUMERIC_TEXT = re.compile(r"[ ]*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[ ]*(%?)[ ]*", re.ASCII)
"""The spellings of a number that every spreadsheet reads in any locale: ASCII digits, a point, an
exponent, a trailing percent, spaces around. Python's float() also takes "1_000", "inf", "nan",
Arabic-Indic and full-width digits; no spreadsheet does. Grouping separators ("1,000") and
currency are locale-dependent in Excel and left as text (#VALUE!): the validator knows no locale."""


def text_to_number(text: str) -> float | XlError:
    """Text that reads as a plain number (" 12", "1e3", "50%") becomes that number; anything else #VALUE!.

    A spelling beyond the float range ("1e400") is not a number Excel can hold: #VALUE!, as Excel's
    VALUE("1E+400") gives (the text cannot be converted)."""
    found = _NUMERIC_TEXT.fullmatch(text)
    if found is None:
        return VALUE
    number = float(found.group(1))
    if found.group(2):
        number /= 100
    return number if math.isfinite(number) else VALUE


def text_to_bool(text: str) -> bool | None:
    """ "TRUE" or "FALSE" in any case as the boolean; None for any other text."""
    upper = text.upper()
    return True if upper == "TRUE" else False if upper == "FALSE" else None


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
        truth = text_to_bool(value)
        return VALUE if truth is None else truth
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
_NO_DECOMPOSITION = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"})


def fold(text: str) -> str:
    """Text as Excel matches it ignoring case: Unicode case folding, with the Turkish dotted and dotless
    i folded together (I, ı, İ, i), so "MAYIS" matches "Mayıs" in a Turkish workbook as in an English one.
    The price: Turkish words that differ only in ı/i compare equal, which no template label does."""
    return text.casefold().replace("ı", "i").replace("i̇", "i")


def collation_key(text: str) -> tuple[str, str]:
    """The order of two texts, as Excel sorts them ignoring case: letters first by their base letter
    ("ç" beside "c", before "d"), then by accent ("c" < "ç").

    Excel orders text with Windows' linguistic comparison (CompareStringEx), which follows the Unicode
    Collation Algorithm's primary and secondary levels; ICU is not a dependency and Babel has no
    collation, so this is a locale-independent approximation of those two levels: the primary key
    drops the accents of the folded text (NFKD, combining marks removed; ı, ł, ø and a few others
    that do not decompose are mapped by hand), the secondary key is the folded text itself. It is
    the same in every locale (Excel's Turkish order puts "ç" after every "c..." word, this one only
    after "c" itself), which is what a validator that knows no locale can do.
    """
    folded = fold(text)
    decomposed = unicodedata.normalize("NFKD", folded)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_NO_DECOMPOSITION)
    return base, unicodedata.normalize("NFC", folded)


def same_number(left: float, right: float) -> bool:
    """Whether two numbers are equal at Excel's precision: 15 significant digits.

    Excel stores doubles but compares at 15 digits ("Floating-point arithmetic may give inaccurate
    results in Excel", Microsoft Learn), so =0.1+0.2=0.3 is TRUE."""
    if left == right:
        return True
    if abs(left - right) > 1e-13 * max(abs(left), abs(right)):
        return False  # far apart: no rounding to 15 digits makes them equal
    return f"{left:.14e}" == f"{right:.14e}"


def compare(left: Any, right: Any) -> int | XlError:
    """-1, 0 or 1 as Excel orders two values: numbers < text < booleans; text ignores case and follows
    ``collation_key``; numbers are equal at 15 significant digits; blank equals 0, "" and FALSE
    (whichever the other side is)."""
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
        left, right = collation_key(left), collation_key(right)
    elif lrank == 0 and same_number(left, right):
        return 0
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


def cell_value(value: Any) -> Any:
    """A constant as a cell can hold it: a number past the float range (inf, NaN from a file's text) is #NUM!."""
    if value.__class__ is float and not math.isfinite(value):
        return NUM
    return value
