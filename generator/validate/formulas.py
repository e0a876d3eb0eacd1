"""Compare the file's formulas with the ones the writer would write for the layout found.

The expected text comes from ``sheet_formulas`` for the rows the names give, so a user who
inserted rows is not blamed; the comparison is on a normalised spelling, because Excel,
LibreOffice and Google Sheets each save the same formula a little differently (see ``normalise``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from generator.chart_data_formulas import (
    has_data_formulas,
    kpi_value_formulas,
    label_formulas,
    month_col,
)
from generator.chart_data_formulas import kpi_target_formulas as chart_target_formulas
from generator.dashboard_formulas import (
    COMPANY,
    HINT,
    INDEX,
    SHOWN,
    card_cell,
    card_formulas,
    dashboard_texts,
    header_formulas,
    plan_cards,
)
from generator.engine.kept import Kept
from generator.errors import CatalogError
from generator.i18n.formats import NumberFormats
from generator.layout import (
    HEADER_ROW,
    INPUT_GRID,
    KPI_GRID,
    KPI_LATEST_COL,
    KPI_STATUS_COL,
    KPI_TARGET_COL,
    KPI_TOLERANCE_COL,
    MONTHS,
    Layout,
    SheetNames,
    plan_chart_rows,
    sheet_names,
)
from generator.scorecard_formulas import LATEST_COL, STATUS_COL, TARGET_COL, YTD_COL, scorecard_formulas, scorecard_rows
from generator.sheet_formulas import (
    input_period_formulas,
    kpi_formulas,
    kpi_target_formulas,
    month_label_formula,
)
from generator.validate.book import parse_reference
from generator.validate.context import Check
from generator.validate.findings import Code, Scalar, Severity, plain

_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.")


_TOKENS = re.compile(r"""("(?:[^"]|"")*"?)|'((?:[^']|'')*)'?|([\w.\s$]+)|(.)""", re.DOTALL)
_SKIPPED = re.compile(r"[\s$]")
_QUOTED_NAME = re.compile(r"('(?:[^']|'')*')")
_CURRENCY = re.compile(r"[A-Z]{3}")


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


class Expected(NamedTuple):
    """A formula the file should hold at one cell, and how a finding about it names the cell."""

    sheet: str
    row: int
    col: int
    formula: str
    input: str | None
    kpi: str | None
    label: str | None
    """The finding's ``month`` column: the period, or which part of a card or line the cell is."""
    part: str | None = None
    """Shown after the KPI's name, or instead of a name: "Dashboard card: target"."""
    copied: bool = True
    """The row's neighbouring cells hold the same formula, so copying one restores it."""
    worded: bool = False
    """The formula's text literals are words of the workbook's language (a later translation may reword
    them): only the rest of the formula must match."""


def expected_formulas(check: Check) -> Iterator[Expected]:
    """Every formula the validator can place: the Inputs and KPI sheets', then the Dashboard's, the
    chart data's and the Scorecard's."""
    _ = check.gettext
    catalog, layout, located = check.catalog, check.layout, check.located
    periods = check.periods()
    columns = [INPUT_GRID.month(m) for m in range(MONTHS)] + [INPUT_GRID.quarter(q) for q in range(4)]
    columns.append(INPUT_GRID.ytd)
    input_labels = dict(zip(columns, periods, strict=True))
    for input_id in catalog.inputs:
        if input_id in located.inputs:
            for col, formula in input_period_formulas(catalog, layout, input_id).items():
                yield Expected(
                    layout.sheets.inputs, layout.input_rows[input_id], col, formula, input_id, None, input_labels[col]
                )
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
            yield Expected(layout.sheets.kpis, row, col, formula, None, kpi_id, kpi_labels[col])
    if located.labels_row is not None and {"first_month", "year"} <= layout.settings_rows.keys():
        for m in range(MONTHS):
            formula = month_label_formula(layout, m)
            yield Expected(
                layout.sheets.inputs, located.labels_row, INPUT_GRID.month(m), formula, None, None, check.labels[m]
            )
    built = _built_sheet_names(check)
    if built is None:
        return
    shown = _shown_layout(check, built)
    if shown.sheets.dashboard:
        yield from _dashboard(check, shown, built)
    if shown.sheets.chart_data:
        yield from _chart_data(check, shown)
    if shown.sheets.scorecard:
        yield from _scorecard(check, shown)


def _built_sheet_names(check: Check) -> SheetNames | None:
    """The sheet names the writer gave this workbook's language; None when its translation is unusable."""
    try:
        return sheet_names(check.messages)
    except CatalogError:
        return None


def _shown_layout(check: Check, built: SheetNames) -> Layout:
    """The located layout, with the sheets no defined name covers: the chart data where ``list_months``
    points, the Dashboard and the Scorecard by their built names. A sheet not found (renamed, deleted)
    stays "" and its formulas are not compared."""
    book = check.book
    chart_data = ""
    found = parse_reference(book.defined_names().get("list_months", ""))
    if found is not None and book.is_worksheet(found.sheet):
        chart_data = found.sheet
    elif book.is_worksheet(built.chart_data):
        chart_data = built.chart_data
    dashboard = built.dashboard if book.is_worksheet(built.dashboard) else ""
    scorecard = built.scorecard if check.catalog.scorecard and book.is_worksheet(built.scorecard) else ""
    layout = check.layout
    sheets = replace(layout.sheets, chart_data=chart_data, dashboard=dashboard, scorecard=scorecard)
    labels_row = check.located.labels_row
    return replace(
        layout,
        sheets=sheets,
        chart_rows=plan_chart_rows(check.catalog),
        labels_row=labels_row if labels_row is not None else HEADER_ROW,
    )


