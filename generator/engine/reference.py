"""Cell references in formula text: splitting them out of a formula, and the blocks they name.

Formulas that differ only in the cells they read (the same KPI formula in twelve month columns,
the same aggregate on forty input rows) share one *shape*: the text with every reference cut out.
A shape is parsed and compiled once; each cell keeps only its references.
"""

from __future__ import annotations

import re

REF_MARK = "\x00"
"""Stands for a cut-out reference in a shape's text."""

_PIECES = re.compile(
    r"""("(?:[^"]|"")*")                                   # a string literal, kept in the shape
    |(?<![\w.$])(?<![^\x00-\xbf\U00010000-\U0010ffff])    # not after a name's character (U+00C0-U+FFFF)
     ((?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)?                  # an optional sheet: 'KPI''lar'! or Inputs!
     (\$?[A-Za-z]{1,3}\$?[0-9]{1,7}(?::\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?  # A1 or A1:B2
     |\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?[0-9]{1,7}:\$?[0-9]{1,7})     # A:C or 1:3 (":" is no operator)
     (?![\w(!.])""",
    re.VERBOSE,
)
"""The second look-behind is the class U+00C0 to U+FFFF spelt as its complement (not U+0000-U+00BF, not
past U+FFFF): the same characters, but Python compiles the range itself into a 65,536-entry table,
10-20 ms of every process that splits a formula."""


def split_shape(formula: str) -> tuple[str, list[tuple[str | None, str]]]:
    """(shape, references): the formula without its leading '=' and with each reference replaced
    by ``REF_MARK``; each reference as (sheet prefix or None, address text)."""
    text = formula[1:] if formula.startswith("=") else formula
    parts = _PIECES.split(text)
    if len(parts) == 1:
        return text, []
    shape = [parts[0]]
    found: list[tuple[str | None, str]] = []
    for i in range(1, len(parts), 4):
        literal, sheet, address = parts[i], parts[i + 1], parts[i + 2]
        if literal is not None:
            shape.append(literal)
        else:
            shape.append(REF_MARK)
            found.append((sheet, address))
        shape.append(parts[i + 3])
    return "".join(shape), found
