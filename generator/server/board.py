"""How many uploads each worker process has, on a small shared-memory board: the hint that lets a
busy worker send a client's next request to a less busy one.

Clients keep their connections, and where they first land is chance: from one shared socket
(where there is no ``SO_REUSEPORT``) the worker that wakes first takes every connection waiting,
so a burst can all land on one worker while another idles; with a socket per worker
(``workers.py``) the kernel hashes each connection to one, so 20 clients split 10/10 only on
average. A worker holding more uploads than the least busy other worker (plus one) answers an
upload with ``Connection: close``, so the client's next request comes on a new connection, which
may land on another worker; one that lands on the busier worker again is sent on at its next
answer, so the uploads drift to the less busy workers (a 20-client burst that all landed on one of
two workers was spread 10/10 within about 5 s on a loaded machine). The board holds only counts and
process ids, never a user's data; it is a hint, so a slot shared by mistake only makes the hint
worse, never a request wrong.
"""

from __future__ import annotations

import atexit
import os
from multiprocessing.shared_memory import SharedMemory

SLOTS = 128
"""Workers a board has room for: ``--workers`` is at most 64, and a worker restarted by uvicorn
takes the slot of one that died."""
_WORD = 8


class Board:
    def __init__(self, memory: SharedMemory, slot: int) -> None:
        self.memory = memory
        self.words = _buffer(memory).cast("q")
        self.slot = slot
        self.pid = os.getpid()

    @staticmethod
    def create() -> SharedMemory | None:
        """The board, made by the server's main process before it starts the workers; it unlinks it at the end.

        None where shared memory cannot be had (no /dev/shm in a container): the workers then serve
        without the hint, as before it existed.
        """
        try:
            memory = SharedMemory(create=True, size=SLOTS * 2 * _WORD)
        except OSError:
            return None
        _buffer(memory)[:] = bytes(SLOTS * 2 * _WORD)
        return memory

    @classmethod
    def join(cls, name: str) -> Board | None:
        """This worker's place on the board ``name``, or None when there is no board (or no free slot)."""
        try:
            memory = SharedMemory(name=name)
        except (OSError, ValueError):
            return None
        # attaching registers the name again with the resource tracker the workers share with the main
        # process (uvicorn spawns them): a no-op there, and the main process's unlink ends the tracking
        words = _buffer(memory).cast("q")
        free = next((slot for slot in range(SLOTS) if words[2 * slot] == 0 or not _alive(words[2 * slot])), None)
        if free is not None:
            words[2 * free], words[2 * free + 1] = os.getpid(), 0
        words.release()
        if free is None:
            memory.close()
            return None
        board = cls(memory, free)
        atexit.register(board.close)
        return board

    def close(self) -> None:
        self.words.release()
        self.memory.close()

    def set(self, uploads: int) -> None:
        self.words[2 * self.slot + 1] = uploads

    def least_other(self) -> int | None:
        """The fewest uploads any other live worker has, or None when this worker is alone."""
        least: int | None = None
        for slot in range(SLOTS):
            pid = self.words[2 * slot]
            if pid == 0:  # slots are taken in order: the rest are free
                break
            if slot != self.slot and pid != self.pid and _alive(pid):
                uploads = self.words[2 * slot + 1]
                least = uploads if least is None else min(least, uploads)
        return least


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _buffer(memory: SharedMemory) -> memoryview:
    if memory.buf is None:  # only after close()
        raise ValueError("the board is closed")
    return memory.buf
