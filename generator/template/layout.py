"""Where everything lives in a generated workbook: one object for the writer and the validator.

The writer places cells where the layout says and names them; the validator rebuilds the same
layout from the names it finds in a filled file (rows may have moved), so both compute the
same addresses and the same expected formulas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Protocol

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.errors import CatalogError
from generator.formula.address import cell, quote_sheet

LAYOUT_VERSION = "3"
"""Stored in every workbook (``layout_version``); the validator warns about another one.
2: the prior year's sheets (``py_in_``, ``py_kpi_``). 3: the Dashboard cards' change against the prior
year (a card is a row taller) and the charts' prior-year series (rows below the chart data's others)."""
EARLIER_LAYOUTS = ("1", "2")
"""Layouts of earlier releases the validator still checks as they were built (their cards and change
formulas), so a user's older workbook gets no false findings."""
MONTHS = 12
QUARTERS = 4


@dataclass(frozen=True)
class SheetNames:
    start: str
    settings: str
    inputs: str
    kpis: str
    dashboard: str
    definitions: str
    scorecard: str
    chart_data: str
    prior_inputs: str = ""
    prior_kpis: str = ""
    """The prior year's inputs and KPIs (with the change against it): the same rows and columns as
    the current year's sheets, so one set of formulas serves both years."""

    @classmethod
    def only(cls, **known: str) -> SheetNames:
        """Names for the roles a reader found in a file; the other roles stay empty."""
        return cls(**{f.name: known.get(f.name, "") for f in fields(cls)})

    def all(self) -> list[str]:
        return [
            self.start,
            self.settings,
            self.inputs,
            self.kpis,
            self.dashboard,
            self.definitions,
            self.scorecard,
            self.chart_data,
            self.prior_inputs,
            self.prior_kpis,
        ]


_FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")


class Translator(Protocol):
    """What naming the sheets needs of a language: the writer's ``Texts`` or the validator's ``Messages``."""

    @property
    def locale(self) -> str: ...

    def gettext(self, message: str) -> str: ...


def sheet_names(texts: Translator) -> SheetNames:
    """Localised sheet names, refused when a translation breaks Excel's rules."""
    _ = texts.gettext
    names = SheetNames(
        start=_("Start"),
        settings=_("Settings"),
        inputs=_("Inputs"),
        kpis=_("KPIs"),
        dashboard=_("Dashboard"),
        definitions=_("Definitions"),
        scorecard=_("Scorecard"),
        chart_data=_("Chart data"),
        prior_inputs=_("Prior year"),
        prior_kpis=_("Prior-year KPIs"),
    )
    seen: set[str] = set()
    for name in names.all():
        problem = ""
        if not name.strip() or len(name) > 31:
            problem = "must have 1 to 31 characters"
        elif set(name) & _FORBIDDEN_IN_SHEET_NAMES:
            problem = "must not contain any of [ ] : * ? / \\"
        elif name.startswith("'") or name.endswith("'"):
            problem = "must not start or end with an apostrophe"
        elif name.casefold() in seen:
            problem = "is used for two sheets"
        if problem:
            raise CatalogError([f"locale '{texts.locale}': sheet name {name!r} {problem}; fix its translation"])
        seen.add(name.casefold())
    return names


@dataclass(frozen=True)
class Grid:
    """Columns of a month table: label columns, 12 months, 4 quarters, year-to-date."""

    first_month: int
    """Column of the first fiscal month."""

    def month(self, index: int) -> int:
        return self.first_month + index

    def quarter(self, index: int) -> int:
        return self.first_month + MONTHS + index

    @property
    def ytd(self) -> int:
        return self.first_month + MONTHS + QUARTERS

    def quarter_months(self, index: int) -> tuple[int, int]:
        """First and last month column of a quarter."""
        return self.month(3 * index), self.month(3 * index + 2)


INPUT_GRID = Grid(first_month=3)  # A margin, B name, C unit, D..O months, P..S quarters, T YTD
KPI_GRID = Grid(first_month=4)  # A margin, B number, C name, D unit, E..P months, Q..T quarters, U YTD
INPUT_HELP_COL = INPUT_GRID.ytd + 1
KPI_LATEST_COL = KPI_GRID.ytd + 1
KPI_TARGET_COL = KPI_GRID.ytd + 2
KPI_TOLERANCE_COL = KPI_GRID.ytd + 3
KPI_STATUS_COL = KPI_GRID.ytd + 4
"""Target and tolerance are mirrored on the KPI sheet so its conditional formats refer to their own
sheet only: Google Sheets ignores a conditional format that reads another sheet."""
HEADER_ROW = 4
CHANGE_GAP = 3
"""Rows between the last prior-year KPI and the header of the change block below it."""
SETTINGS_VALUE_COL = 3  # D: company, year, first month, currency; then target and tolerance columns
SETTINGS_TOLERANCE_COL = 4
SETTINGS_FIELDS = ("company", "year", "first_month", "currency")
SETTINGS_FIRST_ROW = 4
SETTINGS_TARGET_HEADER = SETTINGS_FIRST_ROW + len(SETTINGS_FIELDS) + 2


