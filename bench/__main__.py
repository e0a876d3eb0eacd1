"""``python -m bench``: issue 17's table and issue 26's raw-export rows, each against its alternatives, in one run.

Prepares its own inputs in a temporary folder, runs the alternatives of each row interleaved
(round by round), and prints medians with min and max, ratios taken round by round, peak memory
of each process, time against catalogue size, and each target met or missed. Standard library
timing only (``time.perf_counter``, ``os.wait4``/``getrusage``). ``--tiny`` runs one round of a
small case without LibreOffice, pycel or ``formulas`` (the test uses it; it judges nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import signal
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bench import alternatives as alt
from bench.batch import batch_rows
from bench.import_memory import import_rows
from bench.inputs import SIZES, Inputs, edge_files, prepare
from bench.measure import Sample, Series, interleaved, ratio, ratio_value, run_in_process, run_process
from bench.prior_year import prior_year_rows
from bench.raw_speed import raw_rows
from bench.validate_steps import validate_steps

if TYPE_CHECKING:
    from generator.catalog import Catalog

Line = tuple[str, str, str, str]  # work, measured, target, verdict


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    cores = f"{os.cpu_count()} cores ({model or platform.machine()})"
    return f"{cores}, load average {load}, Python {platform.python_version()}"


LOADED = False
"""True when the machine was busy with other work (load average above its cores): then wall
times mostly measure waiting for a core, and verdicts are taken on CPU time (said in the table)."""


def _verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value <= limit else "GAP"


def _median(series: Series) -> float | None:
    """The median to judge: wall time, or CPU time on a loaded machine."""
    if not series.samples:
        return None
    return statistics.median(s.cpu if LOADED else s.wall for s in series.samples)


def _ratio(ours: Series, theirs: Series) -> float | None:
    return ratio_value(ours, theirs, cpu=LOADED)


def _peak(series: Series) -> float | None:
    peaks = [s.peak_mib for s in series.samples if s.peak_mib is not None]
    return max(peaks) if peaks else None


def _print_series(title: str, series: list[Series]) -> None:
    print(f"\n## {title}")
    for found in series:
        print(f"- {found.label}: {found.summary()}")


def _row(line: Line) -> str:
    return "| " + " | ".join(line) + " |"


class Summary:
    """The table's rows, each printed as soon as it is measured (a run cut short still shows what it
    measured) and all of them again at the end, with the time against catalogue size."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.sizes: list[str] = []

    def add(self, lines: list[Line]) -> None:
        print("\nrows of the summary:")
        for line in lines:
            self.lines.append(line)
            print(_row(line), flush=True)

    def add_size(self, row: str) -> None:
        if not self.sizes:
            print(f"\n## {SIZES_TITLE}\n{SIZES_HEADER}")
        self.sizes.append(row)
        print(row, flush=True)

    def print(self, rounds: int, complete: bool) -> None:
        plural = "s" if rounds > 1 else ""
        cut = "" if complete else "; the run was stopped before its end: rows not listed were not measured"
        print(f"\n## summary ({rounds} round{plural}, medians of wall time; ratios taken round by round{cut})")
        print("| work | measured | target | verdict |\n|---|---|---|---|")
        for line in self.lines:
            print(_row(line))
        print(f"\n## {SIZES_TITLE}\n{SIZES_HEADER}")
        print("\n".join(self.sizes or ["| (not measured) | | | |"]), flush=True)


