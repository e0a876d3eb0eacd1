"""The distribution as a user gets it: sdist -> wheel -> a fresh virtual environment -> kpigen
run from a folder outside the checkout.

The sdist is built with setuptools' own PEP 517 hook from a copy of the checkout's files, the
wheel from the unpacked sdist (so the sdist is proved to carry everything too), without build
isolation or an index, so nothing is downloaded. The fresh environment gets the wheel and
nothing else; its dependencies come from the test's own environment through one ``.pth`` line
placed after its own site-packages (never the checkout: ``generator`` must come from the wheel).

Cost: about 25 s (sdist and wheel builds, two builds, two validations, one with LibreOffice).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.catalog import load_catalog
from generator.paths import CATALOG_DIR
from tests.checkout import ROOT, copy_checkout

DATA_FILES = {
    "generator/kpi_catalog/crm.yaml",
    "generator/kpi_catalog/bsc.yaml",
    "generator/kpi_catalog/schema.json",
    "generator/kpi_catalog/crm.sample.csv",
    "generator/kpi_catalog/profiles/hubspot.yaml",
    "generator/kpi_catalog/profiles/zoho.yaml",
    "generator/locales/messages.pot",
    "generator/locales/en/LC_MESSAGES/messages.po",
    "generator/locales/tr/LC_MESSAGES/messages.po",
    "generator/locales/en/LC_MESSAGES/messages.mo",  # compiled by setup.py's build step, read by gettext
    "generator/locales/tr/LC_MESSAGES/messages.mo",
}


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel built from it."""
    work = tmp_path_factory.mktemp("dist")
    source = copy_checkout(work / "source")
    hook = "from setuptools import build_meta; print(build_meta.build_sdist('../sdist'))"
    done = _run([sys.executable, "-c", hook], source)
    assert done.returncode == 0, done.stderr[-2000:]
    sdist = work / "sdist" / done.stdout.strip().splitlines()[-1]
    with tarfile.open(sdist) as archive:
        archive.extractall(work / "unpacked", filter="data")
    (unpacked,) = (work / "unpacked").iterdir()
    wheelhouse = work / "wheels"
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
    done = _run([*pip, "-w", str(wheelhouse), str(unpacked)], work)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = wheelhouse.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


@pytest.fixture(scope="module")
def installed(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh virtual environment holding the wheel; returns the environment to run kpigen in."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    done = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
                 str(dist["wheel"])], env_dir)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env_dir)
    (Path(purelib.stdout.strip()) / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CACHE_HOME"] = str(env_dir / "cache")  # gets no .mo: the wheel carries them compiled
    return env


def test_sdist_carries_the_data_folders_where_authors_work(dist: dict[str, Path]) -> None:
    with tarfile.open(dist["sdist"]) as archive:
        names = {"/".join(name.split("/")[1:]) for name in archive.getnames()}
    assert {"kpi_catalog/crm.yaml", "kpi_catalog/bsc.yaml", "kpi_catalog/schema.json", "kpi_catalog/crm.sample.csv",
            "locales/messages.pot", "locales/tr/LC_MESSAGES/messages.po", "setup.py"} <= names  # fmt: skip


def test_wheel_carries_catalogues_and_translations_inside_the_package(dist: dict[str, Path]) -> None:
    with zipfile.ZipFile(dist["wheel"]) as archive:
        names = set(archive.namelist())
    assert names >= DATA_FILES
    assert not any(name.startswith(("kpi_catalog/", "locales/", "tests/")) for name in names), "top-level data"
    assert {name for name in names if name.endswith(".mo")} <= DATA_FILES, "only the .mo compiled from each .po"


def test_installed_wheel_works_from_any_folder(installed: dict[str, str], tmp_path: Path) -> None:
    def kpigen(*args: str) -> subprocess.CompletedProcess[str]:
        return _run(["kpigen", *args], tmp_path, installed)

    where = _run(["python", "-c", "import generator, generator.paths as p; print(generator.__file__, p.CATALOG_DIR)"],
                 tmp_path, installed)  # fmt: skip
    module, catalogues = where.stdout.split()
    assert not Path(module).is_relative_to(ROOT), "generator must come from the wheel, not the checkout"
    assert Path(catalogues).is_relative_to(Path(module).parent)

    done = kpigen("build", "--out", "crm-en.xlsx")
    assert done.returncode == 0, done.stderr
    done = kpigen("build", "--locale", "tr", "--sample", "--out", "crm-tr.xlsx")
    assert done.returncode == 0, done.stderr
    done = kpigen("build", "--catalog", "bsc", "--locale", "all", "--out", ".")
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert written == ["bsc-en.xlsx", "bsc-tr.xlsx", "crm-en.xlsx", "crm-tr.xlsx"]
    assert "KPI'lar" in openpyxl.load_workbook(tmp_path / "crm-tr.xlsx", read_only=True).sheetnames
    assert not list(Path(installed["XDG_CACHE_HOME"]).rglob("*.mo")), "the wheel's .mo were read, nothing compiled"

    done = kpigen("catalog", "list")
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    assert rows[0] == ["id", "version", "locales", "KPIs", "file"]
    crm = load_catalog(CATALOG_DIR / "crm.yaml")
    assert ["crm", crm.version, "en,", "tr", "26", "crm.yaml"] in rows and any(row[0] == "bsc" for row in rows)

    done = kpigen("catalog", "check", "crm", "bsc")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(": ok (") == 2

    done = kpigen("validate", "crm-tr.xlsx", "--recalc", "--format", "json")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    report = json.loads(done.stdout)
    assert report["template"]["catalog_id"] == "crm" and report["template"]["locale"] == "tr"
    assert report["summary"]["errors"] == 0 and report["summary"]["kpis_checked"] == 26
