"""Compare the file's formulas with the ones the writer would write for the layout found
(``expected``), in any program's spelling (``spelling``): overwritten, deleted or changed formulas
are reported at their cell.
"""

from __future__ import annotations

import itertools
import operator

from generator.formula.by_identity import ByIdentity
from generator.validate.context import Check
from generator.validate.expected import Expected
from generator.validate.findings import Code, Scalar, Severity, plain
from generator.validate.planned import Planned, planned
from generator.validate.sheet_cells import SheetCells
from generator.validate.spelling import normalise, plain_sheets, unquoted, without_literals

_SheetPlan = tuple[str, tuple[int, ...], tuple[tuple[str, ...], ...], tuple[int, ...]]
"""One sheet's part of a plan: the sheet, its cells' keys, their plain spellings, their positions in the plan."""


def _same(found: str, expected: Expected, bare_names: list[tuple[str, str]]) -> bool:
    """Whether the file's formula is the expected one, in any program's spelling (``normalise``). The
    writer's spelling and LibreOffice's are compared as text first: most formulas match one of them."""
    if found == expected.formula or ("'" in expected.formula and found == unquoted(expected.formula, bare_names)):
        return True
    found_text, expected_text = normalise(found, expected.sheet), normalise(expected.formula, expected.sheet)
    if found_text == expected_text:
        return True
    return expected.worded and without_literals(found_text) == without_literals(expected_text)


def check_formulas(check: Check) -> int:
    """Report each formula that was overwritten, deleted or changed; returns the formulas compared.

    The template's formulas are worked out once per template (``planned``); a cell whose formula is one
    of their plain spellings (nearly all) is passed over in bulk (``_differing``), the rest go through ``_same``."""
    _ = check.gettext
    plan = planned(check)
    book = check.book
    bare_names = plain_sheets(book.sheetnames)
    for index in _differing(plan, {sheet: book.stored(sheet) for sheet in book.sheetnames}):
        expected = plan.expected[index]
        sheet, row, col, formula = expected.sheet, expected.row, expected.col, expected.formula
        found = book.formula(sheet, row, col)
        value: Scalar
        if isinstance(found, str) and found.startswith("="):
            if _same(found, expected, bare_names):
                continue
            code, value = Code.FORMULA_CHANGED, found
            if expected.copied:
                message = _(
                    "{what}: the formula differs from the template's; restore it (copy it from a neighbouring "
                    "cell) or rebuild the template."
                )
            else:
                message = _("{what}: the formula differs from the template's; undo the change or rebuild the template.")
        elif found is None or found == "":
            code, value = Code.FORMULA_MISSING, None
            if expected.copied:
                message = _(
                    "{what}: the formula was deleted; restore it (copy it from a neighbouring cell) or rebuild "
                    "the template."
                )
            else:
                message = _("{what}: the formula was deleted; undo the deletion or rebuild the template.")
        else:
            code, value = Code.FORMULA_OVERWRITTEN, plain(found)
            if expected.copied:
                message = _(
                    "{what}: a typed value replaced the formula; restore the formula (copy it from a "
                    "neighbouring cell) or rebuild the template."
                )
            else:
                message = _("{what}: a typed value replaced the formula; undo it or rebuild the template.")
        check.flagged.add((sheet, row, col))
        check.add(
            Severity.ERROR,
            code,
            message.format(what=_what(check, expected)),
            sheet=sheet,
            row=row,
            col=col,
            input=expected.input,
            kpi=expected.kpi,
            month=expected.label,
            value=value,
            expected=formula,
        )
    return len(plan.expected)


def _differing(plan: Planned, stored: dict[str, SheetCells]) -> list[int]:
    """The positions in ``plan`` whose cell does not hold one of its plain spellings, in the plan's order.

    Nearly every cell does: each sheet's formulas are looked up and compared with ``map`` (no Python
    step per cell; a sheet the file lacks has none of its formulas). A cell whose formula is one of
    the spellings is what the Book's own ``formula()`` gives: a formula (it starts with '=') that is
    the same."""
    differing: list[int] = []
    for sheet, keys, spellings, positions in _by_sheet(plan):
        cells = stored.get(sheet)
        if cells is None:
            differing.extend(positions)
            continue
        matched = map(operator.contains, spellings, map(cells.formulas.get, keys))
        differing.extend(itertools.compress(positions, map(operator.not_, matched)))
    return sorted(differing)


MOST_GROUPED = 8
"""Plans grouped at once (as many as ``planned`` keeps)."""


def _grouped_by_sheet(plan: Planned) -> list[_SheetPlan]:
    groups: dict[str, tuple[list[int], list[tuple[str, ...]], list[int]]] = {}
    for position, (expected, spellings, key) in enumerate(zip(plan.expected, plan.spellings, plan.keys, strict=True)):
        keys, texts, positions = groups.setdefault(expected.sheet, ([], [], []))
        keys.append(key)
        texts.append(spellings)
        positions.append(position)
    return [(sheet, tuple(k), tuple(t), tuple(p)) for sheet, (k, t, p) in groups.items()]


_by_sheet: ByIdentity[Planned, list[_SheetPlan]] = ByIdentity(_grouped_by_sheet, MOST_GROUPED)
"""Each plan's cells grouped by sheet, kept by the plan's identity (``planned`` keeps a plan per template)."""


def _what(check: Check, expected: Expected) -> str:
    """Who a finding names: the KPI or input (and which of its cells), or the cell's part of the sheet."""
    _ = check.gettext
    if expected.kpi is not None:
        name = check.kpi_name(expected.kpi)
    elif expected.input is not None:
        name = check.input_name(expected.input)
    else:
        return expected.part or _("Month label")
    return f"{name} ({expected.part})" if expected.part else name