@dataclass
class Layout:
    """Rows of every input, KPI and target; columns are fixed by the grids above."""

    sheets: SheetNames
    input_rows: dict[str, int] = field(default_factory=dict)
    input_group_rows: dict[str, int] = field(default_factory=dict)
    kpi_rows: dict[str, int] = field(default_factory=dict)
    kpi_group_rows: dict[str, int] = field(default_factory=dict)
    target_rows: dict[str, int] = field(default_factory=dict)
    chart_rows: dict[str, int] = field(default_factory=dict)
    py_chart_rows: dict[str, int] = field(default_factory=dict)
    """Rows of each KPI's prior-year months on the chart-data sheet, below every ``chart_rows`` row."""
    settings_rows: dict[str, int] = field(default_factory=dict)
    labels_row: int = HEADER_ROW
    """Row of the month labels on the Inputs sheet (``month_labels``)."""
    py_input_rows: dict[str, int] = field(default_factory=dict)
    py_kpi_rows: dict[str, int] = field(default_factory=dict)
    """Rows of the prior year's inputs and KPIs on their own sheets (``py_in_``, ``py_kpi_``)."""
    change_rows: dict[str, int] = field(default_factory=dict)
    """Rows of each KPI's change against the prior year, below the prior-year KPIs."""

    def prior(self) -> Layout:
        """The prior year seen as a year of its own: its sheets in the roles of Inputs and KPIs, its
        rows as the input and KPI rows, so the current year's formulas serve it unchanged."""
        from dataclasses import replace

        sheets = replace(self.sheets, inputs=self.sheets.prior_inputs, kpis=self.sheets.prior_kpis)
        return replace(self, sheets=sheets, input_rows=self.py_input_rows, kpi_rows=self.py_kpi_rows)

    @classmethod
    def plan(cls, catalog: Catalog, sheets: SheetNames) -> Layout:
        """The layout of a fresh workbook: groups in catalogue order, one row per item."""
        layout = cls(sheets)
        row = HEADER_ROW + 1
        for category in catalog.categories:
            specs = catalog.inputs_in(category)
            if specs:
                layout.input_group_rows[category] = row
                row += 1
                for spec in specs:
                    layout.input_rows[spec.id] = row
                    row += 1
        row = HEADER_ROW + 1
        for category in catalog.categories:
            kpis = catalog.kpis_in(category)
            if kpis:
                layout.kpi_group_rows[category] = row
                row += 1
                for kpi in kpis:
                    layout.kpi_rows[kpi.id] = row
                    row += 1
        for i, name in enumerate(SETTINGS_FIELDS):
            layout.settings_rows[name] = SETTINGS_FIRST_ROW + i
        row = SETTINGS_TARGET_HEADER + 1
        for kpi in catalog.kpis.values():
            if kpi.better is not Better.INFO:
                layout.target_rows[kpi.id] = row
                row += 1
        layout.chart_rows = plan_chart_rows(catalog)
        layout.py_chart_rows = plan_prior_chart_rows(catalog)
        layout.py_input_rows = dict(layout.input_rows)
        layout.py_kpi_rows = dict(layout.kpi_rows)
        layout.change_rows = plan_change_rows(layout.kpi_rows)
        return layout

    @classmethod
    def from_names(cls, rows: Mapping[str, tuple[str, int]], sheets: SheetNames | None = None) -> Layout:
        """The layout of a filled workbook, from its defined names: name -> (sheet, 0-based first row).

        Excel moves a name with its cells when a user inserts rows or moves a block, so the rows
        come from the names (``in_``, ``kpi_``, ``target_``, ``set_``) while the columns stay the
        grids'. Sheet names come from the same names unless given; roles no name covers stay "".
        """
        roles = {
            "in_": "inputs",
            "kpi_": "kpis",
            "target_": "settings",
            "set_": "settings",
            "py_in_": "prior_inputs",
            "py_kpi_": "prior_kpis",
        }
        if sheets is None:
            found: dict[str, str] = {}
            for name, (sheet, _row) in rows.items():
                for prefix, role in roles.items():
                    if name.startswith(prefix):
                        found.setdefault(role, sheet)
            sheets = SheetNames.only(**found)
        layout = cls(sheets)
        targets = {
            "in_": layout.input_rows,
            "kpi_": layout.kpi_rows,
            "target_": layout.target_rows,
            "set_": layout.settings_rows,
            "py_in_": layout.py_input_rows,
            "py_kpi_": layout.py_kpi_rows,
        }
        for name, (_sheet, row) in rows.items():
            for prefix, rows_of in targets.items():
                if name.startswith(prefix):  # no prefix starts another: one match at most
                    rows_of[name[len(prefix) :]] = row
                    break
        return layout

    # Addresses, as formula text (sheet-qualified, absolute where a copy must not shift them).

    def input_cell(self, input_id: str, col: int) -> str:
        return quote_sheet(self.sheets.inputs) + cell(self.input_rows[input_id], col)

    def kpi_cell(self, kpi_id: str, col: int) -> str:
        return quote_sheet(self.sheets.kpis) + cell(self.kpi_rows[kpi_id], col)

    def target_cell(self, kpi_id: str) -> str:
        return quote_sheet(self.sheets.settings) + cell(self.target_rows[kpi_id], SETTINGS_VALUE_COL, absolute=True)

    def tolerance_cell(self, kpi_id: str) -> str:
        return quote_sheet(self.sheets.settings) + cell(self.target_rows[kpi_id], SETTINGS_TOLERANCE_COL, absolute=True)

    def setting_cell(self, name: str) -> str:
        return quote_sheet(self.sheets.settings) + cell(self.settings_rows[name], SETTINGS_VALUE_COL, absolute=True)

    def month_label_cell(self, index: int) -> str:
        return quote_sheet(self.sheets.inputs) + cell(self.labels_row, INPUT_GRID.month(index), absolute=True)

    def row_range(self, sheet: str, row: int, first: int, last: int) -> str:
        return quote_sheet(sheet) + cell(row, first, absolute=True) + ":" + cell(row, last, absolute=True)


