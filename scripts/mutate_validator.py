"""Mutation run of the validator's comparison modules (issue 24), apart from the engine's.

``[tool.mutmut]`` in pyproject.toml mutates ``generator/engine/`` against the engine's fast tests.
mutmut reads one configuration, from the folder it runs in, and runs every test that reaches a
mutated function: the validator's tests reach the engine, so one configuration for both would run
them for every engine mutant too. This copies the checkout's tracked files to a scratch folder,
gives that copy a configuration for ``formulas.py`` and ``findings.py`` with the fast test file
that covers them, and runs mutmut there with the checkout's ``.venv``:

    .venv/bin/python -m scripts.mutate_validator [--max-children 2] [SCRATCH]

then ``cd SCRATCH && ../path/to/.venv/bin/mutmut results`` lists the survivors.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ["generator/validate/formulas.py", "generator/validate/findings.py"]
TESTS = ["tests/validate/test_formula_findings.py"]
CONFIG = f"""[tool.mutmut]
source_paths = ["generator/"]
only_mutate = {MODULES!r}
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]
pytest_add_cli_args_test_selection = {TESTS!r}
also_copy = ["kpi_catalog/", "locales/"]
""".replace("'", '"')


def prepare(scratch: Path) -> None:
    """A copy of the tracked files with the validator's mutmut configuration in place of the engine's."""
    if scratch.exists():
        shutil.rmtree(scratch)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, scratch / name)
    shutil.copytree(ROOT / "locales", scratch / "locales", dirs_exist_ok=True)  # with the compiled .mo files
    pyproject = (scratch / "pyproject.toml").read_text(encoding="utf-8")
    section = re.compile(r"^\[tool\.mutmut\]\n(?:(?!^\[).*\n)*", re.MULTILINE)
    (scratch / "pyproject.toml").write_text(section.sub(CONFIG + "\n", pyproject), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scratch", nargs="?", type=Path, default=Path("/tmp/kpigen-mutate-validator"))
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args()
    prepare(args.scratch)
    mutmut = Path(sys.executable).with_name("mutmut")
    return subprocess.run([str(mutmut), "run", "--max-children", str(args.max_children)], cwd=args.scratch).returncode


if __name__ == "__main__":
    sys.exit(main())
