"""Check what people typed: each input cell against its catalogue spec, rules across inputs, stock continuity.

Returns the monthly values the spreadsheet itself computes with: a cell that holds text (or a
number stored as text) counts as empty there, since COUNT, SUM and ISNUMBER skip it, so the
recomputation treats it as blank too and still agrees with the file.
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
from dataclasses import dataclass, field
from typing import Any

from generator.catalog.model import InputSpec, Unit
from generator.formula.evaluate import evaluate, rule_test
from generator.formula.expr import refs
from generator.template.layout import INPUT_GRID, MONTHS, SETTINGS_TOLERANCE_COL, SETTINGS_VALUE_COL
from generator.template.periods import input_periods
from generator.validate.context import Check
from generator.validate.continuity import check_continuity
from generator.validate.findings import Code, Scalar, Severity, brief, plain, rule_code, show
from generator.validate.plausible import check_date_cell, check_date_serials
from generator.validate.sheet_cells import COLUMN_BITS

Value = float | None
_SPREADSHEET_ERRORS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!"]
ERRORS = frozenset([*_SPREADSHEET_ERRORS, "#CALC!", "Err:502", "Err:504", "Err:508", "Err:522"])


_MONTH_COLUMNS = [INPUT_GRID.month(m) for m in range(MONTHS)]

LARGEST = 9.99999999999999e307
"""The largest number Excel accepts in a cell; LibreOffice takes more, but sums of it overflow."""
SMALLEST = sys.float_info.min
"""The smallest normal double (2.2E-308): Excel reads anything closer to 0 as 0, LibreOffice keeps it."""


@dataclass(frozen=True)
class Cell:
    """One typed cell: the number formulas see (None when they skip it) and why it is not a clean number."""

    number: Value
    problem: Code | None = None
    kind: str = ""
    """For a problem: "text", "number-text", "error", "date", "logical" or "range"."""
    shown: Scalar = None


def read_cell(value: Any) -> Cell:
    """Classify a cell value the way the workbook's formulas will treat it."""
    if value is None:
        return Cell(None)
    if isinstance(value, bool):
        return Cell(None, Code.NOT_A_NUMBER, "logical", value)
    if isinstance(value, int | float):
        return _read_number(value)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time | _dt.timedelta):
        return Cell(_serial(value), Code.NOT_A_NUMBER, "date", str(value))
    text = str(value)
    if not text.strip():
        return Cell(None)
    if text.strip() in ERRORS:
        return Cell(None, Code.ERROR_VALUE, "error", text.strip())
    if _numeric_text(text) is not None:
        return Cell(None, Code.NUMBER_AS_TEXT, "number-text", text)
    return Cell(None, Code.NOT_A_NUMBER, "text", text)


def _plain_number(value: Any) -> float | None:
    """The number of a float or int cell that ``read_cell`` reads with no problem; None for anything else."""
    cls = value.__class__
    if (cls is float and (value == 0 or SMALLEST <= abs(value) <= LARGEST)) or (cls is int and abs(value) <= 2**53):
        return float(value)
    return None


def _read_number(value: int | float) -> Cell:
    """A number as formulas see it; one no spreadsheet computes with alike is a problem at its cell."""
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return Cell(None, Code.OUT_OF_RANGE, "range", _digits(value))
    if math.isnan(number):
        return Cell(None, Code.ERROR_VALUE, "error", str(value))
    if abs(number) > LARGEST or 0 < abs(number) < SMALLEST:
        return Cell(None, Code.OUT_OF_RANGE, "range", _digits(value))
    return Cell(number)


def _digits(value: int | float) -> str:
    """A number's text for a message, shortened when it has hundreds of digits."""
    sign = "-" if value < 0 else ""
    if isinstance(value, int) and value.bit_length() >= 4000:  # str() refuses over 4300 digits
        return f"{sign}~1E+{int(value.bit_length() * math.log10(2))}"
    if isinstance(value, int) and abs(value) >= 10**20:
        text = str(abs(value))
        return f"{sign}{text[0]}.{text[1:6]}E+{len(text) - 1}"
    return repr(value)


