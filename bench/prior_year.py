"""Issue 27's build row: a workbook with the prior year against the same build without it.

"Without" is a bench-only variant of today's build, not a product option: the two prior-year
sheets (``Prior year``, ``Prior-year KPIs``) are still added but left empty, their writers and the
demo's prior-year values replaced by nothing, so every other sheet, name and cached value is
built exactly as in the real build. It stands for the one-year workbook before layout 2 (measured
against the build of commit 9066395, the last before it: within 10%). Both are built in process (the catalogue loaded,
warm) and as whole processes (``python -m bench.prior_year CATALOG OUT [--without]``, imports and
first-build costs included, as ``kpigen build``), interleaved round by round, ratios taken round
by round; the in-process ratio is the stricter one and the one judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Line = tuple[str, str, str, str]
TARGET = 1.3
IN_PROCESS_ROUNDS = 3
"""Rounds in process per round asked: a build in process is about 0.1 s, so one collection or one
stall of the shared machine landing in one build of a pair moves that round's ratio by a third or
more (7 rounds gave medians of 1.14 and 1.32 in two runs on the same day, with rounds from 0.38 to
2.69); three times the rounds cost a few seconds and steady the median."""


@contextmanager
def without_prior_year() -> Iterator[None]:
    """``build_workbook`` with the prior-year sheets left empty, for as long as the block runs."""
    import generator.workbook.build as build

    names = ("write_inputs", "write_prior_kpis", "prior_sample")
    kept = {name: getattr(build, name) for name in names}

    def current_year_only(ctx: Any, *, prior: bool = False) -> None:
        if not prior:
            kept["write_inputs"](ctx)

    replacements = {
        "write_inputs": current_year_only,
        "write_prior_kpis": lambda ctx: None,
        "prior_sample": lambda catalog, values: {},
    }
    for name, replacement in replacements.items():
        setattr(build, name, replacement)
    try:
        yield
    finally:
        for name, original in kept.items():
            setattr(build, name, original)


def prior_year_rows(catalog_path: Path, rounds: int, cpu: bool) -> list[Line]:
    """Build the sample workbook with and without the prior year, in process; ``cpu`` judges CPU time."""
    import sys

    from bench.measure import interleaved, ratio, ratio_value, run_in_process, run_process
    from generator.catalog import load_catalog
    from generator.workbook.build import build_workbook
    from generator.workbook.context import BuildOptions

    catalog = load_catalog(catalog_path)
    options = BuildOptions(locale="en", sample=True, year=2026)

    def one_year() -> None:
        with without_prior_year():
            build_workbook(catalog, options)

    build_workbook(catalog, options)  # warm: the engine's compiled formulas, Babel's data
    one_year()
    series = interleaved(
        [
            ("build with the prior year, in process", lambda: run_in_process(lambda: build_workbook(catalog, options))),
            ("build without it (prior-year sheets left empty), in process", lambda: run_in_process(one_year)),
        ],
        max(rounds * IN_PROCESS_ROUNDS, 5),
    )
    out = catalog_path.parent / "prior-year.xlsx"
    command = [sys.executable, "-m", "bench.prior_year", str(catalog_path), str(out)]
    whole = interleaved(
        [
            ("build with the prior year, whole process", lambda: run_process(command)),
            ("build without it, whole process", lambda: run_process([*command, "--without"])),
        ],
        max(rounds, 5),
    )
    print("\n## build with and without the prior year (issue 27)")
    for found in [*series, *whole]:
        print(f"- {found.label}: {found.summary()}")
    value = ratio_value(series[0], series[1], cpu=cpu)
    verdict = "not measured" if value is None else "met" if value <= TARGET else "GAP"
    return [
        ("build with the prior year, in process", series[0].summary(), "", ""),
        ("  / without it (bench-only variant)", series[1].summary(), "", ""),
        ("  ratio with / without, in process", ratio(series[0], series[1]), f"<= {TARGET}x", verdict),
        ("  ratio with / without, whole process", ratio(whole[0], whole[1]), "(reference)", ""),
    ]


def main() -> None:
    """One build as ``kpigen build --sample --year 2026`` does it (the garbage collector off, Babel's
    answers and the formula splits kept in the cache), with ``--without`` the variant."""
    import gc
    import sys

    gc.disable()  # as kpigen build runs (generator.cli.UNCOLLECTED)
    from generator.catalog import load_catalog
    from generator.i18n.answers import kept_answers
    from generator.workbook.build import build_to_file
    from generator.workbook.context import BuildOptions
    from generator.workbook.splits import kept_splits

    catalog_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    options = BuildOptions(locale="en", sample=True, year=2026)
    catalog = load_catalog(catalog_path)
    with kept_answers(), kept_splits(catalog_path):  # as kpigen build
        if "--without" in sys.argv[3:]:
            with without_prior_year():
                build_to_file(catalog, options, out, force=True)
        else:
            build_to_file(catalog, options, out, force=True)


if __name__ == "__main__":
    main()
