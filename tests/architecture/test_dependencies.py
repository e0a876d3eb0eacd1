"""pyproject.toml declares what generator/ imports, no more and no less.

Every third-party import in ``generator/`` (read with ``ast``, mapped to its distribution by
``importlib.metadata.packages_distributions``) must be a base dependency, or belong to an extra
when only the extra's modules import it (the web server, parquet export). Every base dependency
must be imported, unless it is used by name rather than imported (``USED_BY_NAME``, with where).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generator"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

USED_BY_NAME = {"python-calamine": "pandas.read_excel(engine='calamine'), generator/transfer/table.py"}
"""Base dependencies that no module imports: a library loads them when given their name."""
EXTRA_HOMES = {
    "web": ("generator/server/",),
    "parquet": ("generator/transfer/",),
    "raw": ("generator/transfer/raw/", "generator/cli/sql.py"),
}
"""Where each extra's imports may appear (a base install never runs these imports)."""


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (``Jinja2>=3.1,<4`` -> ``jinja2``)."""
    found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert found is not None, requirement
    return re.sub(r"[-_.]+", "-", found.group(0)).lower()


def _imports() -> dict[str, set[str]]:
    """Distribution -> files of generator/ importing it (stdlib and generator itself left out)."""
    distributions = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "generator":
                    continue
                assert top in distributions, f"{path}: imports {top}, which no installed distribution provides"
                for distribution in distributions[top]:
                    found.setdefault(_name(distribution), set()).add(path.relative_to(ROOT).as_posix())
    return found


IMPORTS = _imports()
BASE = {_name(r) for r in PROJECT["dependencies"]}
EXTRAS = {extra: {_name(r) for r in requirements} for extra, requirements in PROJECT["optional-dependencies"].items()}


def test_the_base_dependencies_are_what_generator_imports() -> None:
    in_extras = {name for extra in EXTRA_HOMES for name in EXTRAS[extra]}
    imported_by_base = {name for name in IMPORTS if name not in in_extras}
    assert imported_by_base | set(USED_BY_NAME) == BASE


def test_an_extra_import_is_declared_in_its_extra_and_stays_in_its_modules() -> None:
    for name, files in IMPORTS.items():
        if name in BASE:
            continue
        homes = [extra for extra in EXTRA_HOMES if name in EXTRAS[extra]]
        assert homes, f"{name} is imported by {sorted(files)} but declared nowhere"
        allowed = tuple(prefix for extra in homes for prefix in EXTRA_HOMES[extra])
        assert all(file.startswith(allowed) for file in files), (name, sorted(files))


def test_what_only_tests_use_is_a_dev_dependency() -> None:
    assert "openpyxl" not in BASE and "openpyxl" in EXTRAS["dev"]
    assert "defusedxml" not in BASE
    assert "python-calamine" in BASE  # kpigen import reads .xlsx through it in a base install


def test_the_lock_pins_every_declared_dependency() -> None:
    pinned = {
        _name(line.split("==")[0])
        for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    declared = (BASE | {name for extra in EXTRAS.values() for name in extra}) - {"kpi-template-generator"}
    assert declared <= pinned, sorted(declared - pinned)
