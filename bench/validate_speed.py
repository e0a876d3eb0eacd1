"""How long ``kpigen validate`` takes on a filled, recalculated CRM workbook.

Builds the workbook with random valid inputs, has LibreOffice recalculate it once, then times
``validate()`` in this process (median of 5, after one warm-up run that pays for imports and
caches) and ``kpigen validate`` as a whole new process (median of 5, start-up included).
Run: ``python bench/validate_speed.py``. Not a test: it prints figures, it does not judge them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5


def median_seconds(action: object, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from generator.catalog import load_catalog
    from generator.paths import CATALOG_DIR
    from generator.recalc import LibreOffice
    from tests.validate import fill

    catalog = load_catalog(CATALOG_DIR / "crm.yaml")
    with tempfile.TemporaryDirectory(prefix="kpigen-bench-") as folder:
        work = Path(folder)
        built = fill.build(work, "crm-filled.xlsx", catalog, fill.valid_values(catalog, 2026))
        start = time.perf_counter()
        with LibreOffice() as office:
            path = office.recalculate([built], work / "recalculated")[0]
        print(f"LibreOffice recalculation (setup, not timed below): {time.perf_counter() - start:.2f} s")
        print(
            f"workbook: {path.name}, {path.stat().st_size // 1024} KiB, {len(catalog.kpis)} KPIs, "
            f"{len(catalog.inputs)} inputs"
        )

        start = time.perf_counter()
        from generator.validate.book import Book
        from generator.validate.run import validate
        from generator.validate.safe_open import ReadLimits

        report = validate(path)
        print(f"first in-process run (imports, catalogue, caches): {time.perf_counter() - start:.3f} s")
        assert report.errors == 0, [f.message for f in report.findings]
        print(
            f"  {report.kpis_checked} KPIs, {report.cells_compared} values and {report.formulas_compared} "
            "formulas compared, 0 errors"
        )

        in_process = median_seconds(lambda: validate(path))
        loads = median_seconds(lambda: Book.open(path, ReadLimits()))
        print(f"validate() in process, median of {RUNS}: {in_process:.3f} s")
        print(f"  of which the two safe openpyxl loads: {loads:.3f} s; the checks: {in_process - loads:.3f} s")

        command = [sys.executable, "-m", "generator.cli", "validate", str(path)]
        whole = median_seconds(lambda: subprocess.run(command, check=True, capture_output=True))
        help_only = median_seconds(
            lambda: subprocess.run([sys.executable, "-m", "generator.cli", "--help"], check=True, capture_output=True)
        )
        print(
            f"kpigen validate as a new process, median of {RUNS}: {whole:.3f} s "
            f"(kpigen --help alone: {help_only:.3f} s)"
        )


if __name__ == "__main__":
    main()