def _serial(value: Any) -> Value:
    """A date's serial number, which is what a spreadsheet computes with."""
    from generator.validate.cell_values import to_serial

    try:
        return float(to_serial(value))
    except (TypeError, ValueError, OverflowError):
        return None


def _numeric_text(text: str) -> Value:
    """The number a text would be if typed as a number ("1 200", "0,25", "25%"), else None."""
    body = text.strip().replace("\u00a0", "").replace(" ", "").lstrip("'")
    scale = 1.0
    if body.endswith("%"):
        body, scale = body[:-1], 0.01
    for candidate in (body, body.replace(",", ""), body.replace(".", "").replace(",", "."), body.replace(",", ".")):
        try:
            number = float(candidate)
        except ValueError:
            continue
        if math.isfinite(number):
            return number * scale
    return None


@dataclass
class Typed:
    """What the checks read: monthly input values, targets and tolerances as the formulas see them."""

    months: dict[str, list[Value]] = field(default_factory=dict)
    targets: dict[str, Value] = field(default_factory=dict)
    tolerances: dict[str, Value] = field(default_factory=dict)
    no_status: set[str] = field(default_factory=set)
    """KPIs whose status the file cannot compute the way Python does (target or tolerance unreadable)."""
    has_data: bool = False
    out_of_range: set[str] = field(default_factory=set)
    """Inputs holding a number (or a merged block) the spreadsheet and Python would not compute with
    alike: reported at the cell, and their totals and KPIs are not compared."""
    periods: dict[str, list[Value]] = field(default_factory=dict)
    """Each input's 17 period values from ``months`` (``input_periods``): worked out once, for the
    recomputation and the comparison of the totals."""


def check_inputs(check: Check) -> Typed:
    """Every typed cell, the catalogue's rules and stock continuity; returns the values for recomputation."""
    typed = Typed()
    layout = check.layout
    dated: set[tuple[str, int]] = set()  # cells formatted as dates, warned about as such
    _check_merged(check, typed)
    for input_id, spec in check.catalog.inputs.items():
        if input_id not in check.located.inputs:
            continue
        row = layout.input_rows[input_id] << COLUMN_BITS
        shown = check.book.stored(layout.sheets.inputs).values  # what ``Book.value`` reads, by cell key
        low, high, whole = _allowed(spec)
        values: list[Value] = []
        for m, col in enumerate(_MONTH_COLUMNS):
            raw = shown.get(row | col)
            number = _plain_number(raw)
            if number is not None:  # nearly every filled cell: what read_cell gives it, without a Cell
                values.append(number)
                if not (low <= number <= high and (not whole or number.is_integer())):
                    _check_number(check, spec, m, number, raw)  # it has something to say: say it
                continue
            found = read_cell(raw)
            values.append(found.number)
            if found.problem is Code.OUT_OF_RANGE:
                typed.out_of_range.add(input_id)
            if found.kind == "date" and check_date_cell(check, input_id, m, raw, found.number):
                dated.add((input_id, m))
            elif found.problem is not None:
                _report_cell(check, spec, m, found)
            elif found.number is not None:
                _check_number(check, spec, m, found.number, raw)
        typed.months[input_id] = values
        typed.has_data = typed.has_data or any(v is not None for v in values)
    _check_rules(check, typed.months)
    check_date_serials(check, typed.months, frozenset(dated))
    check_continuity(check, typed.months)
    _read_targets(check, typed)
    typed.periods = input_periods(check.catalog, typed.months)
    return typed


