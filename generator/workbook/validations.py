"""XlsxWriter's data validations, each worked out once per process for the same options and cells.

XlsxWriter checks a validation's options (about fifty steps) when it is added and spells its XML
when the sheet is written. An input's validation is the same in every workbook built from a
catalogue and on both years' input sheets (same rule, same messages, same cells), so both steps
are kept: the checked options by the options and cells given, the XML by the checked options.
Only whole-number and decimal rules with number bounds are kept, whose checking and spelling
depend on nothing but those (no dates, no formulas, no lists); anything else is XlsxWriter's own
every time. What is kept is what XlsxWriter produced, so the file is the same byte for byte
(tests/workbook/test_worksheet.py compares).
"""

from __future__ import annotations

import io
from typing import Any

from xlsxwriter.worksheet import Worksheet

_CHECKED: dict[tuple[Any, ...], dict[str, Any]] = {}
_WRITTEN: dict[tuple[Any, ...], str] = {}
MOST_KEPT = 4_096
"""Validations kept per table, at most (a catalogue has one per input): past it the table starts again."""
_KINDS = frozenset({"integer", "decimal", "whole", "whole number"})
_BOUND = (int, float)


def _key(options: dict[str, Any], cells: tuple[int, ...] = ()) -> tuple[Any, ...] | None:
    """The options as a key, or None when they are not of the kinds kept."""
    if options.get("validate") not in _KINDS:
        return None
    for bound in ("minimum", "maximum", "value"):
        found = options.get(bound)
        if found is not None and type(found) not in _BOUND:
            return None
    items = sorted(options.items())
    if "cells" in options:  # a checked validation: its blocks are lists
        items = [(name, _frozen(value)) for name, value in items]
    key = (cells, tuple(items))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _frozen(value: Any) -> Any:
    return tuple(_frozen(item) for item in value) if isinstance(value, list) else value


def _keep(table: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    if len(table) >= MOST_KEPT:
        table.clear()
    table[key] = value


def _copy(checked: dict[str, Any]) -> dict[str, Any]:
    """A checked validation of its own: its list of cell blocks is the only thing in it that can change."""
    return dict(checked, cells=[list(block) for block in checked["cells"]])


class KeptValidations(Worksheet):  # type: ignore[misc]
    """XlsxWriter's worksheet with its data validations kept (see the module's docstring)."""

    fh: Any
    """XlsxWriter's open sheet file (its XML writer's), untyped there."""

    def data_validation(self, *args: Any, **kwargs: Any) -> int:
        """XlsxWriter's ``data_validation``; a whole-number or decimal rule on a block given by numbers is
        checked once per process for the same options and block, then stored as XlsxWriter stored it."""
        options = args[4] if len(args) == 5 else None
        key = None
        if not kwargs and isinstance(options, dict) and all(type(number) is int for number in args[:4]):
            key = _key(options, args[:4])
        found = _CHECKED.get(key) if key is not None else None
        if found is not None:
            self.validations.append(_copy(found))
            return 0
        count = len(self.validations)
        result = int(super().data_validation(*args, **kwargs))
        if key is not None and result == 0 and len(self.validations) == count + 1:
            _keep(_CHECKED, key, _copy(self.validations[-1]))
        return result

    def _write_data_validation(self, options: dict[str, Any]) -> None:
        """XlsxWriter's ``<dataValidation>`` element, spelt once per process for the same checked options."""
        key = _key(options)
        text = _WRITTEN.get(key) if key is not None else None
        if text is None:
            sheet_file = self.fh
            self.fh = io.StringIO()
            try:
                super()._write_data_validation(options)
                text = self.fh.getvalue()
            finally:
                self.fh = sheet_file
            if key is not None:
                _keep(_WRITTEN, key, text)
        self.fh.write(text)