def change_header_row(kpi_rows: Mapping[str, int]) -> int:
    """Header row of the change block on the prior-year KPI sheet, below its last KPI."""
    return max(kpi_rows.values(), default=HEADER_ROW) + CHANGE_GAP


def plan_change_rows(kpi_rows: Mapping[str, int]) -> dict[str, int]:
    """Each KPI's change row: the prior-year KPI block repeated below itself, header for header."""
    shift = change_header_row(kpi_rows) - HEADER_ROW
    return {kpi_id: row + shift for kpi_id, row in kpi_rows.items()}


def plan_chart_rows(catalog: Catalog) -> dict[str, int]:
    """Rows of the hidden chart-data sheet: each KPI's months, then its target line, in catalogue order.

    The sheet is hidden and protected, so these rows do not move: the validator plans them as the writer did.
    """
    return {kpi_id: 2 + 2 * i for i, kpi_id in enumerate(catalog.kpis)}


def plan_prior_chart_rows(catalog: Catalog) -> dict[str, int]:
    """Rows of the chart-data sheet's prior-year months, one per KPI after the last target row: the rows
    above keep the places they had before layout 3."""
    first = 2 + 2 * len(catalog.kpis)
    return {kpi_id: first + i for i, kpi_id in enumerate(catalog.kpis)}


def defined_names(layout: Layout) -> dict[str, str]:
    """Every name the workbook defines, name -> absolute range; the validator's map of the file."""
    names: dict[str, str] = {}
    inputs, kpis = layout.sheets.inputs, layout.sheets.kpis
    for input_id, row in layout.input_rows.items():
        names[f"in_{input_id}"] = layout.row_range(inputs, row, INPUT_GRID.month(0), INPUT_GRID.month(MONTHS - 1))
        names[f"inq_{input_id}"] = layout.row_range(inputs, row, INPUT_GRID.quarter(0), INPUT_GRID.quarter(3))
        names[f"inytd_{input_id}"] = layout.row_range(inputs, row, INPUT_GRID.ytd, INPUT_GRID.ytd)
    for kpi_id, row in layout.kpi_rows.items():
        names[f"kpi_{kpi_id}"] = layout.row_range(kpis, row, KPI_GRID.month(0), KPI_GRID.month(MONTHS - 1))
        names[f"kpiq_{kpi_id}"] = layout.row_range(kpis, row, KPI_GRID.quarter(0), KPI_GRID.quarter(3))
        names[f"kpiytd_{kpi_id}"] = layout.row_range(kpis, row, KPI_GRID.ytd, KPI_GRID.ytd)
        names[f"status_{kpi_id}"] = layout.row_range(kpis, row, KPI_STATUS_COL, KPI_STATUS_COL)
    for kpi_id in layout.target_rows:
        names[f"target_{kpi_id}"] = layout.target_cell(kpi_id)
        names[f"tolerance_{kpi_id}"] = layout.tolerance_cell(kpi_id)
    for name in SETTINGS_FIELDS:
        names[f"set_{name}"] = layout.setting_cell(name)
    prior_inputs, prior_kpis = layout.sheets.prior_inputs, layout.sheets.prior_kpis
    if prior_inputs:
        for input_id, row in layout.py_input_rows.items():
            names[f"py_in_{input_id}"] = layout.row_range(
                prior_inputs, row, INPUT_GRID.month(0), INPUT_GRID.month(MONTHS - 1)
            )
    if prior_kpis:
        for kpi_id, row in layout.py_kpi_rows.items():
            names[f"py_kpi_{kpi_id}"] = layout.row_range(prior_kpis, row, KPI_GRID.month(0), KPI_GRID.month(MONTHS - 1))
    names["month_labels"] = layout.row_range(
        inputs, layout.labels_row, INPUT_GRID.month(0), INPUT_GRID.month(MONTHS - 1)
    )
    return names
