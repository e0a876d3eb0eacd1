"""`kpigen serve`: the download page and JSON API on uvicorn (FastAPI is imported only here)."""

from __future__ import annotations

import importlib

import click

from generator.cli.options import Positive
from generator.cli.run import user_errors
from generator.errors import EnvironmentProblem

WEB_MODULES = {"fastapi": ("fastapi",), "uvicorn": ("uvicorn",), "python-multipart": ("python_multipart", "multipart"),
               "Jinja2": ("jinja2",)}  # fmt: skip
"""What the web extra installs (pyproject.toml), by package, with the modules each may be imported as."""


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--max-upload-mb",
    type=Positive(1024),
    default=10.0,
    show_default=True,
    help="Largest workbook accepted for upload, in MB.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (one per CPU core serves the most downloads).",
)
def serve(host: str, port: int, max_upload_mb: float, workers: int) -> None:
    """Serve the download page, the upload pages and the JSON API (/openapi.json).

    Ctrl-C or SIGTERM stops it gracefully: requests under way are finished first.
    """
    with user_errors():
        require_web_extra()
        from generator.server.run import run

        run(host, port, max_upload_mb, workers)


def require_web_extra() -> None:
    """One line and exit 5 when the web extra is missing, before ``generator.server`` fails to import."""
    missing = [package for package, modules in WEB_MODULES.items() if not any(map(_importable, modules))]
    if missing:
        raise EnvironmentProblem(
            f"kpigen serve needs the web extra ({', '.join(missing)} not installed): "
            "pip install 'kpi-template-generator[web]'"
        )


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)  # serve imports it next anyway; a broken install counts as missing
    except ImportError:
        return False
    return True