def validate_rows(inputs: Inputs, rounds: int, heavy: bool, work: Path) -> list[Line]:
    path = inputs.filled[SIZES[0]] if SIZES[0] in inputs.filled else next(iter(inputs.filled.values()))
    options: list[tuple[str, Callable[[], Sample]]] = [
        ("kpigen validate", lambda: run_process(alt.kpigen("validate", path))),
        ("openpyxl data_only load", lambda: run_process(alt.python(alt.OPENPYXL, path))),
        ("python-calamine, every sheet", lambda: run_process(alt.python(alt.CALAMINE, path))),
    ]
    if heavy:
        from generator.recalc import make_profile

        profile = make_profile(work / "lo-profile")
        run_process(alt.libreoffice(profile, path, work / "lo-warm"))  # first start writes the profile
        options += [
            ("pycel recalculate()", lambda: run_process(alt.python(alt.PYCEL, path))),
            ("formulas calculate()", lambda: run_process(alt.python(alt.FORMULAS, path))),
            ("LibreOffice recalculation", lambda: run_process(alt.libreoffice(profile, path, work / "lo-out"))),
        ]
    series = interleaved(options, rounds)
    _print_series(f"validate the filled CRM workbook, whole process ({path.name})", series)
    ours = series[0]
    lines: list[Line] = [
        ("validate, whole process", ours.summary(), "", ""),
        ("  / openpyxl data_only load", ratio(ours, series[1]), "<= 1.0x", _verdict(_ratio(ours, series[1]), 1.0)),
        ("  / python-calamine", ratio(ours, series[2]), "(reference)", ""),
    ]
    if heavy:
        lines += [
            (
                "  / pycel recalculate()",
                ratio(ours, series[3]),
                "<= 0.20x",
                _verdict(_ratio(ours, series[3]), 0.2),
            ),
            ("  / formulas", ratio(ours, series[4]), "<= 0.05x", _verdict(_ratio(ours, series[4]), 0.05)),
            ("  / LibreOffice recalculation", ratio(ours, series[5]), "(reference)", ""),
        ]
    peak = _peak(ours)
    lines.append(("validate, peak memory", f"{peak:.0f} MiB" if peak else "n/a", "<= 60 MiB", _verdict(peak, 60)))
    for found in series[3:]:
        other = _peak(found)
        lines.append((f"  {found.label}, peak memory", f"{other:.0f} MiB" if other else found.summary(), "", ""))

    from generator.validate.run import validate

    validate(path)  # warm: imports, catalogue, caches

    def openpyxl_load() -> None:
        import openpyxl

        openpyxl.load_workbook(path, data_only=True)

    def calamine_read() -> None:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    calamine_read()  # warm: its import
    inside = interleaved(
        [
            ("validate() in process", lambda: run_in_process(lambda: validate(path))),
            ("python-calamine, every sheet, in process (the floor)", lambda: run_in_process(calamine_read)),
            ("openpyxl data_only load in process", lambda: run_in_process(openpyxl_load)),
        ],
        rounds,
    )
    _print_series("validate, in process", inside)
    print(f"\n## validate in process, CPU by step ({path.name})\n" + "\n".join(validate_steps(path, rounds)))
    lines += [
        ("validate, in process", inside[0].summary(), "<= 0.025 s", _verdict(_median(inside[0]), 0.025)),
        (
            "  / python-calamine in process (floor)",
            ratio(inside[0], inside[1]),
            "<= 3.0x",
            _verdict(_ratio(inside[0], inside[1]), 3.0),
        ),
        ("  / openpyxl data_only load in process", ratio(inside[0], inside[2]), "(reference)", ""),
    ]
    return lines


