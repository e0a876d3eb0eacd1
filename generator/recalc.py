"""Recalculate or render a workbook with LibreOffice headless, in a private profile.

LibreOffice keeps an .xlsx's cached values unless told to recalculate on load: the recalculating
profile below sets "recalculate on load: always", so the numbers read back are LibreOffice's
own (what Excel would compute). A default profile (``recalculate=False``) shows what a new user
sees. Either keeps a run independent of any LibreOffice the user has open.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.errors import EnvironmentProblem

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">\
<value>false</value></prop></item>
</oor:items>
"""
TIMEOUT_SECONDS = 180


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise EnvironmentProblem("LibreOffice is not installed (soffice not found); install libreoffice-calc-nogui")
    return found


def make_profile(directory: Path, region: str | None = None, *, recalculate: bool = True) -> Path:
    """A LibreOffice user profile; with ``recalculate``, one that recalculates every Excel file on load.

    Without ``recalculate`` (and without ``region``) the profile is left untouched: LibreOffice
    creates its shipped defaults on first start, as a new user's would be ("recalculation on file
    load: never"), which is what pictures and tests of what people see must use.
    ``region`` (such as "tr-TR") sets the locale LibreOffice formats numbers in, as a reader's
    own spreadsheet would: separators are the reader's choice, not the file's.
    """
    user = directory / "user"
    user.mkdir(parents=True, exist_ok=True)
    if not recalculate and not region:
        return directory
    registry = _REGISTRY if recalculate else _REGISTRY.split("<item", 1)[0] + "</oor:items>\n"
    if region:
        item = (
            '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
            f"<value>{region}</value></prop></item>\n"
        )
        registry = registry.replace("</oor:items>", item + "</oor:items>")
    (user / "registrymodifications.xcu").write_text(registry, encoding="utf-8")
    return directory


class LibreOffice:
    """One private profile reused for many conversions (start-up dominates each call).

    ``recalculate=False`` gives a user's default profile: what people see when they open a file.
    """

    def __init__(self, profile: Path | None = None, region: str | None = None, *, recalculate: bool = True) -> None:
        self._owned = profile is None
        self.recalculates = recalculate
        directory = profile or Path(tempfile.mkdtemp(prefix="kpigen-lo-"))
        self.profile = make_profile(directory, region, recalculate=recalculate)

    def convert(self, source: Path, out_dir: Path, to: str = "xlsx") -> Path:
        """Convert ``source`` (recalculated on load) into ``out_dir``; return the new file's path."""
        return self.convert_many([source], out_dir, to)[0]

    def convert_many(self, sources: list[Path], out_dir: Path, to: str = "xlsx") -> list[Path]:
        """Convert several files in one LibreOffice start (start-up is most of the cost)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        if any(s.parent.resolve() == out_dir.resolve() for s in sources):
            raise ValueError("convert into another folder, or a source would be overwritten")
        command = [
            soffice(),
            f"-env:UserInstallation={self.profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise EnvironmentProblem(f"{sources[0]}: LibreOffice did not finish within {TIMEOUT_SECONDS} s") from None
        extension = to.split(":")[0]
        results = [out_dir / (source.stem + "." + extension) for source in sources]
        for source, result in zip(sources, results, strict=True):
            if done.returncode != 0 or not result.is_file():
                detail = (done.stderr or done.stdout).strip().splitlines()
                last = detail[-1] if detail else "no output"
                raise EnvironmentProblem(f"{source}: LibreOffice conversion failed: {last}")
        return results

    def recalculate(self, sources: list[Path], out_dir: Path) -> list[Path]:
        """Copies of ``sources`` whose cached values are LibreOffice's recalculated ones."""
        return self.convert_many(sources, out_dir, "xlsx:Calc MS Excel 2007 XML")

    def close(self) -> None:
        if self._owned:
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
