"""A filled workbook as plain data: what the user typed, found by defined names as the validator finds it.

Regenerate, export and consolidate all start here. The file is opened through the validator's
safe opening, identified by its document properties (or, when Google Sheets dropped them, by its
defined names) and located by its names, so rows a user inserted do not matter. Only typed cells
are read (inputs, settings, targets, tolerances), never computed ones, so a file saved without
calculated values (openpyxl and similar writers) reads the same as one LibreOffice saved.

A cell that is not a clean number (text, a date, a formula never calculated) is not guessed at:
it is kept as a ``Stray`` with what the cell shows, so a caller can carry it over or report it.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.errors import UnreadableWorkbook, UserError
from generator.formula.reference import parse_target
from generator.i18n import Messages
from generator.i18n.formats import month_names
from generator.template.layout import INPUT_GRID, MONTHS, SETTINGS_TOLERANCE_COL, SETTINGS_VALUE_COL
from generator.transfer.exact_kept import from_properties
from generator.validate.book import Book
from generator.validate.findings import Severity
from generator.validate.identify import TemplateInfo, recognise, template_catalog
from generator.validate.inputs import read_cell
from generator.validate.locate import locate
from generator.validate.safe_open import ReadLimits
from generator.workbook.sheet_carried import COLUMNS, NAME, CarriedRow, kind_texts, reason_texts

Value = float | None


@dataclass(frozen=True)
class Settings:
    """The Settings sheet's choices; None where the cell is empty or unreadable."""

    company: str | None = None
    year: int | None = None
    first_month: int | None = None
    currency: str | None = None


@dataclass(frozen=True)
class Stray:
    """A typed cell that holds something other than a number or a blank, kept as the user left it."""

    kind: str
    """"input", "prior-input", "target" or "tolerance"."""
    id: str
    """The input or KPI id."""
    month: int | None
    """Index 0-11 of the fiscal month for an input; None for a target or tolerance."""
    content: str
    """What the cell holds: the text, the date, or the formula typed there."""


@dataclass(frozen=True)
class Filled:
    """Everything a user typed into one workbook, by catalogue id."""

    path: Path
    catalog: Catalog
    """The catalogue the file was read against (its own version when that is bundled)."""
    catalog_id: str
    catalog_version: str
    locale: str
    settings: Settings
    inputs: dict[str, list[Value]]
    """Input id -> its 12 fiscal months (None for a blank); only inputs the file has."""
    targets: dict[str, Value]
    tolerances: dict[str, Value]
    """KPI id -> the monthly target and tolerance in the file (None for a blank), for KPIs that have them."""
    changed_targets: frozenset[str] = frozenset()
    changed_tolerances: frozenset[str] = frozenset()
    """KPIs whose target or tolerance differs from what the catalogue writes into a fresh workbook."""
    strays: tuple[Stray, ...] = ()
    carried: tuple[CarriedRow, ...] = ()
    """Rows of the file's own "Carried over" sheet (an earlier regeneration's leftovers), to carry again."""
    problems: tuple[str, ...] = ()
    """What could not be located (a deleted sheet or name): those parts are not in ``inputs``/``targets``."""
    inferred: bool = False
    """True when the document properties were lost and the template was recognised by its names."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Document properties beyond the identity (generator and layout version), for reports."""
    prior_inputs: dict[str, list[Value]] = field(default_factory=dict)
    """Input id -> the prior year's 12 fiscal months, from the ``py_in_`` names (none in a layout-1 file)."""
    exact: dict[str, list[Value]] = field(default_factory=dict)
    """Distinct input id -> its exact Q1-Q4 and year counts, kept by a raw import (``exact_kept``)."""
    stale_exact: tuple[str, ...] = ()
    """Inputs whose exact counts were dropped: their months changed after the raw import."""

    @property
    def has_data(self) -> bool:
        return any(v is not None for row in self.inputs.values() for v in row)


def default_target(catalog: Catalog, kpi_id: str, currency: str | None) -> Value:
    """The monthly target a fresh workbook in this currency carries for a KPI (what 'changed' is
    measured against); a money KPI's depends on the currency."""
    return catalog.target(catalog.kpis[kpi_id], currency or "")


