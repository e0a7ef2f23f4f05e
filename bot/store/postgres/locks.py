"""Named exclusive locks on PostgreSQL: a session advisory lock, ``(EXCLUSIVE_LOCK,
hashtext(name))``, on a connection opened for it and closed with it.

The lock lasts as long as that session: released (unlocked, then the session closed) when
the holder leaves the ``async with``, and by the server when the holder's process dies or
its connection breaks (then ``alive()`` turns False, and whoever holds it must stop what
it guarded). No transaction
is held: a lock may guard network I/O (the Discord gateway, a channel's sending) for as
long as it likes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import psycopg

from bot.store.postgres.base import Conn

EXCLUSIVE_LOCK = 0x0DEA1B0B
RETRY_EVERY = 0.1  # seconds between tries while waiting for a lock
PING_TIMEOUT = 5.0  # seconds ``alive`` waits for the server


class SessionLock:
    """A lock held on its own session (``bot.store.interface.ExclusiveLock``)."""

    def __init__(self, conn: Conn | None, held: bool) -> None:
        self._conn = conn
        self._held = held

    @property
    def held(self) -> bool:
        return self._held

    async def alive(self) -> bool:
        conn = self._conn
        if not self._held or conn is None or conn.closed or conn.broken:
            return False
        try:
            await asyncio.wait_for(conn.execute("SELECT 1"), PING_TIMEOUT)
        except (psycopg.Error, TimeoutError):
            return False
        return True


class SessionLocks:
    def __init__(self, connect: Callable[[], Awaitable[Conn]]) -> None:
        self._connect = connect

    @contextlib.asynccontextmanager
    async def exclusive(self, name: str, *, wait: float = 0.0) -> AsyncIterator[SessionLock]:
        """psycopg.Error when the server cannot be reached (the store translates it)."""
        conn = await self._connect()
        deadline = time.monotonic() + wait
        try:
            while not await _try(conn, name):
                if time.monotonic() >= deadline:
                    yield SessionLock(None, False)
                    return
                await asyncio.sleep(RETRY_EVERY)
            yield SessionLock(conn, True)
        finally:
            # unlocked first: a closed session's locks outlive the client's close by as long
            # as the server takes to notice it, and the next holder may ask at once
            with contextlib.suppress(psycopg.Error):
                if not conn.closed and not conn.broken:
                    await conn.execute("SELECT pg_advisory_unlock_all()")
            with contextlib.suppress(psycopg.Error):
                await conn.close()


async def _try(conn: Conn, name: str) -> bool:
    cursor = await conn.execute(
        "SELECT pg_try_advisory_lock(%(lock)s, hashtext(%(name)s)) AS taken",
        {"lock": EXCLUSIVE_LOCK, "name": name},
    )
    row = await cursor.fetchone()
    return bool(row and row["taken"])