def build_rows(inputs: Inputs, rounds: int, work: Path) -> list[Line]:
    from bench import bare_writer
    from generator.catalog import load_catalog
    from generator.workbook.build import build_to_file
    from generator.workbook.context import BuildOptions

    catalog_path = inputs.catalogs[SIZES[0]]
    out = work / "built.xlsx"
    bare = work / "bare.xlsx"
    command = alt.kpigen("build", "--catalog", catalog_path, "--sample", "--year", "2026", "--out", out, "--force")
    run_process(command)  # as a user's second build: the parsed catalogue is remembered
    series = interleaved(
        [
            ("kpigen build --sample", lambda: run_process(command)),
            (
                "bare XlsxWriter script",
                lambda: run_process([sys.executable, "-m", "bench.bare_writer", str(inputs.cells), str(bare)]),
            ),
        ],
        rounds,
    )
    _print_series("build the CRM workbook, whole process", series)
    catalog = load_catalog(catalog_path)
    options = BuildOptions(locale="en", sample=True, year=2026)
    import json

    cells = json.loads(inputs.cells.read_text(encoding="utf-8"))
    build_to_file(catalog, options, out, force=True)  # warm
    bare_writer.write(cells, bare)
    inside = interleaved(
        [
            ("build in process", lambda: run_in_process(lambda: build_to_file(catalog, options, out, force=True))),
            ("bare XlsxWriter in process", lambda: run_in_process(lambda: bare_writer.write(cells, bare))),
        ],
        rounds,
    )
    _print_series("build, in process (catalogue loaded once, outside the timing)", inside)
    peak = _peak(series[0])
    return [
        ("build, whole process", series[0].summary(), "", ""),
        (
            "  / bare XlsxWriter script",
            ratio(series[0], series[1]),
            "<= 1.3x",
            _verdict(_ratio(series[0], series[1]), 1.3),
        ),
        ("build, in process", inside[0].summary(), "", ""),
        (
            "  / bare XlsxWriter in process",
            ratio(inside[0], inside[1]),
            "<= 1.0x",
            _verdict(_ratio(inside[0], inside[1]), 1.0),
        ),
        ("build, peak memory", f"{peak:.0f} MiB" if peak else "n/a", "<= 50 MiB", _verdict(peak, 50)),
    ]


def startup_rows(rounds: int) -> list[Line]:
    from generator.paths import CATALOG_DIR

    series = interleaved(
        [
            ("kpigen --help", lambda: run_process(alt.kpigen("--help"))),
            (
                "kpigen catalog check crm.yaml",
                lambda: run_process(alt.kpigen("catalog", "check", CATALOG_DIR / "crm.yaml")),
            ),
            ("python -c pass (the interpreter alone)", lambda: run_process([sys.executable, "-c", "pass"])),
        ],
        rounds,
    )
    _print_series("start-up, whole process", series)
    return [
        ("--help, whole process", series[0].summary(), "<= 0.10 s", _verdict(_median(series[0]), 0.10)),
        ("  / python -c pass", ratio(series[0], series[2]), "(reference)", ""),
        ("catalog check, whole process", series[1].summary(), "<= 0.15 s", _verdict(_median(series[1]), 0.15)),
        ("  / python -c pass", ratio(series[1], series[2]), "(reference)", ""),
    ]


def edge_rows(files: dict[str, Path]) -> list[Line]:
    lines: list[Line] = []
    print("\n## files at the edge of the default limits: kpigen validate, whole process, once each")
    for label, path in files.items():
        try:
            sample = run_process(alt.kpigen("validate", path))
        except RuntimeError as exc:
            lines.append((f"  {label}", f"failed: {exc}", "<= 5 s, <= 400 MiB", "GAP"))
            continue
        within = (sample.cpu if LOADED else sample.wall) <= 5 and (sample.peak_mib or 0) <= 400
        measured = f"{sample.wall:.2f} s (CPU {sample.cpu:.2f} s), peak {sample.peak_mib:.0f} MiB"
        print(f"- {label}: {measured}")
        lines.append((f"  {label}", measured, "<= 5 s, <= 400 MiB", "met" if within else "GAP"))
    return [("any file the default limits accept", "", "", ""), *lines]


def _size_alternatives(catalog: Catalog, catalog_path: Path, path: Path) -> list[tuple[str, Callable[[], Sample]]]:
    from generator.validate.run import Options, validate
    from generator.workbook.build import build_workbook
    from generator.workbook.context import BuildOptions

    options = Options(catalog=catalog_path)
    return [
        ("build", lambda: run_in_process(lambda: build_workbook(catalog, BuildOptions(sample=True, year=2026)))),
        ("validate", lambda: run_in_process(lambda: validate(path, options))),
        ("whole", lambda: run_process(alt.kpigen("validate", path, "--catalog", catalog_path))),
    ]


