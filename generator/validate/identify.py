"""Which template a file is: its document properties, or its defined names when those were lost,
give the catalogue, its version and the workbook's language."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.catalog import Catalog, load_catalog
from generator.catalog.bundled import bundled, find_bundled
from generator.errors import UnreadableWorkbook, UserError
from generator.i18n import Messages
from generator.i18n.compiled import file_stamp
from generator.i18n.messages import find_po, pot_path
from generator.template.layout import EARLIER_LAYOUTS, MONTHS
from generator.validate.book import Book
from generator.validate.findings import Code, Finding, Severity

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_GROUP_OVER = 10
"""More problems of one kind than this are reported as one finding, not a screenful."""
_PROPERTIES = (
    "catalog_id",
    "catalog_version",
    "locale",
    "currency",
    "generator_version",
    "layout_version",
    "first_month",
)


@dataclass(frozen=True)
class TemplateInfo:
    """The custom document properties the writer stores (each may be missing in a foreign file)."""

    properties: dict[str, str]
    inferred: bool = False
    """True when the properties were lost and the template was recognised by its defined names."""

    def get(self, name: str) -> str | None:
        value = self.properties.get(name, "").strip()
        return value or None

    @property
    def locale(self) -> str:
        """The workbook's language; anything that is not a plain locale code (a path, say) reads as English."""
        code = self.get("locale") or "en"
        return code if _LOCALE.match(code) else "en"

    @property
    def first_month(self) -> int | None:
        text = self.get("first_month") or ""
        return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None

    @property
    def month_names(self) -> list[str]:
        names = [n.strip() for n in (self.get("month_names") or "").split(",")]
        return names if len(names) == MONTHS and all(names) else []

    def as_dict(self) -> dict[str, str | None]:
        return {name: self.get(name) for name in _PROPERTIES}


def load_messages(locale: str) -> Messages:
    """Finding texts in the workbook's language, English where a translation is missing or unreadable.

    One object per locale while its files are unchanged (their size and time are the key, as for the
    bundled catalogues): a server validating many files reads each locale once, and what is kept per
    template (``planned``) knows the texts by this object. Callers only look texts up."""
    files = (find_po(locale), pot_path())
    return _load_messages(locale, tuple((path, file_stamp(path)) for path in files))


@functools.lru_cache(maxsize=16)
def _load_messages(locale: str, _files: tuple[tuple[Path, tuple[int, int]], ...]) -> Messages:
    try:
        return Messages.load(locale, fallback="en")
    except UserError:
        return Messages("en", {})


def template_catalog(info: TemplateInfo, catalog_path: Path | None, label: str) -> Catalog:
    """The catalogue the file was built from: ``--catalog``, else kpi_catalog/<catalog_id>.yaml.

    A file that does not say which catalogue it comes from cannot be validated: UnreadableWorkbook.
    A workbook built with a selection of KPIs (``build --kpis``) is read against the catalogue cut
    the same way.
    """
    from generator.catalog.selection import recorded_selection

    return _selected(_whole_catalog(info, catalog_path, label), recorded_selection(info.properties))


@functools.lru_cache(maxsize=16)
def _selected(catalog: Catalog, recorded: str | None) -> Catalog:
    """``apply_recorded``, kept per catalogue object (compared by identity) and selection: every file of
    one selection then gets the same catalogue object, which what is kept per template is keyed by."""
    from generator.catalog.selection import apply_recorded

    return apply_recorded(catalog, recorded)


def _whole_catalog(info: TemplateInfo, catalog_path: Path | None, label: str) -> Catalog:
    catalog_id = info.get("catalog_id")
    if catalog_path is not None:
        chosen = load_catalog(catalog_path)
        if catalog_id is not None and catalog_id != chosen.id:  # every cell would differ: 1,185 findings
            raise UserError(
                f"{label}: this workbook is {catalog_id}, not {chosen.id}; leave out --catalog to check it "
                f"against the {catalog_id} catalogue it was built from"
            )
        return chosen
    if catalog_id is None:
        raise UnreadableWorkbook(
            f"{label}: not a kpigen workbook: it has no catalog_id document property; "
            "if it was built from a catalogue, pass --catalog PATH"
        )
    if not _ID.match(catalog_id):
        raise UnreadableWorkbook(f"{label}: its catalog_id property is not a catalogue id; pass --catalog PATH")
    path = bundled_catalog(catalog_id, info.get("catalog_version"))
    if path is not None:
        return load_bundled(path)
    raise UnreadableWorkbook(
        f"{label}: it was built from catalogue '{catalog_id}', which is not bundled with kpigen "
        "(see 'kpigen catalog list'); pass --catalog PATH"
    )


