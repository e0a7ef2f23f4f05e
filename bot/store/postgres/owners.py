"""Which workers are alive, for settling deliveries and edits a dead one left in 'sending'.

PostgreSQL's answer to ``bot.store.owners`` (a flock per process, one machine only): each
open store holds a session-level advisory lock, ``(OWNER_LOCK, n)``, on a connection of its
own, outside the pool, for as long as it runs; its owner id is ``pg-n``. The server drops
the lock when that session ends, however the process dies (or its host), so an owner whose
lock is not in ``pg_locks`` is gone. Workers on any number of machines see the same
answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import psycopg

from bot.store.postgres.base import PGBase, Row

OWNER_LOCK = 0x0DEA1B09
PREFIX = "pg-"
LIVE_OWNERS = (
    "SELECT objid::bigint AS n FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND classid = %(lock)s AND objsubid = 2 "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


class Owners:
    """This worker's registration (``me``) and the liveness of the others."""

    def __init__(self) -> None:
        self.me = ""
        self._conn: psycopg.AsyncConnection[Row] | None = None

    async def register(self, conn: psycopg.AsyncConnection[Row]) -> None:
        """Take a free owner lock on ``conn`` (autocommit, this worker's own) and keep it."""
        while True:
            number = secrets.randbelow(2**31 - 1) + 1
            cursor = await conn.execute(
                "SELECT pg_try_advisory_lock(%(lock)s, %(n)s) AS taken",
                {"lock": OWNER_LOCK, "n": number},
            )
            row = await cursor.fetchone()
            if row and row["taken"]:
                break
        self._conn = conn
        self.me = f"{PREFIX}{number}"

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


class OwnersMixin(PGBase):
    """What the outbox and the edits share: this worker's owner id, and which owners of
    rows in 'sending' are gone."""

    owners: Owners

    async def _dead_owners(self, table: str) -> list[str | None]:
        """Every worker that has a row of ``table`` ('deliveries', 'edits') in 'sending'
        and is gone."""
        rows = await self._query(f"SELECT DISTINCT owner FROM {table} WHERE status = 'sending'")
        if not rows:
            return []
        live = await self._query(LIVE_OWNERS, {"lock": OWNER_LOCK})
        return Owners.dead(
            [row["owner"] for row in rows], [row["n"] for row in live], self.owners.me
        )
