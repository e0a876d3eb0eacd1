"""KPI catalogues: the file format, loading with line-accurate errors, and the resolved Catalog."""

from generator.catalog.catalog import Catalog
from generator.catalog.parsed import load_catalog

__all__ = ["Catalog", "load_catalog"]
