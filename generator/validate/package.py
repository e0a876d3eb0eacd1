"""The small parts that say what a workbook holds: content types, relationships, the workbook
part (sheets, defined names, date system), document properties, shared strings and number styles.

Each is streamed through ``xml_stream`` under the file's budget, so a part of a million
elements is refused as it is read, not after it was built in memory.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import Any

from generator.validate.cell_values import (
    DATE_BUILTINS,
    MAC_EPOCH,
    TIMEDELTA_BUILTINS,
    WINDOWS_EPOCH,
    is_date_format,
    is_timedelta_format,
)
from generator.validate.plain_parts import plain_shared_strings, styles_key
from generator.validate.refusals import clean, human_size, refuse
from generator.validate.xml_stream import (
    ELEMENTS_PER_CELL,
    REL,
    SEP,
    Budget,
    Done,
    new_parser,
    parse_member,
    qualified,
    text_collector,
)

CONTENT_TYPES = "[Content_Types].xml"
CUSTOM_PROPERTIES = "docProps/custom.xml"  # where Excel, LibreOffice and openpyxl keep them
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_MAX_INDEX_PART = 16 * 1024 * 1024  # an index part (content types, rels, workbook) bigger than this is not genuine


def _local(tag: str) -> str:
    return tag.rsplit(SEP, 1)[-1]


def _check_size(zf: zipfile.ZipFile, member: str, name: str) -> None:
    size = zf.getinfo(member).file_size
    if size > _MAX_INDEX_PART:
        refuse(name, f"could not be read: part {clean(member, 80)} is implausibly large ({human_size(size)})")


def _elements(zf: zipfile.ZipFile, member: str, budget: Budget, *wanted: str) -> list[tuple[str, dict[str, str]]]:
    """(local name, attributes) of every element named one of ``wanted`` in an index part (any namespace)."""
    _check_size(zf, member, budget.name)
    found: list[tuple[str, dict[str, str]]] = []
    parser = new_parser()

    def start(tag: str, attrs: dict[str, str]) -> None:
        budget.element()
        local = _local(tag)
        if local in wanted:
            found.append((local, attrs))

    parser.StartElementHandler = start
    parse_member(zf, member, budget, parser)
    return found


def content_types(zf: zipfile.ZipFile, budget: Budget) -> tuple[dict[str, str], dict[str, str]]:
    """Overrides (part name -> type) and defaults (extension -> type) from [Content_Types].xml."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for local, attrs in _elements(zf, CONTENT_TYPES, budget, "Override", "Default"):
        if local == "Override" and attrs.get("PartName"):
            overrides[attrs["PartName"].lstrip("/")] = attrs.get("ContentType", "")
        elif local == "Default" and attrs.get("Extension"):
            defaults[attrs["Extension"].lower()] = attrs.get("ContentType", "")
    return overrides, defaults


def resolve(folder: str, target: str) -> str:
    """A relationship target as a zip member name, normalised the way openpyxl does it."""
    return target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def relationships(zf: zipfile.ZipFile, part: str, names: set[str], budget: Budget) -> dict[str, tuple[str, str]]:
    """A part's internal relationships: id -> (type, target member)."""
    folder, base = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", f"{base}.rels")
    targets: dict[str, tuple[str, str]] = {}
    if rels_part in names:
        for _, rel in _elements(zf, rels_part, budget, "Relationship"):
            if rel.get("TargetMode") != "External":
                targets[rel.get("Id", "")] = (rel.get("Type", ""), resolve(folder, rel.get("Target", "")))
    return targets


@dataclass(frozen=True)
class SheetEntry:
    name: str
    part: str
    chart: bool


@dataclass
class WorkbookIndex:
    """What workbook.xml and its relationships say."""

    sheets: list[SheetEntry] = field(default_factory=list)
    defined_names: dict[str, str] = field(default_factory=dict)
    """Workbook-level names (no ``localSheetId``) -> target text, the last one winning, as in openpyxl."""
    epoch: Any = WINDOWS_EPOCH
    shared_strings: str | None = None
    styles: str | None = None


