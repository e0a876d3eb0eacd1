"""One cell of a worksheet, once its element has ended: its value typed, its formula as typed.

``generator.validate.sheet_cells`` streams a sheet and calls these once per cell that holds
something; a value that cannot be what its type says refuses the file, naming the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from generator.formula.address import column_letter
from generator.validate.cell_values import from_iso, from_serial
from generator.validate.cell_values import number as _number
from generator.validate.refusals import clean, refuse


@dataclass(frozen=True)
class CellTypes:
    """What a sheet's cells need from the rest of the workbook to be typed."""

    shared_strings: list[str]
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    epoch: Any


class SharedFormula:
    """A shared formula's anchor: later cells of the group shift its relative references."""

    def __init__(self, text: str, row: int, col: int) -> None:
        self.text, self.row, self.col = text, row, col

    def at(self, row: int, col: int) -> str:
        from generator.validate.shared_formula import shift

        return shift(self.text, row - self.row, col - self.col)


def cell_value(
    kind: str,
    text: str | None,
    inline: list[str] | None,
    style: int,
    types: CellTypes,
    where: tuple[str, str, int, int],
) -> Any:
    """What a cell shows, typed by its ``t`` attribute and its number format (a date style gives a date)."""
    found = text or ""
    try:
        if kind == "n":
            number = _number(found)
            if style in types.date_styles:
                try:
                    return from_serial(number, types.epoch, style in types.timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            index = int(found)
            if index < 0:  # a list would count it from the end: the last string, silently
                raise IndexError(index)
            return types.shared_strings[index]
        if kind == "b":
            return bool(int(found))
        if kind == "inlineStr":
            return "".join(inline) if inline is not None else None
        if kind == "d":
            return from_iso(found)
        return found  # "str" (a formula's text result), "e" (an error such as #N/A), or unknown
    except (ValueError, IndexError, OverflowError):
        name, label, row, col = where
        bad(name, label, f"cell {address(row, col)} holding {clean(found, 30)!r} as type {clean(kind, 10)!r}")


def cell_formula(
    attrs: dict[str, str], text: str | None, row: int, col: int, shared: dict[str, SharedFormula], max_shared: int
) -> str:
    """A cell's formula with its '='; a shared formula's later cells get the anchor's, shifted to them."""
    formula = "=" + (text or "")
    if attrs.get("t") == "shared":
        group = attrs.get("si", "")
        if text:
            if len(shared) < max_shared:
                shared[group] = SharedFormula(formula, row, col)
        elif group in shared:
            return shared[group].at(row, col)
    elif attrs.get("t") == "dataTable":
        return f"=TABLE({attrs.get('r1', '')},{attrs.get('r2', '')})"
    return formula


def address(row: int, col: int) -> str:
    return f"{column_letter(col - 1) or '?'}{row}"


def bad(name: str, label: str, what: str) -> NoReturn:
    refuse(name, f"could not be read: {label} has {what}; open it in Excel or LibreOffice and save it again as .xlsx")
