"""Every corpus item through the installed ``kpigen``, in a fresh process, as a user meets it.

Each run is bounded by a memory ceiling (RLIMIT_AS) and a timeout: a hang or a runaway read
fails the item (these are bounds on the code, not timing assertions). Each answer must be the
documented exit code, no traceback or internal error, a one-line message naming the file and
the line or cell (or, for a workbook with problems, a finding with its code at that cell), and
nothing written or changed that should not be.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.corpus.items import ITEMS, Bases, Item, counts

KPIGEN = Path(sys.executable).with_name("kpigen")
MEMORY_CEILING = 1536 * 1024 * 1024
"""Address space a single command may use; /dev/zero or a bomb read whole would pass it at once."""
TIMEOUT_SECONDS = 120
"""A hung read (a pipe with no writer) ends here; every item answers in a second or two."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "(absent)"


def _listing(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    for entry in tmp_path.iterdir():  # pipes and sparse files do not outlive the test
        if entry.is_fifo():
            entry.unlink()


@pytest.mark.parametrize("entry", ITEMS, ids=[entry.id for entry in ITEMS])
def test_corpus_item(entry: Item, bases: Bases, folder: Path) -> None:
    case = entry.make(folder, bases)
    before = {path: _digest(path) for path in case.unchanged}
    listing = _listing(case.empty) if case.empty else set()
    done = subprocess.run(
        [str(KPIGEN), *case.args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limit_memory,
        env={**os.environ, "KPIGEN_DEBUG": "", "COLUMNS": "200"},
        stdin=subprocess.DEVNULL,
    )
    said = done.stdout + done.stderr
    assert "Traceback" not in said and "internal error" not in said and "bug in kpigen" not in said, said[-1500:]
    assert done.returncode == case.exit, f"exit {done.returncode}, expected {case.exit}: {said[-1500:]}"
    if case.code is not None:
        report = json.loads(done.stdout)
        places = {(f"{f['sheet']}!{f['cell']}" if f.get("cell") else "", f["code"]) for f in report["findings"]}
        assert any(re.fullmatch(case.where or "", place) and code == case.code for place, code in places), places
    elif case.exit in (2, 3, 4, 5):
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert re.search(case.where, lines[0]), lines[0]
    elif case.exit == 1:  # catalogue problems: every line is file:line:column: message
        lines = done.stderr.strip().splitlines()
        assert lines and all(re.search(case.where, line) for line in lines), done.stderr
    for path, digest in before.items():
        assert _digest(path) == digest, f"{path.name} was changed"
    if case.empty is not None:
        assert _listing(case.empty) == listing, f"{case.empty} gained {_listing(case.empty) - listing}"


def test_corpus_covers_every_kind() -> None:
    """The corpus keeps at least this many items of each kind (README of tests/corpus lists them)."""
    found = counts()
    minimum = {
        "catalogue": 15,
        "special file": 10,
        "sample": 6,
        "import": 6,
        "hostile file": 10,
        "workbook (XML)": 8,
        "workbook (openpyxl)": 4,
        "workbook (LibreOffice)": 6,
        "output": 2,
    }
    assert {kind: found[kind] for kind in minimum} == {kind: max(found[kind], n) for kind, n in minimum.items()}
