"""Starting uvicorn for ``kpigen serve``: JSON logs on stderr, graceful shutdown on SIGINT/SIGTERM."""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from generator.errors import EnvironmentProblem, UserError
from generator.validate.refusals import MIB

_SETTINGS_ENV = "KPIGEN_SERVE_MAX_UPLOAD_BYTES"
GRACE_SECONDS = 10
"""How long requests under way may take to finish after a stop signal."""


class JsonFormatter(logging.Formatter):
    """Access lines are JSON already; other records become ``{"time", "level", "logger", "message"}``."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name == "kpigen.access":
            return message
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": message,
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_config() -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "kpigen.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def app_from_environment() -> Any:
    """The app for each uvicorn worker, with the settings ``run`` put in the environment."""
    from generator.server import ServerSettings, create_app

    limit = int(os.environ.get(_SETTINGS_ENV, str(ServerSettings().max_upload_bytes)))
    return create_app(ServerSettings(max_upload_bytes=limit))


def run(host: str, port: int, max_upload_mb: float, workers: int) -> None:
    try:
        import uvicorn
    except ImportError:
        raise EnvironmentProblem(
            "kpigen serve needs the web extra: pip install 'kpi-template-generator[web]'"
        ) from None
    check_address(host, port)
    os.environ[_SETTINGS_ENV] = str(int(max_upload_mb * MIB))
    app_from_environment()  # load catalogues and templates now: a broken one stops here with one line
    try:
        uvicorn.run(
            "generator.server.run:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=log_config(),
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=GRACE_SECONDS,
        )
    except SystemExit as exc:  # uvicorn exits this way when it cannot start (exit code 3)
        if exc.code not in (None, 0):
            raise EnvironmentProblem(f"the web server could not start on {host}:{port}; see the log above") from None


def check_address(host: str, port: int) -> None:
    """Refuse a host or port that cannot be listened on (in use, not an address of this machine) in one line."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UserError(f"--host {host}: not an address this machine has ({exc.strerror})") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UserError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another with --port or --host"
            ) from None
