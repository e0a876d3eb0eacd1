"""Compare the file's formulas with the ones the writer would write for the layout found.

The expected text comes from ``sheet_formulas`` for the rows the names give, so a user who
inserted rows is not blamed; the comparison is on a normalised spelling, because Excel,
LibreOffice and Google Sheets each save the same formula a little differently (see ``normalise``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.engine.kept import Kept
from generator.layout import (
    INPUT_GRID,
    KPI_GRID,
    KPI_LATEST_COL,
    KPI_STATUS_COL,
    KPI_TARGET_COL,
    KPI_TOLERANCE_COL,
    MONTHS,
)
from generator.sheet_formulas import (
    input_period_formulas,
    kpi_formulas,
    kpi_target_formulas,
    month_label_formula,
)
from generator.validate.context import Check
from generator.validate.findings import Code, Scalar, Severity, plain

_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.")


_TOKENS = re.compile(r"""("(?:[^"]|"")*"?)|'((?:[^']|'')*)'?|([\w.\s$]+)|(.)""", re.DOTALL)
_SKIPPED = re.compile(r"[\s$]")
_QUOTED_NAME = re.compile(r"('(?:[^']|'')*')")


_NORMALISED: Kept[tuple[str, str | None], str] = Kept()


def normalise(formula: str, own_sheet: str | None = None) -> str:
    """One spelling for formulas that mean the same.

    - no leading '=', no whitespace, no '$' (LibreOffice and Excel may keep or drop them);
    - upper case outside string literals (function names and references are case-insensitive);
    - sheet names always quoted once, apostrophes doubled: LibreOffice writes ``Inputs!D7`` where
      the writer wrote ``'Inputs'!D7``, and keeps ``'KPI''lar'!`` quoted;
    - a reference to the formula's own sheet written without its sheet name;
    - no ``_xlfn.`` / ``_xlws.`` prefixes (Excel's marks for newer functions).
    String literals ("" and text) are kept exactly. Whitespace and '$' inside a name or reference
    are dropped without splitting it (one regular-expression pass: this runs for every formula).

    Each spelling is kept per process: a formula found as the writer wrote it is the expected
    text itself, and the expected formulas are the same for every file of a catalogue.
    """
    key = (formula, own_sheet)
    found = _NORMALISED.get(key)
    return found if found is not None else _NORMALISED.keep(key, _normalise(formula, own_sheet), len(formula))


def _normalise(formula: str, own_sheet: str | None) -> str:
    text = formula.strip()
    if text.startswith("="):
        text = text[1:]
    result = _split(text)
    if "_XL" in result:
        for prefix in _PREFIXES:
            result = result.replace(prefix, "")
    if own_sheet:
        result = result.replace(_quoted(own_sheet.upper()) + "!", "")
    return result


def _split(text: str) -> str:
    """normalise by pieces: the text between double quotes alternates outside and inside string
    literals (a doubled quote leaves an empty outside piece). A quoted sheet name split by a
    double quote shows as an odd count of apostrophes in a piece: then go token by token."""
    pieces = text.split('"')
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        if "'" not in piece:
            pieces[i] = _outside(piece)
        elif piece.count("'") % 2:
            return _tokenised(text)
        else:
            parts = _QUOTED_NAME.split(piece)
            for k in range(0, len(parts), 2):
                parts[k] = _outside(parts[k])
            for k in range(1, len(parts), 2):
                parts[k] = _quoted(parts[k][1:-1].replace("''", "'").upper())
            pieces[i] = "".join(parts)
    return '"'.join(pieces)


def _outside(piece: str) -> str:
    """Text outside literals and quoted names: no whitespace or '$', upper case, bare sheet names quoted."""
    found = "".join(piece.split()).replace("$", "").upper()
    return _quote_sheets(found) if "!" in found else found


def _quote_sheets(text: str) -> str:
    """Quote the name before each '!' (the run of word characters and dots it ends)."""
    parts = text.split("!")
    for k in range(len(parts) - 1):
        part = parts[k]
        start = len(part)
        while start and (part[start - 1].isalnum() or part[start - 1] in "_."):
            start -= 1
        if start < len(part):
            parts[k] = f"{part[:start]}'{part[start:]}'"
    return "!".join(parts)


