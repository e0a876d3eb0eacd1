"""Packaging that pyproject.toml cannot say alone: the data folders ship inside the package.

Catalogue authors and translators work in the top-level ``kpi_catalog/`` and ``locales/``; the
wheel carries them as ``generator/kpi_catalog`` and ``generator/locales`` (read through
``generator.paths``), so an installed kpigen needs no checkout. Their files are listed in
pyproject.toml's package-data; everything else about the project is there too.
"""

from setuptools import find_namespace_packages, setup

DATA = {"generator.kpi_catalog": "kpi_catalog", "generator.locales": "locales"}


def data_packages(package: str, folder: str) -> list[str]:
    """The data folder and its sub-folders (tr/LC_MESSAGES), as setuptools wants them named."""
    return [package, *(f"{package}.{sub}" for sub in find_namespace_packages(where=folder))]


setup(
    packages=[
        *find_namespace_packages(include=["generator", "generator.*"], exclude=["*.__pycache__"]),
        *(name for package, folder in DATA.items() for name in data_packages(package, folder)),
    ],
    package_dir=DATA,
)
