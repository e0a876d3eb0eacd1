"""Build many workbooks at once, one worker process per core, a failing row never stopping the rest.

The catalogue is loaded once, in this process, and a forked worker inherits it (a spawned one
loads it once); each worker then builds the rows it is handed; a row's result is
a short outcome (file, size, or the one-line reason it failed), so nothing large crosses
between processes. One core, or one row, builds in this process: no pool to start.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.catalog import Catalog, load_catalog
from generator.errors import ExitCode, UserError
from generator.transfer.batch_list import BatchRow

if TYPE_CHECKING:
    from generator.workbook.personalise import Personaliser

_catalog: Catalog | None = None
_catalog_path: Path | None = None
_personalisers: dict[tuple[str, ...], Personaliser] = {}
"""One per selection of KPIs met in this process: rows choosing different KPIs need different bases."""


@dataclass(frozen=True)
class Outcome:
    """What became of one row: the file written, or the reason it was not."""

    line: int
    file: str
    path: Path | None = None
    size: int = 0
    error: str = ""
    exit_code: int = int(ExitCode.OK)

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class BatchReport:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1

    @property
    def failed(self) -> list[Outcome]:
        return sorted((o for o in self.outcomes if not o.ok), key=lambda o: o.line)

    @property
    def built(self) -> int:
        return sum(1 for o in self.outcomes if o.ok)

    @property
    def rate(self) -> float:
        return self.built / self.seconds if self.seconds > 0 else 0.0


def default_jobs() -> int:
    """The cores this process may run on (fewer than ``os.cpu_count`` under a CPU limit)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _start_worker(catalog_path: Path) -> None:
    """Load the catalogue, unless this process has it already (a forked worker inherits the parent's)."""
    global _catalog, _catalog_path
    if _catalog is not None and _catalog_path == catalog_path:
        return
    _catalog = load_catalog(catalog_path)
    _catalog_path = catalog_path
    _personalisers.clear()


def _build(row: BatchRow, folder: Path, force: bool) -> Outcome:
    """Build one row in the current process; any error becomes the row's outcome."""
    from generator.output import check_target, write_atomic

    if row.problem:
        return Outcome(row.line, row.file, error=row.problem, exit_code=int(ExitCode.PROBLEMS))
    target = folder / row.file
    try:
        check_target(target, force=force)
        result = _personaliser(row.kpis).build(row.options)
        write_atomic(target, result.data, force=force)
    except UserError as error:
        return Outcome(row.line, row.file, error=error.message, exit_code=int(error.exit_code))
    except Exception as error:  # a bug must not cost the other rows their workbooks
        return Outcome(
            row.line, row.file, error=f"internal error ({type(error).__name__}: {error})", exit_code=ExitCode.INTERNAL
        )
    return Outcome(row.line, row.file, path=target, size=len(result.data))


def _personaliser(selection: tuple[str, ...]) -> Personaliser:
    """The personaliser of the catalogue cut to ``selection`` (() for the whole catalogue)."""
    from generator.catalog.selection import restrict
    from generator.workbook.personalise import Personaliser

    assert _catalog is not None
    if selection not in _personalisers:
        _personalisers[selection] = Personaliser(restrict(_catalog, selection) if selection else _catalog)
    return _personalisers[selection]


def run_batch(
    catalog_path: Path,
    rows: Sequence[BatchRow],
    folder: Path,
    *,
    force: bool = False,
    jobs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> BatchReport:
    """Build every row into ``folder``; ``progress`` is called once per finished row."""
    import generator.workbook.build  # noqa: F401 - forked workers inherit the writer already imported

    global _catalog
    jobs = max(1, min(jobs or default_jobs(), len(rows)))
    _catalog = None  # read afresh for each batch: the file may have changed since the last one
    _personalisers.clear()
    _start_worker(catalog_path)  # a broken catalogue fails the batch once, here, not per row
    report = BatchReport(jobs=jobs)
    start = time.perf_counter()
    for outcome in _outcomes(catalog_path, rows, folder, force, jobs):
        report.outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    report.seconds = time.perf_counter() - start
    return report


def _outcomes(catalog_path: Path, rows: Sequence[BatchRow], folder: Path, force: bool, jobs: int) -> Iterator[Outcome]:
    if jobs == 1:
        for row in rows:
            yield _build(row, folder, force)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(catalog_path,)) as pool:
        futures = {pool.submit(_build_all, task, folder, force): task for task in tasks(rows, jobs)}
        for future in as_completed(futures):
            try:
                yield from future.result()
            except Exception as error:  # a worker that died (killed, out of memory)
                for row in futures[future]:
                    yield Outcome(row.line, row.file, error=f"worker failed ({error})", exit_code=ExitCode.INTERNAL)


def _build_all(rows: Sequence[BatchRow], folder: Path, force: bool) -> list[Outcome]:
    return [_build(row, folder, force) for row in rows]


def tasks(rows: Sequence[BatchRow], jobs: int) -> list[list[BatchRow]]:
    """Rows grouped by selection and every option but the company, so a worker builds each group's
    base workbook once and personalises it per row; a group larger than a worker's share is split (each piece
    then builds that base), so no worker is left with most of the batch."""
    groups: dict[object, list[BatchRow]] = {}
    for row in rows:
        groups.setdefault((row.kpis, replace(row.options, company="")), []).append(row)
    share = -(-len(rows) // jobs)
    return [group[i : i + share] for group in groups.values() for i in range(0, len(group), share)]
