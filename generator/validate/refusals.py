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
    """Limits on untrusted workbooks; each adjustable by a CLI option later."""

    max_file_bytes: int = 50 * 1024 * 1024  # size on disk
    max_uncompressed_bytes: int = 200 * 1024 * 1024  # sum of uncompressed member sizes (zip directory)
    max_member_ratio: float = 200.0  # uncompressed/compressed of any member bigger than 1 MiB uncompressed
    max_members: int = 2000
    max_rows: int = 10_000  # per sheet, from each sheet's <dimension ref> or actual rows
    max_columns: int = 1_000


# The CLI options that raise each limit; named in messages so a user who trusts a file knows what to do.
OPTION = {
    "max_file_bytes": "--max-file-mb",
    "max_uncompressed_bytes": "--max-uncompressed-mb",
    "max_member_ratio": "--max-ratio",
    "max_members": "--max-members",
    "max_rows": "--max-rows",
    "max_columns": "--max-columns",
}
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
    """The innermost cause of an error, as a short one-line phrase (openpyxl wraps errors in ValueError)."""
    inner = exc
    for _ in range(20):  # bounded: a cause chain could be made circular
        if inner.__cause__ is None:
            break
        inner = inner.__cause__
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    kind = type(inner).__name__
    return clean(f"{kind}: {lines[0]}" if lines else kind)


def is_entity_error(exc: BaseException) -> bool:
    """True if defusedxml (or lxml, which openpyxl uses when installed) refused an entity trick.

    lxml stops entity expansion itself ("Maximum entity amplification factor exceeded",
    "Detected an entity reference loop"); its error names the entity, nothing else does.
    """
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is required; checked before loading
        return False
    seen: BaseException | None = exc
    for _ in range(20):  # bounded: a cause chain could be made circular
        if seen is None:
            return False
        if isinstance(seen, DefusedXmlException) or (
            type(seen).__name__ == "XMLSyntaxError" and "entity" in str(seen).lower()
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def entity_refusal(name: str, where: str = "") -> NoReturn:
    refuse(
        name,
        f"{where}{ENTITY_TEXT}; {RESAVE_AGAIN}",
    )


def unreadable(name: str, exc: BaseException) -> NoReturn:
    """Turn any parse or zip error into a refusal; entity errors get their own message."""
    if is_entity_error(exc):
        entity_refusal(name)
    refuse(name, f"could not be read: {short_reason(exc)}; {RESAVE_AGAIN}")