def default_tolerance(catalog: Catalog, kpi_id: str) -> Value:
    """The tolerance a fresh workbook carries: the writer writes 0 where the catalogue has none."""
    return catalog.tolerance(catalog.kpis[kpi_id]) or 0.0


def same_number(a: Value, b: Value) -> bool:
    """Equal as typed numbers: both blank, or the same double up to the last digits a spreadsheet keeps."""
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def read_filled(
    path: Path | str, catalog: Path | None = None, limits: ReadLimits | None = None, *, book: Book | None = None
) -> Filled:
    """Read a filled workbook; UnreadableWorkbook (exit 3) when it cannot be opened or is not a template.

    ``catalog`` overrides the catalogue named by the file (``--catalog``); ``book`` reuses a
    Book already opened (the file is then not read again).
    """
    path = Path(path)
    label = str(path)
    if book is None:
        book = Book.open(path, limits or ReadLimits())
    info = TemplateInfo(book.properties())
    if info.get("catalog_id") is None and catalog is None:
        info = recognise(book) or info
    resolved = template_catalog(info, catalog, label)
    located, findings = locate(book, resolved, Messages("en", {}))
    if not located.inputs:
        reason = findings[0].message if findings else "none of its inputs could be located"
        raise UnreadableWorkbook(f"{label}: cannot read its data: {reason}")
    layout = located.layout
    strays: list[Stray] = []

    inputs: dict[str, list[Value]] = {}
    for input_id in resolved.inputs:
        if input_id not in located.inputs:
            continue
        row = layout.input_rows[input_id]
        values: list[Value] = []
        for m in range(MONTHS):
            number, stray = _typed(book, layout.sheets.inputs, row, INPUT_GRID.month(m))
            values.append(number)
            if stray is not None:
                strays.append(Stray("input", input_id, m, stray))
        inputs[input_id] = values

    targets: dict[str, Value] = {}
    tolerances: dict[str, Value] = {}
    for kpi_id, kpi in resolved.kpis.items():
        if kpi.better is Better.INFO or kpi_id not in located.targets:
            continue
        row = layout.target_rows[kpi_id]
        for kind, col, store in (
            ("target", SETTINGS_VALUE_COL, targets),
            ("tolerance", SETTINGS_TOLERANCE_COL, tolerances),
        ):
            number, stray = _typed(book, layout.sheets.settings, row, col)
            store[kpi_id] = number
            if stray is not None:
                strays.append(Stray(kind, kpi_id, None, stray))

    prior_inputs = _prior_inputs(book, resolved, strays)
    exact, stale = from_properties(book.properties(), inputs)
    locale = info.locale
    settings = _settings(book, located.layout.settings_rows, layout.sheets.settings, locale, info)
    return Filled(
        path=path,
        catalog=resolved,
        catalog_id=resolved.id,
        catalog_version=info.get("catalog_version") or resolved.version,
        locale=locale,
        settings=settings,
        inputs=inputs,
        targets=targets,
        tolerances=tolerances,
        changed_targets=frozenset(
            k for k, v in targets.items() if not same_number(v, default_target(resolved, k, settings.currency))
        ),
        changed_tolerances=frozenset(
            k for k, v in tolerances.items() if not same_number(v, default_tolerance(resolved, k))
        ),
        strays=tuple(strays),
        carried=_carried(book, locale),
        problems=tuple(f.message for f in findings if f.severity is Severity.ERROR),
        inferred=info.inferred,
        extra={k: v for k, v in info.as_dict().items() if k in ("generator_version", "layout_version")},
        prior_inputs=prior_inputs,
        exact=exact,
        stale_exact=tuple(stale),
    )


def _prior_inputs(book: Book, catalog: Catalog, strays: list[Stray]) -> dict[str, list[Value]]:
    """The prior year's typed months by input id, found by their ``py_in_`` names; a cell that is
    not a number is kept as a stray of kind "prior-input"."""
    names = book.defined_names()
    found: dict[str, list[Value]] = {}
    for input_id in catalog.inputs:
        area = parse_target(names.get(f"py_in_{input_id}", ""))
        if area is None or not book.is_worksheet(area.sheet) or len(area.cells()) != MONTHS:
            continue
        row: list[Value] = []
        for m, (r, c) in enumerate(area.cells()):
            number, stray = _typed(book, area.sheet, r, c)
            row.append(number)
            if stray is not None:
                strays.append(Stray("prior-input", input_id, m, stray))
        found[input_id] = row
    return found