def load_bundled(path: Path) -> Catalog:
    """A bundled catalogue, read once per process while its file is unchanged: a server or a batch
    validates many workbooks of the same few catalogues (a quarter of a validation was reading
    it again). A ``--catalog`` file is always read afresh."""
    stat = path.stat()
    return _load_bundled(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _load_bundled(path: Path, _mtime_ns: int, _size: int) -> Catalog:
    return load_catalog(path)


def bundled_catalog(catalog_id: str, version: str | None = None) -> Path | None:
    """The bundled catalogue file of ``catalog_id`` in ``version`` when that version is still shipped,
    else its newest version (``generator.catalog.bundled``: any file name, read by its declared id
    and version); None when no bundled catalogue has that id."""
    found = find_bundled(catalog_id, version)
    return None if found is None else found.path


def recognise(book: Book) -> TemplateInfo | None:
    """Identify a workbook whose document properties were lost (Google Sheets drops them on
    download) by its defined names: the catalogue whose KPIs include all the file's ``kpi_``
    names (exactly, else as a selection; of several versions, the one whose inputs match its
    ``in_`` names best), and the
    locale whose sheet names the file has."""
    from generator.i18n import Texts
    from generator.template.layout import sheet_names

    kpis = {name[4:] for name in book.defined_names() if name.startswith("kpi_")}
    inputs = {name[3:] for name in book.defined_names() if name.startswith("in_")}
    if not kpis:
        return None
    candidates = []
    for entry in bundled():
        try:
            catalog = load_bundled(entry.path)
        except UserError:
            continue
        if kpis <= set(catalog.kpis):  # all of them, or a selection (build --kpis)
            candidates.append(catalog)
    if not candidates:
        return None
    # Two versions of one catalogue may share their KPIs but not their inputs: the closest wins.
    whole = min(candidates, key=lambda c: (len(set(c.kpis) - kpis), len(set(c.inputs) ^ inputs)))
    from generator.catalog.selection import restrict

    catalog = restrict(whole, kpis)
    found = {"catalog_id": catalog.id, "catalog_version": catalog.version}
    if catalog.selection:
        found["kpis"] = ",".join(catalog.selection)
    for locale in catalog.locales:
        try:
            names = sheet_names(Texts.for_build(catalog, locale, "USD", fallback=catalog.default_locale))
        except UserError:
            continue
        if book.has_sheet(names.inputs) and book.has_sheet(names.kpis):
            return TemplateInfo({**found, "locale": locale}, inferred=True)
    return TemplateInfo(found, inferred=True)


def identity_findings(info: TemplateInfo, catalog: Catalog, _: Callable[[str], str]) -> list[Finding]:
    """Warnings when the file and the catalogue (or the layout) are of different versions."""
    from generator.template.layout import LAYOUT_VERSION

    findings: list[Finding] = []
    if info.inferred:
        findings.append(
            Finding(
                Severity.WARNING,
                Code.PROPERTIES_LOST,
                _(
                    "The workbook has lost its document properties (Google Sheets, for one, drops them); it was "
                    "recognised as catalogue {catalog_id} by its defined names."
                ).format(catalog_id=catalog.id),
                value=None,
                expected=catalog.id,
            )
        )
    file_id, version = info.get("catalog_id"), info.get("catalog_version")
    if file_id is not None and file_id != catalog.id:
        findings.append(
            Finding(
                Severity.WARNING,
                Code.CATALOG_MISMATCH,
                _(
                    "The workbook was built from catalogue {file_id}, but it is checked against catalogue {catalog_id}."
                ).format(file_id=file_id, catalog_id=catalog.id),
                value=file_id,
                expected=catalog.id,
            )
        )
    elif version is not None and version != catalog.version:
        findings.append(
            Finding(
                Severity.WARNING,
                Code.CATALOG_VERSION,
                _(
                    "The workbook was built from version {file_version} of catalogue {catalog_id}; this is version "
                    "{version}. Regenerate the workbook if inputs or KPIs changed."
                ).format(file_version=version, catalog_id=catalog.id, version=catalog.version),
                value=version,
                expected=catalog.version,
            )
        )
    layout_version = info.get("layout_version")
    if layout_version is not None and layout_version != LAYOUT_VERSION:
        if layout_version in EARLIER_LAYOUTS:
            message = _(
                "The workbook has layout version {found}, from an earlier release, and is checked as it was built; "
                "`kpigen regenerate` brings it to layout {expected}, whose Dashboard compares with the prior year."
            )
        else:
            message = _(
                "The workbook has layout version {found}; this validator knows version {expected}, so some "
                "checks may report differences that are not mistakes."
            )
        findings.append(
            Finding(
                Severity.WARNING,
                Code.LAYOUT_VERSION,
                message.format(found=layout_version, expected=LAYOUT_VERSION),
                value=layout_version,
                expected=LAYOUT_VERSION,
            )
        )
    raw_locale = info.get("locale")
    if raw_locale is not None and raw_locale != info.locale:
        findings.append(
            Finding(
                Severity.WARNING,
                Code.LOCALE,
                _("The workbook's locale property is not a locale code; messages are in English."),
                value=raw_locale,
            )
        )
    return findings
