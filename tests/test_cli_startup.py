"""What start-up imports, and the lazily imported commands' help: no timing here, only facts.

``kpigen --help`` lists the commands from summaries kept in ``generator.cli.COMMANDS`` and
imports none of them; these tests hold the summaries to the commands' own help, the listing to
what click writes for the same commands registered eagerly, and each path to the modules it may
import (checked in a fresh interpreter, as a user runs it).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"numpy", "pandas", "openpyxl", "fastapi", "starlette", "jinja2", "uvicorn", "email"}

PROBE = """
import json, runpy, sys
sys.argv = ["kpigen", *sys.argv[1:]]
try:
    runpy.run_module("generator.cli", run_name="__main__")
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(*args: str, cwd: Path = ROOT) -> set[str]:
    """The modules a fresh ``kpigen ARGS`` process has imported when it finishes."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def real(name: str) -> click.Command:
    module, _, attribute = COMMANDS[name][0].partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_is_the_first_paragraph_of_the_commands_help(name: str) -> None:
    command = real(name)
    assert command.name == name
    assert command.help is not None
    assert COMMANDS[name][1] == " ".join(command.help.partition("\n\n")[0].split())
    assert command.short_help is None and not command.hidden and not command.deprecated


def eager_group() -> click.Group:
    """The same group with every command registered up front, as it was before the lazy one."""
    return click.Group(
        name=main.name,
        callback=main.callback,
        params=main.params,
        help=main.help,
        context_settings=main.context_settings,
        commands=[real(name) for name in COMMANDS],
    )


@pytest.mark.parametrize("width", [60, 80, 100])
def test_the_listing_is_what_click_writes_for_the_commands_themselves(width: int) -> None:
    eager = eager_group()
    settings = {"terminal_width": width}
    lazy = CliRunner().invoke(main, ["--help"], prog_name="kpigen", terminal_width=width)
    expected = CliRunner().invoke(eager, ["--help"], prog_name="kpigen", **settings)  # type: ignore[arg-type]
    assert lazy.exit_code == expected.exit_code == 0
    assert lazy.output == expected.output
    assert all(f"  {name} " in lazy.output for name in COMMANDS)


@pytest.mark.parametrize("args", [["biuld"], ["catalog", "chek"], ["valdate", "x.xlsx"], ["--nosuch"], []])
def test_a_wrong_command_gets_the_error_and_suggestion_of_the_eager_group(args: list[str]) -> None:
    expected = CliRunner().invoke(eager_group(), args, prog_name="kpigen")
    for name in COMMANDS:  # a fresh lazy group: nothing registered yet
        main.commands.pop(name, None)
    found = CliRunner().invoke(main, args, prog_name="kpigen")
    assert (found.exit_code, found.output) == (expected.exit_code, expected.output)
    if args[:1] == ["biuld"]:
        assert "Did you mean 'build'?" in found.output


def test_a_command_and_its_own_help_are_found_by_name() -> None:
    result = CliRunner().invoke(main, ["catalog", "check", "--help"])
    assert result.exit_code == 0 and "--strict" in result.output
    assert CliRunner().invoke(main, ["nosuch"]).exit_code == 2


def test_help_imports_no_command_and_nothing_heavy() -> None:
    loaded = modules_after("--help")
    assert not {m for m in loaded if m.startswith("generator.cli.") and m != "generator.cli.run"}
    assert not {m.split(".")[0] for m in loaded} & (HEAVY | {"yaml", "msgspec", "babel", "xlsxwriter"})


def test_catalog_check_imports_only_the_catalogue_stack() -> None:
    loaded = {m.split(".")[0] for m in modules_after("catalog", "check", "kpi_catalog/crm.yaml")}
    assert not loaded & (HEAVY | {"xlsxwriter"})


def test_a_second_catalog_check_loads_no_babel_yaml_interface_strings_or_transfer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPIGEN_CACHE_DIR", str(tmp_path / "cache"))
    modules_after("catalog", "check", "kpi_catalog/crm.yaml")  # parses, and keeps the catalogue
    loaded = modules_after("catalog", "check", "kpi_catalog/crm.yaml")
    assert not {m.split(".")[0] for m in loaded} & {"babel", "yaml"}
    assert not {m for m in loaded if m.startswith(("generator.transfer", "generator.i18n.messages"))}
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("column,input\n", encoding="utf-8")
    with_mapping = modules_after("catalog", "check", "kpi_catalog/crm.yaml", "--mapping", str(mapping))
    assert "generator.transfer.mapping" in with_mapping  # loaded when asked for


def test_build_imports_neither_the_data_stack_nor_babels_po_reader(tmp_path: Path) -> None:
    loaded = modules_after("build", "--locale", "tr", "--out", str(tmp_path / "tr.xlsx"))
    assert (tmp_path / "tr.xlsx").is_file()
    assert not {m.split(".")[0] for m in loaded} & HEAVY
    assert "babel.messages" not in loaded


def test_a_second_build_imports_no_babel_and_no_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPIGEN_CACHE_DIR", str(tmp_path / "cache"))
    args = ("build", "--locale", "tr", "--sample", "--out", str(tmp_path / "tr.xlsx"), "--force")
    first = {m.split(".")[0] for m in modules_after(*args)}
    assert {"babel", "yaml"} <= first  # nothing kept yet: asked and parsed
    second = {m.split(".")[0] for m in modules_after(*args)}
    assert not second & {"babel", "yaml"}
    assert {path.name for path in (tmp_path / "cache").iterdir()} >= {"babel.json", "parsed", "splits"}


GC_PROBE = """
import gc, json, sys
import generator.workbook.build as build
seen = []
real = build.build_workbook
def watched(*args, **kwargs):
    seen.append(gc.isenabled())
    return real(*args, **kwargs)
build.build_workbook = watched
from generator.cli import entry
sys.argv = ["kpigen", *sys.argv[1:]]
try:
    entry()
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps(seen) + "\\n")
"""


def test_a_build_runs_without_the_garbage_collector(tmp_path: Path) -> None:
    args = ["build", "--locale", "all", "--out", f"{tmp_path}/", "--year", "2026"]
    done = subprocess.run([sys.executable, "-c", GC_PROBE, *args], capture_output=True, text=True, check=True)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == [False, False]  # en and tr


def test_every_other_command_turns_the_collector_back_on() -> None:
    import gc

    from generator.cli import UNCOLLECTED

    context = click.Context(main)
    was = gc.isenabled()
    try:
        for name in COMMANDS:
            gc.disable()
            assert main.get_command(context, name) is not None
            assert gc.isenabled() is (name not in UNCOLLECTED), name
    finally:
        if was:
            gc.enable()
