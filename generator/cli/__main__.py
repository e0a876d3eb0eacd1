"""``python -m generator.cli``: the same as ``kpigen``."""

from generator.cli import entry

entry()
