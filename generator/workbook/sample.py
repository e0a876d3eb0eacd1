"""The demo year a template ships with (``--sample``), read from the catalogue's CSV file.

Long form (month, input, value) keeps the file readable and diffable, and is the same shape
the import command will accept.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from generator.catalog import Catalog
from generator.errors import CatalogError, UnreadableInput, UserError

Values = dict[str, list[float | None]]


def read_sample(catalog: Catalog) -> Values:
    """Monthly values per input id; refuses a catalogue without a sample file."""
    if catalog.sample is None:
        raise UserError(f"catalogue '{catalog.id}' has no sample data (no 'sample:' file); build without --sample")
    return read_long_csv(catalog.sample, catalog)


def read_long_csv(path: Path, catalog: Catalog) -> Values:
    values: Values = {input_id: [None] * 12 for input_id in catalog.inputs}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not {"month", "input", "value"} <= set(reader.fieldnames):
                raise CatalogError([f"{path}: expected the columns month,input,value"])
            for line, record in enumerate(reader, start=2):
                input_id = record["input"]
                if input_id not in values:
                    continue
                try:
                    month = int(record["month"])
                    value = float(record["value"])
                except (TypeError, ValueError):
                    raise CatalogError([f"{path}:{line}: month must be 1-12 and value a number"]) from None
                if not 1 <= month <= 12 or not math.isfinite(value):
                    raise CatalogError([f"{path}:{line}: month must be 1-12 and value a finite number"])
                values[input_id][month - 1] = value
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read sample data: {exc.strerror}") from None
    return values
