"""Where the Dashboard's cells are, and the formulas they carry, from the catalogue and the layout.

The company line, the month selector's helpers, the hint beside it, and each KPI card (value,
target, change on the previous month, change against the prior year, year to date, status). The
writer writes these; the validator rebuilds them for the layout it finds and compares (the cards
of the layout version it finds, ``card_shape``), so a card a user typed over is found at its cell.
The selector itself (``SELECTOR_CELL``) is an input and holds no formula.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from generator.catalog import Catalog
from generator.catalog.model import Better, Unit
from generator.formula.address import cell
from generator.i18n.formats import NumberFormats
from generator.template import sheet_formulas
from generator.template.chart_data_formulas import latest_month
from generator.template.layout import EARLIER_LAYOUTS, KPI_GRID, Layout
from generator.template.sheet_formulas import RATIO_SMALLEST, status_expression

Cell = tuple[int, int]
"""A 0-based (row, column) on the Dashboard."""

CARDS_PER_ROW = 4
CARD_COLS = 3  # label, number, spacer
FIRST_CARD_ROW = 6
CHART_COL = 1 + CARDS_PER_ROW * CARD_COLS + 1
SELECTOR_ROW = 3
SELECTOR_CELL = cell(SELECTOR_ROW, 3, absolute=True)
"""The month a user picks ($D$4): typed, never a formula."""
INDEX_COL = 25
INDEX_CELL = cell(0, INDEX_COL, absolute=True)
"""Hidden helper ($Z$1): the selected month's position (1-12) in the fiscal year."""

COMPANY: Cell = (2, 1)
INDEX: Cell = (0, INDEX_COL)
SHOWN: Cell = (SELECTOR_ROW, 5)
"""The month the cards show ("▸ Apr 2026"), beside the selector."""
HINT: Cell = (SELECTOR_ROW, 7)
"""Where to start while no month has data; how the selector works after."""


@dataclass(frozen=True)
class CardShape:
    """A card's height and each formula's offset from its top-left cell."""

    rows: int
    parts: Mapping[str, Cell] = field(default_factory=dict)


CARD_SHAPE = CardShape(
    9, {"value": (1, 0), "target": (2, 1), "change": (3, 1), "prior": (4, 1), "ytd": (5, 1), "status": (6, 0)}
)
"""Rows: title, value, target, change on the previous month, change against the prior year, year to
date, status, sparkline, gap."""
CARD_SHAPE_BEFORE_3 = CardShape(
    8, {"value": (1, 0), "target": (2, 1), "change": (3, 1), "ytd": (4, 1), "status": (5, 0)}
)
"""The cards of layouts 1 and 2, without the prior year: the validator still reads those workbooks."""
CARD_ROWS = CARD_SHAPE.rows
CARD_PARTS = CARD_SHAPE.parts


def card_shape(layout_version: str | None) -> CardShape:
    """The card shape a workbook of ``layout_version`` was built with (none recorded: today's)."""
    return CARD_SHAPE_BEFORE_3 if layout_version in EARLIER_LAYOUTS else CARD_SHAPE


def card_cell(top: int, left: int, part: str, shape: CardShape = CARD_SHAPE) -> Cell:
    down, right = shape.parts[part]
    return top + down, left + right


@dataclass(frozen=True)
class DashboardTexts:
    """The words and thresholds the Dashboard's formulas carry, in the workbook's language and currency."""

    hint: str
    """Shown while no month has data; names the Inputs sheet as built."""
    usage: str
    """Shown once a month has data."""
    smallest: Mapping[str, float]
    """KPI id -> half a unit of the last decimal its card shows (a smaller change shows as 0, never "-0");
    a KPI missing here gets no change formula."""


def dashboard_texts(
    gettext: Callable[[str], str], inputs_sheet: str, catalog: Catalog, numbers: NumberFormats, *, money: bool = True
) -> DashboardTexts:
    """The Dashboard's words in a language, its hint naming the Inputs sheet as built, and each KPI's smallest
    change shown in the workbook's number formats; without ``money`` (the currency is unknown) a money KPI
    gets none."""
    _ = gettext
    hint = _("No figures yet: start on the {sheet} sheet by typing each month's figures in the yellow cells.")
    usage = _(
        "Leave the month empty to follow the latest month with data. The bars under each card show the whole year."
    )
    smallest = {
        kpi.id: numbers.smallest_shown(kpi.unit, kpi.decimals)
        for kpi in catalog.kpis.values()
        if money or kpi.unit is not Unit.CURRENCY
    }
    return DashboardTexts(hint.format(sheet=inputs_sheet), usage, smallest)


