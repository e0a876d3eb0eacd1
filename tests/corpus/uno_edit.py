"""Edit workbooks the way a LibreOffice user does, through LibreOffice's own UNO API.

Run with Debian's /usr/bin/python3 (it has the ``uno`` module; the project's venv does not):

    /usr/bin/python3 tests/corpus/uno_edit.py PROFILE_DIR JOBS.json

JOBS.json is a list of ``{"source": path, "target": path, "edits": [...]}``; each edit is one of
``{"op": "value", "sheet": s, "cell": "E8", "value": 1.5}``, ``{"op": "text", ...}``,
``{"op": "merge", "sheet": s, "range": "E42:G42"}``, ``{"op": "insert_rows", "sheet": s, "row": 8,
"count": 2}`` (1-based row above which to insert), ``{"op": "delete_rows", "sheet": s, "row": 4,
"count": 1}`` (1-based first row deleted),
``{"op": "background", "sheet": s, "range": "A60:XFD60", "color": 0xFFFF00}`` (whole rows or
columns coloured, left empty), ``{"op": "rename", "sheet": s, "to": new}``,
``{"op": "typed", "sheet": s, "cell": "H8", "text": "12.5", "locale": "tr-TR"}`` (text read as
LibreOffice reads what a user of that locale types: its number formatter detects the format,
a date for "12.5" in Turkish, and the cell gets the value and that format).
Every document is recalculated and saved as .xlsx ("Calc MS Excel 2007 XML"), as a user's save.
One soffice serves all jobs; the edits of one document are applied in one batch.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


_OFFICE: dict[str, object] = {}
"""The office's component context, once connected (the number formatter is made in it)."""


def _connect(port: int, deadline: float) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            context = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            _OFFICE["context"] = context
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _apply(document: object, edit: dict[str, object]) -> None:
    sheets = document.Sheets  # type: ignore[attr-defined]
    sheet = sheets.getByName(edit["sheet"])
    op = edit["op"]
    if op == "value":
        sheet.getCellRangeByName(edit["cell"]).setValue(float(edit["value"]))  # type: ignore[arg-type]
    elif op == "text":
        sheet.getCellRangeByName(edit["cell"]).setString(str(edit["value"]))
    elif op == "merge":
        sheet.getCellRangeByName(edit["range"]).merge(True)
    elif op == "insert_rows":
        sheet.getRows().insertByIndex(int(edit["row"]) - 1, int(edit.get("count", 1)))  # type: ignore[call-overload]
    elif op == "delete_rows":
        sheet.getRows().removeByIndex(int(edit["row"]) - 1, int(edit.get("count", 1)))  # type: ignore[call-overload]
    elif op == "background":
        sheet.getCellRangeByName(edit["range"]).CellBackColor = int(edit["color"])  # type: ignore[call-overload]
    elif op == "rename":
        sheet.setName(str(edit["to"]))
    elif op == "typed":
        _typed(document, sheet.getCellRangeByName(edit["cell"]), str(edit["text"]), str(edit["locale"]))
    else:
        raise ValueError(f"unknown edit {op!r}")


def _typed(document: object, cell: object, text: str, locale: str) -> None:
    """``text`` entered as LibreOffice enters what a user of ``locale`` types: the locale's formatter
    detects the format (a date for "12.5" in Turkish or German) and the cell takes value and format."""
    from com.sun.star.lang import Locale  # type: ignore[import-not-found]

    language, _, country = locale.partition("-")
    context = _OFFICE["context"]
    formatter = context.ServiceManager.createInstanceWithContext("com.sun.star.util.NumberFormatter", context)  # type: ignore[attr-defined]
    formatter.attachNumberFormatsSupplier(document)
    numbers = document.getNumberFormats()  # type: ignore[attr-defined]
    standard = numbers.getStandardFormat(16, Locale(language, country, ""))  # 16: NumberFormat.NUMBER
    key = formatter.detectNumberFormat(standard, text)
    cell.setValue(formatter.convertStringToNumber(standard, text))  # type: ignore[attr-defined]
    cell.NumberFormat = key  # type: ignore[attr-defined]


def main(profile: Path, jobs_file: Path) -> int:
    jobs = json.loads(jobs_file.read_text(encoding="utf-8"))
    port = _free_port()
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile.resolve()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        desktop = _connect(port, time.monotonic() + 90)
        for job in jobs:
            url = uno.systemPathToFileUrl(os.path.abspath(job["source"]))
            document = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))  # type: ignore[attr-defined]
            try:
                if document.isProtected() if hasattr(document, "isProtected") else False:
                    document.unprotect("")
                for sheet in document.Sheets:
                    if sheet.isProtected():
                        sheet.unprotect("")  # the template protects its sheets without a password
                for edit in job["edits"]:
                    _apply(document, edit)
                document.calculateAll()
                target = uno.systemPathToFileUrl(os.path.abspath(job["target"]))
                document.storeToURL(target, (_prop("FilterName", "Calc MS Excel 2007 XML"),))
            finally:
                document.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as soffice exits
            desktop.terminate()  # type: ignore[attr-defined]
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
