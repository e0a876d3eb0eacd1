"""Every corpus item through kpigen's own entry point, in this process; a subset also as a real process.

In this process, each command runs as the console script runs it (``generator.cli.entry``: the
exit-code contract, the one-line errors), with its own stdout, stderr and stdin, in the item's
folder, under a ceiling on the address space it may add (RLIMIT_AS, lowered for the call and
restored after) and a timer: a runaway read or a hang fails the item (bounds on the code, not
timing assertions). ``PROCESS_ITEMS`` also run through the installed ``kpigen`` in a fresh
process under the same bounds, where a real process matters: the console script's stderr, the
exit status a shell sees, pipes and devices opened for real, a memory ceiling on the whole
process, and Python's stack as a user's process has it.

Each answer must be the documented exit code, no traceback or internal error, a one-line message
naming the file and the line or cell (or, for a workbook with problems, a finding with its code
at that cell), and nothing written or changed that should not be.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from types import FrameType

import pytest

from tests.corpus.items import ITEMS, Bases, Case, Item, counts

KPIGEN = Path(sys.executable).with_name("kpigen")
MEMORY_CEILING = 1536 * 1024 * 1024
"""Address space a command may use (a process), or add to what the test process maps (in process);
/dev/zero or a bomb read whole would pass it at once."""
TIMEOUT_SECONDS = 120
"""A hung read (a pipe with no writer) ends here; every item answers in a few seconds."""
PROCESS_ITEMS = {
    "catalogue_nan_target",
    "catalogue_is_a_pipe",
    "workbook_is_dev_zero",
    "sample_is_dev_zero",
    "import_data_is_a_zip_bomb",
    "hostile_ratio_bomb",
    "hostile_billion_laughs",
    "huge_in_two_months_of_an_average",
    "chart_sheet_named_like_a_data_sheet",
    "libreoffice_row_deleted",
    "dense_sheet_four_times_the_limit",
    "two_million_shared_strings",
    "formula_of_5000_nested_brackets",
    "backward_chain_of_3000_formulas",
    "existing_output_without_force",
    "option_serve_max_upload_mb_nan",
    "company_not_utf8_in_build",
}
"""One or more of every kind, and every item where the process itself matters (pipes, devices,
bombs, memory, the depth of Python's stack)."""


class ItemTimeout(BaseException):
    """Raised by the timer inside the command; a BaseException, so no ``except Exception`` swallows it."""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "(absent)"


def _listing(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def _mapped_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmSize in /proc/self/status")


@contextmanager
def _bounded() -> Iterator[None]:
    """This process may map at most MEMORY_CEILING more, and the call ends after TIMEOUT_SECONDS."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = _mapped_bytes() + MEMORY_CEILING
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise ItemTimeout(f"no answer within {TIMEOUT_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expire)
    gc.freeze()  # the test session's objects are not the command's: its collections skip them, as in a fresh process
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)
        gc.unfreeze()


def _stream() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)


def run_in_process(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """``kpigen ARGS`` through the console script's function: (exit code, stdout, stderr)."""
    from generator.cli import entry

    out, err = _stream(), _stream()
    monkeypatch.setattr(sys, "argv", ["kpigen", *args])
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("KPIGEN_DEBUG", "")
    monkeypatch.setenv("COLUMNS", "200")
    code: int | str | None = 0
    with redirect_stdout(out), redirect_stderr(err), _bounded():
        try:
            entry()
        except SystemExit as done:
            code = done.code
    assert isinstance(code, int), f"exit with {code!r}"
    return code, out.buffer.getvalue().decode("utf-8"), err.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
"""Root ignores file modes; without these two capabilities it obeys them as any user does."""


def run_as_process(args: list[str], folder: Path, prefix: list[str] | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        [*(prefix or []), str(KPIGEN), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limit_memory,
        env={**os.environ, "KPIGEN_DEBUG": "", "COLUMNS": "200"},
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stdout, done.stderr


def check_answer(case: Case, code: int, stdout: str, stderr: str) -> None:
    said = stdout + stderr
    assert "Traceback" not in said and "internal error" not in said and "bug in kpigen" not in said, said[-1500:]
    assert code == case.exit, f"exit {code}, expected {case.exit}: {said[-1500:]}"
    if case.code is not None:
        findings = json.loads(stdout)["findings"]
        matching = [
            f
            for f in findings
            if f["code"] == case.code
            and re.fullmatch(case.where or "", f"{f['sheet']}!{f['cell']}" if f.get("cell") else "")
        ]
        assert matching, [(f.get("sheet"), f.get("cell"), f["code"]) for f in findings]
        assert not [f for f in findings if f["code"] in case.absent], findings
        wanted = {key: value for key, value in case.fields.items()}
        assert any({key: f.get(key) for key in wanted} == wanted for f in matching), (wanted, matching)
    elif case.exit == 2:  # click's usage error: a usage line, a hint, then "Error: ..." last
        lines = stderr.strip().splitlines()
        assert lines and re.search(case.where, lines[-1]), stderr
    elif case.exit in (3, 4, 5):
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, stderr
        assert re.search(case.where, lines[0]), lines[0]
    elif case.exit == 1:  # catalogue problems: every line is file:line:column: message
        lines = stderr.strip().splitlines()
        assert lines and all(re.search(case.where, line) for line in lines), stderr
    else:
        assert not stderr.strip(), stderr


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    for entry in tmp_path.iterdir():  # pipes and sparse files do not outlive the test
        if entry.is_fifo():
            entry.unlink()


def _run_item(entry: Item, bases: Bases, folder: Path, run: object) -> None:
    case = entry.make(folder, bases)
    before = {path: _digest(path) for path in case.unchanged}
    listing = _listing(case.empty) if case.empty else set()
    if case.unprivileged:  # in this process or not, file permissions must bind: a real process without root's override
        code, stdout, stderr = run_as_process(case.args, folder, UNPRIVILEGED)
    else:
        code, stdout, stderr = run(case.args)  # type: ignore[operator]
    check_answer(case, code, stdout, stderr)
    for path, digest in before.items():
        assert _digest(path) == digest, f"{path.name} was changed"
    if case.empty is not None:
        assert _listing(case.empty) == listing, f"{case.empty} gained {_listing(case.empty) - listing}"


@pytest.mark.parametrize("entry", ITEMS, ids=[entry.id for entry in ITEMS])
def test_corpus_item(entry: Item, bases: Bases, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    _run_item(entry, bases, folder, lambda args: run_in_process(args, monkeypatch))


PROCESS = [entry for entry in ITEMS if entry.id in PROCESS_ITEMS]


@pytest.mark.parametrize("entry", PROCESS, ids=[entry.id for entry in PROCESS])
def test_corpus_item_as_a_process(entry: Item, bases: Bases, folder: Path) -> None:
    _run_item(entry, bases, folder, lambda args: run_as_process(args, folder))


def test_process_items_exist() -> None:
    """A renamed item must not silently drop out of the process subset."""
    assert {entry.id for entry in PROCESS} == PROCESS_ITEMS
    assert {entry.kind for entry in PROCESS} == set(counts())


def test_corpus_covers_every_kind() -> None:
    """The corpus keeps at least this many items of each kind (README of tests/corpus lists them)."""
    found = counts()
    minimum = {
        "catalogue": 15,
        "special file": 10,
        "sample": 6,
        "import": 6,
        "hostile file": 10,
        "workbook (XML)": 20,
        "workbook (limits)": 13,
        "workbook (openpyxl)": 4,
        "workbook (LibreOffice)": 8,
        "output": 2,
        "option": 4,
        "input": 10,
    }
    assert {kind: found[kind] for kind in minimum} == {kind: max(found[kind], n) for kind, n in minimum.items()}
