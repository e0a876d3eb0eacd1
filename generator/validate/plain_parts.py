"""The shared strings of a plain workbook read without one Python call per element, and the styles
part's digest.

``package`` streams the string table through expat with a handler per element. Spreadsheets write
it plainly, ``<si><t>text</t></si>`` only: such a table is well-formed by its strict spelling (expat
checks the declaration and the root's start tag), one regular expression finds the strings, and
the budget is counted as the stream counts it. Anything else gives None and the stream reads the
part, refusing as it does. (The styles were tried the same way and measured slower than the
stream: ``package`` keeps their date styles by the part's digest instead.)
"""

from __future__ import annotations

import hashlib
import re
import zipfile

from generator.validate.plain_cells import _TEXT, _WS, unescape
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
