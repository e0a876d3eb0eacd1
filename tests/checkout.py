"""The repository checkout the tests run in (sources, babel.cfg, docs), as opposed to installed data."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
