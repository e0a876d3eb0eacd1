"""The repository checkout the tests run in (sources, babel.cfg, docs), as opposed to installed data."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def source_files() -> list[str]:
    """The checkout's files as git knows them (tracked, or new and not ignored)."""
    done = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [name for name in done.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


def copy_checkout(destination: Path) -> Path:
    """A copy of the checkout's files, as a fresh clone would have them (no .venv, no output/)."""
    for name in source_files():
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination / name)
    return destination
