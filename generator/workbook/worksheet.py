"""XlsxWriter's worksheet with faster paths for the formulas and sparklines this project writes.

Before storing a formula XlsxWriter runs about forty regular expressions over it to add the
``_xlfn.`` prefixes that functions newer than Excel 2007 need; that was four fifths of a build.
The formulas here call only functions every Excel has known since 2007, so for them the
rewriting can only ever leave the text as it is: skip it, and fall back to XlsxWriter's own
preparation for any formula that calls something else.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import xlsxwriter.worksheet
from xlsxwriter.worksheet import Worksheet

# XlsxWriter builds its whole table of 36 sparkline styles (252 colour objects) for every
# sparkline, only to read one entry: 11% of the dashboard's build. The table is the same every
# time and add_sparkline only reads it, so it is built once per style (output byte-identical,
# tests/workbook/test_golden.py). The function is looked up in the worksheet module's globals,
# hence the patch there; XlsxWriter is capped below 4 in pyproject.toml.
if not hasattr(xlsxwriter.worksheet._get_sparkline_style, "cache_info"):
    xlsxwriter.worksheet._get_sparkline_style = functools.lru_cache(maxsize=64)(
        xlsxwriter.worksheet._get_sparkline_style
    )

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
    return CLASSIC_FUNCTIONS.issuperset(name.upper() for name in _CALL.findall(formula))


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
