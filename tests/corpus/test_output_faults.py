"""A write killed with ``kill -9`` leaves only a hidden temporary file, which the next write removes.

The kill is real (SIGKILL to a process stopped inside ``write_atomic``'s window, after the
temporary file is written and before it is linked into place); the cleaning is checked on a
folder that also holds a user's files and a write still in progress, which must be kept.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator.output import STALE_SECONDS, remove_stale

KPIGEN = Path(sys.executable).with_name("kpigen")

_KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from generator import output
real_fsync = os.fsync
def stall(fd):
    real_fsync(fd)
    print("in the window", flush=True)
    time.sleep(600)
output.os.fsync = stall
output.write_atomic(Path(sys.argv[1]), b"x" * 1_000_000)
"""


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_kill_9_in_the_write_window_is_cleaned_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "crm.xlsx"
    writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "in the window"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=60)
    left = [p.name for p in tmp_path.iterdir()]
    assert not target.exists(), "a killed write must not leave a torn target"
    assert len(left) == 1 and left[0].startswith(f".crm.xlsx.kpigen-{writer.pid}.") and left[0].endswith(".tmp"), left

    done = subprocess.run(
        [str(KPIGEN), "build", "--out", str(tmp_path / "other.xlsx")], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.xlsx"]


def test_only_our_stale_temporaries_are_removed(tmp_path: Path) -> None:
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        dead = _dead_pid()
        keep = {
            f".crm.xlsx.kpigen-{live.pid}.abcd1234.tmp": "a write in progress",
            ".crm.xlsx.abcd1234.tmp": "an older release's temporary, still fresh",
            ".notes.tmp": "a user's file",
            "report.xlsx": "a user's workbook",
            ".crm.xlsx.abc.tmp": "not our name (random part of 3)",
            f"crm.xlsx.kpigen-{dead}.abcd1234.tmp": "not hidden: not our name",
        }
        gone = {
            f".crm.xlsx.kpigen-{dead}.abcd_123.tmp": "its writer is gone",
            ".bsc-tr.xlsx.x1y2z3_4.tmp": "an older release's temporary, an hour old",
        }
        for name in [*keep, *gone]:
            (tmp_path / name).write_bytes(b"data")
        hour_ago = time.time() - max(3600, 2 * STALE_SECONDS)
        os.utime(tmp_path / ".bsc-tr.xlsx.x1y2z3_4.tmp", (hour_ago, hour_ago))
        (tmp_path / f".dir.xlsx.kpigen-{dead}.abcdefgh.tmp").mkdir()  # a folder is never ours
        os.symlink(tmp_path / "report.xlsx", tmp_path / f".link.xlsx.kpigen-{dead}.abcdefgh.tmp")
        keep[f".dir.xlsx.kpigen-{dead}.abcdefgh.tmp"] = "a folder"
        keep[f".link.xlsx.kpigen-{dead}.abcdefgh.tmp"] = "a symbolic link"

        removed = remove_stale(tmp_path)

        assert sorted(p.name for p in removed) == sorted(gone)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep)
        assert (tmp_path / "report.xlsx").read_bytes() == b"data"
    finally:
        live.kill()
        live.wait()
