"""Where the template holds formulas, and which: what the validator compares a file's formulas with.

The expected text comes from the layout stage (``sheet_formulas``, ``dashboard_formulas``,
``chart_data_formulas``, ``scorecard_formulas``) for the rows the file's defined names give, so
a user who inserted rows is not blamed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from generator.errors import CatalogError
from generator.formula.reference import parse_target
from generator.i18n.formats import NumberFormats
from generator.template.chart_data_formulas import (
    has_data_formulas,
    kpi_prior_formulas,
    kpi_value_formulas,
    label_formulas,
    month_col,
)
from generator.template.chart_data_formulas import kpi_target_formulas as chart_target_formulas
from generator.template.dashboard_formulas import (
    COMPANY,
    HINT,
    INDEX,
    SHOWN,
    CardShape,
    card_cell,
    card_formulas,
    card_shape,
    dashboard_texts,
    header_formulas,
    plan_cards,
)
from generator.template.layout import (
    EARLIER_LAYOUTS,
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
    change_header_row,
    plan_change_rows,
    plan_chart_rows,
    plan_prior_chart_rows,
    sheet_names,
)
from generator.template.scorecard_formulas import (
    LATEST_COL,
    STATUS_COL,
    TARGET_COL,
    YTD_COL,
    scorecard_formulas,
    scorecard_rows,
)
from generator.template.sheet_formulas import (
    change_formulas,
    input_period_formulas,
    kpi_formulas,
    kpi_target_formulas,
    month_label_formula,
)
from generator.validate.context import Check

_CURRENCY = re.compile(r"[A-Z]{3}")


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
            formulas = formulas | kpi_target_formulas(catalog, layout, kpi_id)
        for col, formula in formulas.items():
            yield Expected(layout.sheets.kpis, row, col, formula, None, kpi_id, kpi_labels[col])
    located_prior = _prior_located(check)
    yield from _prior_year(check, located_prior, input_labels, kpi_labels)
    if located.labels_row is not None and {"first_month", "year"} <= layout.settings_rows.keys():
        for m in range(MONTHS):
            formula = month_label_formula(layout, m)
            yield Expected(
                layout.sheets.inputs, located.labels_row, INPUT_GRID.month(m), formula, None, None, check.labels[m]
            )
    built = _built_sheet_names(check)
    if built is None:
        return
    shown = _shown_layout(check, built, located_prior)
    if shown.sheets.dashboard:
        yield from _dashboard(check, shown, built)
    if shown.sheets.chart_data:
        yield from _chart_data(check, shown)
    if shown.sheets.scorecard:
        yield from _scorecard(check, shown)


def _prior_located(check: Check) -> Layout:
    """The located layout with the prior year's sheets and rows, found by their ``py_in_`` and ``py_kpi_``
    names (a workbook of layout 1 has none: its prior-year roles stay empty)."""
    catalog, names = check.catalog, check.book.defined_names()
    rows: dict[str, dict[str, int]] = {"py_in_": {}, "py_kpi_": {}}
    sheets: dict[str, str] = {}
    for prefix, found in rows.items():
        for item in catalog.inputs if prefix == "py_in_" else catalog.kpis:
            area = parse_target(names.get(prefix + item, ""))
            if (
                area is not None
                and check.book.is_worksheet(area.sheet)
                and sheets.setdefault(prefix, area.sheet) == area.sheet
            ):
                found[item] = area.first_row
    layout = replace(
        check.layout,
        sheets=replace(
            check.layout.sheets, prior_inputs=sheets.get("py_in_", ""), prior_kpis=sheets.get("py_kpi_", "")
        ),
        py_input_rows=rows["py_in_"],
        py_kpi_rows=rows["py_kpi_"],
        change_rows=plan_change_rows(rows["py_kpi_"]),
    )
    return layout


def _prior_year(
    check: Check, layout: Layout, input_labels: dict[int, str], kpi_labels: dict[int, str]
) -> Iterator[Expected]:
    """The prior year's sheets (``_prior_located``): its inputs' periods, its KPIs, and each KPI's change
    against it."""
    _ = check.gettext
    catalog = check.catalog
    prior = layout.prior()
    yield from _prior_headings(check, layout)
    for input_id in prior.input_rows:
        for col, formula in input_period_formulas(catalog, prior, input_id).items():
            row = prior.input_rows[input_id]
            yield Expected(prior.sheets.inputs, row, col, formula, input_id, None, input_labels[col])
    if not all(i in prior.input_rows for i in catalog.inputs):
        return  # a KPI's formula reads a prior-year input the file no longer names
    for kpi_id in prior.kpi_rows:
        for col, formula in kpi_formulas(catalog, prior, kpi_id).items():
            yield Expected(prior.sheets.kpis, prior.kpi_rows[kpi_id], col, formula, None, kpi_id, kpi_labels[col])
        if kpi_id in check.layout.kpi_rows and check.layout.sheets.kpis:
            change = _("Change against the prior year")
            guarded = check.book.properties().get("layout_version") not in EARLIER_LAYOUTS  # no "-0.0" since 3
            for col, formula in change_formulas(catalog, layout, kpi_id, guarded=guarded).items():
                yield Expected(
                    prior.sheets.kpis, layout.change_rows[kpi_id], col, formula, None, kpi_id, kpi_labels[col], change
                )


def _prior_headings(check: Check, layout: Layout) -> Iterator[Expected]:
    """The month headings of the prior year's sheets (a year earlier) and of the change block (this
    year), two rows above each block's first row, as the writer places them."""
    _ = check.gettext
    if not {"first_month", "year"} <= layout.settings_rows.keys():
        return
    blocks: list[tuple[str, int, int, int, str]] = []
    if layout.py_input_rows and layout.sheets.prior_inputs:
        first = min(layout.py_input_rows.values()) - 2
        blocks.append((layout.sheets.prior_inputs, first, INPUT_GRID.month(0), 1, _("Prior year")))
    if layout.py_kpi_rows and layout.sheets.prior_kpis:
        first = min(layout.py_kpi_rows.values()) - 2
        blocks.append((layout.sheets.prior_kpis, first, KPI_GRID.month(0), 1, _("Prior year")))
        change = change_header_row(layout.py_kpi_rows)
        blocks.append((layout.sheets.prior_kpis, change, KPI_GRID.month(0), 0, _("Change against the prior year")))
    for sheet, row, first_col, back, part in blocks:
        for m in range(MONTHS):
            formula = month_label_formula(layout, m, years_back=back)
            yield Expected(sheet, row, first_col + m, formula, None, None, check.labels[m], part, False)


