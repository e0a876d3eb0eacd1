"""``kpigen serve`` as a command: its options, its refusals, and that ``--help`` stays light."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from generator.cli import main


def test_help_names_the_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--max-upload-mb", "--workers"):
        assert option in result.output


def test_a_port_out_of_range_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "70000 is not in the range 0<=x<=65535" in result.output


def test_a_port_in_use_is_refused_in_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: cannot listen on 127.0.0.1:{port} (")
    assert "choose another with --port or --host" in result.output


def test_an_unknown_host_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "no-such-host.invalid"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: --host no-such-host.invalid: not an address this machine has")


def test_the_command_line_does_not_import_the_web_framework() -> None:
    code = (
        "import sys, generator.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'starlette', 'jinja2', 'uvicorn'}))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_an_upload_limit_must_be_a_finite_positive_number() -> None:
    """nan compares false with every size, so it would switch the limit off; inf too."""
    for value in ("nan", "inf", "0", "-1", "1e308"):
        result = CliRunner().invoke(main, ["serve", "--max-upload-mb", value])
        assert result.exit_code == 2 and "--max-upload-mb" in result.output, (value, result.output)


HIDE = """
import importlib.abc, sys
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {modules!r}:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Hide())
from generator.cli import entry
sys.argv = ['kpigen', 'serve', '--port', '0']
entry()
"""


@pytest.mark.parametrize(
    ("package", "modules"),
    [("fastapi", ["fastapi"]), ("uvicorn", ["uvicorn"]), ("python-multipart", ["python_multipart", "multipart"]),
     ("Jinja2", ["jinja2"])],
)  # fmt: skip
def test_without_the_web_extra_serve_says_what_to_install(package: str, modules: list[str]) -> None:
    """A base install (no web extra): exit 5 and one line naming the extra, never 70 ("a bug")."""
    done = subprocess.run(
        [sys.executable, "-c", HIDE.format(modules=modules)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 5, done.stderr
    (line,) = done.stderr.splitlines()
    assert line == (
        f"Error: kpigen serve needs the web extra ({package} not installed): pip install 'kpi-template-generator[web]'"
    )
