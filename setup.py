"""Packaging that pyproject.toml cannot say alone: the data folders ship inside the package.

Catalogue authors and translators work in the top-level ``kpi_catalog/`` and ``locales/``; the
wheel carries them as ``generator/kpi_catalog`` and ``generator/locales`` (read through
``generator.paths``), so an installed kpigen needs no checkout. Their files are listed in
pyproject.toml's package-data; everything else about the project is there too.

The build also compiles each ``locales/*/LC_MESSAGES/*.po`` into the ``.mo`` that gettext reads
(``generator/i18n/compiled.py``, loaded by path so that building imports nothing of the package).
"""

import importlib.util
import sys
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

DATA = {"generator.kpi_catalog": "kpi_catalog", "generator.locales": "locales"}


def data_packages(package: str, folder: str) -> list[str]:
    """The data folder and its sub-folders (tr/LC_MESSAGES), as setuptools wants them named."""
    return [package, *(f"{package}.{sub}" for sub in find_namespace_packages(where=folder))]


class BuildPyWithMo(build_py):
    """build_py, then the .mo files beside the .po files it copied into the build."""

    def run(self) -> None:
        super().run()
        if self.dry_run or getattr(self, "editable_mode", False):
            return  # an editable install reads locales/ in the checkout and compiles them on first use
        source = Path(__file__).parent / "generator" / "i18n" / "compiled.py"
        spec = importlib.util.spec_from_file_location("kpigen_compiled", source)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while it runs
        spec.loader.exec_module(module)
        for written in module.compile_tree(Path(self.build_lib) / "generator" / "locales"):
            print(f"compiled {written}")


setup(
    cmdclass={"build_py": BuildPyWithMo},
    packages=[
        *find_namespace_packages(include=["generator", "generator.*"], exclude=["*.__pycache__"]),
        *(name for package, folder in DATA.items() for name in data_packages(package, folder)),
    ],
    package_dir=DATA,
)
