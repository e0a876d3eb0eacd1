"""A formula evaluated on one sheet ``S`` holding the given cells: the shared set-up of the engine's
hand-worked rule tests (test_edges, test_rules)."""

from __future__ import annotations

from typing import Any

from generator.engine import Spreadsheet


def run(formula: str, strict: bool = True, **cells: Any) -> Any:
    """``formula`` computed over ``cells`` (``A1=5``; a text starting with "=" is a formula)."""
    sheet = Spreadsheet(["S"], strict=strict)
    for address, value in cells.items():
        row, col = int(address[1:]) - 1, ord(address[0]) - 65
        if isinstance(value, str) and value.startswith("="):
            sheet.set_formula("S", row, col, value)
        else:
            sheet.set_value("S", row, col, value)
    return sheet.evaluate("S", formula)
