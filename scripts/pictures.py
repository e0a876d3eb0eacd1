"""The README's and the download page's pictures, made from today's build: ``python -m scripts.pictures``.

Builds the demo workbooks with ``kpigen build``, converts them to PDF in one LibreOffice start per
region on a fresh default profile (what a new user sees: the values the file carries, nothing
recalculated on load), and turns the page that shows each sheet into a PNG at 80 dpi with
pdftoppm. ``docs/img/pictures.json`` records the layout version, the build options and, per
picture, what it shows: the sheet's cached values and a digest of the parts that draw it (the
sheet, its drawings and charts, the styles and the strings). ``tests/test_pictures.py`` builds the
same workbooks and fails when any of that differs from the record: run this command again then.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "img" / "pictures.json"
DPI = 80


@dataclass(frozen=True)
class Picture:
    """One picture: where it goes, the workbook it shows (``kpigen build`` options) and the sheet."""

    path: str
    options: tuple[str, ...]
    sheet: str
    region: str  # the LibreOffice locale a reader of that language has, for decimal and grouping marks

    @property
    def workbook(self) -> str:
        return f"demo-{self.options[self.options.index('--locale') + 1]}.xlsx"


EN = ("--sample", "--year", "2026", "--locale", "en", "--currency", "USD", "--company", "Acme Ltd")
TR = ("--sample", "--year", "2026", "--locale", "tr", "--currency", "TRY", "--company", "Örnek A.Ş.")
PICTURES = [
    Picture("docs/img/dashboard-en.png", EN, "Dashboard", "en-US"),
    Picture("docs/img/kpis-en.png", EN, "KPIs", "en-US"),
    Picture("docs/img/prior-year-en.png", EN, "Prior-year KPIs", "en-US"),
    Picture("docs/img/dashboard-tr.png", TR, "Gösterge Paneli", "tr-TR"),
    Picture("docs/img/start-tr.png", TR, "Başlangıç", "tr-TR"),
    Picture("generator/server/static/preview-en.png", EN, "Dashboard", "en-US"),
    Picture("generator/server/static/preview-tr.png", TR, "Gösterge Paneli", "tr-TR"),
]


def build(picture: Picture, folder: Path) -> Path:
    out = folder / picture.workbook
    if not out.exists():
        command = [sys.executable, "-m", "generator.cli", "build", *picture.options, "--out", str(out)]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return out


def _sheet_parts(package: zipfile.ZipFile, sheet: str) -> list[str]:
    """The package parts that draw ``sheet``: its XML, its drawings and their charts."""
    workbook = package.read("xl/workbook.xml").decode()
    sheets = re.findall(r'<sheet name="([^"]+)"[^>]*r:id="(rId\d+)"', workbook)
    names = {name.replace("&apos;", "'"): rid for name, rid in sheets}
    rels = package.read("xl/_rels/workbook.xml.rels").decode()
    target = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))[names[sheet]]
    parts, queue = [], [posixpath.normpath(posixpath.join("xl", target))]
    while queue:
        part = queue.pop(0)
        parts.append(part)
        rel = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        if rel in package.namelist():
            links = re.findall(r'Type="[^"]*/(?:drawing|chart)"[^>]*Target="([^"]+)"', package.read(rel).decode())
            for link in links:
                queue.append(posixpath.normpath(posixpath.join(posixpath.dirname(part), link)))
    return parts


def fingerprint(workbook: Path, sheet: str) -> dict[str, Any]:
    """What a picture of ``sheet`` shows, taken from the file: cached values and the drawing parts' digest."""
    import warnings

    import openpyxl

    from generator.template.layout import LAYOUT_VERSION

    with zipfile.ZipFile(workbook) as package:
        parts = [*_sheet_parts(package, sheet), "xl/styles.xml", "xl/sharedStrings.xml"]
        digest = hashlib.sha256(b"".join(package.read(part) for part in parts)).hexdigest()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl does not read sparklines, and says so
        book = openpyxl.load_workbook(io.BytesIO(workbook.read_bytes()), data_only=True, read_only=True)
        values = {
            cell.coordinate: round(cell.value, 9)
            for row in book[sheet].iter_rows()
            for cell in row
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
        }
        book.close()
    return {"layout_version": LAYOUT_VERSION, "parts_sha256": digest, "values": values}


def _page_showing(pdf: Path, marker: tuple[str, ...]) -> int:
    """The first page (1-based) whose first lines of text are ``marker``."""
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                             check=True).stdout).group(1))  # type: ignore[union-attr]  # fmt: skip
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        if tuple(line.strip() for line in text.splitlines() if line.strip())[: len(marker)] == marker:
            return page
    raise SystemExit(f"{pdf}: no page shows {marker!r}")


MARKERS = {  # the first lines of text on the page that shows each sheet
    "Dashboard": ("← Start", "CRM KPI DASHBOARD"),
    "KPIs": ("← Start", "KPI RESULTS"),
    "Prior-year KPIs": ("← Start", "PRIOR-YEAR KPIS"),
    "Gösterge Paneli": ("← Başlangıç", "CRM KPI PANOSU"),
    "Başlangıç": ("CRM KPI PANOSU",),
}


def main() -> None:
    from generator.recalc import LibreOffice

    record: dict[str, Any] = {"how": "python -m scripts.pictures", "pictures": {}}
    with tempfile.TemporaryDirectory(prefix="kpigen-pictures-") as temp:
        work = Path(temp)
        for region in sorted({p.region for p in PICTURES}):
            mine = [p for p in PICTURES if p.region == region]
            books = sorted({build(p, work) for p in mine})
            with LibreOffice(work / f"profile-{region}", region=region, recalculate=False) as office:
                pdfs = office.convert_many(books, work / f"pdf-{region}", "pdf")
            for picture in mine:
                pdf = next(p for p in pdfs if p.stem == Path(picture.workbook).stem)
                page = _page_showing(pdf, MARKERS[picture.sheet])
                prefix = work / "png" / Path(picture.path).stem
                prefix.parent.mkdir(exist_ok=True)
                subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                                str(pdf), str(prefix)], check=True)  # fmt: skip
                png = prefix.with_suffix(".png").read_bytes()
                (ROOT / picture.path).write_bytes(png)
                entry = {**asdict(picture), "page": page, "png_sha256": hashlib.sha256(png).hexdigest()}
                entry.update(fingerprint(work / picture.workbook, picture.sheet))
                record["pictures"][picture.path] = entry
                print(f"wrote {picture.path} (page {page} of {picture.workbook})")
    RECORD.write_text(json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {RECORD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
