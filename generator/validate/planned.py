"""The formulas a template should hold (``expected``), worked out once per template and kept.

A server or a batch validates many files of the same few templates, and the expected formulas of
one depend only on what the key below lists: the catalogue and the finding texts (the same
objects while their files are unchanged: ``identify.load_bundled``, ``identify.load_messages``),
the layout the file's defined names give, the month labels, the sheets, and the few document
properties and names ``expected`` reads. Never the cells a user typed: the kept entries hold no
user data beyond those labels and names, and a file that differs in any of them gets its own
entry. Bounded: the least recently used entry goes first.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, fields

from generator.template.layout import Layout
from generator.validate.context import Check
from generator.validate.expected import Expected, expected_formulas
from generator.validate.per_template import PerTemplate
from generator.validate.sheet_cells import COLUMN_BITS
from generator.validate.spelling import plain_sheets, unquoted

MOST_KEPT = 8
"""Templates kept at once: a server sees a few catalogues in a few languages and layouts."""


@dataclass(frozen=True)
class Planned:
    """The expected formulas in ``expected``'s order, each with the spellings that match it as text."""

    expected: tuple[Expected, ...]
    spellings: tuple[tuple[str, ...], ...]
    """The writer's text and LibreOffice's (sheet names unquoted), when they start with '='."""
    keys: tuple[int, ...]
    """Each cell as ``Book.stored`` keys it (``row << COLUMN_BITS | col``)."""


_kept: PerTemplate[Planned] = PerTemplate(MOST_KEPT)


def planned(check: Check) -> Planned:
    """The expected formulas of ``check``'s template, kept per template (see the module's docstring)."""
    key = template_key(check)
    found = _kept.get(key)
    if found is not None:
        return found
    expected = tuple(expected_formulas(check))
    bare = plain_sheets(check.book.sheetnames)
    spellings = tuple(_spellings(item.formula, bare) for item in expected)
    return _kept.keep(key, Planned(expected, spellings, tuple(item.row << COLUMN_BITS | item.col for item in expected)))


def _spellings(formula: str, bare: list[tuple[str, str]]) -> tuple[str, ...]:
    """What ``formulas._same`` accepts as plain text: the formula, and unquoted when it quotes a sheet."""
    found = [formula, unquoted(formula, bare)] if "'" in formula else [formula]
    return tuple(text for text in found if text.startswith("="))


def template_key(check: Check) -> Hashable:
    """Everything ``expected_formulas`` reads, as one hashable value. The catalogue and messages are
    compared by identity: immutable objects held by the key, so they are never mistaken for another."""
    book, located, catalog = check.book, check.located, check.catalog
    names = book.defined_names()
    properties = book.properties()
    read_names = (
        names.get("list_months"),
        tuple(names.get("py_in_" + item) for item in catalog.inputs),
        tuple(names.get("py_kpi_" + item) for item in catalog.kpis),
    )
    return (
        _Identity(catalog),
        _Identity(check.messages),
        tuple(book.sheetnames),
        tuple(sheet for sheet in book.sheetnames if book.is_worksheet(sheet)),
        layout_key(located.layout),
        frozenset(located.inputs),
        frozenset(located.kpis),
        frozenset(located.targets),
        located.labels_row,
        tuple(check.labels),
        read_names,
        properties.get("layout_version"),
        properties.get("currency"),
    )


def layout_key(layout: Layout) -> Hashable:
    """A layout's every field as a hashable value (its row tables as tuples of their items, in order)."""
    parts: list[Hashable] = []
    for item in fields(layout):
        value = getattr(layout, item.name)
        parts.append(tuple(value.items()) if isinstance(value, dict) else value)
    return tuple(parts)


class _Identity:
    """An object compared by identity, held (so that its id is never reused while it is kept)."""

    __slots__ = ("item",)

    def __init__(self, item: object) -> None:
        self.item = item

    def __hash__(self) -> int:
        return id(self.item)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Identity) and other.item is self.item
