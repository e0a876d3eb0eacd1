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
    default=None,
    show_default="one per CPU core",
    help="Worker processes; each has the connection and upload limits below.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(1, 10000),
    default=100,
    show_default=True,
    help="Open connections per worker; one more is answered 503 and closed.",
)
@click.option(
    "--max-uploads",
    type=click.IntRange(1, 1000),
    default=8,
    show_default=True,
    help="Uploads read or checked at once per worker; one more waits --read-timeout seconds, then gets 503.",
)
@click.option(
    "--read-timeout",
    type=Positive(600),
    default=15.0,
    show_default=True,
    help="Seconds a client may stay silent while sending headers or a body (then 408 and closed).",
)
@click.option(
    "--keep-alive",
    type=Positive(600),
    default=5.0,
    show_default=True,
    help="Seconds an idle connection is kept open between requests.",
)
def serve(
    host: str,
    port: int,
    max_upload_mb: float,
    workers: int | None,
    max_connections: int,
    max_uploads: int,
    read_timeout: float,
    keep_alive: float,
) -> None:
    """Serve the download page, the upload pages and the JSON API (/openapi.json).

    Ctrl-C or SIGTERM stops it gracefully: requests under way are finished first.
    """
    with user_errors():
        require_web_extra()
        from generator.server.run import default_workers, run
        from generator.server.settings import ServerSettings
        from generator.validate.refusals import MIB

        settings = ServerSettings(
            max_upload_bytes=int(max_upload_mb * MIB),
            max_connections=max_connections,
            max_uploads=max_uploads,
            read_timeout=read_timeout,
            keep_alive=keep_alive,
        )
        run(host, port, workers or default_workers(), settings)


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
