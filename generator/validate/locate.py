"""Where a template's parts are in a filled file, found by its defined names.

A reader never guesses addresses: the writer names every block, Excel and LibreOffice move the
names with the cells when a user inserts rows, so the rows come from the names and the columns
from the layout's grids. What cannot be found is reported once and skipped, never a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.catalog import Catalog
from generator.catalog.model import Better
from generator.formula.reference import Area, parse_target
from generator.i18n import Messages
from generator.template.layout import MONTHS, Layout, SheetNames, defined_names
from generator.template.options import YEAR_MAX, YEAR_MIN
from generator.validate.book import Book
from generator.validate.context import Located, kpi_name, pick
from generator.validate.findings import Code, Finding, Severity, brief
from generator.validate.identify import TemplateInfo
from generator.validate.per_template import PerTemplate

_GROUP_OVER = 10
"""More problems of one kind than this are reported as one finding, not a screenful."""


@dataclass(frozen=True)
class _Item:
    """One thing the validator needs a row for, and the names that give it (the first is the main one)."""

    kind: str  # "input", "kpi", "target", "setting", "labels"
    id: str
    names: tuple[str, ...]


_target = functools.lru_cache(maxsize=4096)(parse_target)
"""``parse_target`` kept by the name's text: a file of a template names the same blocks as the last."""


@functools.lru_cache(maxsize=8)
def _items(catalog: Catalog) -> tuple[_Item, ...]:
    """What the template names, per catalogue object (as ``_shapes``)."""
    items = [_Item("input", i, (f"in_{i}", f"inq_{i}", f"inytd_{i}")) for i in catalog.inputs]
    items += [_Item("kpi", k, (f"kpi_{k}", f"kpiq_{k}", f"kpiytd_{k}", f"status_{k}")) for k in catalog.kpis]
    items += [
        _Item("target", k, (f"target_{k}", f"tolerance_{k}"))
        for k, kpi in catalog.kpis.items()
        if kpi.better is not Better.INFO
    ]
    items += [_Item("setting", s, (f"set_{s}",)) for s in ("company", "year", "first_month", "currency")]
    items.append(_Item("labels", "month_labels", ("month_labels",)))
    return tuple(items)


@functools.lru_cache(maxsize=8)
def _shapes(catalog: Catalog) -> dict[str, Area]:
    """Every name's cells in a fresh workbook: the columns and height each must keep. Kept per catalogue
    object (compared by identity, and held while kept; ``identify.load_bundled`` gives the same one for
    every file of a bundled catalogue); read only."""
    placeholder = SheetNames(*(["x"] * 8))
    shapes = {}
    for name, target in defined_names(Layout.plan(catalog, placeholder)).items():
        found = parse_target(target)
        assert found is not None, target
        shapes[name] = found
    return shapes


def has_cells(book: Book, sheet: str) -> bool:
    """Whether ``sheet`` is a worksheet: a chart sheet may carry a data sheet's name, but holds no cells."""
    return book.is_worksheet(sheet)


def _same_shape(found: Area, expected: Area) -> bool:
    return (
        found.first_col == expected.first_col
        and found.last_col == expected.last_col
        and found.last_row - found.first_row == expected.last_row - expected.first_row
    )


_ROLE = {"input": "inputs", "kpi": "kpis", "target": "settings", "setting": "settings", "labels": "inputs"}


def _describer(catalog: Catalog, messages: Messages) -> Callable[[_Item], str]:
    _ = messages.gettext

    def describe(item: _Item) -> str:
        if item.kind == "input":
            return _('Input "{name}"').format(name=pick(catalog.inputs[item.id].name, messages.locale, catalog))
        if item.kind in ("kpi", "target"):
            return _('KPI "{name}"').format(name=kpi_name(catalog, item.id, messages.locale))
        if item.kind == "setting":
            return _("Setting {name}").format(name=item.id)
        return _("The month labels")

    return describe


