"""What the cached values cost a build: in process and as a whole ``kpigen build``.

In process, the CRM sample workbook is built alternately with the engine's evaluation
(``cache_values``) and with it replaced by a no-op, and against a bare XlsxWriter script that
writes the same cells (values and formulas, no formatting, no evaluation); CPU time, median of
``RUNS`` interleaved runs, so a busy machine slows each alike. The whole process is timed the
same way, ``kpigen build`` against the bare script run as its own process.
Run: ``python bench/build_speed.py``. Not a test: it prints figures, it does not judge them.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RUNS = 15
BARE = """
import json, sys
from xlsxwriter.workbook import Workbook
cells = json.load(open(sys.argv[1]))
book = Workbook(sys.argv[2], {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
sheets = {}
for sheet, row, col, kind, value in cells:
    ws = sheets.get(sheet) or sheets.setdefault(sheet, book.add_worksheet(sheet))
    if kind == "f":
        ws.write_formula(row, col, value)
    elif kind == "n":
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, value)
book.close()
"""


def cpu(action: Callable[[], Any]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    import openpyxl

    import generator.workbook.build as build
    from generator.catalog import load_catalog
    from generator.paths import CATALOG_DIR
    from generator.workbook.context import BuildOptions

    catalog = load_catalog(CATALOG_DIR / "crm.yaml")
    options = BuildOptions(sample=True)
    data = build.build_workbook(catalog, options).data
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [
        (
            ws.title,
            c.row - 1,
            c.column - 1,
            "f" if str(c.value).startswith("=") else "n" if c.data_type == "n" else "s",
            c.value,
        )
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    folder = Path(tempfile.mkdtemp(prefix="kpigen-bench-"))
    (folder / "cells.json").write_text(json.dumps(cells))
    (folder / "bare.py").write_text(BARE)
    bare_namespace: dict[str, Any] = {}

    def bare_in_process() -> None:
        sys.argv = ["bare", str(folder / "cells.json"), str(folder / "bare.xlsx")]
        exec(BARE, bare_namespace)

    names = vars(build)  # cache_values as build calls it, swapped for the "without" rounds
    cached = names["cache_values"]
    timings: dict[str, list[float]] = {"with": [], "without": [], "bare": []}
    for _ in range(RUNS):
        names["cache_values"] = cached
        timings["with"].append(cpu(lambda: build.build_workbook(catalog, options)))
        names["cache_values"] = lambda workbook: None
        timings["without"].append(cpu(lambda: build.build_workbook(catalog, options)))
        timings["bare"].append(cpu(bare_in_process))
    names["cache_values"] = cached
    med = {k: statistics.median(v) for k, v in timings.items()}
    print(
        f"in process (CPU s, median of {RUNS}): build {med['with']:.4f}, without cached values {med['without']:.4f}, "
        f"bare XlsxWriter {med['bare']:.4f}"
    )
    print(f"  ratios: cached/uncached {med['with'] / med['without']:.2f}, build/bare {med['with'] / med['bare']:.2f}")
    kpigen = str(Path(sys.executable).parent / "kpigen")
    whole: dict[str, list[float]] = {"build": [], "bare": []}
    for _ in range(max(5, RUNS // 2)):
        whole["build"].append(wall([kpigen, "build", "--sample", "--force", "--out", str(folder / "k.xlsx")]))
        whole["bare"].append(
            wall([sys.executable, str(folder / "bare.py"), str(folder / "cells.json"), str(folder / "b.xlsx")])
        )
    wmed = {k: statistics.median(v) for k, v in whole.items()}
    print(
        f"whole process (wall s, median): kpigen build {wmed['build']:.3f}, bare XlsxWriter script {wmed['bare']:.3f}, "
        f"ratio {wmed['build'] / wmed['bare']:.2f}"
    )


if __name__ == "__main__":
    main()
