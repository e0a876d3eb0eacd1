"""The project as a user installs it: a wheel built from a copy of the checkout, put into fresh
virtual environments with pip resolving its dependencies from the index as a user's pip does
(no lock file, no constraints), one environment per set of extras a page's block names.

Built once per test session; with pip's own cache holding the packages, each environment takes
well under a minute (about 40 s measured for the base install on the loaded 2-core machine).
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from tests.checkout import copy_checkout


def run(args: list[str], cwd: Path) -> None:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def build_wheel(work: Path) -> Path:
    """The wheel of the checkout as it is (committed or not), built without an index."""
    source = copy_checkout(work / "source")
    wheels = work / "wheels"
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
    run([*pip, "-w", str(wheels), str(source)], work)
    (wheel,) = wheels.glob("*.whl")
    return wheel


def install(wheel: Path, extras: tuple[str, ...], where: Path) -> Path:
    """A fresh virtual environment holding the wheel with ``extras``; returns its folder."""
    venv.EnvBuilder(with_pip=True).create(where)
    requirement = f"{wheel}[{','.join(extras)}]" if extras else str(wheel)
    done = subprocess.run(
        [str(where / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", requirement],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pip install {requirement} failed:\n{done.stderr[-3000:]}")
    return where