def _dashboard(check: Check, layout: Layout, built: SheetNames) -> Iterator[Expected]:
    _ = check.gettext
    sheet = layout.sheets.dashboard
    currency = (check.book.properties().get("currency") or "").strip().upper()
    numbers = NumberFormats(check.messages.locale, currency)
    money = _CURRENCY.fullmatch(currency) is not None  # a money KPI's smallest change needs the currency
    texts = dashboard_texts(_, built.inputs, check.catalog, numbers, money=money)
    header = header_formulas(layout, texts)
    if not layout.sheets.chart_data:  # the month's helpers read the chart data
        header = {at: formula for at, formula in header.items() if at == COMPANY}
    names = {
        COMPANY: _("Dashboard: company name"),
        INDEX: _("Dashboard: the selected month's position (hidden helper)"),
        SHOWN: _("Dashboard: the month shown"),
        HINT: _("Dashboard: the hint beside the month"),
    }
    for (row, col), formula in header.items():
        yield Expected(sheet, row, col, formula, None, None, None, names[(row, col)], False, (row, col) == HINT)
    parts = {
        "value": _("Dashboard card: value"),
        "target": _("Dashboard card: target"),
        "change": _("Dashboard card: vs previous month"),
        "ytd": _("Dashboard card: year to date"),
        "status": _("Dashboard card: status"),
    }
    groups, _end = plan_cards(check.catalog)
    for group in groups:
        for kpi_id, (top, left) in group.cards.items():
            where = {card_cell(top, left, part): label for part, label in parts.items()}
            for (row, col), formula in card_formulas(check.catalog, layout, kpi_id, top, left, texts).items():
                label = where[(row, col)]
                yield Expected(sheet, row, col, formula, None, kpi_id, label, label, False)


def _chart_data(check: Check, layout: Layout) -> Iterator[Expected]:
    _ = check.gettext
    catalog, located = check.catalog, check.located
    sheet = layout.sheets.chart_data
    months = {month_col(m): check.labels[m] for m in range(MONTHS)}
    if set(catalog.inputs) <= located.inputs:  # the span runs from the first input row to the last
        part = _("Chart data: months with data")
        for (row, col), formula in has_data_formulas(layout).items():
            yield Expected(sheet, row, col, formula, None, None, months[col], part, False)
    if located.labels_row is not None:
        part = _("Chart data: month label")
        for (row, col), formula in label_formulas(layout).items():
            yield Expected(sheet, row, col, formula, None, None, months[col], part, False)
    value, target = _("Chart data: value"), _("Chart data: target")
    for kpi_id in catalog.kpis:
        for (row, col), formula in kpi_value_formulas(layout, kpi_id).items():
            yield Expected(sheet, row, col, formula, None, kpi_id, months[col], value)
        if kpi_id in located.targets:
            for (row, col), formula in chart_target_formulas(catalog, layout, kpi_id).items():
                yield Expected(sheet, row, col, formula, None, kpi_id, months[col], target)


def _scorecard(check: Check, layout: Layout) -> Iterator[Expected]:
    _ = check.gettext
    sheet = layout.sheets.scorecard
    parts = {
        LATEST_COL: _("Scorecard: latest month"),
        TARGET_COL: _("Scorecard: monthly target"),
        STATUS_COL: _("Scorecard: status"),
        YTD_COL: _("Scorecard: year to date"),
    }
    for lines in scorecard_rows(check.catalog):
        for line, kpi_id in lines:
            for (row, col), formula in scorecard_formulas(check.catalog, layout, kpi_id, line).items():
                yield Expected(sheet, row, col, formula, None, kpi_id, parts[col], parts[col], False)


_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_PLAIN_SHEET = re.compile(r"[^\W\d]\w*")
"""A sheet name LibreOffice writes without quotes (Inputs!D7): letters, digits and underscores."""


def unquoted(formula: str, bare_names: list[tuple[str, str]]) -> str:
    """``formula`` with its plain sheet names unquoted outside string literals, as LibreOffice saves it:
    the same formula to ``normalise``, found by a string comparison instead (``_same``'s fast path)."""
    if '"' not in formula:
        for quoted, bare in bare_names:
            formula = formula.replace(quoted, bare)
        return formula
    pieces = formula.split('"')
    for i in range(0, len(pieces), 2):
        for quoted, bare in bare_names:
            pieces[i] = pieces[i].replace(quoted, bare)
    return '"'.join(pieces)


def plain_sheets(sheets: list[str]) -> list[tuple[str, str]]:
    """(quoted, bare) prefixes of the sheet names ``unquoted`` drops the quotes of."""
    return [(f"'{sheet}'!", f"{sheet}!") for sheet in sheets if _PLAIN_SHEET.fullmatch(sheet)]


def _same(found: str, expected: Expected, bare_names: list[tuple[str, str]]) -> bool:
    """Whether the file's formula is the expected one, in any program's spelling (``normalise``). The
    writer's spelling and LibreOffice's are compared as text first: most formulas match one of them."""
    if found == expected.formula or ("'" in expected.formula and found == unquoted(expected.formula, bare_names)):
        return True
    found_text, expected_text = normalise(found, expected.sheet), normalise(expected.formula, expected.sheet)
    if found_text == expected_text:
        return True
    return expected.worded and _LITERAL.sub('""', found_text) == _LITERAL.sub('""', expected_text)


def check_formulas(check: Check) -> int:
    """Report each formula that was overwritten, deleted or changed; returns the formulas compared."""
    _ = check.gettext
    compared = 0
    bare_names = plain_sheets(check.book.sheetnames)
    for expected in expected_formulas(check):
        compared += 1
        sheet, row, col, formula = expected.sheet, expected.row, expected.col, expected.formula
        found = check.book.formula(sheet, row, col)
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
    return compared


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
