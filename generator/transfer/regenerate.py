"""Regenerate a filled workbook: a fresh one from the generator, in another language, catalogue
version, currency or fiscal year, carrying over everything the user typed.

The old file is only read (``read_filled``); the new one is built by ``build_workbook``, never by
editing the old file, which would lose charts, sparklines, conditional formats and validation.
Inputs and KPIs renamed in the new catalogue are followed through its ``replaces`` lists. What
has no place in the new workbook (a removed input, a target of a removed KPI, a cell that held
text) is listed on its "Carried over" sheet, never dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.catalog import Catalog, load_catalog
from generator.catalog.model import Better, Unit
from generator.catalog.selection import apply_recorded, resolve_kpi, select
from generator.errors import UnreadableWorkbook, UserError
from generator.output import plan_workbook_output, write_planned
from generator.template.layout import MONTHS
from generator.transfer.carried_back import restore_carried
from generator.transfer.exact_kept import to_properties
from generator.transfer.filled import Filled, default_target, default_tolerance, read_filled, same_number
from generator.transfer.years import empty_months, month_label, move_inputs, shift_months
from generator.validate.identify import bundled_catalog, load_messages
from generator.validate.safe_open import ReadLimits
from generator.workbook.build import BuildResult, build_workbook, default_file_name
from generator.workbook.context import BuildOptions
from generator.workbook.sheet_carried import CarriedRow

Value = float | None


class ExchangeRateUnused(UserError):
    """An exchange rate given for a workbook whose currency stays."""


class ExchangeRateNeeded(UserError):
    """A new currency for a workbook holding money values, without the rate to convert them."""

    def __init__(self, message: str, old: str, new: str) -> None:
        super().__init__(message)
        self.old, self.new = old, new


@dataclass(frozen=True)
class RegenerateOptions:
    """What to change; None keeps the old workbook's choice (the catalogue: its newest bundled version)."""

    locale: str | None = None
    catalog: Path | None = None
    currency: str | None = None
    company: str | None = None
    year: int | None = None
    first_month: int | None = None
    exchange_rate: float | None = None
    """How many units of the new currency one unit of the old buys: money values are converted by it."""
    kpis: tuple[str, ...] | None = None
    categories: tuple[str, ...] = ()
    """A new selection of KPIs (``("all",)`` for the whole catalogue); None keeps the old workbook's."""
    force: bool = False
    limits: ReadLimits = field(default_factory=ReadLimits)


@dataclass(frozen=True)
class Plan:
    """What the new workbook receives, by the new catalogue's ids."""

    catalog: Catalog
    options: BuildOptions
    values: dict[str, list[Value]]
    targets: dict[str, Value]
    tolerances: dict[str, Value]
    carried: list[CarriedRow]
    converted: float | None = None
    """The exchange rate money values were multiplied by, when the currency changed."""
    prior: dict[str, list[Value]] = field(default_factory=dict)
    """The new workbook's prior-year inputs (this year's, when rolling into the next)."""
    empty_months: list[str] = field(default_factory=list)
    """Months of the old year without any input, said when rolling forward (the year was not complete)."""
    exact: dict[str, list[Value]] = field(default_factory=dict)
    """A raw import's exact distinct counts, kept while the fiscal year and the input's months stay."""


@dataclass(frozen=True)
class Regenerated:
    source: Filled
    plan: Plan
    out: Path
    size: int

    def summary(self) -> str:
        """The one line a command prints."""
        old, new = self.source, self.plan
        numbers = sum(v is not None for row in new.values.values() for v in row)
        parts = [
            f"{old.catalog_id} {old.catalog_version} -> {new.catalog.id} {new.catalog.version}",
            f"{old.locale} -> {new.options.locale}",
            f"{numbers} input values",
            f"{len(new.targets)} targets and {len(new.tolerances)} tolerances you changed",
        ]
        if new.converted is not None:
            digits = currency_digits(new.options.currency)
            parts.append(
                f"money {old.settings.currency} -> {new.options.currency} at {new.converted:g}, "
                f"rounded to {digits} decimal{'' if digits == 1 else 's'}"
            )
        if new.prior:
            parts.append(f"{sum(v is not None for row in new.prior.values() for v in row)} prior-year values")
        if new.empty_months:
            parts.append(f"the old year had no data in {', '.join(new.empty_months)}")
        sheet = load_messages(new.options.locale).gettext("Carried over")
        carried = f"; {len(new.carried)} values without a place listed on sheet '{sheet}'" if new.carried else ""
        return f"wrote {self.out} ({', '.join(parts)}){carried}"


