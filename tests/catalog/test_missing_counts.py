"""`catalog check` and `build --fallback` count a draft translation's missing texts alike (they said
147 and 169 for one German draft: issue 22), and --list-missing lists the texts check names."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.paths import CATALOG_DIR


def test_check_and_a_fallback_build_count_the_same_missing_texts(tmp_path: Path) -> None:
    text = (CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8")
    assert "\nlocales: [en, tr]\n" in text
    (tmp_path / "crm.yaml").write_text(text.replace("\nlocales: [en, tr]\n", "\nlocales: [en, tr, de]\n"), "utf-8")
    shutil.copy(CATALOG_DIR / "crm.sample.csv", tmp_path)
    runner = CliRunner()
    check = runner.invoke(main, ["catalog", "check", str(tmp_path / "crm.yaml")])
    assert check.exit_code == 0, check.output
    checked = int(re.search(r"; (\d+) texts missing in de\)", check.stdout)[1])  # type: ignore[index]
    listed = [line.split(": warning: ")[0] for line in check.stderr.splitlines() if ": warning: " in line]
    assert checked == len(listed) > 100  # not a word of German: every text the catalogue has
    args = ["build", "--catalog", str(tmp_path / "crm.yaml"), "--locale", "de", "--fallback", "en", "--out"]
    build = runner.invoke(main, [*args, str(tmp_path / "de.xlsx")])
    assert build.exit_code == 0, build.output
    assert f" and {checked} catalogue texts are missing in de" in build.stderr
    listing = runner.invoke(main, [*args, str(tmp_path / "de2.xlsx"), "--list-missing"])
    missing = [line for line in listing.stderr.splitlines() if "catalogue text missing in de: " in line]
    assert [line.split("missing in de: ")[1].split(": ")[0] for line in missing] == listed