def _typed(book: Book, sheet: str, row: int, col: int) -> tuple[Value, str | None]:
    """A typed cell: its number, or None and what it holds when that is not a clean number.

    A formula the user typed counts by its calculated value when the file has one; without one
    (a writer that does not calculate) it is kept as a stray rather than guessed.
    """
    shown = book.value(sheet, row, col)
    if shown is None:
        typed = book.formula(sheet, row, col)
        if isinstance(typed, str) and typed.startswith("="):
            return None, typed
        return None, None
    found = read_cell(shown)
    if found.problem is None:
        return found.number, None
    return None, str(shown)


def _settings(book: Book, rows: dict[str, int], sheet: str, locale: str, info: TemplateInfo) -> Settings:
    """Company, year, first month and currency; the properties stand in for a cell that cannot be read."""
    if not sheet or not book.has_sheet(sheet):
        return Settings(first_month=info.first_month, currency=info.get("currency"))

    def at(name: str) -> Any:
        return book.value(sheet, rows[name], SETTINGS_VALUE_COL) if name in rows else None

    company = at("company")
    year = at("year")
    currency = at("currency")
    return Settings(
        company=(str(company).strip() or None) if company is not None else None,
        year=_whole(year),
        first_month=_first_month(book, at("first_month"), locale) or info.first_month,
        currency=(currency.strip().upper() or None) if isinstance(currency, str) else info.get("currency"),
    )


def _whole(value: Any) -> int | None:
    """A whole number typed into a cell (a year), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return None


def _first_month(book: Book, chosen: Any, locale: str) -> int | None:
    """The first fiscal month (1-12) from the name picked in the drop-down (or a number typed there)."""
    if isinstance(chosen, int | float) and not isinstance(chosen, bool):
        return int(chosen) if float(chosen).is_integer() and 1 <= chosen <= 12 else None
    if not isinstance(chosen, str) or not chosen.strip():
        return None
    wanted = chosen.strip().casefold()
    candidates = [_named_list(book, "list_months")]
    with contextlib.suppress(UserError):  # an unknown locale code: the file's own list decides
        candidates.append(month_names(locale, "wide"))
    for names in candidates:
        folded = [n.casefold() for n in names]
        if wanted in folded:
            return folded.index(wanted) + 1
    return None


def _named_list(book: Book, name: str) -> list[str]:
    """Twelve texts from a defined name (the month names the workbook keeps), or []."""
    found = parse_target(book.defined_names().get(name, ""))
    if found is None or not book.has_sheet(found.sheet):
        return []
    texts = [book.value(found.sheet, row, col) for row, col in found.cells()]
    return [t.strip() for t in texts] if len(texts) == MONTHS and all(isinstance(t, str) for t in texts) else []


def _carried(book: Book, locale: str) -> tuple[CarriedRow, ...]:
    """The rows of a "Carried over" sheet, found by its defined name; none when the file has none.
    A reason worded in the workbook's language reads back as its code, so it can be acted on."""
    from generator.validate.identify import load_messages

    gettext = load_messages(locale).gettext
    codes = {text: code for code, text in reason_texts(gettext).items()}
    kinds = {text: code for code, text in kind_texts(gettext).items()}
    found = parse_target(book.defined_names().get(NAME, ""))
    if found is None or not book.has_sheet(found.sheet) or found.last_col - found.first_col + 1 != COLUMNS:
        return ()
    rows = []
    for row in range(found.first_row, found.last_row + 1):
        cells = [book.value(found.sheet, row, col) for col in range(found.first_col, found.last_col + 1)]
        kind, item, name, month, value, why = ("" if c is None else c for c in cells)
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        shown = number if number is not None else (str(value) if value != "" else None)
        rows.append(
            CarriedRow(
                kinds.get(str(kind), str(kind)), str(item), str(name), str(month), shown, codes.get(str(why), str(why))
            )
        )
    return tuple(rows)
