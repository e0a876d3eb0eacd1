"""Helpers for validator tests: valid random inputs, workbooks filled or edited as a user would.

Positions come from the writer's own layout (``Layout.plan`` with the build's sheet names), never
from the validator, so a test cannot agree with the validator by sharing its mistakes.
"""

from __future__ import annotations

import math
import random
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.catalog.model import Aggregation, InputSpec, Unit
from generator.formula.address import cell
from generator.formula.evaluate import evaluate, holds
from generator.formula.expr import Ref, refs
from generator.i18n import Texts
from generator.template.layout import INPUT_GRID, KPI_GRID, Layout
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions

from . import hostile

Values = dict[str, list[float | None]]
MONTHS = 12
TR_SHEETS = {"KPIs": "KPI'lar", "Inputs": "Girdiler", "Settings": "Ayarlar"}
"""A Turkish translation of the sheet names, apostrophe included, for a locale folder made in a test."""


def stock_pairs(catalog: Catalog) -> list[tuple[str, str]]:
    """Opening and closing inputs of one stock (customers_start / customers_end), matched by id stem."""
    pairs = []
    for opening in catalog.inputs.values():
        if opening.aggregation is Aggregation.OPENING:
            stem = opening.id.rsplit("_", 1)[0]
            pairs += [
                (opening.id, c.id)
                for c in catalog.inputs.values()
                if c.aggregation is Aggregation.CLOSING and c.id.rsplit("_", 1)[0] == stem
            ]
    return pairs


def _draw(spec: InputSpec, rng: random.Random) -> float:
    if spec.unit is Unit.PERCENT:
        return round(rng.uniform(spec.min or 0.0, 1.0 if spec.max is None else spec.max), 4)
    if spec.integer:
        top = rng.choice([50, 5_000, 5_000, 1_000_000_000])
        return float(rng.randint(max(int(spec.min or 0), 0), top))
    low = -50_000.0 if spec.min is None else spec.min
    return round(rng.uniform(low, 100_000.0), 2)


def valid_values(catalog: Catalog, seed: int, blank: float = 0.12, zero: float = 0.08) -> Values:
    """Random inputs that break no bound, rule or stock continuity: blanks, zeros, fractions, large counts."""
    rng = random.Random(seed)
    values: Values = {}
    for input_id, spec in catalog.inputs.items():
        row: list[float | None] = []
        for _ in range(MONTHS):
            roll = rng.random()
            row.append(None if roll < blank else 0.0 if roll < blank + zero else _draw(spec, rng))
        values[input_id] = row
    repair(catalog, values)
    return values


def repair(catalog: Catalog, values: Values) -> None:
    """Make values satisfy the catalogue's rules and continuity, month by month (left side of a rule adjusts)."""
    pairs = stock_pairs(catalog)
    for m in range(MONTHS):
        for _ in range(10):
            changed = False
            for opening, closing in pairs:
                before = values[closing][m - 1] if m else None
                if before is not None and values[opening][m] is not None and values[opening][m] != before:
                    values[opening][m] = before
                    changed = True
            for rule in catalog.rule_checks.values():
                month = {name: values[name][m] for name in refs(rule)}
                if holds(rule, month) is not False:
                    continue
                assert isinstance(rule.left, Ref), "rules adjusted here have one input on the left"
                spec = catalog.inputs[rule.left.name]
                target = evaluate(rule.right, month)
                assert target is not None
                if spec.integer:
                    target = float(math.floor(target) if rule.op == "<=" else math.ceil(target))
                values[spec.id][m] = None if spec.min is not None and target < spec.min else target
                changed = True
            if not changed:
                break
    for rule_id, rule in catalog.rule_checks.items():
        for m in range(MONTHS):
            assert holds(rule, {name: values[name][m] for name in refs(rule)}) is not False, (rule_id, m)


def writer_layout(catalog: Catalog, options: BuildOptions) -> Layout:
    """Where the writer puts everything for these options."""
    texts = Texts.for_build(catalog, options.locale, options.currency or "USD", options.fallback, options.locales_dir)
    return Layout.plan(catalog, sheet_names(texts))


def input_address(layout: Layout, input_id: str, month: int) -> str:
    return cell(layout.input_rows[input_id], INPUT_GRID.month(month))