@dataclass(frozen=True)
class CardGroup:
    """A category's heading row and where each of its KPI cards starts (top row, left column)."""

    category: str
    row: int
    cards: dict[str, tuple[int, int]]


def plan_cards(catalog: Catalog, shape: CardShape = CARD_SHAPE) -> tuple[list[CardGroup], int]:
    """Where the cards go: four to a row under each category heading (categories with KPIs, in catalogue
    order), the category's chart beside them; and the first row after the last group."""
    card_rows = shape.rows
    groups = []
    row = FIRST_CARD_ROW
    for category_id in catalog.categories:
        kpis = catalog.kpis_in(category_id)
        if not kpis:
            continue
        cards = {
            kpi.id: (row + 1 + (i // CARDS_PER_ROW) * card_rows, 1 + (i % CARDS_PER_ROW) * CARD_COLS)
            for i, kpi in enumerate(kpis)
        }
        groups.append(CardGroup(category_id, row, cards))
        row += 1 + max(-(-len(kpis) // CARDS_PER_ROW) * card_rows, 15)
    return groups, row


def excel_text(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


def no_data(layout: Layout) -> str:
    """True while no month has any input typed."""
    return f"{latest_month(layout)}=0"


def header_formulas(layout: Layout, texts: DashboardTexts) -> dict[Cell, str]:
    """The company line (when the Settings row is known), the selected month's index, the month shown, the hint."""
    formulas: dict[Cell, str] = {}
    if "company" in layout.settings_rows:
        formulas[COMPANY] = "=" + layout.setting_cell("company")
    latest = latest_month(layout)
    empty = no_data(layout)
    formulas[INDEX] = f"=IFERROR(MATCH({SELECTOR_CELL},month_labels,0),MAX(1,{latest}))"
    formulas[SHOWN] = f'=IF({empty},"",IFERROR("▸ "&INDEX(month_labels,{INDEX_CELL}),""))'
    formulas[HINT] = f"=IF({empty},{excel_text(texts.hint)},{excel_text(texts.usage)})"
    return formulas


def change_formula(value: str, previous: str, smallest: float) -> str:
    """The change on the previous month; one too small to show is 0, so the card never reads "-0"."""
    half = f"{smallest:.12f}".rstrip("0")
    difference = f"{value}-{previous}"
    return (
        f"=IF({INDEX_CELL}>1,IF(AND(ISNUMBER({value}),ISNUMBER({previous})),"
        f'IF(ABS({difference})<{half},0,{difference}),""),"")'
    )


def card_formulas(
    catalog: Catalog,
    layout: Layout,
    kpi_id: str,
    top: int,
    left: int,
    texts: DashboardTexts,
    shape: CardShape = CARD_SHAPE,
) -> dict[Cell, str]:
    """A KPI card's formulas by cell (``CardShape.parts``). An informational KPI has no target or status;
    the year to date needs the KPI's row, the change its threshold; the prior year's change (a shape
    with it) reads ``py_kpi_<kpi>``."""
    kpi = catalog.kpis[kpi_id]
    months = f"kpi_{kpi_id}"
    value_at = card_cell(top, left, "value", shape)
    value = cell(*value_at)
    formulas = {value_at: f'=IFERROR(INDEX({months},{INDEX_CELL}),"")'}
    if kpi.better is not Better.INFO:
        target = f"target_{kpi_id}"
        formulas[card_cell(top, left, "target", shape)] = f'=IF(ISNUMBER({target}),{target},"")'
    if kpi_id in texts.smallest:
        previous = f"INDEX({months},{INDEX_CELL}-1)"
        formulas[card_cell(top, left, "change", shape)] = change_formula(value, previous, texts.smallest[kpi_id])
    if "prior" in shape.parts:  # a percentage's threshold needs no currency, a relative change none
        before = f"INDEX(py_kpi_{kpi_id},{INDEX_CELL})"
        smallest = texts.smallest.get(kpi_id, RATIO_SMALLEST)
        prior = sheet_formulas.change_formula(kpi.unit, value, before, smallest)
        formulas[card_cell(top, left, "prior", shape)] = prior
    if kpi_id in layout.kpi_rows:
        formulas[card_cell(top, left, "ytd", shape)] = "=" + layout.kpi_cell(kpi_id, KPI_GRID.ytd)
    if kpi.better is not Better.INFO:
        status = status_expression(
            value, f"target_{kpi_id}", f"tolerance_{kpi_id}", kpi.better, points=catalog.points(kpi_id)
        )
        formulas[card_cell(top, left, "status", shape)] = "=" + status
    return formulas
