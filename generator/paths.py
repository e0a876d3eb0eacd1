"""Where the bundled catalogues and translations are, found the same way installed or in a checkout.

Catalogue authors and translators work in the repository's top-level ``kpi_catalog/`` and
``locales/``. A wheel carries both inside the package, as ``generator/kpi_catalog`` and
``generator/locales`` (``setup.py`` maps them), so ``pip install`` works from any folder. Both
are found beside the package's own files (what ``importlib.resources.files`` gives for a package
on disk, without importing it at start-up): the packaged copy when there is one, else the
checkout's folder beside the package (a clone, or an editable install).
"""

from __future__ import annotations

from pathlib import Path


def _data_folder(name: str) -> Path:
    packaged = Path(__file__).parent / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


CATALOG_DIR = _data_folder("kpi_catalog")
LOCALES_DIR = _data_folder("locales")
DEFAULT_CATALOG = "crm"
"""The bundled catalogue ``build`` uses without ``--catalog``."""