@dataclass
class _Sorted:
    """The template's names as the file holds them, sorted by what is wrong with each."""

    absent: list[tuple[str, _Item]] = field(default_factory=list)
    broken: list[tuple[str, _Item, str]] = field(default_factory=list)
    moved: list[tuple[str, _Item, Area]] = field(default_factory=list)
    lost_sheets: dict[str, list[str]] = field(default_factory=dict)
    good: dict[str, Area] = field(default_factory=dict)


def locate(book: Book, catalog: Catalog, messages: Messages) -> tuple[Located, list[Finding]]:
    """The file's layout from its defined names, and a finding for each name that is missing or wrong.

    Kept per template (as ``planned`` keeps its formulas): the answer depends only on the catalogue and
    texts (by identity, held by the entry), the sheets, and the text of each name the template needs.
    Each caller gets containers of its own; the layout is shared, and nothing changes a layout."""
    names = book.defined_names()
    sheets = tuple(book.sheetnames), tuple(sheet for sheet in book.sheetnames if book.is_worksheet(sheet))
    key = (id(catalog), id(messages), sheets, tuple(names.get(n) for item in _items(catalog) for n in item.names))
    kept = _kept.get(key)
    if kept is None or kept[0] is not catalog or kept[1] is not messages:
        kept = _kept.keep(key, (catalog, messages, *_locate(book, catalog, messages)))
    found = kept[2]
    ranges, inputs, kpis, targets = dict(found.ranges), set(found.inputs), set(found.kpis), set(found.targets)
    return Located(found.layout, ranges, inputs, kpis, targets, found.labels_row), list(kept[3])


MOST_KEPT = 8
"""Templates kept at once (as ``planned``)."""
_kept: PerTemplate[tuple[Catalog, Messages, Located, list[Finding]]] = PerTemplate(MOST_KEPT)


def _locate(book: Book, catalog: Catalog, messages: Messages) -> tuple[Located, list[Finding]]:
    _ = messages.gettext
    items = _items(catalog)
    names = _sort_names(book, items, _shapes(catalog))
    if len(names.absent) == sum(len(item.names) for item in items):
        return Located(Layout.from_names({}), {}, set(), set(), set()), [_none_found(catalog, _)]
    role_sheet = _role_sheets(items, names.good)
    rows, located, labels_row = _rows(items, names, role_sheet)
    layout = Layout.from_names(rows, SheetNames.only(**role_sheet))
    findings = _lost_sheets(book, names.lost_sheets, _)
    findings += _name_findings(names, _, _describer(catalog, messages), located)
    return Located(layout, names.good, located["input"], located["kpi"], located["target"], labels_row), findings


def _sort_names(book: Book, items: tuple[_Item, ...], shapes: dict[str, Area]) -> _Sorted:
    """Each name the template needs: absent, pointing nowhere, on a lost sheet, moved, or good."""
    names = book.defined_names()
    found_names = _Sorted()
    good = found_names.good
    for item in items:
        for name in item.names:
            text = names.get(name)
            if text is None:
                found_names.absent.append((name, item))
                continue
            found = _target(text)
            if found is None:
                found_names.broken.append((name, item, text))
            elif not has_cells(book, found.sheet):
                found_names.lost_sheets.setdefault(found.sheet, []).append(name)
            elif not _same_shape(found, shapes[name]):
                found_names.moved.append((name, item, found))
            else:
                good[name] = found
    return found_names


def _none_found(catalog: Catalog, _: Callable[[str], str]) -> Finding:
    return Finding(
        Severity.ERROR,
        Code.MISSING_NAME,
        _(
            "The workbook has none of the defined names of catalogue {catalog_id}'s template, so nothing can "
            "be checked. It may be a copy made by pasting the sheets into a new file; validate the original or "
            "rebuild the template."
        ).format(catalog_id=catalog.id),
    )