def _check_merged(check: Check, typed: Typed) -> None:
    """Month cells inside a merged block: one finding at the block, and its inputs are not compared.

    Excel empties all but the first cell of a merge, LibreOffice may keep their values hidden and
    compute with them: what the file computed cannot be told from what it shows.
    """
    _ = check.gettext
    layout = check.layout
    first, last = INPUT_GRID.month(0), INPUT_GRID.month(MONTHS - 1)
    for block in check.merged:
        if block.last_col < first or block.first_col > last:
            continue
        hit = [i for i in check.located.inputs if block.first_row <= layout.input_rows[i] <= block.last_row]
        if not hit:
            continue
        typed.out_of_range.update(hit)
        names = ", ".join(check.input_name(i) for i in sorted(hit, key=layout.input_rows.__getitem__))
        check.add(
            Severity.ERROR,
            Code.MERGED_CELLS,
            _(
                "{names}: the month cells {cells} are merged, so only the first one shows a figure and programs "
                "read the others differently; unmerge them and type each month's figure again. The totals and "
                "KPIs that use it are not compared."
            ).format(names=names, cells=block.address()),
            sheet=block.sheet,
            row=block.first_row,
            col=block.first_col,
            input=hit[0] if len(hit) == 1 else None,
            value=block.address(),
        )


def _report_cell(check: Check, spec: InputSpec, month: int, found: Cell) -> None:
    _ = check.gettext
    templates = {
        "text": _('{name}: "{value}" is text, not a number; type a number or leave the cell empty.'),
        "logical": _(
            "{name}: the cell holds the logical value {value}, not a number; type a number or leave the cell empty."
        ),
        "number-text": _(
            '{name}: "{value}" is a number stored as text, which formulas skip; type it again as a '
            "number (without a leading apostrophe or quotes)."
        ),
        "error": _("{name}: the cell holds the error {value}; type a number or leave the cell empty."),
        "range": _(
            "{name}: {value} is outside the numbers a spreadsheet computes with alike (up to 9.99E+307, and "
            "no closer to 0 than 2.23E-308); type the right figure. The totals and KPIs that use it are not "
            "compared."
        ),
        "date": _(
            "{name}: the cell holds a date ({value}), not a number; type a number and set the cell's format "
            "back to a number."
        ),
    }
    message = templates[found.kind].format(name=check.input_name(spec.id), value=brief(found.shown))
    _cell_error(check, spec, month, found.problem or Code.NOT_A_NUMBER, message, found.shown)


def _cell_error(check: Check, spec: InputSpec, month: int, code: Code, message: str, raw: Any) -> None:
    """One input cell that breaks its own bounds or type; says what the input accepts."""
    check.add_input(Severity.ERROR, code, message, spec.id, month, plain(raw), expected_text(check, spec))


def expected_text(check: Check, spec: InputSpec) -> str:
    """What the input accepts, in words: "a whole number, 0 or more"."""
    _ = check.gettext
    low, high = spec.min, spec.max
    if spec.unit is Unit.PERCENT:
        return _("a fraction between {low} and {high} (25% is 0.25)").format(
            low=check.show(0.0 if low is None else low), high=check.show(1.0 if high is None else high)
        )
    kind = _("a whole number") if spec.integer else _("a number")
    if low is not None and high is not None:
        return _("{kind} between {low} and {high}").format(kind=kind, low=check.show(low), high=check.show(high))
    if low is not None:
        return _("{kind}, {low} or more").format(kind=kind, low=check.show(low))
    if high is not None:
        return _("{kind}, {high} or less").format(kind=kind, high=check.show(high))
    return kind


def _allowed(spec: InputSpec) -> tuple[float, float, bool]:
    """(lowest, highest, whole numbers only): a finite number inside them is one ``_check_number`` has
    nothing to say about, so the month loop calls it only for the others (it runs for every month cell)."""
    low, high = spec.min, spec.max
    if spec.unit is Unit.PERCENT:
        return (0.0 if low is None else low), (1.0 if high is None else high), spec.integer
    return (-math.inf if low is None else low), (math.inf if high is None else high), spec.integer


