"""The demo year a template ships with (``--sample``), read from the catalogue's CSV file.

Long form (month, input, value) keeps the file readable and diffable, and is the same shape
the import command will accept.

The file's money inputs are in the catalogue's ``sample_currency``. A demo in another currency
converts them with ``DEMO_RATES`` (rough, round rates of late 2025, for plausible demo figures
only, never for real money) and rounds to the currency's CLDR digits, so a Turkish demo's
customer acquisition cost reads ₺14.000, not ₺350. Every money input is scaled by the same
factor and rounding keeps order, so the catalogue's rules (company sales <= market sales) hold.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from generator.catalog import Catalog
from generator.catalog.model import Unit
from generator.errors import CatalogError, UserError
from generator.formula.parse import LARGEST
from generator.i18n.formats import currency_precision
from generator.user_file import read_user_text

Values = dict[str, list[float | None]]

DEMO_RATES: dict[str, float] = {
    "USD": 1,
    "EUR": 0.9,
    "GBP": 0.8,
    "CHF": 0.8,
    "TRY": 40,
    "JPY": 150,
    "CNY": 7,
    "INR": 85,
    "CAD": 1.4,
    "AUD": 1.5,
    "BRL": 5.5,
    "MXN": 18,
    "SEK": 10,
    "NOK": 10,
    "DKK": 7,
    "PLN": 4,
    "ZAR": 18,
    "KRW": 1400,
}
"""Units of each currency per US dollar, rounded: only to make demo figures plausible."""


def read_sample(catalog: Catalog, currency: str | None = None, renamed: list[str] | None = None) -> Values:
    """Monthly values per input id, money converted to ``currency`` (default: the sample's own);
    refuses a catalogue without a sample file, or a currency without a demo rate. An input id
    an earlier version used is read as the input that ``replaces`` it, and added to ``renamed``."""
    if catalog.sample is None:
        raise UserError(f"catalogue '{catalog.id}' has no sample data (no 'sample:' file); build without --sample")
    values = read_long_csv(catalog.sample, catalog, renamed)
    if currency is None or currency == catalog.sample_currency:
        return values
    return convert_money(catalog, values, catalog.sample_currency, currency)


def convert_money(catalog: Catalog, values: Values, source: str, target: str) -> Values:
    if source not in DEMO_RATES or target not in DEMO_RATES:
        known = ", ".join(sorted(DEMO_RATES))
        raise UserError(f"no demo figures in {target}: the demo year comes in {known}; build without --sample")
    factor = DEMO_RATES[target] / DEMO_RATES[source]
    digits = currency_precision(target)
    converted = dict(values)
    for input_id, spec in catalog.inputs.items():
        if spec.unit is Unit.CURRENCY:
            converted[input_id] = [None if v is None else round(v * factor, digits) for v in values[input_id]]
    return converted


def sample_findings(catalog: Catalog) -> tuple[list[str], list[str]]:
    """(errors, warnings) for the sample file's input ids: one naming no input is an error (its rows
    would be dropped), one an input ``replaces`` is a warning naming that input (it is read there)."""
    if catalog.sample is None:
        return [], []
    errors: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    reader = csv.DictReader(io.StringIO(read_user_text(catalog.sample, "sample CSV"), newline=""))
    for record in reader:
        input_id = record.get("input") or ""
        if input_id in catalog.inputs or input_id in seen or input_id in catalog.left_out:
            continue
        seen.add(input_id)
        where = f"{catalog.sample}:{reader.line_num}"
        new = catalog.renamed.get(input_id)
        if new is not None:
            warnings.append(f"{where}: input {input_id!r} is now {new!r} (it 'replaces' it); rename it in the sample")
        else:
            errors.append(
                f"{where}: input {input_id!r} names no input of catalogue '{catalog.id}'; its rows are unused"
            )
    return errors, warnings


def read_long_csv(path: Path, catalog: Catalog, renamed: list[str] | None = None) -> Values:
    """Monthly values per input from a long CSV; each problem names the file and its line.

    The file is read through ``read_user_text`` (a plain UTF-8 file of bounded size); a value
    that is not a finite number, or beyond what a cell holds, is refused at its line.
    """
    values: Values = {input_id: [None] * 12 for input_id in catalog.inputs}
    text = read_user_text(path, "sample CSV")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if reader.fieldnames is None or not {"month", "input", "value"} <= set(reader.fieldnames):
            raise CatalogError([f"{path}:1: expected the columns month,input,value"])
        for record in reader:
            line = reader.line_num
            input_id = record["input"]
            if input_id in catalog.renamed:
                if renamed is not None:
                    renamed.append(input_id)
                input_id = catalog.renamed[input_id]
            if input_id not in values:
                continue
            try:
                month = int(record["month"])
                value = float(record["value"])
            except (TypeError, ValueError):
                raise CatalogError([f"{path}:{line}: month must be 1-12 and value a number"]) from None
            if not 1 <= month <= 12 or not math.isfinite(value) or abs(value) > LARGEST:
                raise CatalogError([f"{path}:{line}: month must be 1-12 and value a finite number up to 9.99E+307"])
            values[input_id][month - 1] = value
    except csv.Error as exc:
        raise CatalogError([f"{path}:{reader.line_num + 1}: not readable as CSV: {exc}"]) from None
    return values


PRIOR_FACTOR = 0.92
"""The demo's prior year: each month's inputs are 92% of the mean of this year's months either side of
it (January's of December and February), rounded as typed, so this year shows growth and the ratios
move both ways. The mean, not the month before alone: with a shift, a ratio's prior-year value was
its previous month's, and the cards' "vs prior year" repeated "vs previous month". One factor and
the same months for every input keep the catalogue's rules between inputs (clicks <= sent): each is
linear, and rounding keeps order."""


def prior_sample(catalog: Catalog, values: Values) -> Values:
    """A plausible prior year for the demo, derived from its year (see ``PRIOR_FACTOR``); a month
    whose neighbour is blank stays blank."""
    prior: Values = {}
    for input_id, row in values.items():
        spec = catalog.inputs.get(input_id)
        digits = 0 if spec is not None and spec.integer else 4
        months: list[float | None] = []
        for m in range(len(row)):
            before, after = row[m - 1], row[(m + 1) % len(row)]
            if before is None or after is None:
                months.append(None)
            else:
                months.append(round((before + after) / 2 * PRIOR_FACTOR, digits))
        prior[input_id] = months
    return prior