def regenerate(source: Path | str, out: Path | str, options: RegenerateOptions | None = None) -> Regenerated:
    """Read ``source``, plan the new workbook, build it and write it atomically to ``out`` (the ``--out``
    rule of every command: a .xlsx file, or a folder that receives the default name)."""
    options = options or RegenerateOptions()
    source = Path(source)
    plan_out = plan_workbook_output(out, force=options.force, reads=[source])
    filled, plan, result = build_regenerated(source, options)
    target = write_planned(
        plan_out, default_file_name(plan.catalog, result.options), result.data, force=options.force, reads=[source]
    )
    return Regenerated(filled, replace(plan, options=result.options), target, len(result.data))


def build_regenerated(source: Path, options: RegenerateOptions) -> tuple[Filled, Plan, BuildResult]:
    """Read ``source``, plan the new workbook and build it in memory (the command and the server write it)."""
    filled = read_filled(source, limits=options.limits)
    plan = plan_regeneration(filled, options)
    result = build_workbook(
        plan.catalog,
        plan.options,
        plan.values,
        targets=plan.targets,
        tolerances=plan.tolerances,
        carried=plan.carried,
        prior_values=plan.prior,
        properties=to_properties(plan.exact, plan.values),
    )
    return filled, plan, result


def target_catalog(filled: Filled, path: Path | None) -> Catalog:
    """``--catalog``, else the newest bundled version of the file's catalogue."""
    if path is not None:
        return load_catalog(path)
    found = bundled_catalog(filled.catalog_id)
    if found is None:
        raise UnreadableWorkbook(
            f"{filled.path}: catalogue '{filled.catalog_id}' is not bundled with kpigen; pass --catalog PATH"
        )
    return load_catalog(found)


def plan_regeneration(filled: Filled, options: RegenerateOptions) -> Plan:
    """Map the old workbook's data onto the new catalogue and settings; raise UserError when months fall out."""
    whole = target_catalog(filled, options.catalog)
    catalog = _selected(whole, filled, options)
    old = filled.settings
    year = options.year if options.year is not None else old.year
    first = options.first_month if options.first_month is not None else old.first_month or 1
    if year is None:
        raise UserError(f"{filled.path}: its fiscal year cannot be read from the Settings sheet; pass --year")
    shift = shift_months(filled, year, first)
    build = BuildOptions(
        locale=options.locale or filled.locale,
        company=options.company if options.company is not None else _company(filled),
        year=year,
        first_month=first,
        currency=options.currency or old.currency or "",
    )
    moved = move_inputs(
        filled,
        catalog,
        shift,
        lambda input_id: _input_name(filled.catalog, input_id, build.locale),
        lambda input_id: input_id in whole.inputs,
    )
    values, carried = moved.values, moved.carried
    for stray in filled.strays:
        if stray.kind in ("input", "prior-input"):
            name = _input_name(filled.catalog, stray.id, build.locale)
            month = month_label(filled, (stray.month or 0) - (MONTHS if stray.kind == "prior-input" else 0))
        else:
            name, month = _kpi_name(filled.catalog, stray.id, build.locale), ""
        carried.append(CarriedRow(stray.kind, stray.id, name, month, stray.content, "not-a-number"))
    targets = _settings_values(filled, catalog, whole, build.locale, "target", carried)
    tolerances = _settings_values(filled, catalog, whole, build.locale, "tolerance", carried)
    converted = _convert_money(filled, catalog, build.currency, options.exchange_rate, values, targets, moved.prior)
    carried += restore_carried(filled.carried, catalog, build, values, targets, tolerances, moved.prior)
    empty = empty_months(filled) if shift > 0 else []
    same_year = shift == 0 and old.year == year
    exact = {
        i: row for i, row in filled.exact.items() if same_year and i in values and values[i] == filled.inputs.get(i)
    }
    return Plan(catalog, build, values, targets, tolerances, carried, converted, moved.prior, empty, exact)


