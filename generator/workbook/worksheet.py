"""XlsxWriter's worksheet with a faster path for the formulas this project writes.

Before storing a formula XlsxWriter runs about forty regular expressions over it to add the
``_xlfn.`` prefixes that functions newer than Excel 2007 need; that was four fifths of a build.
The formulas here call only functions every Excel has known since 2007, so for them the
rewriting can only ever leave the text as it is: skip it, and fall back to XlsxWriter's own
preparation for any formula that calls something else.
"""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.worksheet import Worksheet

CLASSIC_FUNCTIONS = frozenset(
    {
        "ABS",
        "AND",
        "AVERAGE",
        "COUNT",
        "IF",
        "IFERROR",
        "INDEX",
        "INT",
        "ISNUMBER",
        "MATCH",
        "MAX",
        "MIN",
        "MOD",
        "NA",
        "NOT",
        "OR",
        "SUM",
    }
)
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


def only_classic_functions(formula: str) -> bool:
    """True when every function the formula calls needs no ``_xlfn.`` prefix."""
    return all(name.upper() in CLASSIC_FUNCTIONS for name in _CALL.findall(formula))


class _EmptyText(str):
    """The cached result "" of a formula: XlsxWriter writes a plain "" without a type (read back
    as a number by some readers), this marker as ``t="str"`` with an empty value."""

    __slots__ = ()


EMPTY_TEXT = _EmptyText("\u2400")


class FormulaWorksheet(Worksheet):  # type: ignore[misc]
    def _xml_formula_element(self, formula: str, result: Any, attributes: Any = ()) -> None:
        if result is EMPTY_TEXT:
            result = ""
        super()._xml_formula_element(formula, result, attributes)

    def _prepare_formula(self, formula: str, *args: Any, **kwargs: Any) -> str:
        if not only_classic_functions(formula):
            return str(super()._prepare_formula(formula, *args, **kwargs))
        # The same trimming XlsxWriter does first: array braces and the leading '='.
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula
