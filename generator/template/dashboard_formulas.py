"""Where the Dashboard's cells are, and the formulas they carry, from the catalogue and the layout.

The company line, the month selector's helpers, the hint beside it, and each KPI card (value,
target, change on the previous month, year to date, status). The writer writes these; the
validator rebuilds them for the layout it finds and compares, so a card a user typed over is
found at its cell. The selector itself (``SELECTOR_CELL``) is an input and holds no formula.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from generator.catalog import Catalog
from generator.catalog.model import Better, Unit
from generator.formula.address import cell
from generator.i18n.formats import NumberFormats
from generator.template.chart_data_formulas import latest_month
from generator.template.layout import KPI_GRID, Layout
from generator.template.sheet_formulas import status_expression

Cell = tuple[int, int]
"""A 0-based (row, column) on the Dashboard."""

CARDS_PER_ROW = 4
CARD_COLS = 3  # label, number, spacer
CARD_ROWS = 8  # title, value, target, change, year to date, status, sparkline, gap
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

CARD_PARTS: dict[str, Cell] = {"value": (1, 0), "target": (2, 1), "change": (3, 1), "ytd": (4, 1), "status": (5, 0)}
"""Each card formula's offset from the card's top-left cell (rows: title, value, target, change, year to date,
status)."""


def card_cell(top: int, left: int, part: str) -> Cell:
    down, right = CARD_PARTS[part]
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


def plan_cards(catalog: Catalog) -> tuple[list[CardGroup], int]:
    """Where the cards go: four to a row under each category heading (categories with KPIs, in catalogue
    order), the category's chart beside them; and the first row after the last group."""
    groups = []
    row = FIRST_CARD_ROW
    for category_id in catalog.categories:
        kpis = catalog.kpis_in(category_id)
        if not kpis:
            continue
        cards = {
            kpi.id: (row + 1 + (i // CARDS_PER_ROW) * CARD_ROWS, 1 + (i % CARDS_PER_ROW) * CARD_COLS)
            for i, kpi in enumerate(kpis)
        }
        groups.append(CardGroup(category_id, row, cards))
        row += 1 + max(-(-len(kpis) // CARDS_PER_ROW) * CARD_ROWS, 15)
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
    catalog: Catalog, layout: Layout, kpi_id: str, top: int, left: int, texts: DashboardTexts
) -> dict[Cell, str]:
    """A KPI card's formulas by cell (``CARD_PARTS``). An informational KPI has no target or status; the
    year to date needs the KPI's row, the change its threshold."""
    kpi = catalog.kpis[kpi_id]
    months = f"kpi_{kpi_id}"
    value_at = card_cell(top, left, "value")
    value = cell(*value_at)
    formulas = {value_at: f'=IFERROR(INDEX({months},{INDEX_CELL}),"")'}
    if kpi.better is not Better.INFO:
        target = f"target_{kpi_id}"
        formulas[card_cell(top, left, "target")] = f'=IF(ISNUMBER({target}),{target},"")'
    if kpi_id in texts.smallest:
        previous = f"INDEX({months},{INDEX_CELL}-1)"
        formulas[card_cell(top, left, "change")] = change_formula(value, previous, texts.smallest[kpi_id])
    if kpi_id in layout.kpi_rows:
        formulas[card_cell(top, left, "ytd")] = "=" + layout.kpi_cell(kpi_id, KPI_GRID.ytd)
    if kpi.better is not Better.INFO:
        status = status_expression(
            value, f"target_{kpi_id}", f"tolerance_{kpi_id}", kpi.better, points=catalog.points(kpi_id)
        )
        formulas[card_cell(top, left, "status")] = "=" + status
    return formulas
