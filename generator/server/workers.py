"""Workers that each listen on a socket of their own (``SO_REUSEPORT``), so the kernel spreads connections.

uvicorn's supervisor binds one socket and every worker accepts from it: a burst of connections
lands on whichever worker wakes first, and keep-alive holds them there (``board.py`` moves uploads
on, but only after a few seconds). Here each worker binds its own socket on the same address with
``SO_REUSEPORT``, and Linux hashes each new connection to one of the listening sockets, so a burst
is shared from its first connection.

The main process holds the address with a socket it binds but never listens on: binding it is the
check that refuses a taken address in one line (``SO_REUSEPORT`` is set only after it is bound, and
``SO_REUSEADDR`` taken off, so another ``kpigen serve`` is refused the port even while this one's
workers are still starting), it keeps the address for workers started later
(one that replaces a dead worker binds it again), and it is handed no connection (the kernel hands
connections to listening sockets only). A worker binds its socket once its app is loaded, so no
connection waits on a worker still starting, and the socket closes with the worker, so none is left
that nobody accepts from. Restarting a dead worker, SIGTERM/SIGINT and the health pings stay
uvicorn's (its ``Multiprocess`` and ``Process``); only where a worker's socket comes from changes.
These subclasses follow uvicorn 0.54's supervisor (``Process(config, sockets)``, its ``server``,
``wait_until_ready``), hence the ``web`` extra's floor.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
from typing import Any

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from generator.errors import UserError

logger = logging.getLogger("uvicorn.error")


def bind_address(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, not listening; a host or port that cannot be had is refused in one line.

    IPv6 only for a host with a colon, as uvicorn decides when it binds the one shared socket."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        infos = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UserError(f"--host {host}: not an address this machine has ({exc.strerror})") from None
    family, kind, proto, _name, address = infos[0]
    holder = socket.socket(family, kind, proto)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(address)
    except OSError as exc:
        holder.close()
        raise UserError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another with --port or --host"
        ) from None
    return holder


def share_port(holder: socket.socket) -> bool:
    """Open the held address to the workers' own sockets; False where the system cannot (no ``SO_REUSEPORT``
    or not Linux, whose kernel alone spreads connections over such sockets), so they share one socket instead."""
    if sys.platform != "linux" or not hasattr(socket, "SO_REUSEPORT") or not supervisor_fits():
        return False
    try:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        # SO_REUSEADDR let the bind pass the TIME_WAIT connections of a server stopped just before; off
        # now, so another server's bind (which sets it) is refused even before this one's workers listen
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
        with _reusing(holder.family, holder.getsockname()):  # what each worker will do, less listen()
            return True
    except OSError:
        return False


_PROCESS_PARTS = ("always_pong", "wait_until_ready", "is_alive", "server", "start", "kill", "join", "terminate")
_SUPERVISOR_PARTS = ("run", "init_processes", "keep_subprocess_alive", "restart_all", "handle_ttin")


def supervisor_fits() -> bool:
    """Whether uvicorn's supervisor still has the parts the classes below use or replace: a later uvicorn
    (the ``web`` extra allows any below 1.0) that renamed one gets the shared socket instead of a crash."""
    return all(hasattr(Process, name) for name in _PROCESS_PARTS) and all(
        hasattr(Multiprocess, name) for name in _SUPERVISOR_PARTS
    )


def _reusing(family: int, address: Any) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


class OwnSocketWorker(Process):
    """uvicorn's worker process, which binds and listens on its own socket once its app is loaded."""

    def __init__(self, config: Config, family: int, address: Any) -> None:
        self.family = family  # set before uvicorn's __init__, which pickles this object for the new process
        self.address = address
        super().__init__(config, [])

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover (a worker process)
        threading.Thread(target=self.always_pong, daemon=True).start()  # health pings answered while loading
        self.config.load()
        try:
            own = _reusing(self.family, self.address)
            own.listen(self.config.backlog)
        except OSError as exc:
            logger.error("the worker could not listen on %s: %s", self.address, exc)
            sys.exit(STARTUP_FAILURE)
        self.server.run([own])


class Supervisor(Multiprocess):
    """uvicorn's supervisor, starting ``OwnSocketWorker``s on the address ``holder`` keeps."""

    def __init__(self, config: Config, holder: socket.socket) -> None:
        super().__init__(config, [])
        self.family = holder.family
        self.address = holder.getsockname()
        self.failed = False
        """A worker exited before it served (its app or its socket): the server stopped."""

    def worker(self) -> OwnSocketWorker:
        process = OwnSocketWorker(self.config, self.family, self.address)
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self.worker() for _ in range(self.processes_num)]

    def keep_subprocess_alive(self) -> None:
        """As uvicorn's: a dead worker is replaced, one that failed to start stops the server."""
        for index, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error("Child process [%s] failed to start, stopping the parent process.", process.pid)
                self.failed = True
                self.should_exit.set()
                return
            logger.info("Child process [%s] died", process.pid)
            self.processes[index] = self.worker()

    def restart_all(self) -> None:
        """SIGHUP, as uvicorn's: each worker replaced once its replacement is ready."""
        for index, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self.worker()
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                logger.error("New child process [%s] was not ready in time; keeping the others.", new.pid)
                return
            old.terminate()
            old.join()
            self.processes[index] = new

    def handle_ttin(self) -> None:
        logger.info("Received SIGTTIN, increasing the number of processes.")
        self.processes_num += 1
        self.processes.append(self.worker())
