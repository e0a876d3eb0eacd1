"""A mapping file: a CRM report's own column headers (or metric names) renamed to input ids.

YAML, one ``header: target`` per line, where the target is an input id or one of the long
form's columns (``month``, ``input``, ``value``)::

    "Dönem": month
    "Gönderilen e-posta": emails_sent

A target the catalogue does not know is refused with the file and line, before any data is read;
one an earlier catalogue version used is followed to the input that ``replaces`` it, and added to
``renamed`` for the caller to say in one line.
"""

from __future__ import annotations

from pathlib import Path

from generator.catalog import Catalog
from generator.catalog.source import SourceError, read_source
from generator.errors import DataError, UnreadableInput
from generator.transfer.months import fold

LONG_COLUMNS = ("month", "input", "value")


def read_mapping(path: Path, catalog: Catalog, renamed: list[str] | None = None) -> dict[str, str]:
    """Folded header -> input id or long-form column."""
    try:
        document = read_source(path, what="mapping")
    except SourceError as exc:
        if exc.unreadable:
            raise UnreadableInput(exc.message) from None
        raise DataError(exc.message) from None
    if not isinstance(document.data, dict):
        raise DataError(f"{document.where(())}: a mapping file holds lines of 'report header: input id'")
    mapping: dict[str, str] = {}
    for header, target in document.data.items():
        where = document.where((header,))
        if isinstance(target, str) and target in catalog.renamed:
            if renamed is not None:
                renamed.append(target)
            target = catalog.renamed[target]
        if not isinstance(target, str) or not (target in catalog.inputs or target in LONG_COLUMNS):
            raise DataError(
                f"{where}: {header!r} maps to {target!r}, which is neither an input of catalogue "
                f"'{catalog.id}' nor one of {', '.join(LONG_COLUMNS)}"
            )
        mapping[fold(str(header))] = target
    return mapping
