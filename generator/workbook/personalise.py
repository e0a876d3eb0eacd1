"""The same workbook for another company, without building it again: what makes ``build --batch`` fast.

A batch's workbooks mostly differ by the company name alone, and a build costs a few hundred
milliseconds (XlsxWriter, then the engine's cached values), while the name sits in four places
of the package, each spelled its own way: the Settings cell (a shared string), the cached text
of the formulas that show it (Start, Dashboard), every sheet's footer (where '&' is doubled) and
the document's Company property. So a *base* is built once per set of other options, with a
marker for the company, and each workbook replaces the marker, escaped as XML, in those parts:
the parts come out byte for byte as a build with that company gives (a test compares them).

What a substitution cannot reproduce is built the ordinary way: a name the footer shortens,
one with spaces at either end (XlsxWriter then marks the string to keep them), one with
``_x`` escapes, the locale's placeholder for a blank name, and any package in which the marker
shows in another form (upper-cased, say).
"""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from typing import Any
from xml.sax.saxutils import escape

from generator.catalog import Catalog
from generator.template.options import check_company
from generator.workbook.build import BuildResult, build_workbook
from generator.workbook.context import FOOTER_LEFT, BuildOptions, footer_room, footer_text

MARKER = "\ue000kpigen-company\ue001"
"""Private-use characters around a word: nothing a catalogue or translation holds."""
_MARKER = MARKER.encode()
_WORD = b"kpigen-company"
"""The marker's word in any case: found after the substitution, the name sits somewhere it does not know."""
_FOOTER_MARKER = escape(FOOTER_LEFT + MARKER)
_SLOTS = re.compile("(\ue002|\ue003)")
"""Where the footer's and the plain marker stood, while a part is split (private-use characters)."""


def can_personalise(company: str) -> bool:
    """Whether replacing the marker gives exactly what building with ``company`` gives (a name a
    build refuses, such as one with control characters, is left to the build to refuse)."""
    return (
        bool(company)
        and company == company.strip()
        and all(ord(ch) >= 32 for ch in company)
        and "_x" not in company.lower()
        and "\ue000" not in company
        and "\ue001" not in company
        and len(footer_text(company)) <= footer_room()
    )


def personalise(base: BuildResult, company: str) -> BuildResult | None:
    """``base`` (built with ``MARKER`` as the company) for ``company``; None where the name appears in a
    form the substitution does not know."""
    footer = escape(FOOTER_LEFT + footer_text(company))
    plain = escape(company)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base.data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if _MARKER in data:
                data = data.decode("utf-8").replace(_FOOTER_MARKER, footer).replace(MARKER, plain).encode("utf-8")
            if _WORD in data.lower():  # the name transformed (upper-cased, cut) where no substitution reaches
                return None
            target.writestr(info, data)
    return replace(base, data=out.getvalue(), options=replace(base.options, company=company))


@dataclass(frozen=True)
class _Part:
    info: zipfile.ZipInfo
    raw: bytes
    """The compressed bytes of a part without the marker, copied as they are."""
    pieces: tuple[tuple[str, str], ...] = ()
    """A marked part after its first marker: (marker form, text up to the next marker or the end)."""
    prefix_crc: int = 0
    prefix_size: int = 0
    state: Any = None
    """The deflate stream after the text before the first marker (``zlib.compressobj().copy()``)."""


@dataclass(frozen=True)
class Prepared:
    """A base split once for many companies: unmarked parts kept compressed, marked parts compressed up
    to their first marker (the sheets' footers come last), so each company costs deflating only what
    follows the marker. The package is byte for byte what ``personalise`` writes (a test compares)."""

    base: BuildResult
    parts: tuple[_Part, ...]

    def personalise(self, company: str) -> BuildResult | None:
        if _WORD.decode() in company.lower():
            return None
        forms = {_FOOTER_MARKER: escape(FOOTER_LEFT + footer_text(company)), MARKER: escape(company)}
        out = io.BytesIO()
        target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        for part in self.parts:
            info = copy.copy(part.info)
            if part.state is None:
                data, crc, size = part.raw, part.info.CRC, part.info.file_size
            else:
                rest = "".join(forms[form] + text for form, text in part.pieces).encode("utf-8")
                deflate = part.state.copy()
                data = part.raw + deflate.compress(rest) + deflate.flush()
                crc, size = zlib.crc32(rest, part.prefix_crc), part.prefix_size + len(rest)
            info.flag_bits, info.CRC, info.file_size, info.compress_size = 0, crc, size, len(data)
            info.header_offset = out.tell()
            out.write(info.FileHeader(False))
            out.write(data)
            target.filelist.append(info)
            target.NameToInfo[info.filename] = info
        target.start_dir = out.tell()
        target._didModify = True  # type: ignore[attr-defined]  # zipfile: write the central directory
        target.close()
        return replace(self.base, data=out.getvalue(), options=replace(self.base.options, company=company))


def prepare(base: BuildResult) -> Prepared | None:
    """``base`` (built with ``MARKER`` as the company) split for ``Prepared.personalise``; None when the
    marker's word shows anywhere but in the two forms the substitution knows."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(base.data)) as source:
        for info in source.infolist():
            data = source.read(info)
            if _MARKER not in data:
                if _WORD in data.lower():
                    return None
                parts.append(_Part(info, _raw(base.data, info)))
                continue
            text = data.decode("utf-8")
            if "\ue002" in text or "\ue003" in text:
                return None
            text = text.replace(_FOOTER_MARKER, "\ue002").replace(MARKER, "\ue003")
            if _WORD.decode() in text.lower():
                return None
            pieces = _pieces(text)
            prefix = pieces[0][1].encode("utf-8")
            deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            parts.append(
                _Part(info, deflate.compress(prefix), pieces[1:], zlib.crc32(prefix), len(prefix), deflate.copy())
            )
    return Prepared(base, tuple(parts))


def _pieces(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` with the two markers as \\ue002 / \\ue003, as (form before, text): the first has no form."""
    split = _SLOTS.split(text)
    forms = [""] + [_FOOTER_MARKER if slot == "\ue002" else MARKER for slot in split[1::2]]
    return tuple(zip(forms, split[0::2], strict=True))


def _raw(package: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes, found after its local header (whose name and extra lengths may differ
    from the central directory's)."""
    name_length, extra_length = struct.unpack("<HH", package[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    return package[start : start + info.compress_size]


@dataclass
class Personaliser:
    """Builds workbooks of one catalogue, each base once per process (``build --batch``'s workers)."""

    catalog: Catalog
    bases: dict[BuildOptions, Prepared | None] = field(default_factory=dict)
    limit: int = 64
    """Bases kept at most (a few hundred KiB each); the oldest goes first."""

    def build(self, options: BuildOptions) -> BuildResult:
        """What ``build_workbook(catalog, options)`` gives, from a kept base when the name allows it."""
        check_company(options.company)  # a refused name is refused here as a build refuses it
        if not can_personalise(options.company):
            return build_workbook(self.catalog, options)
        key = replace(options, company=MARKER)
        if key not in self.bases:
            if len(self.bases) >= self.limit:
                self.bases.pop(next(iter(self.bases)))
            self.bases[key] = prepare(build_workbook(self.catalog, key))
        prepared = self.bases[key]
        personalised = prepared.personalise(options.company) if prepared is not None else None
        return personalised or build_workbook(self.catalog, options)
