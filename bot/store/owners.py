"""Which processes are alive, for settling deliveries a dead one left in 'sending'.

Each open store registers this process: it holds an exclusive ``flock`` on its own file in
``<database>.owners/`` for as long as it runs. The kernel drops the lock when the process
dies, however it dies, so a lock that can be taken means its owner is gone. The outbox
records owners by their id (``me``); which of them are dead is decided here, not in SQL.
This registry suits processes on one machine (SQLite); a backend shared across machines
needs one of its own (a PostgreSQL session's advisory lock is the same idea).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import IO


class OwnerRegistry:
    """This process's registration (``me``) and the liveness of the others."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.me = secrets.token_hex(8)
        self._handle: IO[str] | None = None

    def register(self) -> None:
        """Take this process's lock (OSError when the folder cannot be written)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._handle = open(self.folder / f"{self.me}.lock", "w")  # noqa: SIM115 - held open
        fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def unregister(self) -> None:
        """Drop this process's lock and its file."""
        if self._handle is not None:
            self._handle.close()  # releases the lock
            self._handle = None
            self.forget(self.me)

    def is_alive(self, owner: str | None) -> bool:
        """Whether ``owner`` still holds its lock (None, an unknown owner: no)."""
        if owner is None:
            return False
        try:
            handle = open(self.folder / f"{owner}.lock")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            return False
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    def forget(self, owner: str | None) -> None:
        """Remove a dead owner's file (best effort)."""
        if owner is not None:
            with contextlib.suppress(OSError):
                (self.folder / f"{owner}.lock").unlink()

    async def dead(self, owners: Iterable[str | None]) -> list[str | None]:
        """The owners among ``owners`` that are gone, this process never among them (the
        file system is asked in a thread, off the event loop)."""
        others = [owner for owner in owners if owner != self.me]
        alive = await asyncio.to_thread(lambda: [self.is_alive(owner) for owner in others])
        return [owner for owner, living in zip(others, alive, strict=True) if not living]
