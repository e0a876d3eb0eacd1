"""SECURITY.md lists every ``--max-*`` option of ``kpigen validate`` with its real default.

The options are taken from the command itself (click's parameters), the defaults from what the
command would use when the option is not given, and the document's table is parsed row by row:
an option added, renamed or given another default without the page following fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from generator.cli.build import PROGRESS_KPIS
from generator.cli.serve import serve
from generator.cli.validate import validate
from generator.validate.refusals import LIMITS, ReadLimits

SECURITY = (Path(__file__).parents[2] / "SECURITY.md").read_text(encoding="utf-8")


def _documented() -> dict[str, float]:
    """Option -> default, from the rows of the limits table (``| what | 50 MB | `--max-file-mb` | ...``)."""
    found: dict[str, float] = {}
    for row in re.finditer(r"^\| [^|]+ \| ([0-9][0-9,.]*)(?: MB)? \| `(--max-[a-z-]+)` \|", SECURITY, re.MULTILINE):
        found[row.group(2)] = float(row.group(1).replace(",", ""))
    return found


def _options(command: click.Command) -> list[str]:
    return sorted(name for param in command.params for name in param.opts if name.startswith("--max-"))


def test_every_limit_option_is_documented_with_its_default() -> None:
    defaults = ReadLimits()
    real = {
        limit.option: getattr(defaults, limit.field) / limit.scale
        for limit in LIMITS
        if limit.option in _options(validate)
    }
    assert sorted(real) == _options(validate), "an option of kpigen validate is not in refusals.LIMITS"
    assert {option: value for option, value in _documented().items() if option in real} == real


def test_catalogue_limits_are_documented_with_their_values() -> None:
    """The catalogue table's rows name constants of the code, with their real values."""
    from generator.catalog import limits
    from generator.user_file import MAX_TEXT_BYTES, MIB

    rows = dict(re.findall(r"^\| [^|]+ \| ([0-9][0-9,]*)(?: MB)? \| `(MAX_[A-Z_]+)` \|", SECURITY, re.MULTILINE))
    documented = {name: int(value.replace(",", "")) for value, name in rows.items()}
    assert documented == {"MAX_TEXT_BYTES": MAX_TEXT_BYTES // MIB, "MAX_KPIS": limits.MAX_KPIS}
    assert f"Builds of more than {PROGRESS_KPIS} KPIs show each step" in SECURITY


def test_the_upload_limit_is_documented_with_its_default() -> None:
    (upload,) = [param for param in serve.params if "--max-upload-mb" in param.opts]
    assert f"at most {upload.default:g} MB (`--max-upload-mb`" in SECURITY


def test_every_limit_of_serve_is_documented_with_its_default() -> None:
    """The server's table: each bounding option of ``kpigen serve`` with the default it really has."""
    documented = {
        row.group(2): float(row.group(1).replace(",", ""))
        for row in re.finditer(r"^ *\| [^|]+ \| ([0-9][0-9,.]*)(?: s| MB)? \| `(--[a-z-]+)` \|", SECURITY, re.MULTILINE)
    }
    bounding = ("--max-upload-mb", "--max-connections", "--max-uploads", "--read-timeout", "--keep-alive")
    real = {name: float(param.default) for param in serve.params for name in param.opts if name in bounding}
    assert sorted(real) == sorted(bounding)
    assert {option: value for option, value in documented.items() if option in real} == real
