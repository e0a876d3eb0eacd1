"""What each other tool is asked to do with the same file, as a whole process (``python -c``).

pycel and ``formulas`` really recalculate every formula; openpyxl only loads the cached values;
python-calamine reads every sheet's values; LibreOffice converts with recalculation on load.
"""

from __future__ import annotations

import sys
from pathlib import Path

OPENPYXL = "import openpyxl, sys; openpyxl.load_workbook(sys.argv[1], data_only=True)"
PYCEL = "from pycel import ExcelCompiler; import sys; ExcelCompiler(filename=sys.argv[1]).recalculate()"
FORMULAS = "import formulas, sys; formulas.ExcelModel().loads(sys.argv[1]).finish().calculate()"
CALAMINE = (
    "import python_calamine as c, sys; b = c.CalamineWorkbook.from_path(sys.argv[1])\n"
    "for n in b.sheet_names: b.get_sheet_by_name(n).to_python()"
)


def python(code: str, *args: Path | str) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


def kpigen(*args: Path | str) -> list[str]:
    return [sys.executable, "-m", "generator.cli", *map(str, args)]


def libreoffice(profile: Path, source: Path, out: Path) -> list[str]:
    from generator.recalc import soffice

    return [
        soffice(),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(source),
    ]
