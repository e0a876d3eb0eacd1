"""Under mutmut, every call of a mutated module goes through a trampoline, doubling the frames a
formula nested 64 levels deep needs; the engine's own depth limits are what the tests check."""

from __future__ import annotations

import os
import sys

if os.environ.get("MUTANT_UNDER_TEST"):
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))
