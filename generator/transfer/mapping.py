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
    errors, followed, mapping = _read(path, catalog)
    if errors:
        raise DataError(errors[0])
    if renamed is not None:
        renamed += [old for old, _where in followed]
    return mapping


def check_mapping(path: Path, catalog: Catalog) -> tuple[list[str], list[str]]:
    """(errors, warnings) for ``catalog check --mapping``: each target naming no input, and each
    naming an input of an earlier version, with the input that ``replaces`` it."""
    errors, followed, _mapping = _read(path, catalog)
    warnings = [
        f"{where}: {old!r} is now {catalog.renamed[old]!r} (it 'replaces' it); rename it in the mapping"
        for old, where in followed
    ]
    return errors, warnings


def _read(path: Path, catalog: Catalog) -> tuple[list[str], list[tuple[str, str]], dict[str, str]]:
    try:
        document = read_source(path, what="mapping")
    except SourceError as exc:
        if exc.unreadable:
            raise UnreadableInput(exc.message) from None
        raise DataError(exc.message) from None
    if not isinstance(document.data, dict):
        raise DataError(f"{document.where(())}: a mapping file holds lines of 'report header: input id'")
    errors: list[str] = []
    followed: list[tuple[str, str]] = []
    mapping: dict[str, str] = {}
    for header, target in document.data.items():
        where = document.where((header,))
        if isinstance(target, str) and target in catalog.renamed:
            followed.append((target, where))
            target = catalog.renamed[target]
        if not isinstance(target, str) or not (target in catalog.inputs or target in LONG_COLUMNS):
            errors.append(
                f"{where}: {header!r} maps to {target!r}, which is neither an input of catalogue "
                f"'{catalog.id}' nor one of {', '.join(LONG_COLUMNS)}"
            )
            continue
        mapping[fold(str(header))] = target
    return errors, followed, mapping
