"""The demo year a template ships with (``--sample``), read from the catalogue's CSV file.

Long form (month, input, value) keeps the file readable and diffable, and is the same shape
the import command will accept.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from generator.catalog import Catalog
from generator.errors import CatalogError, UserError
from generator.formula.parse import LARGEST
from generator.user_file import read_user_text

Values = dict[str, list[float | None]]


def read_sample(catalog: Catalog) -> Values:
    """Monthly values per input id; refuses a catalogue without a sample file."""
    if catalog.sample is None:
        raise UserError(f"catalogue '{catalog.id}' has no sample data (no 'sample:' file); build without --sample")
    return read_long_csv(catalog.sample, catalog)


def read_long_csv(path: Path, catalog: Catalog) -> Values:
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