def workbook_index(zf: zipfile.ZipFile, part: str, names: set[str], budget: Budget) -> WorkbookIndex:
    """Sheets (in order, those whose part exists), workbook-level defined names, and the date system."""
    _check_size(zf, part, budget.name)
    rels = relationships(zf, part, names, budget)
    index = WorkbookIndex()
    parser = new_parser()
    defined: dict[str, str] | None = None
    start_text, finish_text = text_collector(parser, budget, lambda: "a defined name")
    sheet, name_tag, pr_tag = qualified("sheet"), qualified("definedName"), qualified("workbookPr")
    rel_id = f"{REL}{SEP}id"

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal defined
        budget.element()
        if tag == sheet:
            rel_type, target = rels.get(attrs.get(rel_id, ""), ("", ""))
            if target in names:
                index.sheets.append(SheetEntry(attrs.get("name", ""), target, "chartsheet" in rel_type))
        elif tag == name_tag:
            defined = attrs
            start_text()
        elif tag == pr_tag and attrs.get("date1904", "").lower() in ("1", "true"):
            index.epoch = MAC_EPOCH

    def end(tag: str) -> None:
        nonlocal defined
        if tag == name_tag and defined is not None:
            text = finish_text()
            if "localSheetId" not in defined and defined.get("name"):
                index.defined_names[defined["name"]] = text
            defined = None

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parse_member(zf, part, budget, parser)
    for rel_type, target in rels.values():
        if target in names and rel_type.endswith("/sharedStrings"):
            index.shared_strings = target
        elif target in names and rel_type.endswith("/styles"):
            index.styles = target
    return index


def custom_properties(zf: zipfile.ZipFile, names: set[str], budget: Budget) -> dict[str, str]:
    """Custom document properties as text (``vt:i4`` 5 reads "5", ``vt:bool`` true reads "True")."""
    if CUSTOM_PROPERTIES not in names:
        return {}
    found: dict[str, str] = {}
    parser = new_parser()
    current: str | None = None
    kind = ""
    start_text, finish_text = text_collector(parser, budget, lambda: "a document property")
    prop = f"{_CUSTOM_NS}{SEP}property"

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal current, kind
        budget.element()
        if tag == prop:
            current = attrs.get("name")
        elif current is not None and not kind:
            kind = _local(tag)
            start_text()

    def end(tag: str) -> None:
        nonlocal current, kind
        if tag == prop:
            current, kind = None, ""
        elif current is not None and kind and _local(tag) == kind:
            found[current] = _property_text(kind, finish_text())

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parse_member(zf, CUSTOM_PROPERTIES, budget, parser)
    return found


def _property_text(kind: str, text: str) -> str:
    try:
        if kind in ("i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint"):
            return str(int(text))
        if kind in ("r4", "r8", "decimal"):
            return str(float(text))
        if kind == "bool":
            return str(text.strip().lower() in ("1", "true"))
    except ValueError:
        pass
    return text


def shared_strings(zf: zipfile.ZipFile, part: str | None, budget: Budget) -> list[str]:
    """The shared string table, each rich-text string flattened to its text (phonetic runs left out).

    Written inline like the sheet reader: a table may hold hundreds of thousands of strings.
    """
    if part is None:
        return []
    plain = plain_shared_strings(zf, part, budget)
    if plain is not None:
        return plain
    strings: list[str] = []
    limits = budget.limits
    most_strings = limits.max_shared_strings
    most_elements = limits.max_cells * ELEMENTS_PER_CELL
    elements = budget.elements
    parser = new_parser({name: name for name in (_SI, _T, _RPH)})
    pieces: list[str] = []
    inside = phonetic = False
    start_text, finish_text = text_collector(parser, budget, lambda: f"shared string {len(strings) + 1}")

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal inside, phonetic, elements
        elements += 1
        if elements > most_elements:
            budget.too_many_elements()
        if tag is _T:
            if not phonetic:
                inside = True
                start_text()
        elif tag is _SI:
            if len(strings) >= most_strings:
                budget.too_many("has at least", len(strings) + 1, "max_shared_strings", most_strings)
            pieces.clear()
        elif tag is _RPH:
            phonetic = True

    def end(tag: str) -> None:
        nonlocal inside, phonetic
        if inside:
            pieces.append(finish_text())
            inside = False
        elif tag is _SI:
            found = pieces[0] if len(pieces) == 1 else "".join(pieces)
            strings.append(found.replace("x005F_", "") if "x005F_" in found else found)
        elif tag is _RPH:
            phonetic = False

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parse_member(zf, part, budget, parser)
    finally:
        budget.elements = elements
    return strings


