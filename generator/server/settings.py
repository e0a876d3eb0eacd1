"""What an operator can tune when starting the server; everything else is fixed by the code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.paths import CATALOG_DIR
from generator.validate.refusals import MIB, ReadLimits

FORM_BYTES = 64 * 1024
"""Largest body of a request that uploads no file (the download form, a JSON body), and the room
for a multipart form's boundaries and other fields on top of an uploaded file."""
UPLOAD_PATHS = frozenset({"/validate", "/regenerate", "/api/validate", "/api/regenerate"})
"""The only paths that take a file; every other request body is held to ``FORM_BYTES``."""


@dataclass(frozen=True)
class ServerSettings:
    max_upload_bytes: int = 10 * MIB
    """Largest uploaded workbook; a request body larger than this (plus the form's envelope) gets 413."""
    max_connections: int = 100
    """Open connections per worker process; one more is answered 503 and closed at once."""
    max_uploads: int = 8
    """Uploads read or worked on at once per worker; one more waits for ``read_timeout`` seconds with its
    body unread, then is answered 503."""
    read_timeout: float = 15.0
    """Seconds a client may stay silent while sending request headers or a body; then it gets 408
    (or, in the headers, is closed)."""
    keep_alive: float = 5.0
    """Seconds an idle connection is kept open between requests (uvicorn's ``timeout_keep_alive``)."""
    cache_entries: int = 64
    """Built workbooks kept in memory by their options (about 100 KB each), and as many bases."""
    catalog_dir: Path = CATALOG_DIR
    """Where the bundled catalogues are; requests choose one by id, never by path."""
    limits: ReadLimits = field(default_factory=ReadLimits)
    """The validator's guards for uploads; the file size limit is lowered to ``max_upload_bytes``."""

    def read_limits(self) -> ReadLimits:
        from dataclasses import replace

        return replace(self.limits, max_file_bytes=min(self.limits.max_file_bytes, self.max_upload_bytes))

    def body_limit(self, path: str) -> int:
        """Largest request body accepted on ``path``: an upload and its form, or a small form."""
        return self.max_upload_bytes + FORM_BYTES if path in UPLOAD_PATHS else FORM_BYTES