def _convert_money(
    filled: Filled,
    catalog: Catalog,
    currency: str,
    rate: float | None,
    values: dict[str, list[Value]],
    targets: dict[str, Value],
    prior: dict[str, list[Value]],
) -> float | None:
    """Money inputs and the money targets the user changed, converted into a new currency by ``rate``;
    returns the rate when values were converted.

    The same number is not the same amount in another currency (350 USD is not 350 TRY), and no
    rate can be guessed: a currency change that would carry money values needs one, and a rate
    without a currency change is a mistake. Targets the user left alone follow the new currency's
    catalogue targets anyway.
    """
    old, new = (filled.settings.currency or "").upper(), currency.upper()
    changes = bool(old) and bool(new) and old != new
    if rate is not None and not changes:
        raise ExchangeRateUnused(
            "--exchange-rate converts money into a new --currency, but the workbook stays in "
            + (new or old or "its currency")
        )
    if not changes:
        return None
    money = [
        (i, year) for year in (values, prior) for i, row in year.items() if catalog.inputs[i].unit is Unit.CURRENCY
    ]
    money = [(i, year) for i, year in money if any(v is not None for v in year[i])]
    inputs = list(dict.fromkeys(i for i, _year in money))
    money_targets = [k for k, v in targets.items() if catalog.kpis[k].unit is Unit.CURRENCY and v is not None]
    if not inputs and not money_targets:
        return None
    if rate is None:
        raise ExchangeRateNeeded(
            f"{filled.path}: its money values ({len(inputs)} inputs, {len(money_targets)} targets you changed) "
            f"are in {old}; give the exchange rate, how many {new} one {old} buys (--exchange-rate), "
            f"or keep the currency {old}",
            old,
            new,
        )
    digits = currency_digits(new)
    for input_id, year in money:
        year[input_id] = [None if v is None else _converted(v, rate, input_id, digits) for v in year[input_id]]
    for kpi_id in money_targets:
        value = targets[kpi_id]
        targets[kpi_id] = None if value is None else _converted(value, rate, kpi_id, digits)
    return rate


def currency_digits(currency: str) -> int:
    """Decimals an amount in ``currency`` has (CLDR: TRY and USD 2, JPY 0)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency.upper()))


def _converted(value: float, rate: float, what: str, digits: int) -> float:
    """``value`` in the new currency, rounded to its digits: 649.4499 USD at 40 is 25978.00 TRY, not
    25977.996, an amount no account holds."""
    result = value * rate
    if not math.isfinite(result):
        raise UserError(f"{what}: {value:g} at the exchange rate {rate:g} is beyond what a spreadsheet can hold")
    return round(result, digits)


def _company(filled: Filled) -> str:
    """The company typed in the old workbook; its untouched placeholder ("Your company") is not carried,
    so the new workbook shows the placeholder in its own language."""
    company = filled.settings.company or ""
    return "" if company == load_messages(filled.locale).gettext("Your company") else company


def _settings_values(
    filled: Filled, catalog: Catalog, whole: Catalog, locale: str, kind: str, carried: list[CarriedRow]
) -> dict[str, Value]:
    """Targets (or tolerances) the user changed, by the new KPI ids; the rest follow the new catalogue."""
    changed, found = (
        (filled.changed_targets, filled.targets) if kind == "target" else (filled.changed_tolerances, filled.tolerances)
    )
    chosen: dict[str, Value] = {}
    for old_id in sorted(changed, key=lambda k: filled.catalog.kpis[k].number):
        new_id = next((k for k, kpi in catalog.kpis.items() if old_id == k or old_id in kpi.replaces), None)
        value = found[old_id]
        why = ""
        if new_id is None:
            why = "not-selected" if resolve_kpi(whole, old_id) is not None else "removed"
        elif catalog.kpis[new_id].better is Better.INFO:
            why = "no-target"
        elif kind == "tolerance" and _tolerance_kind(filled.catalog, old_id) != _tolerance_kind(catalog, new_id):
            why = "tolerance-unit"
        if why:
            name = _kpi_name(filled.catalog, old_id, locale)
            carried.append(CarriedRow(kind, old_id, name, "", value, why))
            continue
        assert new_id is not None
        default = (
            default_target(catalog, new_id, filled.settings.currency)
            if kind == "target"
            else default_tolerance(catalog, new_id)
        )
        if not same_number(value, default):
            chosen[new_id] = value
    return chosen


def _selected(whole: Catalog, filled: Filled, options: RegenerateOptions) -> Catalog:
    """The new workbook's KPIs: ``--kpis``/``--categories`` when given (``--kpis all``: every one),
    else the old workbook's own selection, followed through renamed ids."""
    if options.kpis is None and not options.categories:
        return apply_recorded(whole, ",".join(filled.catalog.selection))
    kpis = options.kpis or ()
    if tuple(kpis) == ("all",):
        return whole
    return select(whole, kpis, options.categories)


def _tolerance_kind(catalog: Catalog, kpi_id: str) -> str:
    return str(getattr(catalog.kpis[kpi_id], "tolerance_unit", "percent"))


def _input_name(catalog: Catalog, input_id: str, locale: str) -> str:
    from generator.validate.context import pick

    spec = catalog.inputs.get(input_id)
    return pick(spec.name, locale, catalog) if spec is not None else input_id


def _kpi_name(catalog: Catalog, kpi_id: str, locale: str) -> str:
    from generator.validate.context import kpi_name

    return kpi_name(catalog, kpi_id, locale) if kpi_id in catalog.kpis else kpi_id
