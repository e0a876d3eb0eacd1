"""The shared strings and the number styles of a plain workbook, read without one Python call per element.

``package`` streams these parts through expat with a handler per element. Spreadsheets write them
plainly: a string table of ``<si><t>text</t></si>`` only, and styles whose elements carry no
prefix. For those, expat checks what it must without calling Python (or the table is well-formed
by its strict spelling), regular expressions find the strings and the styles' number formats, and
the budget is counted as the stream counts it. Anything else gives None and the stream reads the
part, refusing as it does.
"""

from __future__ import annotations

import hashlib
import re
import zipfile

from generator.validate.plain_cells import _TEXT, _WS, NotPlain, unescape
from generator.validate.xml_stream import CHUNK, ELEMENTS_PER_CELL, MAIN, Budget, new_parser

_TABLE = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml [^<>]*\?>)?[ \t\n]*"
    rb'<sst xmlns="' + MAIN.encode() + rb'"(?: count="[0-9]{1,10}")?(?: uniqueCount="[0-9]{1,10}")?>'
)
"""The string table's declaration and start tag, strictly spelled."""
_STRING = re.compile(r'<si><t(?: xml:space="preserve")?>(' + _TEXT + r")</t></si>|<si><t/></si>|([^ \t\n][^< \t\n]*)")
"""One plain string (its text), or anything else (group 2) up to the next "<" or space."""
_DECLARED = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding=["']([A-Za-z0-9_-]+)["']""")
_TABLE_END = re.compile(rb"</sst>" + _WS.encode() + rb"\Z")
_PREFIXED = re.compile(rb"<[A-Za-z_][^\s/>]*:|xmlns:")
_TAG_ATTRIBUTES = rb'((?:[ \t\n]+[A-Za-z_][A-Za-z0-9_.:-]*="[^"<\t\n\r]*")*)[ \t\n]*/?>'
"""A start tag's attributes, strictly spelled (double quotes, no white space for expat to normalise)."""
_NUMBER_FORMAT, _NUMBER_FORMAT_TAG = re.compile(rb"<numFmt" + _TAG_ATTRIBUTES), re.compile(rb"<numFmt[\s/>]")
_FORMAT, _FORMAT_TAG = re.compile(rb"<xf" + _TAG_ATTRIBUTES), re.compile(rb"<xf[\s/>]")
_FORMATS = re.compile(rb"<cellXfs[\s/>]")
_ATTRIBUTE = re.compile(rb'[ \t\n](numFmtId|formatCode)="([^"]*)"')


def _member(zf: zipfile.ZipFile, part: str, budget: Budget) -> bytes | None:
    """The whole part when it is small, unencrypted and UTF-8 (the stream's first read), else None."""
    info = zf.getinfo(part)
    if info.file_size > CHUNK or info.flag_bits & 0x1:
        return None
    with zf.open(info) as fh:
        data = fh.read(CHUNK + 1)
    if len(data) > CHUNK or budget.inflated + len(data) > budget.limits.max_uncompressed_bytes:
        return None
    declared = _DECLARED.match(data)
    if declared is not None and declared.group(1).upper() not in (b"UTF-8", b"UTF8"):
        return None  # expat reads it in another encoding than the one the expressions assume
    if data.count(b"<?") != (1 if data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml ") else 0):
        return None  # a processing instruction may hold text shaped like elements: only the declaration
    return None if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data


def plain_shared_strings(zf: zipfile.ZipFile, part: str, budget: Budget) -> list[str] | None:
    """The string table as ``package.shared_strings`` reads it, or None when the stream must read it."""
    try:
        data = _member(zf, part, budget)
        if data is None:
            return None
        head = _TABLE.match(data)
        tail = _TABLE_END.search(data)
        if head is None or tail is None or tail.start() < head.end():
            return None
        parser = new_parser()
        parser.Parse(data[: head.end()] + b"</sst>", True)  # the declaration, checked in C
        body = data[head.end() : tail.start()].decode()
        if "]" in body and "]]>" in body:  # (a search for one character is the quick one)
            return None
        limits = budget.limits
        most = limits.max_string_chars
        strings: list[str] = []
        for text, other in _STRING.findall(body):
            if other:
                return None
            if "&" in text or len(text) > most:
                text = unescape(text, most)
            strings.append(text.replace("x005F_", "") if "x005F_" in text else text)
        elements = budget.elements + 1 + 2 * len(strings)
        if len(strings) > limits.max_shared_strings or elements > limits.max_cells * ELEMENTS_PER_CELL:
            return None
    except MemoryError:
        raise
    except Exception:  # not plain, or anything unforeseen: the stream reads it, and decides
        return None
    budget.inflated += len(data)
    budget.elements = elements
    return strings


def styles_key(zf: zipfile.ZipFile, part: str, budget: Budget) -> bytes | None:
    """A digest of a small styles part's bytes (BLAKE2b, so no crafted part can share another's), or None."""
    try:
        data = _member(zf, part, budget)
    except MemoryError:
        raise
    except Exception:  # the stream meets the error again and refuses with its message
        return None
    return None if data is None else hashlib.blake2b(data, digest_size=32).digest()


def plain_number_formats(zf: zipfile.ZipFile, part: str, budget: Budget) -> tuple[dict[int, str], list[int]] | None:
    """(custom formats by id, each cell style's format id) as ``package.date_styles`` reads them, or None."""
    try:
        data = _member(zf, part, budget)
        end = -1 if data is None else data.find(b"</cellXfs>")
        if data is None or end < 0:
            return None
        region = data[: end + len(b"</cellXfs>")]
        if b"<!" in region or _PREFIXED.search(region) or region.count(b'xmlns="') != 1:
            return None  # every element in the main namespace, as the stream's names are
        if b'xmlns="' + MAIN.encode() + b'"' not in region:
            return None
        new_parser().Parse(region, False)  # well-formed up to where the stream stops, checked in C
        elements = budget.elements + region.count(b"<") - region.count(b"</") - region.count(b"<?")
        if elements > budget.limits.max_cells * ELEMENTS_PER_CELL:
            return None
        custom: dict[int, str] = {}
        for attrs in _tags(_NUMBER_FORMAT, _NUMBER_FORMAT_TAG, region, 0):
            identifier = attrs.get("numFmtId", "")
            if len(identifier) < 10 and identifier.isdecimal():
                custom[int(identifier)] = attrs.get("formatCode", "")
        starts = _FORMATS.search(region)
        formats: list[int] = []
        for attrs in _tags(_FORMAT, _FORMAT_TAG, region, starts.end() if starts else len(region)):
            identifier = attrs.get("numFmtId", "0")
            formats.append(int(identifier) if len(identifier) < 10 and identifier.isdecimal() else 0)
    except MemoryError:
        raise
    except Exception:
        return None
    budget.inflated += len(data)
    budget.elements = elements
    return custom, formats


def _tags(tag: re.Pattern[bytes], any_tag: re.Pattern[bytes], region: bytes, start: int) -> list[dict[str, str]]:
    """The wanted attributes (``numFmtId``, ``formatCode``) of every start tag ``tag`` finds from ``start``,
    entities resolved as expat resolves them; NotPlain when one such tag is spelled otherwise."""
    found = [
        {
            name.decode(): unescape(value.decode(), 1 << 62) if b"&" in value else value.decode()
            for name, value in _ATTRIBUTE.findall(match.group(1))
        }
        for match in tag.finditer(region, start)
    ]
    if len(found) != len(any_tag.findall(region, start)):
        raise NotPlain
    return found
