"""The README's and the download page's pictures show today's workbook (``python -m scripts.pictures``).

The pictures are LibreOffice renders, which differ by machine (fonts), so they are not re-rendered
here: the record beside them (docs/img/pictures.json) says what each shows, taken from the
workbook it was rendered from, and this test builds the same workbooks and compares. Any change
to the layout version, to a value the sheet shows, or to the parts that draw it (the sheet, its
drawings and charts, styles, strings) fails here until the pictures are made again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from scripts.pictures import PICTURES, RECORD, ROOT, build, fingerprint

RECORDED = json.loads(RECORD.read_text(encoding="utf-8"))["pictures"]
REMAKE = "the workbook changed since the pictures were made: run python -m scripts.pictures"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pictures")


def test_every_picture_is_recorded() -> None:
    assert sorted(RECORDED) == sorted(p.path for p in PICTURES)
    shown = {line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if "](docs/img/" in line}
    for line in shown:
        name = line.split("](", 1)[1].split(")", 1)[0]
        assert name in RECORDED or name.startswith("docs/img/serve-"), f"{name}: not made by scripts.pictures"


@pytest.mark.parametrize("picture", PICTURES, ids=[p.path for p in PICTURES])
def test_the_picture_shows_todays_workbook(picture: object, folder: Path) -> None:
    from scripts.pictures import Picture

    assert isinstance(picture, Picture)
    record = RECORDED[picture.path]
    assert hashlib.sha256((ROOT / picture.path).read_bytes()).hexdigest() == record["png_sha256"], (
        f"{picture.path} is not the picture the record describes; {REMAKE}"
    )
    assert (record["options"], record["sheet"]) == (list(picture.options), picture.sheet), REMAKE
    now = fingerprint(build(picture, folder), picture.sheet)
    assert now["layout_version"] == record["layout_version"], f"layout version changed; {REMAKE}"
    changed = sorted(c for c in now["values"].keys() | record["values"].keys()
                     if now["values"].get(c) != record["values"].get(c))  # fmt: skip
    assert not changed, f"{picture.sheet}: values changed in {changed[:10]} ({len(changed)} cells); {REMAKE}"
    assert now["parts_sha256"] == record["parts_sha256"], f"{picture.sheet}: formatting, charts or texts; {REMAKE}"