def _role_sheets(items: tuple[_Item, ...], good: dict[str, Area]) -> dict[str, str]:
    """Each role (inputs, KPIs, settings) lives on one sheet: the sheet most of its names point to."""
    votes: dict[str, dict[str, int]] = {}
    for item in items:
        for name in item.names:
            if name in good:
                role_votes = votes.setdefault(_ROLE[item.kind], {})
                role_votes[good[name].sheet] = role_votes.get(good[name].sheet, 0) + 1
    return {role: max(counts, key=lambda s: counts[s]) for role, counts in votes.items()}


def _rows(
    items: tuple[_Item, ...], names: _Sorted, role_sheet: dict[str, str]
) -> tuple[dict[str, tuple[str, int]], dict[str, set[str]], int | None]:
    """Each item's row from its names on its role's sheet; a name elsewhere, or on another row than
    the item's other names, counts as moved (and leaves ``names.good``)."""
    rows: dict[str, tuple[str, int]] = {}
    located: dict[str, set[str]] = {"input": set(), "kpi": set(), "target": set()}
    labels_row: int | None = None
    for item in items:
        sheet = role_sheet.get(_ROLE[item.kind])
        row: int | None = None
        for name in item.names:
            found = names.good.get(name)
            if found is None:
                continue
            if found.sheet != sheet or (row is not None and found.first_row != row):
                del names.good[name]
                names.moved.append((name, item, found))
                continue
            row = found.first_row if row is None else row
        if row is None or sheet is None:
            continue
        if item.kind == "labels":
            labels_row = row
            continue
        prefix = {"input": "in_", "kpi": "kpi_", "target": "target_", "setting": "set_"}[item.kind]
        rows[prefix + item.id] = (sheet, row)
        if item.kind in located:
            located[item.kind].add(item.id)
    return rows, located, labels_row


def _lost_sheets(book: Book, lost_sheets: dict[str, list[str]], _: Callable[[str], str]) -> list[Finding]:
    """One finding per sheet the names point to that is gone (or is a chart sheet now)."""
    findings = []
    for sheet, lost in lost_sheets.items():
        findings.append(
            Finding(
                Severity.ERROR,
                Code.MISSING_SHEET,
                _(
                    'Sheet "{sheet}" is missing: {count} of the template\'s defined names point to it '
                    "(such as {example}). It was deleted, or renamed by a program that did not update the names; "
                    "restore it or rebuild the template. What it holds is not checked."
                ).format(sheet=sheet, count=len(lost), example=lost[0])
                + (
                    " " + _('A chart sheet is called "{sheet}" now; rename it.').format(sheet=sheet)
                    if book.has_sheet(sheet)
                    else ""
                ),
                sheet=sheet,
            )
        )
    return findings


def _name_findings(
    names: _Sorted, _: Callable[[str], str], display: Callable[[_Item], str], located: dict[str, set[str]]
) -> list[Finding]:
    """The names that are missing, point nowhere, or point outside the layout, grouped when many."""
    findings = _grouped(
        [(name, item) for name, item in names.absent],
        _,
        display,
        located,
        one=_("The defined name {name} is missing; restore it (Formulas > Name Manager) or rebuild the template."),
        many=_(
            "{count} of the template's defined names are missing (such as {examples}); restore them "
            "(Formulas > Name Manager) or rebuild the template."
        ),
        code=Code.MISSING_NAME,
    )
    findings += _grouped(
        [(name, item) for name, item, _target in names.broken],
        _,
        display,
        located,
        one=_(
            "The defined name {name} no longer points to cells (a sheet, row or column it used was deleted); "
            "rebuild the template and copy the figures over."
        ),
        many=_(
            "{count} of the template's defined names no longer point to cells (such as {examples}): a sheet, "
            "rows or columns were deleted; rebuild the template and copy the figures over."
        ),
        code=Code.BROKEN_NAME,
        values={name: target for name, _item, target in names.broken},
    )
    findings += _grouped(
        [(name, item) for name, item, _found in names.moved],
        _,
        display,
        located,
        one=_(
            "The defined name {name} points to {found}, not to the cells of the template's layout: columns were "
            "inserted or deleted, or a block was moved apart; undo that change or rebuild the template."
        ),
        many=_(
            "{count} of the template's defined names point to cells outside the template's layout (such as "
            "{examples}): columns were inserted or deleted; undo that change or rebuild the template."
        ),
        code=Code.MOVED_CELLS,
        values={name: f"{found.sheet}!{found.address()}" for name, _item, found in names.moved},
    )
    return findings


