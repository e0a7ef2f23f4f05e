"""Named exclusive locks for a database that one host uses (SQLite): ``LocalLocks``.

A lock is an ``flock`` on a file in ``<database>.locks/`` (so ``dealbot once`` beside
``dealbot run`` on the same host respect it too) taken behind a lock within the process
(two tasks of one process exclude each other as well: an flock is per open file). The
kernel drops an flock when its process dies, however it dies. PostgreSQL's equivalent is a
session advisory lock (``bot.store.postgres.locks``).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bot.errors import StorageError

RETRY_EVERY = 0.05  # seconds between tries while waiting for a lock


@dataclass(frozen=True, slots=True)
class LocalLock:
    """A lock of this host (``bot.store.interface.ExclusiveLock``): held until released."""

    held: bool

    async def alive(self) -> bool:
        return self.held


class LocalLocks:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._within: dict[str, asyncio.Lock] = {}

    @contextlib.asynccontextmanager
    async def exclusive(self, name: str, *, wait: float = 0.0) -> AsyncIterator[LocalLock]:
        within = self._within.setdefault(name, asyncio.Lock())
        deadline = time.monotonic() + wait
        handle: IO[str] | None = None
        while True:
            if not within.locked():
                await within.acquire()
                handle = await asyncio.to_thread(self._try, name)
                if handle is not None:
                    break
                within.release()
            if time.monotonic() >= deadline:
                yield LocalLock(False)
                return
            await asyncio.sleep(RETRY_EVERY)
        try:
            yield LocalLock(True)
        finally:
            handle.close()  # releases the flock
            within.release()

    def _try(self, name: str) -> IO[str] | None:
        """The lock's file, flocked; None when another process holds it."""
        digest = hashlib.blake2b(name.encode(), digest_size=8).hexdigest()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / f"{digest}.lock", "a")  # noqa: SIM115 - held open
        except OSError as exc:
            raise StorageError(f"lock {name!r} in {self.folder}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        return handle
