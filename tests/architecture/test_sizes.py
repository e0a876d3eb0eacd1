"""Rooms small enough to read: no module of generator/ above 400 lines, no function radon grades E or F.

radon's cyclomatic complexity grades a function E from 31 branches on (F from 41): past that a
reader cannot hold its paths in mind, and its tests cannot cover them. The limits are the
project's rules (STYLE.md); a module or function over them is split by what it does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "generator"
MAX_LINES = 400
REFUSED_GRADES = {"E", "F"}
MODULES = sorted(PACKAGE.rglob("*.py"))


def _blocks(found: list[Any]) -> list[Any]:
    """Functions, and the methods of classes (radon lists a class as one block holding its methods)."""
    return [block for item in found for block in [item, *getattr(item, "methods", [])]]


def test_no_module_is_over_the_line_limit() -> None:
    long = {
        path.relative_to(PACKAGE.parent).as_posix(): lines
        for path in MODULES
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_function_is_graded_e_or_f() -> None:
    radon = pytest.importorskip("radon.complexity", reason="radon is a dev dependency")
    graded = {
        f"{path.relative_to(PACKAGE.parent).as_posix()}:{block.lineno} {block.fullname}": radon.cc_rank(
            block.complexity
        )
        for path in MODULES
        for block in radon.cc_visit(path.read_text(encoding="utf-8"))
    }
    assert any(where.endswith(" Catalog.subset") for where in graded), "methods are graded too"
    assert {where: grade for where, grade in graded.items() if grade in REFUSED_GRADES} == {}


def test_the_grades_are_radons() -> None:
    """The thresholds as radon documents them (A 1-5 ... E 31-40, F 41+), so the test above means what it says."""
    radon = pytest.importorskip("radon.complexity", reason="radon is a dev dependency")
    assert [radon.cc_rank(n) for n in (5, 6, 30, 31, 40, 41)] == ["A", "B", "D", "E", "E", "F"]
