"""Render a workbook's pages to PNG through LibreOffice (PDF export) and pdftoppm, to look at them.

LibreOffice runs with a fresh, untouched profile, as a new user's: it shows the values the file
carries and recalculates nothing on load, so the pictures show what people see.

Usage: python scripts/render.py WORKBOOK.xlsx OUT_DIR [--dpi 80] [--region tr-TR]
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from generator.recalc import LibreOffice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workbook", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--region", default=None, help="format numbers as a reader in this region sees them")
    args = parser.parse_args()
    with LibreOffice(region=args.region, recalculate=False) as office:
        pdf = office.convert(args.workbook, args.out, "pdf")
    prefix = args.out / args.workbook.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(prefix)], check=True)
    for page in sorted(args.out.glob(f"{args.workbook.stem}-*.png")):
        text = subprocess.run(
            ["pdftotext", "-f", page.stem.rsplit("-", 1)[1], "-l", page.stem.rsplit("-", 1)[1], str(pdf), "-"],
            capture_output=True,
            text=True,
        ).stdout.split("\n")[:2]
        print(page, " | ".join(t.strip() for t in text if t.strip()))


if __name__ == "__main__":
    main()
