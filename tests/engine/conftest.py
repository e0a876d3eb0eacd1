"""Under mutmut, every call of a mutated module goes through a trampoline, doubling the frames a
formula nested 64 levels deep needs; the engine's own depth limits are what the tests check."""

from __future__ import annotations

import os
import sys

import pytest

if os.environ.get("MUTANT_UNDER_TEST"):
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))


@pytest.fixture(autouse=True)
def _fresh_formula_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under mutmut, formulas compiled before the mutant was switched on would hide it: start each test
    with empty per-process formula tables there (elsewhere they stay warm, as in real use)."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        from generator.engine import spreadsheet
        from generator.engine.kept import Kept

        for table in ("_SHAPES", "_FORMULAS", "_RESOLVED"):
            monkeypatch.setattr(spreadsheet, table, Kept())
