"""Babel's answers a build needs, remembered between runs so a build need not import Babel.

A fresh ``kpigen build`` asks Babel (CLDR) a few hundred questions: the locale's canonical code,
its currency, month names, number format patterns, numbers and percentages written inside
texts. Importing Babel and loading its locale data is about 30 ms of every run, and the answers
are the same each time. So ``kpigen build`` keeps them in ``babel.json`` in the user's cache
folder (``heads.cache_dir``; an empty ``KPIGEN_CACHE_DIR`` for none): msgspec JSON, never
pickle, a stamp (this kpigen, and the size and time of Babel's ``__init__.py``, which a new
version's install rewrites, and of the modules that ask) and each answer by its question
(``format_decimal|tr|float|1234.5``). A question not kept is asked of Babel (imported then) and
kept. Another stamp, or a file that cannot be read or decoded, is the same as none; outside
``kept_answers`` (the server, the validator) Babel is asked every time, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import TypeVar

import msgspec

from generator import __version__
from generator.cache_file import write_cache_file
from generator.catalog import heads

Answer = str | int | bool | list[str]
A = TypeVar("A", str, int, bool, list[str])
FILE = "babel.json"
MOST = 10_000
"""Answers kept in the file, at most (a CRM build in both locales asks about 400 questions)."""

_kept: dict[str, Answer] = {}
_added = False
_active = False
"""Answers are kept only inside ``kept_answers``: a server or a validator, which see any number, asks
Babel each time."""


class Entry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    stamp: str
    answers: dict[str, Answer]


def answer(question: str, ask: Callable[[], A]) -> A:
    """The answer kept for ``question``, or ``ask()``'s (kept from now on). ``ask`` must return the
    same answer for the same question under the same stamp: it is Babel's, of the same version."""
    if not _active:
        return ask()
    found = _kept.get(question)
    if found is not None:
        return found  # type: ignore[return-value]
    global _added
    result = ask()
    _kept[question] = result
    _added = True
    return result


def stamp() -> str:
    """What an answer depends on: this kpigen, Babel's version, and the modules that ask it."""
    try:
        spec = find_spec("babel")
    except (ImportError, ValueError):
        return ""
    if spec is None or not spec.origin:
        return ""
    here = Path(__file__).parent
    parts = [f"kpigen {__version__}"]
    for path in (Path(spec.origin), here / "answers.py", here / "formats.py", here / "locales.py"):
        try:
            found = path.stat()
        except OSError:
            return ""
        parts.append(f"{path} {found.st_mtime_ns} {found.st_size}")
    return "; ".join(parts)


def recall(where: Path) -> int:
    """Take the answers kept at ``where``; how many (0 for none or a stale file)."""
    try:
        entry = msgspec.json.decode(where.read_bytes(), type=Entry)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return 0
    if not entry.stamp or entry.stamp != stamp():
        return 0
    for question, found in entry.answers.items():
        _kept.setdefault(question, found)
    return len(entry.answers)


def remember(where: Path) -> None:
    """Write every answer this process knows to ``where``; any failure leaves the cache as it was."""
    write_cache_file(where, msgspec.json.encode(Entry(stamp(), dict(list(_kept.items())[-MOST:]))))


@contextmanager
def kept_answers() -> Iterator[None]:
    """Inside the block, Babel's answers come from the cache file first; new ones are written after."""
    global _added, _active
    folder = heads.cache_dir()
    where = folder / FILE if folder is not None else None
    if where is None:
        yield
        return
    recall(where)
    _added, _active = False, True
    try:
        yield
    finally:
        _active = False
    if _added:
        remember(where)


def forget() -> None:
    """Drop every answer this process holds (tests)."""
    global _added, _active
    _kept.clear()
    _added = _active = False
