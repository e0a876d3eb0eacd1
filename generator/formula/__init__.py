"""The formula language: parsed once into a tree, compiled to Excel text and evaluated in Python."""

from generator.formula.evaluate import evaluate
from generator.formula.excel import to_excel
from generator.formula.expr import Expr
from generator.formula.parse import FormulaError, parse

__all__ = ["Expr", "FormulaError", "evaluate", "parse", "to_excel"]