def _check_number(check: Check, spec: InputSpec, month: int, number: float, raw: Any) -> None:
    """Bounds first (a negative count says more than a fraction), then whole numbers. The input's name
    is looked up only for a finding (this runs for every month cell)."""
    _ = check.gettext
    low, high = spec.min, spec.max
    if spec.unit is Unit.PERCENT:
        low, high = (0.0 if low is None else low), (1.0 if high is None else high)
    code: Code | None = None
    message = ""
    if spec.unit is Unit.PERCENT and not low <= number <= high:  # type: ignore[operator]
        code = Code.PERCENT_RANGE
        message = _(
            "{name}: {value} is outside {low} to {high}; type a percentage as a fraction or with a % sign "
            "(25% is 0.25)."
        )
    elif low is not None and number < low and low == 0:
        code = Code.NEGATIVE
        message = _("{name}: {value} is negative; this input cannot be below 0.")
    elif low is not None and number < low:
        code = Code.BELOW_MIN
        message = _("{name}: {value} is below the lowest allowed value, {low}.")
    elif high is not None and number > high:
        code = Code.ABOVE_MAX
        message = _("{name}: {value} is above the highest allowed value, {high}.")
    elif spec.integer and not number.is_integer():
        code = Code.NOT_INTEGER
        message = _("{name}: {value} is not a whole number; this input counts things, so type a whole number.")
    if code is not None:
        shown = {"low": check.show(low), "high": check.show(high)}
        message = message.format(name=check.input_name(spec.id), value=check.show(number), **shown)
        _cell_error(check, spec, month, code, message, raw)


def _check_rules(check: Check, months: dict[str, list[Value]]) -> None:
    """The catalogue's cross-input rules, month by month, in the rule's own severity and words."""
    _ = check.gettext
    for rule_id, compare in check.catalog.rule_checks.items():
        rule = check.catalog.rules[rule_id]
        names = refs(compare)
        if not names or not all(name in months for name in names):
            continue
        anchor = (refs(compare.left) or names)[0]
        severity = Severity.ERROR if rule.severity == "error" else Severity.WARNING
        op = "=" if compare.op == "==" else compare.op
        test = rule_test(compare)
        for m in range(MONTHS):
            values = {name: months[name][m] for name in names}
            if test(values) is not False:
                continue
            details = ", ".join(f"{check.input_name(name)} = {check.show(values[name])}" for name in names)
            message = _("{rule} ({details})").format(rule=check.pick(rule.message), details=details)
            expected = f"{op} {show(evaluate(compare.right, values))}"
            check.add_input(severity, rule_code(rule_id), message, anchor, m, evaluate(compare.left, values), expected)


def _read_targets(check: Check, typed: Typed) -> None:
    """Targets and tolerances from the settings sheet; text there blanks a status or breaks it."""
    _ = check.gettext
    layout = check.layout
    cells = (
        (SETTINGS_VALUE_COL, typed.targets, _("Monthly target")),
        (SETTINGS_TOLERANCE_COL, typed.tolerances, _("Tolerance")),
    )
    for kpi_id in check.catalog.kpis:
        if kpi_id not in check.located.targets:
            typed.no_status.add(kpi_id)
            continue
        row = layout.target_rows[kpi_id]
        for col, store, label in cells:
            raw = check.book.value(layout.sheets.settings, row, col)
            number = _plain_number(raw)
            if number is not None:  # a typed target: what read_cell gives it, without a Cell
                store[kpi_id] = number
                continue
            found = read_cell(raw)
            store[kpi_id] = found.number
            if found.problem is None:
                continue
            if col == SETTINGS_TOLERANCE_COL:
                typed.no_status.add(kpi_id)  # text times a number is #VALUE! in the status cell
            message = _('{name}, {what}: "{value}" is not a number; type a number or leave the cell empty.').format(
                name=check.kpi_name(kpi_id), what=label, value=brief(found.shown)
            )
            check.add(
                Severity.ERROR,
                found.problem,
                message,
                sheet=layout.sheets.settings,
                row=row,
                col=col,
                kpi=kpi_id,
                month=label,
                value=plain(found.shown),
                expected=_("a number"),
            )
