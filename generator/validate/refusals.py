"""One-line refusals for files the validator will not read: the wording every check ends in.

Each refusal starts with the file name as the user gave it, says what is wrong and what to do,
and never carries text from the file that could break the line (control characters escaped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from generator.errors import UnreadableWorkbook

MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Limits on untrusted workbooks, each counted while the file is read (see ``LIMITS`` for the options)."""

    max_file_bytes: int = 50 * MIB  # size on disk
    max_uncompressed_bytes: int = 200 * MIB  # unpacked size: the zip directory's sum, and bytes inflated while reading
    max_member_ratio: float = 200.0  # uncompressed/compressed of any member bigger than 1 MiB uncompressed
    max_members: int = 2000  # zip entries
    max_rows: int = 10_000  # highest row holding a value or formula, per sheet
    max_columns: int = 1_000  # highest column holding a value or formula, per sheet
    max_cells: int = 500_000  # cells read over all sheets; XML elements read: at most 4 per cell of this limit
    max_shared_strings: int = 500_000  # entries of the shared string table
    max_string_chars: int = 32_767  # characters in one text, formula or value (Excel's own cell limit)
    max_name_cells: int = 1_048_576  # cells a defined name may span (a whole column; not a whole sheet)


@dataclass(frozen=True)
class LimitOption:
    """How a limit appears on the command line: its option, unit and the sensible range of values."""

    field: str
    option: str
    help: str
    scale: int = 1  # bytes per unit of the option (MIB for the -mb options)
    low: float = 1
    high: float = 1_000_000_000
    integer: bool = True


LIMITS = (
    LimitOption("max_file_bytes", "--max-file-mb", "Largest file to read, in MB.", MIB, 0.001, 10_000, False),
    LimitOption(
        "max_uncompressed_bytes", "--max-uncompressed-mb", "Largest unpacked size, in MB.", MIB, 0.001, 100_000, False
    ),
    LimitOption(
        "max_member_ratio", "--max-ratio", "Highest compression ratio of a part over 1 MB.", 1, 1, 100_000, False
    ),
    LimitOption("max_members", "--max-members", "Most parts in the file.", high=1_000_000),
    LimitOption("max_rows", "--max-rows", "Highest row holding data, per sheet.", high=1_048_576),
    LimitOption("max_columns", "--max-columns", "Highest column holding data, per sheet.", high=16_384),
    LimitOption("max_cells", "--max-cells", "Most cells read over all sheets (XML elements: 4 per cell)."),
    LimitOption("max_shared_strings", "--max-shared-strings", "Most entries in the shared string table."),
    LimitOption(
        "max_string_chars", "--max-string-chars", "Longest text, formula or value, in characters.", high=100_000_000
    ),
    LimitOption("max_name_cells", "--max-name-cells", "Most cells one defined name may span.", high=17_179_869_184),
)
"""Every limit with its option; ``kpigen validate`` builds its ``--max-*`` options from this table."""

OPTION = {limit.field: limit.option for limit in LIMITS}
"""The CLI option that raises each limit; named in messages so a user who trusts a file knows what to do."""

RESAVE = "open it in Excel or LibreOffice and save it as .xlsx"
RESAVE_AGAIN = "open it in Excel or LibreOffice and save it again as .xlsx"
ENTITY_TEXT = "contains XML entity declarations or external references, which are refused as unsafe"
MAX_REASON = 160
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str, limit: int = MAX_REASON) -> str:
    """Make text from the file (member names, sheet names, errors) safe to print on one line."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refuse(name: str, text: str) -> NoReturn:
    """Raise the one-line refusal every check ends in."""
    raise UnreadableWorkbook(f"{name}: {text}")


def human_size(n: float) -> str:
    """Bytes for messages, in MB like the options, in KB when smaller than one MB."""
    if n < MIB:
        return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n:.0f} bytes"
    value = n / MIB
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def over_limit(field: str, what: str) -> str:
    """The tail of a limit refusal: what to do if the user trusts the file."""
    return f"{what}; if you trust the file, raise the limit with {OPTION[field]}"


def over_limits(fields: list[str], what: str) -> str:
    options = " and ".join(OPTION[field] for field in fields)
    return f"{what}; if you trust the file, raise the limit{'s' if len(fields) > 1 else ''} with {options}"


def short_reason(exc: BaseException) -> str:
    """The innermost cause of an error, as a short one-line phrase."""
    inner = exc
    for _ in range(20):  # bounded: a cause chain could be made circular
        if inner.__cause__ is None:
            break
        inner = inner.__cause__
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    kind = type(inner).__name__
    return clean(f"{kind}: {lines[0]}" if lines else kind)


def entity_refusal(name: str, where: str = "") -> NoReturn:
    refuse(
        name,
        f"{where}{ENTITY_TEXT}; {RESAVE_AGAIN}",
    )


def unreadable(name: str, exc: BaseException) -> NoReturn:
    """Turn any read, zip or decompression error into a refusal."""
    refuse(name, f"could not be read: {short_reason(exc)}; {RESAVE_AGAIN}")
