"""The yardstick for the build: XlsxWriter writing the same cells as ``kpigen build``, unformatted.

Run as ``python -m bench.bare_writer CELLS.json OUT.xlsx`` (a whole process, as ``kpigen build``
is) or call ``write(cells, path)`` in process. ``CELLS.json`` comes from ``bench.inputs``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

Cells = dict[str, list[list[object]]]


def write(cells: Cells, path: Path | str) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    for name, found in cells.items():
        sheet = workbook.add_worksheet(name)
        for row, col, kind, content in found:
            if kind == "f":
                sheet.write_formula(row, col, content)
            elif kind == "n":
                sheet.write_number(row, col, content)
            else:
                sheet.write_string(row, col, content)
    workbook.close()


def main() -> None:
    write(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")), sys.argv[2])


if __name__ == "__main__":
    main()
