"""Shared fixtures: the catalogues, and one LibreOffice profile for the whole session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from generator.catalog import Catalog, load_catalog
from generator.paths import CATALOG_DIR
from generator.recalc import LibreOffice

# CI runs the same examples every time and never fails on a slow machine's timing; locally,
# hypothesis keeps exploring new examples.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def crm() -> Catalog:
    return load_catalog(CATALOG_DIR / "crm.yaml")


@pytest.fixture(scope="session")
def bsc() -> Catalog:
    return load_catalog(CATALOG_DIR / "bsc.yaml")


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibreOffice]:
    """LibreOffice with recalculation on load forced on; the tests that need it fail without it."""
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is required: run scripts/setup.sh as root to install it")
    with LibreOffice(tmp_path_factory.mktemp("lo-profile")) as office:
        yield office


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture(scope="session")
def libreoffice_default(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibreOffice]:
    """LibreOffice with an untouched profile, as a new user has it: what people see."""
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is required: run scripts/setup.sh as root to install it")
    with LibreOffice(tmp_path_factory.mktemp("lo-default"), recalculate=False) as office:
        yield office
