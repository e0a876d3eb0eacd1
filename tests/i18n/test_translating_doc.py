"""docs/translating.md, followed step by step in a copy of the repository, as a translator would.

The ``sh`` blocks of "Add a language" run exactly as written (bash, from the copy's root, with
the project's ``pybabel`` and ``kpigen``); the edits the page asks for by hand (translate a few
strings, add ``de`` to ``locales:`` and one text) are made on the files. ``kpigen`` runs the
copy's own code and data: PYTHONPATH puts the copy first, as a clone with an editable install.
Only ``python -m pytest`` (this suite) and ``soffice`` (step 6, looking) are not run.

Cost: about 15 s (two pybabel runs, two checks, four builds).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from tests.checkout import ROOT, copy_checkout

GERMAN = {"Settings": "Einstellungen", "Inputs": "Eingaben", "KPIs": "Kennzahlen", "Start": "Start"}
SKIPPED = ("python -m pytest", "soffice")


def doc_commands() -> list[str]:
    """The shell commands of "Add a language", continuation lines joined, in page order."""
    text = (ROOT / "docs" / "translating.md").read_text(encoding="utf-8")
    section = text[text.index("## Add a language") : text.index("## Update a language")]
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S):
        joined = re.sub(r"\\\n\s*", "", block)
        commands += [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]
    return commands


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_checkout(tmp_path_factory.mktemp("translator"))


@pytest.fixture(scope="module")
def env(repo: Path) -> dict[str, str]:
    tools = str(Path(sys.executable).parent)
    environment = {**os.environ, "PATH": tools + os.pathsep + os.environ.get("PATH", ""), "PYTHONPATH": str(repo)}
    where = subprocess.run(
        [sys.executable, "-c", "import generator.paths as p; print(p.LOCALES_DIR)"],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == repo / "locales", "kpigen must read the copy's files"
    return environment


def sh(command: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, check=False)


def test_the_page_as_written(repo: Path, env: dict[str, str]) -> None:
    commands = [c for c in doc_commands() if not c.startswith(SKIPPED)]
    extract, init, check, strict, fallback, listed, refused, everything = commands  # the page's order
    assert extract.startswith("pybabel extract") and init.startswith("pybabel init")

    # Steps 1 and 2: the template, then German's catalogue.
    for command in (extract, init):
        done = sh(command, repo, env)
        assert done.returncode == 0, done.stderr
    po = repo / "locales" / "de" / "LC_MESSAGES" / "messages.po"
    assert po.is_file()

    # Step 3: a few strings translated, as an editor saves them.
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    for message in catalog:
        if message.id in GERMAN:
            message.string = GERMAN[str(message.id)]
    untranslated = sum(1 for m in catalog if m.id and m.id not in GERMAN)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=None)
    po.write_bytes(buffer.getvalue())

    # Step 4: `de` declared, one text written as the page shows.
    crm = repo / "kpi_catalog" / "crm.yaml"
    text = crm.read_text(encoding="utf-8")
    title = 'title: {en: "CRM KPI Dashboard", tr: "CRM KPI Panosu"}'
    assert "locales: [en, tr]\n" in text and title in text
    text = text.replace("locales: [en, tr]\n", "locales: [en, tr, de]\n")
    crm.write_text(text.replace(title, title[:-1] + ', de: "CRM-KPI-Cockpit"}'), encoding="utf-8")

    done = sh(check, repo, env)
    assert done.returncode == 0, done.stderr
    warnings = done.stderr.splitlines()
    assert len(warnings) > 100 and all(": warning: " in w and "'de'" in w for w in warnings)
    assert f"; {len(warnings)} texts missing in de)" in done.stdout
    done = sh(strict, repo, env)
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.splitlines()) == len(warnings)

    # Step 5: with --fallback, one line; with --list-missing, each text.
    done = sh(fallback, repo, env)
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.splitlines()
    found = re.fullmatch(
        r"warning: output/crm-de-sample\.xlsx: (\d+) interface strings and (\d+) catalogue texts are missing in de "
        r"and shown in en; --list-missing lists them",
        line,
    )
    assert found is not None, line
    strings, texts = int(found.group(1)), int(found.group(2))
    assert strings == untranslated and texts > 0
    done = sh(listed, repo, env)
    assert done.returncode == 0, done.stderr
    assert len(done.stderr.splitlines()) == strings + texts

    # Without --fallback: one line, and --locale all writes nothing at all.
    for command in (refused, everything):
        done = sh(command, repo, env)
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "--fallback en" in done.stderr
    assert sorted(p.name for p in (repo / "output").iterdir()) == ["crm-de-sample.xlsx"]


HIDE_JINJA2 = """#!{python}
import importlib.abc, sys
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "jinja2":
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Hide())
from babel.messages.frontend import main
sys.exit(main())
"""


def test_a_failed_extraction_leaves_the_template_as_it_was(tmp_path: Path) -> None:
    """Step 1 without Jinja2 (a base install): pybabel fails, and messages.pot keeps every byte."""
    repo = copy_checkout(tmp_path / "repo")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "pybabel").write_text(HIDE_JINJA2.format(python=sys.executable))
    (tools / "pybabel").chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    template = repo / "locales" / "messages.pot"
    before = template.read_bytes()
    extract = doc_commands()[0]
    done = sh(extract, repo, env)
    assert done.returncode != 0 and "jinja2" in done.stderr
    assert template.read_bytes() == before and len(before) > 10_000
