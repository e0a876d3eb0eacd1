"""Where the project's data folders are, relative to the package (an editable install or a clone)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "kpi_catalog"
LOCALES_DIR = ROOT / "locales"
DEFAULT_CATALOG = CATALOG_DIR / "crm.yaml"
