"""Workbook downloads: a cache of built bytes, and a safe localised file name for Content-Disposition.

Building the CRM workbook costs about 0.1-0.2 s of CPU; many people ask for the same few
combinations, so the bytes are kept by their options (an LRU of ``cache_entries``), and a new
company name is put into a base workbook of the same other options instead of building again.
The file name carries the catalogue's title in the workbook's language, the company and the
year; RFC 6266 gives it as ``filename*`` (UTF-8, so ``Örnek A.Ş.`` survives) with an ASCII
``filename`` for old clients.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Generic, TypeVar
from urllib.parse import quote

from generator.catalog import Catalog
from generator.server.catalogs import text
from generator.server.problems import N_
from generator.workbook.build import BuildResult, build_workbook
from generator.workbook.context import BuildOptions
from generator.workbook.personalise import MARKER, Prepared, can_personalise, prepare

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029/\\:*?"<>|;%]')
_ASCII_MAP = str.maketrans({"ı": "i", "İ": "I", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l"})
_NAME_MAX = 120
Key = tuple[str, str, tuple[str, ...], BuildOptions]
"""Catalogue id, version, the selection of KPIs (() for all of them) and the options."""
T = TypeVar("T")


class _Flights(Generic[T]):
    """A bounded LRU in which concurrent requests for one key wait for one maker."""

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._items: OrderedDict[Key, T] = OrderedDict()
        self._building: dict[Key, threading.Lock] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Key, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            flight = self._building.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in self._items:  # made by the request this one waited for
                    return self._items[key]
            try:
                result = make()
                with self._lock:
                    if self._entries > 0:
                        self._items[key] = result
                        while len(self._items) > self._entries:
                            self._items.popitem(last=False)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            return result


class BuildCache:
    """Built workbooks by (catalogue, options), and one prepared base per set of options but the company.

    A burst of visitors asking for the same workbook costs one build, not twenty; a company not
    seen before costs a personalisation of its options' base (``generator.workbook.personalise``,
    as ``build --batch`` does: a few milliseconds against a build's 0.1-0.2 s), byte for byte what
    a build gives.
    """

    def __init__(self, entries: int) -> None:
        self.results: _Flights[BuildResult] = _Flights(entries)
        self.bases: _Flights[Prepared | None] = _Flights(entries)

    def build(self, catalog: Catalog, options: BuildOptions) -> BuildResult:
        """``catalog`` may be cut to a selection (``Catalog.selection``): it is part of the key."""
        key = (catalog.id, catalog.version, catalog.selection, options)
        return self.results.get(key, lambda: self._make(catalog, options))

    def _make(self, catalog: Catalog, options: BuildOptions) -> BuildResult:
        if can_personalise(options.company):
            marked = replace(options, company=MARKER)
            base = self.bases.get(
                (catalog.id, catalog.version, catalog.selection, marked),
                lambda: prepare(build_workbook(catalog, marked)),
            )
            personalised = base.personalise(options.company) if base is not None else None
            if personalised is not None:
                return personalised
        return build_workbook(catalog, options)


def file_name(catalog: Catalog, options: BuildOptions, gettext: Callable[[str], str], total: int = 0) -> str:
    """``CRM KPI Panosu - Örnek A.Ş. 2026.xlsx``: readable, localised, with nothing a file system refuses.

    ``gettext`` speaks the workbook's language, like the title. A workbook of a selection says so
    (``(3 of 26 KPIs)``, ``total`` being the whole catalogue's count), so the name does not promise
    the whole catalogue.
    """
    title = text(catalog.title, options.locale, catalog)
    company = options.company
    stem = f"{title} - {company} {options.year}" if company else f"{title} {options.year}"
    if catalog.selection:
        chosen = len(catalog.selection)
        stem += " (" + gettext(N_("{chosen} of {total} KPIs")).format(chosen=chosen, total=max(total, chosen)) + ")"
    if options.sample:
        stem += " (" + gettext(N_("sample data")) + ")"
    return safe_name(stem) + ".xlsx"


def visible(text: str) -> str:
    """``text`` without format characters (Unicode category Cf): the bidirectional overrides, embeddings
    and isolates (U+202A-E, U+2066-9, U+061C, U+200E-F) that can show ``gpj.exe`` as ``exe.jpg``, and the
    invisible ones (U+200B-D, U+2060, U+FEFF, U+00AD) that make two names look alike."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def safe_name(stem: str) -> str:
    cleaned = " ".join(_UNSAFE.sub(" ", visible(stem)).split()).strip(" .")
    return cleaned[:_NAME_MAX].rstrip(" .") or "workbook"


def ascii_name(name: str) -> str:
    """The closest ASCII spelling (Ö -> O, ş -> s, ı -> i); anything else becomes ``_``."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_ASCII_MAP))
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if 32 <= ord(ch) < 127 else "_" for ch in letters)


def content_disposition(name: str) -> str:
    """RFC 6266: an ASCII ``filename`` and the exact UTF-8 ``filename*`` (RFC 8187 percent-encoding)."""
    return f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
