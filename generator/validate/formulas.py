"""Compare the file's formulas with the ones the writer would write for the layout found
(``expected``), in any program's spelling (``spelling``): overwritten, deleted or changed formulas
are reported at their cell.
"""

from __future__ import annotations

from generator.validate.context import Check
from generator.validate.expected import Expected
from generator.validate.findings import Code, Scalar, Severity, plain
from generator.validate.planned import planned
from generator.validate.sheet_cells import SheetCells
from generator.validate.spelling import normalise, plain_sheets, unquoted, without_literals


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
    of their plain spellings (nearly all) costs two lookups, the rest go through ``_same``."""
    _ = check.gettext
    plan = planned(check)
    book = check.book
    bare_names = plain_sheets(book.sheetnames)
    stored: dict[str, SheetCells | None] = {sheet: book.stored(sheet) for sheet in book.sheetnames}
    for expected, spellings, key in zip(plan.expected, plan.spellings, plan.keys, strict=True):
        sheet, row, col, formula = expected.sheet, expected.row, expected.col, expected.formula
        cells = stored.get(sheet)
        if cells is not None and cells.formulas.get(key) in spellings:
            continue  # the Book's own formula() gives this text: a formula (it starts with '=') that is the same
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