_SI, _T, _RPH = (qualified(x) for x in ("si", "t", "rPh"))


def _is_index(text: str) -> bool:
    """Decimal digits int() reads ("²" is a digit to isdigit(), and 5,000 digits are too many for int())."""
    return len(text) < 10 and text.isdecimal()


def date_styles(zf: zipfile.ZipFile, part: str | None, budget: Budget) -> tuple[frozenset[int], frozenset[int]]:
    """Indexes of the cell styles whose number format shows a date, and of those showing a duration."""
    if part is None:
        return frozenset(), frozenset()
    key = styles_key(zf, part, budget)
    known = _KNOWN_STYLES.get(key) if key is not None else None
    if known is not None and _affordable(budget, known[2], known[3]):
        budget.elements += known[2]
        budget.inflated += known[3]
        return known[0], known[1]
    elements, inflated = budget.elements, budget.inflated
    found = _date_styles(zf, part, budget)
    if key is not None and len(_KNOWN_STYLES) < _STYLES_KEPT:
        _KNOWN_STYLES[key] = (*found, budget.elements - elements, budget.inflated - inflated)
    return found


_KNOWN_STYLES: dict[bytes, tuple[frozenset[int], frozenset[int], int, int]] = {}
"""A styles part's digest -> its date and duration styles and what reading it cost the budget. Filled
templates share their styles part byte for byte; only style numbers are kept, never a format's text."""
_STYLES_KEPT = 256


def _affordable(budget: Budget, elements: int, inflated: int) -> bool:
    """Whether the budget can pay for a known part without reaching a limit (else it is read, and refused)."""
    limits = budget.limits
    return (
        budget.elements + elements <= limits.max_cells * ELEMENTS_PER_CELL
        and budget.inflated + inflated <= limits.max_uncompressed_bytes
    )


def _date_styles(zf: zipfile.ZipFile, part: str, budget: Budget) -> tuple[frozenset[int], frozenset[int]]:
    custom, formats = _number_formats(zf, part, budget)
    dates, durations = set(), set()
    for style, format_id in enumerate(formats):
        code = custom.get(format_id)
        if code is None:
            dates.update([style] if format_id in DATE_BUILTINS else [])
            durations.update([style] if format_id in TIMEDELTA_BUILTINS else [])
        else:
            dates.update([style] if is_date_format(code) else [])
            durations.update([style] if is_timedelta_format(code) else [])
    return frozenset(dates), frozenset(durations)


def _number_formats(zf: zipfile.ZipFile, part: str, budget: Budget) -> tuple[dict[int, str], list[int]]:
    """(custom formats by id, each cell style's format id), streamed up to the end of ``<cellXfs>``."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    parser = new_parser()
    num_fmt, cell_xfs, xf = qualified("numFmt"), qualified("cellXfs"), qualified("xf")
    in_xfs = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal in_xfs
        budget.element()
        if tag == num_fmt and _is_index(attrs.get("numFmtId", "")):
            custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif tag == cell_xfs:
            in_xfs = True
        elif tag == xf and in_xfs:
            found = attrs.get("numFmtId", "0")
            formats.append(int(found) if _is_index(found) else 0)

    def end(tag: str) -> None:
        if tag == cell_xfs:
            raise Done

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parse_member(zf, part, budget, parser)
    return custom, formats
