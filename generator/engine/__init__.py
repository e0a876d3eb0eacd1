"""A small spreadsheet engine for the formulas the writer emits: the cached values every
formula cell carries, and the validator's recomputation of a filled file.

It computes a closed set of functions (``functions.SUPPORTED``) with Excel's rules for blanks,
text, booleans and errors (Excel is the reference; where LibreOffice departs from it, the tests
say so: tests/engine/known_differences.py); anything else raises EngineError, so nothing is ever cached as a
silent 0. Kept apart from the catalogue's own Python evaluation (``generator.formula``,
``generator.template.periods``): that one is the independent check of every KPI.
"""

from generator.engine.functions import SUPPORTED
from generator.engine.spreadsheet import Spreadsheet
from generator.engine.values import ERRORS, EngineError, EngineLimit, XlError
from generator.formula.reference import Area

__all__ = ["ERRORS", "SUPPORTED", "Area", "EngineError", "EngineLimit", "Spreadsheet", "XlError"]