def kpi_address(layout: Layout, kpi_id: str, col: int) -> str:
    return cell(layout.kpi_rows[kpi_id], col)


def kpi_month_col(month: int) -> int:
    return KPI_GRID.month(month)


def build(directory: Path, name: str, catalog: Catalog, values: Values | None, **options: Any) -> Path:
    """A workbook straight from the writer, every formula carrying its computed value."""
    result = build_workbook(catalog, BuildOptions(**options), values)
    path = directory / name
    path.write_bytes(result.data)
    return path


def edit_cells(source: Path, target: Path, edits: dict[tuple[str, str], Any]) -> Path:
    """Type values into a copy with openpyxl, as a user would: {(sheet, "E8"): value}.

    openpyxl drops charts and cached values; recalculate the copy before validating its numbers.
    """
    book = openpyxl.load_workbook(source)
    for (sheet, address), value in edits.items():
        book[sheet][address].value = value
    book.save(target)
    return target


def fill_inputs(source: Path, target: Path, layout: Layout, values: Values) -> Path:
    """A generated template with every input typed in (numbers as numbers, whole counts as int)."""
    edits: dict[tuple[str, str], Any] = {}
    for input_id, row in values.items():
        for m, value in enumerate(row):
            typed = int(value) if value is not None and value.is_integer() and abs(value) < 1e15 else value
            edits[(layout.sheets.inputs, input_address(layout, input_id, m))] = typed
    return edit_cells(source, target, edits)


def edit_part(source: Path, target: Path, member: str, edit: Callable[[str], str]) -> Path:
    """Rewrite one XML part of a copy (keeps the cached values, unlike openpyxl)."""

    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        text = members[member].decode("utf-8")
        changed = edit(text)
        assert changed != text, f"edit changed nothing in {member}"
        members[member] = changed.encode("utf-8")
        return members

    return hostile.rezip(source, target, change)


def drop_defined_name(source: Path, target: Path, name: str) -> Path:
    pattern = re.compile(r'<definedName [^>]*\bname="' + re.escape(name) + r'"[^>]*>[^<]*</definedName>')
    return edit_part(source, target, "xl/workbook.xml", lambda text: pattern.sub("", text, count=1))


def rename_sheet_only(source: Path, target: Path, old: str, new: str) -> Path:
    """Rename a sheet the way a careless tool does: the sheet list changes, names and formulas do not."""
    return edit_part(
        source, target, "xl/workbook.xml", lambda text: text.replace(f'<sheet name="{old}"', f'<sheet name="{new}"', 1)
    )


def tr_locales(directory: Path) -> Path:
    """A locale folder whose Turkish catalogue names the sheets (KPI'lar needs quoting in every reference)."""
    folder = directory / "tr" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    entries = "".join(f'\nmsgid "{en}"\nmsgstr "{tr}"\n' for en, tr in TR_SHEETS.items())
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: tr\\n"\n' + entries,
        encoding="utf-8",
    )
    return directory


@contextmanager
def rows_inserted(input_id: str, kpi_id: str, inputs: int = 2, kpis: int = 1, targets: int = 3) -> Iterator[None]:
    """Build as if a user had inserted rows: above an input, above a KPI and above the targets.

    Excel moves cells, formulas and defined names together; building from a shifted layout gives
    exactly that file (openpyxl's insert_rows would move neither names nor formulas).
    """
    original = Layout.plan.__func__  # type: ignore[attr-defined]

    def shifted(cls: type[Layout], catalog: Catalog, sheets: Any) -> Layout:
        layout: Layout = original(cls, catalog, sheets)
        first_input = layout.input_rows[input_id]
        first_kpi = layout.kpi_rows[kpi_id]
        for rows, start, by in (
            (layout.input_rows, first_input, inputs),
            (layout.input_group_rows, first_input, inputs),
            (layout.kpi_rows, first_kpi, kpis),
            (layout.kpi_group_rows, first_kpi, kpis),
            (layout.target_rows, 0, targets),
        ):
            for key, row in rows.items():
                if row >= start:
                    rows[key] = row + by
        return layout

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Layout, "plan", classmethod(shifted))
        yield


def copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target
