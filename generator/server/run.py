"""Starting uvicorn for ``kpigen serve``: JSON logs on stderr, bounded clients, graceful shutdown.

The settings travel to each worker process in one environment variable (uvicorn starts workers
as fresh processes that import the app factory), and the bundled-catalogue cache file
(``generator.catalog.heads``) is switched off, so the server writes nothing to the user's cache.
With several workers on Linux each listens on a socket of its own (``workers.py``), so the kernel
spreads connections over them; elsewhere, or with one worker, uvicorn's one shared socket serves.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import socket
from dataclasses import asdict
from typing import Any

from generator.errors import EnvironmentProblem

_SETTINGS_ENV = "KPIGEN_SERVE_SETTINGS"
_BOARD_ENV = "KPIGEN_SERVE_BOARD"
_APP = "generator.server.run:app_from_environment"
_TUNED = ("max_upload_bytes", "max_connections", "max_uploads", "read_timeout", "keep_alive")
GRACE_SECONDS = 10
"""How long requests under way may take to finish after a stop signal."""


class JsonFormatter(logging.Formatter):
    """Access lines are JSON already; other records become ``{"time", "level", "logger", "message"}``,
    with a traceback as the ``error`` field: every line of the log is one JSON object."""

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
        # ASCII escapes: a lone surrogate from a request cannot break the line (or the stream's encoding)
        return json.dumps(entry)


def log_config() -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "kpigen.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "kpigen.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def settings_from_environment() -> Any:
    from generator.server import ServerSettings

    tuned = json.loads(os.environ.get(_SETTINGS_ENV, "{}"))
    return ServerSettings(**{key: value for key, value in tuned.items() if key in _TUNED})


def app_from_environment() -> Any:
    """The app for each uvicorn worker, with the settings ``run`` put in the environment."""
    from generator.server import create_app
    from generator.server.board import Board
    from generator.server.protocol import BoundedH11Protocol

    os.environ["KPIGEN_CACHE_DIR"] = ""  # no bundled-heads.json: the server writes nothing of its own
    settings = settings_from_environment()
    BoundedH11Protocol.configure(settings)
    name = os.environ.get(_BOARD_ENV)
    app = create_app(settings, Board.join(name) if name else None)
    # what start-up loaded (catalogues, templates, the framework) lives as long as the worker: kept out
    # of the collector's full passes, which otherwise walk it again during every few validations
    gc.collect()
    gc.freeze()
    return app


def run(host: str, port: int, workers: int, settings: Any) -> None:
    try:
        import uvicorn
    except ImportError:
        raise EnvironmentProblem(
            "kpigen serve needs the web extra: pip install 'kpi-template-generator[web]'"
        ) from None
    from generator.server.board import Board
    from generator.server.protocol import BoundedH11Protocol
    from generator.server.workers import bind_address, share_port

    bound = bind_address(host, port)  # a taken address is refused here, in one line
    holder = bound if workers > 1 and share_port(bound) else None
    if holder is None:
        bound.close()  # uvicorn binds the one socket all workers accept from, as before workers.py
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "workers": workers,
        "http": BoundedH11Protocol,
        "timeout_keep_alive": max(1, round(settings.keep_alive)),
        "log_config": log_config(),
        "access_log": False,
        "server_header": False,
        "timeout_graceful_shutdown": GRACE_SECONDS,
    }
    board = None
    try:
        os.environ[_SETTINGS_ENV] = json.dumps({key: value for key, value in asdict(settings).items() if key in _TUNED})
        app_from_environment()  # load catalogues and templates now: a broken one stops here with one line
        board = Board.create() if workers > 1 else None  # after the check above: only workers take a slot
        if board is not None:
            os.environ[_BOARD_ENV] = board.name
        if holder is None:
            uvicorn.run(_APP, **options)
        else:
            _serve_own_sockets(uvicorn.Config(_APP, **options), holder)
    except SystemExit as exc:  # uvicorn exits this way when it cannot start (exit code 3)
        if exc.code not in (None, 0):
            raise EnvironmentProblem(f"the web server could not start on {host}:{port}; see the log above") from None
    finally:
        if board is not None:
            os.environ.pop(_BOARD_ENV, None)
            board.close()
            board.unlink()
        if holder is not None:
            holder.close()


def _serve_own_sockets(config: Any, holder: socket.socket) -> None:
    """Workers each listening on a socket of their own, on the address ``holder`` keeps (``workers.py``)."""
    from generator.server.workers import Supervisor

    host, port = holder.getsockname()[:2]
    shown = f"[{host}]" if holder.family == socket.AF_INET6 else host
    logging.getLogger("uvicorn.error").info(
        "Uvicorn running on http://%s:%d, a listening socket in each worker (Press CTRL+C to quit)", shown, port
    )
    supervisor = Supervisor(config, holder)
    supervisor.run()
    if supervisor.failed:
        raise SystemExit(3)


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
