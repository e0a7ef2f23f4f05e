"""Which workers are alive, for settling deliveries and edits a dead one left in 'sending'.

PostgreSQL's answer to ``bot.store.owners`` (a flock per process, one machine only): each
open store holds a session-level advisory lock, ``(OWNER_LOCK, n)``, on a connection of its
own, outside the pool, for as long as it runs; its owner id is ``pg-n``. The server drops
the lock when that session ends, however the process dies (or its host), so an owner whose
lock is not in ``pg_locks`` is gone. Workers on any number of machines see the same
answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Awaitable, Callable, Iterable

import psycopg

from bot.store.postgres.base import Conn, PGBase

OWNER_LOCK = 0x0DEA1B09
PREFIX = "pg-"
LIVE_OWNERS = (
    "SELECT objid::bigint AS n FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND classid = %(lock)s AND objsubid = 2 "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


class Owners:
    """This worker's registration (``me``) and the liveness of the others.

    Should the lock's session end under a running worker (the server restarted, the
    network broke), the worker looks dead to the others until it takes its lock again:
    ``ensure`` does that, with the same number, before this worker claims a delivery or
    an edit and before it looks for stale ones (a round trip on the lock's session each
    time: psycopg learns that a session is gone only by using it)."""

    def __init__(self, connect: Callable[[], Awaitable[Conn]]) -> None:
        self.me = ""
        self._connect = connect
        self._number = 0
        self._conn: Conn | None = None
        self.sessions = 0  # how many sessions held the lock so far
        self._ensuring = asyncio.Lock()  # concurrent claims take the lock again once

    async def register(self, conn: Conn) -> None:
        """Take a free owner lock on ``conn`` (autocommit, this worker's own) and keep it."""
        while not await self._take(conn, secrets.randbelow(2**31 - 1) + 1):
            pass
        self._conn = conn
        self.sessions += 1

    async def _take(self, conn: Conn, number: int) -> bool:
        cursor = await conn.execute(
            "SELECT pg_try_advisory_lock(%(lock)s, %(n)s) AS taken",
            {"lock": OWNER_LOCK, "n": number},
        )
        row = await cursor.fetchone()
        if not (row and row["taken"]):
            return False
        self._number, self.me = number, f"{PREFIX}{number}"
        return True

    async def ensure(self, *, ping: bool) -> None:
        """Hold the lock again if its session is gone (``ping``: ask the server whether it
        is). psycopg.Error when the server cannot be reached."""
        async with self._ensuring:
            if self._conn is None or not self._number:
                return  # read-only, or closed
            if ping and not _gone(self._conn):
                with contextlib.suppress(psycopg.OperationalError):  # then gone: below
                    await self._conn.execute("SELECT 1")
            if not _gone(self._conn):
                return
            conn = await self._connect()
            # the same number, so that this worker's deliveries in 'sending' stay its
            # own; another when a worker with the same number registered meanwhile
            if not await self._take(conn, self._number):
                await self.register(conn)
            self._conn = conn
            self.sessions += 1

    async def unregister(self) -> None:
        """Release the lock, then close its session (a session's locks outlive the client's
        close by as long as the server takes to notice it: another worker asking at once
        would still see this one alive)."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.execute("SELECT pg_advisory_unlock_all()")
            except psycopg.Error:
                pass  # the session is gone already, and its lock with it
            finally:
                await conn.close()

    @staticmethod
    def dead(owners: Iterable[str | None], live: Iterable[int], me: str) -> list[str | None]:
        """The owners among ``owners`` whose lock is not among ``live`` (this worker never
        among them)."""
        alive = {f"{PREFIX}{number}" for number in live}
        return [owner for owner in owners if owner != me and owner not in alive]


def owner_number(owner: str | None) -> int:
    """The advisory lock number of an owner id (``pg-n``); -1 for none."""
    if owner is None or not owner.startswith(PREFIX) or not owner[len(PREFIX) :].isdigit():
        return -1
    return int(owner[len(PREFIX) :])


def _gone(conn: Conn) -> bool:
    return conn.closed or conn.broken


class OwnersMixin(PGBase):
    """What the outbox and the edits share: this worker's owner id, and which owners of
    rows in 'sending' are gone."""

    owners: Owners

    async def _ensure_owner(self, *, ping: bool) -> None:
        """This worker's owner lock held (taken again if its session was lost)."""
        try:
            await self.owners.ensure(ping=ping)
        except psycopg.Error as exc:
            raise self._error(exc) from None

    async def _dead_owners(self, table: str) -> list[str | None]:
        """Every worker that has a row of ``table`` ('deliveries', 'edits') in 'sending'
        and is gone (this one's lock checked first: it is never among them)."""
        await self._ensure_owner(ping=True)
        rows = await self._query(f"SELECT DISTINCT owner FROM {table} WHERE status = 'sending'")
        if not rows:
            return []
        live = await self._query(LIVE_OWNERS, {"lock": OWNER_LOCK})
        return Owners.dead(
            [row["owner"] for row in rows], [row["n"] for row in live], self.owners.me
        )