def _built_sheet_names(check: Check) -> SheetNames | None:
    """The sheet names the writer gave this workbook's language; None when its translation is unusable."""
    try:
        return sheet_names(check.messages)
    except CatalogError:
        return None


def _shown_layout(check: Check, built: SheetNames, located_prior: Layout) -> Layout:
    """The located layout (the prior year's too), with the sheets no defined name covers: the chart data
    where ``list_months`` points, the Dashboard and the Scorecard by their built names. A sheet not found
    (renamed, deleted) stays "" and its formulas are not compared. The chart data's prior-year rows are
    planned for a workbook of layout 3 or later only."""
    book = check.book
    chart_data = ""
    found = parse_target(book.defined_names().get("list_months", ""))
    if found is not None and book.is_worksheet(found.sheet):
        chart_data = found.sheet
    elif book.is_worksheet(built.chart_data):
        chart_data = built.chart_data
    dashboard = built.dashboard if book.is_worksheet(built.dashboard) else ""
    scorecard = built.scorecard if check.catalog.scorecard and book.is_worksheet(built.scorecard) else ""
    layout = located_prior
    sheets = replace(layout.sheets, chart_data=chart_data, dashboard=dashboard, scorecard=scorecard)
    labels_row = check.located.labels_row
    with_prior = "prior" in _card_shape(check).parts
    return replace(
        layout,
        sheets=sheets,
        chart_rows=plan_chart_rows(check.catalog),
        py_chart_rows=plan_prior_chart_rows(check.catalog) if with_prior else {},
        labels_row=labels_row if labels_row is not None else HEADER_ROW,
    )


def _card_shape(check: Check) -> CardShape:
    """The cards as the workbook's layout version built them (layouts 1 and 2: no prior-year row)."""
    return card_shape(check.book.properties().get("layout_version"))


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
        "prior": _("Dashboard card: vs prior year"),
        "ytd": _("Dashboard card: year to date"),
        "status": _("Dashboard card: status"),
    }
    shape = _card_shape(check)
    groups, _end = plan_cards(check.catalog, shape)
    for group in groups:
        for kpi_id, (top, left) in group.cards.items():
            where = {card_cell(top, left, part, shape): parts[part] for part in shape.parts}
            cards = card_formulas(check.catalog, layout, kpi_id, top, left, texts, shape)
            for (row, col), formula in cards.items():
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
    prior = _("Chart data: prior year")
    for kpi_id in catalog.kpis:
        for (row, col), formula in kpi_prior_formulas(layout, kpi_id).items():
            yield Expected(sheet, row, col, formula, None, kpi_id, months[col], prior)


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
