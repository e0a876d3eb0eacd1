"""A page's ``sh`` blocks run as a reader runs them: one command after another in one terminal.

Sybil finds the blocks (fenced ``sh`` blocks, ``<!-- invisible-code-block: sh -->`` set-up steps
and ``<!-- skip: next "reason" -->`` marks); this module runs each command of a block with bash,
exactly as written, carrying the exported environment and the working folder from one command
to the next (``. .venv/bin/activate`` holds for the rest of the page). Each command is checked
against what its own line states:

- its exit code: 0, or the ``exit N`` its comment names (``# refused, exit 2: ...``);
- the files it writes: the target of ``--out``, ``-o`` and ``>`` (a folder: that something was
  written into it), and every path the comment names (``# output/bsc-en.xlsx, output/bsc-tr.xlsx``):
  each must exist, be written by this command, and not be empty (a workbook: a zip package).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sybil import Example
from sybil.parsers.markdown import CodeBlockParser

STATED_EXIT = re.compile(r"\bexit (\d+)\b")
NAMED_FILE = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)+[\w.-]+\.(?:xlsx|csv|json|pot|po|parquet))\b")
WRITES = ("--out", "-o")
NEEDS = re.compile(r"^\s*#\s*needs\b.*?kpi-template-generator\[([\w,]+)\]", re.M)
"""A block's own comment line naming an extra: ``# needs pip install 'kpi-template-generator[web]'``."""
TIMEOUT = 600


@dataclass
class Terminal:
    """One reader's shell: the folder and the exported environment, carried between commands."""

    cwd: Path
    env: dict[str, str]
    state: Path  # where each command leaves its environment and folder, outside the reader's folder
    extras: dict[tuple[str, ...], Path] = field(default_factory=dict)  # venvs for blocks naming extras
    log: list[str] = field(default_factory=list)


def commands(block: str) -> list[str]:
    """The block's commands: continuation lines joined, blank lines and comment lines left out."""
    joined = re.sub(r"\\\n[ \t]*", "", block)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def split_comment(command: str) -> tuple[str, str]:
    """``(code, comment)``: the comment is what follows the first ``#`` outside quotes after a space."""
    quote: str | None = None
    for index, char in enumerate(command):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or command[index - 1].isspace()):
            return command[:index].rstrip(), command[index + 1 :].strip()
    return command, ""


def written_paths(code: str, comment: str) -> list[str]:
    """The files (or folders, ending in ``/``) a command says it writes."""
    words = shlex.split(code)
    named = [words[i + 1] for i, word in enumerate(words[:-1]) if word in WRITES or word == ">"]
    named += [word.split("=", 1)[1] for word in words if word.startswith("--out=")]
    named += NAMED_FILE.findall(comment)
    moved = {words[i + 1]: words[i + 2] for i, word in enumerate(words[:-2]) if word == "mv"}  # written, then renamed
    return [moved.get(name, name) for name in named if name != "-"]


def check_written(terminal: Terminal, name: str, since: float) -> str | None:
    path = terminal.cwd / name
    if path.is_dir():
        fresh = [p for p in path.rglob("*") if p.is_file() and p.stat().st_mtime >= since]
        return None if fresh else f"nothing written into {name}"
    if not path.is_file():
        return f"{name} was not written"
    if path.stat().st_mtime < since:
        return f"{name} is older than the command"
    if path.stat().st_size == 0:
        return f"{name} is empty"
    if path.suffix == ".xlsx" and not zipfile.is_zipfile(path):
        return f"{name} is not an .xlsx package"
    return None


def run_command(terminal: Terminal, command: str) -> subprocess.CompletedProcess[str]:
    """Run one command as written, then keep the environment and folder it leaves."""
    state = terminal.state / "after"
    script = f'{command}\n__rc=$?\nenv -0 > "{state}.env"\npwd > "{state}.cwd"\nexit $__rc\n'
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=terminal.cwd,
        env=terminal.env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if Path(f"{state}.env").is_file():
        pairs = Path(f"{state}.env").read_text().split("\0")
        terminal.env = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
        terminal.cwd = Path(Path(f"{state}.cwd").read_text().strip())
    return done


def evaluate(example: Example) -> str | None:
    """Every command of one block, each against the exit code and files its line states."""
    terminal: Terminal = example.namespace["terminal"]
    block: str = example.parsed
    wanted = tuple(sorted(set(NEEDS.findall(block))))
    before = {key: terminal.env.get(key, "") for key in ("PATH", "VIRTUAL_ENV")}
    if wanted:  # the block names an extra: its commands run in an environment that has it
        bin_dir = terminal.extras[wanted] / "bin"
        terminal.env = {**terminal.env, "PATH": f"{bin_dir}:{before['PATH']}", "VIRTUAL_ENV": str(bin_dir.parent)}
    try:
        return run_block(example, terminal)
    finally:
        if wanted:
            terminal.env = {**terminal.env, **before}


def run_block(example: Example, terminal: Terminal) -> str | None:
    for command in commands(example.parsed):
        code, comment = split_comment(command)
        stated = STATED_EXIT.search(comment)
        expected = int(stated.group(1)) if stated else 0
        started = time.time() - 1  # file systems keep whole seconds on some machines
        done = run_command(terminal, command)
        terminal.log.append(f"$ {command}\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
        where = f"{Path(example.path).name}:{example.line}: {command}"
        if done.returncode != expected:
            said = done.stdout[-2000:] + done.stderr[-2000:]
            return f"{where}\nexit {done.returncode}, the page states {expected}\n{said}"
        if expected == 0:
            for name in written_paths(code, comment):
                problem = check_written(terminal, name, started)
                if problem:
                    return f"{where}\n{problem}"
    return None


def parser() -> CodeBlockParser:
    return CodeBlockParser(language="sh", evaluator=evaluate)
