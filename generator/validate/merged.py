"""Merged cells of a workbook's sheets, read from the package itself.

A merged block shows only its first cell; Excel empties the others, LibreOffice may keep
their values hidden, and openpyxl reads them as empty. Months typed into a merged block are
therefore read differently by each program, and the validator must say so at the block
instead of reporting the KPIs that differ as "recalculate". The ``<mergeCells>`` list comes
after a sheet's cells, so it is streamed past them; the file has already passed ``safe_open``'s
size, ratio and entity checks when this runs.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from generator.validate.book import Range, parse_reference

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_MERGES = 10_000
"""More merged blocks than this on one sheet are not read (the template has a few dozen)."""


def merged_ranges(path: Path, sheets: set[str]) -> dict[str, list[Range]]:
    """The merged blocks of each named sheet; an unreadable part simply gives none."""
    found: dict[str, list[Range]] = {}
    try:
        with zipfile.ZipFile(path) as package:
            for sheet, member in _sheet_members(package).items():
                if sheet in sheets:
                    found[sheet] = _merges(package, member, sheet)
    except (OSError, zipfile.BadZipFile, etree.LxmlError, KeyError, ValueError):
        return found
    return found


def _parser_options() -> dict[str, bool]:
    return {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}


def _sheet_members(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part (``xl/worksheets/sheet3.xml``), through the workbook's relationships."""
    parser = etree.XMLParser(**_parser_options())
    book = etree.fromstring(package.read("xl/workbook.xml"), parser)
    rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"), parser)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PACKAGE_REL}Relationship")}
    members: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"))
        name = sheet.get("name")
        if target and name:
            members[name] = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    return members


def _merges(package: zipfile.ZipFile, member: str, sheet: str) -> list[Range]:
    ranges: list[Range] = []
    with package.open(member) as stream:
        for _event, element in etree.iterparse(stream, events=("end",), **_parser_options()):
            if element.tag == f"{_MAIN}mergeCell":
                quoted = sheet.replace("'", "''")
                found = parse_reference(f"'{quoted}'!{element.get('ref', '')}")
                if found is not None:
                    ranges.append(found)
                if len(ranges) >= MAX_MERGES:
                    break
            element.clear()  # keep memory flat over a sheet's cells
    return ranges
