"""Stream one zip member through expat with the reading limits counted as it goes.

Every part the reader parses goes through ``parse_member``: bytes are inflated in chunks and
counted against ``max_uncompressed_bytes`` (the zip directory can lie about sizes), each element
is counted against ``max_cells`` (a part of a million empty tags costs as much as a million
cells), and text is bounded by ``max_string_chars``. A DTD, entity declaration or external
reference stops the parse (the package checks refuse them before, this is the second lock).
pyexpat is the standard library's C parser: no third-party XML code runs on an untrusted file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import NoReturn
from xml.parsers import expat

from generator.validate.refusals import (
    RESAVE_AGAIN,
    ReadLimits,
    clean,
    entity_refusal,
    human_size,
    over_limit,
    refuse,
)

CHUNK = 256 * 1024
ELEMENTS_PER_CELL = 4
"""XML elements read may be at most this many times ``max_cells``: a cell, its value, formula and
row need four; a file of empty tags costs time like cells do."""
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SEP = "}"
"""Expat joins namespace and local name with this; names read ``{namespace}local``, as in ElementTree."""


class Done(Exception):
    """Raised by a handler that has everything it needs: the rest of the part is not read."""


class _Entity(Exception):
    """A DTD or entity appeared inside a part (the prolog check should have refused it first)."""


class Budget:
    """What one file may cost, shared by every part read from it."""

    def __init__(self, name: str, limits: ReadLimits) -> None:
        self.name = name
        self.limits = limits
        self.inflated = 0
        self.cells = 0
        self.elements = 0

    def too_many(self, what: str, found: int, field: str, limit: int) -> NoReturn:
        refuse(self.name, over_limit(field, f"{what} {found} {_PLURAL[field]}, more than the limit of {limit}"))

    def too_many_elements(self) -> NoReturn:
        most = self.limits.max_cells * ELEMENTS_PER_CELL
        refuse(
            self.name,
            over_limit(
                "max_cells",
                f"has more than {most} XML elements in the parts read ({ELEMENTS_PER_CELL} per cell of the cell limit)",
            ),
        )

    def element(self) -> None:
        """Count one XML element of an index part."""
        self.elements += 1
        if self.elements > self.limits.max_cells * ELEMENTS_PER_CELL:
            self.too_many_elements()


_PLURAL = {
    "max_cells": "cells",
    "max_shared_strings": "shared strings",
    "max_string_chars": "characters in one text",
    "max_rows": "rows",
    "max_columns": "columns",
    "max_name_cells": "cells",
}


def _no_dtd(*_args: object) -> NoReturn:
    raise _Entity


def new_parser(intern: dict[str, str] | None = None) -> expat.XMLParserType:
    """An expat parser with namespaces resolved and no DTD, entity declaration or external entity.

    ``intern`` seeds expat's table of names: names found there are reported as those very
    strings, so a handler can compare them with ``is``.
    """
    parser = expat.ParserCreate(namespace_separator=SEP, intern=intern if intern is not None else {})
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    parser.ordered_attributes = False
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.UnparsedEntityDeclHandler = _no_dtd
    parser.ExternalEntityRefHandler = _no_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def qualified(local: str, namespace: str = MAIN) -> str:
    """The name expat reports for ``local`` in ``namespace`` (``{ns}local`` after the first brace)."""
    return f"{namespace}{SEP}{local}"


def parse_member(
    zf: zipfile.ZipFile,
    member: str,
    budget: Budget,
    parser: expat.XMLParserType,
) -> None:
    """Feed ``member`` to ``parser`` in chunks, counting inflated bytes; any XML error is a refusal.

    A handler may raise ``Done`` to stop early; ``UnreadableWorkbook`` raised by a handler passes
    through as it is.
    """
    limit = budget.limits.max_uncompressed_bytes
    try:
        with zf.open(member) as fh:
            while chunk := fh.read(CHUNK):
                budget.inflated += len(chunk)
                if budget.inflated > limit:
                    refuse(
                        budget.name,
                        over_limit(
                            "max_uncompressed_bytes",
                            f"unpacks to more than the limit of {human_size(limit)} (part {clean(member, 80)})",
                        ),
                    )
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except Done:
        return
    except _Entity:
        entity_refusal(budget.name, f"part {clean(member, 80)} ")
    except expat.ExpatError as exc:
        refuse(
            budget.name,
            f"could not be read: part {clean(member, 80)} is not well-formed XML "
            f"({clean(expat.ErrorString(exc.code), 60)}, line {exc.lineno}); {RESAVE_AGAIN}",
        )


def text_collector(
    parser: expat.XMLParserType, budget: Budget, where: Callable[[], str]
) -> tuple[Callable[[], None], Callable[[], str]]:
    """(start, finish): collect the character data between the two calls, at most max_string_chars.

    The handler is installed only while text is wanted, so whitespace between other elements
    costs no Python call.
    """
    parts: list[str] = []
    size = 0
    most = budget.limits.max_string_chars

    def collect(data: str) -> None:
        nonlocal size
        size += len(data)
        if size > most:
            budget.too_many(f"{where()} holds at least", size, "max_string_chars", most)
        parts.append(data)

    def start() -> None:
        nonlocal size
        parts.clear()
        size = 0
        parser.CharacterDataHandler = collect

    def finish() -> str:
        parser.CharacterDataHandler = None
        text = parts[0] if len(parts) == 1 else "".join(parts)
        parts.clear()
        return text

    return start, finish
