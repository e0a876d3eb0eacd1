"""What a catalogue may hold so that every workbook built from it opens and computes: checks of limits.

The schema says which keys and types a catalogue has; these checks say which values a
spreadsheet can take: finite numbers within Excel's range, texts within Excel's lengths, and
formulas whose constant parts have a value (``x / 0`` would show an empty cell forever).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from generator.catalog.model import CatalogFile
from generator.formula.evaluate import evaluate
from generator.formula.expr import Binary, Expr, Num, refs, walk
from generator.formula.parse import LARGEST

if TYPE_CHECKING:  # not at run time: the writer imports this module, and source imports PyYAML
    from generator.catalog.source import Path_

MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell."""
MAX_NAME_TEXT = 255
"""Excel's limit on a text inside a formula or a chart title, where names are used."""
MAX_MESSAGE_TEXT = 255
"""Excel's limit on a data validation's input or error message (an input's help shows as its input message)."""

MAX_KPIS = 1000
"""KPIs one catalogue may hold (the bundled ones have 26 and 22). Build time and memory grow with
the KPIs: 1,000 build in about 26 s at 160 MB on the development machine, 10,000 took 162 s at
992 MB (issue 24), and a dashboard of more is no longer one anybody reads. SECURITY.md lists it."""

Report = Callable[["Path_", str], None]


def kpi_count_problem(count: int) -> str | None:
    """The refusal of a catalogue with more than ``MAX_KPIS`` KPIs (its own and imported), or None."""
    if count <= MAX_KPIS:
        return None
    return (
        f"{count:,} KPIs, more than the limit of {MAX_KPIS:,} KPIs in one catalogue; "
        "split it into catalogues of related KPIs (each can import the inputs it shares)"
    )


def number_problems(data: Any) -> Iterator[tuple[Path_, str]]:
    """Every number in the decoded file that no spreadsheet holds (``.nan``, ``.inf``, 1e400, 400 digits).

    Run before the typed conversion, which would turn a 400-digit integer into an OverflowError.
    """
    for at, value in _leaves(data, ()):
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isnan(number):
            yield at, "is not a number (.nan); write a number"
        elif not math.isfinite(number) or abs(number) > LARGEST:
            yield at, "is beyond the numbers a spreadsheet holds (at most 9.99E+307)"


def typed_number_problems(file: CatalogFile) -> Iterator[tuple[Path_, str]]:
    """The same for the typed values: a quoted ``"1e400"`` or ``"nan"`` becomes a float only on conversion."""
    numbers: list[tuple[Path_, float | None]] = []
    for i, spec in enumerate(file.inputs):
        numbers += [(("inputs", i, "min"), spec.min), (("inputs", i, "max"), spec.max)]
    for i, kpi in enumerate(file.kpis):
        numbers += [(("kpis", i, "target"), kpi.target), (("kpis", i, "tolerance"), kpi.tolerance)]
        numbers += [(("kpis", i, "range", j), bound) for j, bound in enumerate(kpi.range or ())]
    for at, value in numbers:
        if value is not None:
            yield from ((at, message) for _, message in number_problems(value))


def _leaves(data: Any, at: Path_) -> list[tuple[Path_, Any]]:
    """Every value that is neither a mapping nor a list, with its path, in the file's order."""
    found: list[tuple[Path_, Any]] = []

    def visit(value: Any, at: Path_) -> None:  # a plain function: nested generators cost more per value
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, (*at, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*at, index))
        else:
            found.append((at, value))

    visit(data, at)
    return found


def check_text_lengths(file: CatalogFile, data: Any, report: Report) -> None:
    """Names within a formula's 255 characters, every other text within a cell's 32,767."""
    names: set[Path_] = {("title", code) for code in file.title}
    for section in ("perspectives", "categories", "inputs"):
        for i, item in enumerate(getattr(file, section)):
            names |= {(section, i, "name", code) for code in item.name}
    for i, kpi in enumerate(file.kpis):
        names |= {("kpis", i, "texts", code, "name") for code in kpi.texts}
    for at, value in _leaves(data, ()):
        if not isinstance(value, str):
            continue
        if at in names and len(value) > MAX_NAME_TEXT:
            report(
                at, f"a name of {len(value)} characters is longer than {MAX_NAME_TEXT}, Excel's limit in a chart title"
            )
        elif len(value) > MAX_CELL_TEXT:
            report(at, f"a text of {len(value)} characters is longer than {MAX_CELL_TEXT:,}, Excel's limit for a cell")


def shortened_texts(file: CatalogFile) -> Iterator[tuple[Path_, str]]:
    """Help texts longer than an input message: the cell's message shows them cut at a word (the
    Inputs sheet's help column shows them whole), so the end of the text is what people miss."""
    for i, spec in enumerate(file.inputs):
        for code, text in spec.help.items():
            if len(text) > MAX_MESSAGE_TEXT:
                yield (
                    ("inputs", i, "help", code),
                    f"{len(text)} characters: the input message shows the first {MAX_MESSAGE_TEXT} at most, "
                    "cut at a word (the Inputs sheet shows it whole); shorten it or move the end to the front",
                )


def constant_problems(expr: Expr) -> Iterator[str]:
    """Parts of a formula that read no input and still have no value: a zero or overflowing constant."""
    for node in walk(expr):
        if isinstance(node, Binary) and node.op == "/" and _always_zero(node.right):
            yield "divides by a constant zero, so the KPI would always be empty"
            return
        if not isinstance(node, Num) and not refs(node) and evaluate(node, {}) is None:
            yield "has a constant part without a finite value (too large, or divided by zero)"
            return


def _always_zero(expr: Expr) -> bool:
    """A denominator that is 0 (or has no value) whatever the inputs: ``0``, ``2 - 2``, ``x * 0``.

    Each input gets a different random value in three probes; only an expression that is zero
    by its form comes out exactly 0 in all three (``a - b`` does not).
    """
    import random

    names = refs(expr)
    draw = random.Random(len(names))  # fixed probes: the same answer on every run
    probes = [{name: draw.uniform(1.0, 1000.0) for name in names} for _ in range(3)]
    return all(evaluate(expr, values) in (None, 0.0) for values in probes)
