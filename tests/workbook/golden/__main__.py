"""Compare the golden files with what the writer builds now, or rewrite them with --update.

python -m tests.workbook.golden            # exit 1 and name the files that differ
python -m tests.workbook.golden --update   # rewrite them; review the diff like code
"""

from __future__ import annotations

import argparse
import json
import sys

from tests.workbook.golden import CASES, build_structure, golden_path


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.workbook.golden", description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite the golden files from the current writer")
    args = parser.parse_args()
    differ = []
    for name in CASES:
        text = json.dumps(build_structure(name), indent=1, ensure_ascii=False) + "\n"
        path = golden_path(name)
        if args.update:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            differ.append(str(path))
    for path in differ:
        print(f"{path}: differs from the writer's output; rerun with --update after reviewing the change")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