def _tokenised(text: str) -> str:
    """normalise, token by token (a quoted sheet name may hold a double quote)."""
    out: list[str] = []
    word = ""
    for literal, quoted, run, other in _TOKENS.findall(text):
        if run:
            word += run if run.isalnum() else _SKIPPED.sub("", run)
        elif other == "!":
            if word:
                out.append(_quoted(word.upper()))
                word = ""
            out.append("!")
        else:
            if word:
                out.append(word.upper())
                word = ""
            if literal:
                out.append(literal)
            elif other:
                out.append(other.upper())
            else:
                out.append(_quoted(quoted.replace("''", "'").upper()))
    if word:
        out.append(word.upper())
    return "".join(out)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def expected_formulas(check: Check) -> Iterator[tuple[str, int, int, str, str | None, str | None, str]]:
    """(sheet, row, col, formula, input id, KPI id, column label) for every formula the validator can place."""
    _ = check.gettext
    catalog, layout, located = check.catalog, check.layout, check.located
    periods = check.periods()
    columns = [INPUT_GRID.month(m) for m in range(MONTHS)] + [INPUT_GRID.quarter(q) for q in range(4)]
    columns.append(INPUT_GRID.ytd)
    input_labels = dict(zip(columns, periods, strict=True))
    for input_id in catalog.inputs:
        if input_id in located.inputs:
            for col, formula in input_period_formulas(catalog, layout, input_id).items():
                yield layout.sheets.inputs, layout.input_rows[input_id], col, formula, input_id, None, input_labels[col]
    kpi_columns = [KPI_GRID.month(m) for m in range(MONTHS)] + [KPI_GRID.quarter(q) for q in range(4)]
    kpi_labels = dict(zip([*kpi_columns, KPI_GRID.ytd], periods, strict=True))
    kpi_labels[KPI_LATEST_COL] = _("Latest month")
    kpi_labels[KPI_TARGET_COL] = _("Monthly target")
    kpi_labels[KPI_TOLERANCE_COL] = _("Tolerance")
    kpi_labels[KPI_STATUS_COL] = _("Status (latest month)")
    for kpi_id in catalog.kpis:
        if not located.kpi_located(catalog, kpi_id):
            continue
        row = layout.kpi_rows[kpi_id]
        formulas = kpi_formulas(catalog, layout, kpi_id)
        if kpi_id in located.targets:
            formulas |= kpi_target_formulas(catalog, layout, kpi_id)
        for col, formula in formulas.items():
            yield layout.sheets.kpis, row, col, formula, None, kpi_id, kpi_labels[col]
    if located.labels_row is not None and {"first_month", "year"} <= layout.settings_rows.keys():
        for m in range(MONTHS):
            yield (
                layout.sheets.inputs,
                located.labels_row,
                INPUT_GRID.month(m),
                month_label_formula(layout, m),
                None,
                None,
                check.labels[m],
            )


def check_formulas(check: Check) -> int:
    """Report each formula that was overwritten, deleted or changed; returns the formulas compared."""
    _ = check.gettext
    compared = 0
    for sheet, row, col, formula, input_id, kpi_id, label in expected_formulas(check):
        compared += 1
        found = check.book.formula(sheet, row, col)
        value: Scalar
        if isinstance(found, str) and found.startswith("="):
            if normalise(found, sheet) == normalise(formula, sheet):
                continue
            code, value = Code.FORMULA_CHANGED, found
            message = _(
                "{what}: the formula differs from the template's; restore it (copy it from a neighbouring "
                "cell) or rebuild the template."
            )
        elif found is None or found == "":
            code, value = Code.FORMULA_MISSING, None
            message = _(
                "{what}: the formula was deleted; restore it (copy it from a neighbouring cell) or rebuild "
                "the template."
            )
        else:
            code, value = Code.FORMULA_OVERWRITTEN, plain(found)
            message = _(
                "{what}: a typed value replaced the formula; restore the formula (copy it from a "
                "neighbouring cell) or rebuild the template."
            )
        if kpi_id is not None:
            what = check.kpi_name(kpi_id)
        elif input_id is not None:
            what = check.input_name(input_id)
        else:
            what = _("Month label")
        check.flagged.add((sheet, row, col))
        check.add(
            Severity.ERROR,
            code,
            message.format(what=what),
            sheet=sheet,
            row=row,
            col=col,
            input=input_id,
            kpi=kpi_id,
            month=label,
            value=value,
            expected=formula,
        )
    return compared