def _grouped(
    problems: list[tuple[str, _Item]],
    _: Callable[[str], str],
    display: Callable[[_Item], str],
    located: dict[str, set[str]],
    *,
    one: str,
    many: str,
    code: Code,
    values: dict[str, str] | None = None,
) -> list[Finding]:
    """One finding per name, or one for them all when there are many (a deleted sheet breaks dozens)."""
    values = values or {}
    if len(problems) > _GROUP_OVER:
        examples = ", ".join(name for name, _item in problems[:3])
        return [Finding(Severity.ERROR, code, many.format(count=len(problems), examples=examples))]
    findings = []
    for name, item in problems:
        message = one.format(name=name, found=values.get(name, ""))
        if item.id not in located.get(item.kind, {item.id}):
            message += " " + _("{item} is not checked.").format(item=display(item))
        findings.append(
            Finding(
                Severity.ERROR,
                code,
                message,
                input=item.id if item.kind == "input" else None,
                kpi=item.id if item.kind in ("kpi", "target") else None,
                value=values.get(name),
                expected=name,
            )
        )
    return findings


# --------------------------------------------------------------------------------------------- month labels


def month_labels(book: Book, located: Located, info: TemplateInfo) -> list[str]:
    """The twelve month labels the file shows; computed from its settings when it holds no calculated text."""
    found = located.ranges.get("month_labels")
    if found is not None:
        shown = [book.value(found.sheet, row, col) for row, col in found.cells()]
        if all(isinstance(v, str) and v.strip() for v in shown):
            return [brief(v, 40) for v in shown]
    names = book.defined_names()
    short = _list(book, names.get("list_months_short")) or info.month_names or [str(m + 1) for m in range(MONTHS)]
    first = info.first_month or 1
    year: int | None = None
    settings = located.layout.settings_rows
    sheet = located.layout.sheets.settings
    if sheet and has_cells(book, sheet):
        from generator.template.layout import SETTINGS_VALUE_COL

        chosen = book.value(sheet, settings["first_month"], SETTINGS_VALUE_COL) if "first_month" in settings else None
        wide = _list(book, names.get("list_months"))
        if isinstance(chosen, str) and chosen.strip() in wide:
            first = wide.index(chosen.strip()) + 1
        typed_year = book.value(sheet, settings["year"], SETTINGS_VALUE_COL) if "year" in settings else None
        year = _typed_year(typed_year)
    labels = []
    for m in range(MONTHS):
        position = first - 1 + m
        name = short[position % 12]
        labels.append(f"{name} {year + position // 12}" if year is not None else name)
    return labels


def _typed_year(value: object) -> int | None:
    """A year the Settings sheet accepts (its data validation's range), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and YEAR_MIN <= value <= YEAR_MAX:
        return int(value)
    return None


def _list(book: Book, target: str | None) -> list[str]:
    """Twelve texts from a named list (the locale's month names kept in the workbook), or []."""
    found = parse_target(target or "")
    if found is None or found.size != MONTHS:
        return []
    if not has_cells(book, found.sheet):
        return []
    texts = [book.value(found.sheet, row, col) for row, col in found.cells()]
    return [t.strip() for t in texts] if len(texts) == MONTHS and all(isinstance(t, str) for t in texts) else []
