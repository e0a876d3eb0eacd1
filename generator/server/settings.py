"""What an operator can tune when starting the server; everything else is fixed by the code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.paths import CATALOG_DIR
from generator.validate.refusals import MIB, ReadLimits


@dataclass(frozen=True)
class ServerSettings:
    max_upload_bytes: int = 10 * MIB
    """Largest uploaded workbook; a request body larger than this (plus the form's envelope) gets 413."""
    cache_entries: int = 64
    """Built workbooks kept in memory by their options (about 100 KB each)."""
    catalog_dir: Path = CATALOG_DIR
    """Where the bundled catalogues are; requests choose one by id, never by path."""
    limits: ReadLimits = field(default_factory=ReadLimits)
    """The validator's guards for uploads; the file size limit is lowered to ``max_upload_bytes``."""

    def read_limits(self) -> ReadLimits:
        from dataclasses import replace

        return replace(self.limits, max_file_bytes=min(self.limits.max_file_bytes, self.max_upload_bytes))
