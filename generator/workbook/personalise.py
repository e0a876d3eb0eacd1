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

import io
import zipfile
from dataclasses import dataclass, field, replace
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


@dataclass
class Personaliser:
    """Builds workbooks of one catalogue, each base once per process (``build --batch``'s workers)."""

    catalog: Catalog
    bases: dict[BuildOptions, BuildResult] = field(default_factory=dict)
    limit: int = 64
    """Bases kept at most (a few hundred KiB each); the oldest goes first."""

    def build(self, options: BuildOptions) -> BuildResult:
        """What ``build_workbook(catalog, options)`` gives, from a kept base when the name allows it."""
        check_company(options.company)  # a refused name is refused here as a build refuses it
        if not can_personalise(options.company):
            return build_workbook(self.catalog, options)
        key = replace(options, company=MARKER)
        base = self.bases.get(key)
        if base is None:
            base = build_workbook(self.catalog, key)
            if len(self.bases) >= self.limit:
                self.bases.pop(next(iter(self.bases)))
            self.bases[key] = base
        return personalise(base, options.company) or build_workbook(self.catalog, options)