def _both(series: Series) -> str:
    if not series.samples:
        return series.summary()
    wall = statistics.median(series.walls)
    return f"{wall:.3f} s (CPU {statistics.median(s.cpu for s in series.samples):.3f} s)"


SIZES_TITLE = "time against catalogue size (medians of wall time; CPU time in brackets)"
SIZES_HEADER = "| KPIs | build in process | validate in process | validate, whole process |\n|---|---|---|---|"


def size_rows(inputs: Inputs, rounds: int, summary: Summary) -> None:
    """One row per catalogue size, each printed as soon as it is measured."""
    from generator.catalog import load_catalog

    for size, catalog_path in inputs.catalogs.items():
        try:
            alternatives = _size_alternatives(load_catalog(catalog_path), catalog_path, inputs.filled[size])
        except Exception as exc:  # one size that cannot run is reported in its row, not fatal to the others
            summary.add_size(f"| {size} | failed: {' '.join(str(exc).split())[:200]} | | |")
            continue
        series = interleaved(alternatives, rounds)
        summary.add_size(f"| {size} | " + " | ".join(_both(s) for s in series) + " |")


def _bytecode() -> str:
    """Compile the project's modules to bytecode (``__pycache__``, ignored by git) before timing.

    An installed wheel has its ``.pyc`` files; a checkout run with PYTHONDONTWRITEBYTECODE (as on
    the development machine) compiled every module of ``generator`` from source in each process,
    about 70 ms of a whole ``kpigen validate`` there. With the bytecode written once, the
    processes the benchmark starts read it (that variable only stops writing), so a whole process
    is timed as a user runs it; stale files are recompiled by Python's own date check.
    """
    import compileall

    import generator

    folder = Path(generator.__file__).parent
    compiled = compileall.compile_dir(folder, quiet=1)
    return f"the project's modules compiled to __pycache__ in {folder} ({'ok' if compiled else 'with errors'})"


def _stopped(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt("stopped by SIGTERM")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="rounds per row (default 7)")
    parser.add_argument("--tiny", action="store_true", help="one round, 26 KPIs, small edge files, no heavy tools")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stopped)
    global LOADED
    LOADED = os.getloadavg()[0] > (os.cpu_count() or 1)
    rounds = 1 if args.tiny else args.runs
    sizes = (26,) if args.tiny else SIZES
    started = dt.datetime.now(dt.UTC)
    print(f"# kpigen benchmark, {started:%Y-%m-%d %H:%M} UTC")
    print(f"machine: {_machine()}")
    with tempfile.TemporaryDirectory(prefix="kpigen-bench-") as folder:
        work = Path(folder)
        os.environ["KPIGEN_CACHE_DIR"] = str(work / "cache")  # kpigen's cache: the benchmark's own, not the user's
        print(f"bytecode: {_bytecode()}")
        inputs = prepare(work, sizes, recalculate=not args.tiny)
        if args.tiny:
            inputs.edge_files = edge_files(work / "edge-tiny", scale=0.001)
        print(f"inputs: {len(sizes)} catalogue sizes, workbooks recalculated by LibreOffice: {inputs.recalculated}")
        summary = Summary()
        complete = False
        try:
            summary.add(validate_rows(inputs, rounds, heavy=not args.tiny, work=work))
            summary.add(build_rows(inputs, rounds, work))
            summary.add(prior_year_rows(inputs.catalogs[SIZES[0]], rounds, cpu=LOADED))
            summary.add(batch_rows(inputs, rounds, work, count=4 if args.tiny else 100))
            size_rows(inputs, rounds, summary)
            summary.add(startup_rows(rounds))
            summary.add(edge_rows(inputs.edge_files))
            summary.add(import_rows(work, tiny=args.tiny))
            summary.add(raw_rows(work, rounds, tiny=args.tiny, cpu=LOADED))
            complete = True
        finally:  # also when stopped (Ctrl+C, or a time limit's SIGTERM): print what was measured
            summary.print(rounds, complete)
            print(f"\nmachine at the end: {_machine()}", flush=True)


if __name__ == "__main__":
    main()
