"""Every ``sh`` block of README.md and docs/*.md, run as written from the installed wheel.

Each page is read by Sybil and its blocks run in page order in one folder outside the checkout
(a copy of the repository's files, as a reader's clone has them, with ``.venv`` pointing at a
fresh virtual environment holding the wheel and only the dependencies pip resolves for it: no
lock file, no extras unless a block names one). See ``tests/docs/shell.py`` for what is checked.
A block that cannot run here carries ``<!-- skip: next "reason" -->`` in the page, and pytest
reports it skipped with that reason.

Marked ``docs``: its own step of .ci/run (``pytest -m docs``). 5.5 to 8.5 minutes measured on the 2-core machine
under load averages of 11 to 12 from other work, most of it pip installing two environments (the base
install, and the web extra that docs/translating.md names); pip's cache makes the next run faster.
"""

from __future__ import annotations

import os
import re
import unittest
from collections.abc import Iterator
from pathlib import Path

import pytest
from sybil import Document, Example, Sybil
from sybil.parsers.markdown import SkipParser

from tests.checkout import ROOT, copy_checkout
from tests.docs import install, shell

pytestmark = pytest.mark.docs

PAGES = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]
SYBIL = Sybil(parsers=[shell.parser(), SkipParser()])


def examples(page: str) -> list[Example]:
    return list(SYBIL.parse(ROOT / page).examples())


CASES = [(page, index, example.line) for page in PAGES for index, example in enumerate(examples(page))]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install.build_wheel(tmp_path_factory.mktemp("docs-wheel"))


@pytest.fixture(scope="session")
def environments(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, ...], Path]]:
    """Virtual environments by extras, each installed the first time a page asks for it."""

    class Lazy(dict[tuple[str, ...], Path]):
        def __missing__(self, extras: tuple[str, ...]) -> Path:
            folder = tmp_path_factory.mktemp("venv-" + ("-".join(extras) or "base"))
            self[extras] = install.install(wheel, extras, folder)
            return self[extras]

    yield Lazy()


@pytest.fixture(scope="session")
def documents(
    environments: dict[tuple[str, ...], Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Document, list[Example]]]:
    """Each page parsed once, with its reader's folder and terminal, base install activated."""
    base = environments[()]
    system_path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if not Path(p).is_relative_to(ROOT)]
    parsed: dict[str, tuple[Document, list[Example]]] = {}
    for page in PAGES:
        folder = copy_checkout(tmp_path_factory.mktemp("reader-" + re.sub(r"\W", "-", page)))
        (folder / ".venv").symlink_to(base)
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
        env.update(PATH=os.pathsep.join([str(base / "bin"), *system_path]), VIRTUAL_ENV=str(base))
        document = SYBIL.parse(ROOT / page)
        state = tmp_path_factory.mktemp("terminal")
        document.namespace["terminal"] = shell.Terminal(cwd=folder, env=env, state=state, extras=environments)
        parsed[page] = (document, list(document.examples()))
    return parsed


@pytest.mark.parametrize(("page", "index"), [c[:2] for c in CASES], ids=[f"{p}:{line}" for p, _, line in CASES])
def test_block(page: str, index: int, documents: dict[str, tuple[Document, list[Example]]]) -> None:
    _document, found = documents[page]
    try:
        found[index].evaluate()
    except unittest.SkipTest as reason:  # a <!-- skip: next "reason" --> in the page
        pytest.skip(f"{page}:{found[index].line}: {reason}")


def test_every_shell_block_is_an_sh_block() -> None:
    """A block tagged bash, shell or console would be skipped silently: the pages use ``sh`` only."""
    for page in PAGES:
        tags = re.findall(r"^\s*```(\w*)", (ROOT / page).read_text(encoding="utf-8"), flags=re.M)
        assert not set(tags) & {"bash", "shell", "console", "zsh", "shell-session"}, page
