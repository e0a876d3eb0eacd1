"""Exact quarter and year distinct counts, kept in a workbook's custom document properties.

A workbook filled from raw rows (``kpigen import --profile``) carries, per distinct input, one
property ``kpigen_exact_<input>`` = ``Q1=2;Q2=2;Q3=;Q4=;year=3;months=<digest>``. Properties
rather than a sheet: they are no part of the layout every reader locates, a user cannot type
over them in the grid, LibreOffice keeps them when it saves, and regenerate writes them again.
The digest is of the twelve months they were counted with: once a user changes a month, the
figures no longer describe the workbook's data and are dropped, never shown stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

PREFIX = "kpigen_exact_"
PERIODS = ("Q1", "Q2", "Q3", "Q4", "year")
"""The order of the exact figures: the workbook's period columns after the twelve months."""

Value = float | None


def _number(value: Value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def digest(months: Sequence[Value]) -> str:
    """A short fingerprint of twelve monthly values, as a spreadsheet keeps them (2 and 2.0 alike)."""
    return hashlib.sha256(",".join(_number(v) for v in months).encode()).hexdigest()[:16]


def to_properties(exact: Mapping[str, Sequence[Value]], months: Mapping[str, Sequence[Value]]) -> dict[str, str]:
    """One property per input that has exact figures and months to stand beside."""
    found: dict[str, str] = {}
    for input_id, figures in exact.items():
        if input_id in months:
            pairs = [f"{period}={_number(v)}" for period, v in zip(PERIODS, figures, strict=True)]
            found[PREFIX + input_id] = ";".join([*pairs, f"months={digest(months[input_id])}"])
    return found


def from_properties(
    properties: Mapping[str, str], months: Mapping[str, Sequence[Value]]
) -> tuple[dict[str, list[Value]], list[str]]:
    """(exact figures by input id, inputs whose months changed since): figures of an input that is not
    in ``months``, or that cannot be read, are left out."""
    exact: dict[str, list[Value]] = {}
    stale: list[str] = []
    for name, text in properties.items():
        input_id = name.removeprefix(PREFIX)
        if not name.startswith(PREFIX) or input_id not in months:
            continue
        fields = dict(part.partition("=")[::2] for part in text.split(";"))
        try:
            figures = [_read(fields[period]) for period in PERIODS]
            kept = fields["months"]
        except (KeyError, ValueError):  # edited by hand into something else: not ours to guess at
            continue
        if kept != digest(months[input_id]):
            stale.append(input_id)
            continue
        exact[input_id] = figures
    return exact, sorted(stale)


def _read(text: str) -> Value:
    """A figure, None for an empty one; ValueError for one that is not a number."""
    return None if text == "" else float(text)
