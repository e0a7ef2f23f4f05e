"""Feed leases on PostgreSQL (``claim_feeds``, ``release_feeds``) and the named locks.

A claim is one short transaction, committed before any fetch: a transaction-level advisory
lock (``CLAIM_LOCK``) makes claims take turns, so the count of running leases per host is
exact across workers, then one statement picks the due feeds (``FOR UPDATE SKIP LOCKED``:
rows a poll's transaction is writing are passed over, not waited for), ranks them per host
behind the leases already running there, and leases the chosen ones to this worker. A lease
ends with the poll's result (``release_lease``, inside its transaction), when its owner is
gone (its owner advisory lock left ``pg_locks`` with its session: a killed worker's feeds
are taken at the next claim, and stop counting against their host's limit), or when its
time runs out (a worker that hangs, alive, past ``lease_until``). A lease taken before the
server last started is never judged by its owner's lock (the restart ended every session,
the living workers' too, until each takes its lock again): it runs out by time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta

import psycopg

from bot.models import FeedState
from bot.store.common import due_order
from bot.store.postgres.base import Conn, PGBase, fetch_all
from bot.store.postgres.feeds import feed_state
from bot.store.postgres.locks import SessionLock, SessionLocks
from bot.store.postgres.owners import LIVE_OWNERS, OWNER_LOCK, PREFIX, Owners

CLAIM_LOCK = 0x0DEA1B0C  # pg_advisory_xact_lock(CLAIM_LOCK, 0): claims take turns
SCAN_LEAST = 256  # due feeds looked at per claim, at least (per-host limits skip some)
CLAIM = f"""
WITH live AS MATERIALIZED (
    SELECT '{PREFIX}' || n AS owner FROM ({LIVE_OWNERS}) AS locks
), held AS MATERIALIZED (
    SELECT id, host FROM feeds WHERE lease_until > %(now)s
      AND (lease_owner = %(me)s OR lease_owner IN (SELECT owner FROM live)
           OR lease_epoch IS DISTINCT FROM pg_postmaster_start_time())
), free AS (
    SELECT id, host, next_poll_at FROM feeds
    WHERE active AND name = ANY(string_to_array(%(names)s, E'\\n'))
      AND id NOT IN (SELECT id FROM held)
      AND (%(everything)s OR next_poll_at IS NULL OR next_poll_at <= CASE
          WHEN failures > 0 THEN %(now)s ELSE %(early)s END)
      AND (%(since)s::timestamptz IS NULL OR last_poll_at IS NULL OR last_poll_at < %(since)s)
    ORDER BY next_poll_at NULLS FIRST, id
    LIMIT %(scan)s
    FOR UPDATE SKIP LOCKED
), busy AS (
    SELECT host, count(*) AS n FROM held GROUP BY host
), ranked AS (
    SELECT free.id, free.next_poll_at, coalesce(busy.n, 0) + row_number() OVER (
        PARTITION BY free.host ORDER BY free.next_poll_at NULLS FIRST, free.id
    ) AS slot
    FROM free LEFT JOIN busy ON busy.host = free.host
), chosen AS (
    SELECT id FROM ranked WHERE slot <= %(per_host)s
      AND %(me)s IN (SELECT owner FROM live)
    ORDER BY next_poll_at NULLS FIRST, id LIMIT %(limit)s
)
UPDATE feeds f SET lease_owner = %(me)s, lease_until = %(until)s,
    lease_epoch = pg_postmaster_start_time()
FROM chosen WHERE f.id = chosen.id
RETURNING f.*, 0 AS items_seen
"""
UNLIMITED = 1 << 30


def _one_text(names: Sequence[str]) -> str:
    """``names`` as one text, a name a line: a claim follows every poll and sends every
    feed's name, and psycopg dumps a list element by element in Python (0.4-0.7 ms for
    2,000 names; one string: 1 µs). Feed names never hold a line break."""
    text = "\n".join(names)
    if text.count("\n") != max(len(names) - 1, 0):
        raise ValueError("a feed name cannot hold a line break")
    return text


class LeasesMixin(PGBase):
    owners: Owners
    locks: SessionLocks

    @property
    def shared(self) -> bool:
        return True

    @property
    def worker_id(self) -> str:
        return self.owners.me

    def exclusive(
        self, name: str, *, wait: float = 0.0
    ) -> AbstractAsyncContextManager[SessionLock]:
        return self._exclusive(name, wait)

    @asynccontextmanager
    async def _exclusive(self, name: str, wait: float) -> AsyncIterator[SessionLock]:
        taking = self.locks.exclusive(name, wait=wait)
        try:
            lock = await taking.__aenter__()
        except psycopg.Error as exc:
            raise self._error(exc, f"lock {name!r} on") from None
        try:
            yield lock
        finally:
            await taking.__aexit__(None, None, None)  # closes the lock's session

    async def claim_feeds(
        self,
        names: Sequence[str],
        now: datetime,
        *,
        lease: timedelta,
        due_only: bool = True,
        limit: int | None = None,
        per_host: int | None = None,
        early: timedelta = timedelta(0),
        unpolled_since: datetime | None = None,
    ) -> list[FeedState]:

        params = {
            "names": _one_text(names),
            "now": now,
            "until": now + lease,
            "early": now + early,
            "everything": not due_only,
            "since": unpolled_since,
            "me": self.owners.me,
            "lock": OWNER_LOCK,
            "per_host": UNLIMITED if per_host is None else per_host,
            "limit": UNLIMITED if limit is None else limit,
            "scan": UNLIMITED if limit is None else max(SCAN_LEAST, 16 * limit),
        }

        async def claim(conn: Conn) -> list[FeedState]:
            await conn.execute("SELECT pg_advisory_xact_lock(%(lock)s, 0)", {"lock": CLAIM_LOCK})
            return [feed_state(row) for row in await fetch_all(conn, CLAIM, params)]

        states = await self._in_transaction(claim)
        if not states and await self._lost_owner_lock():  # taken again: claim as myself
            states = await self._in_transaction(claim)
        return sorted(states, key=due_order)

    async def _lost_owner_lock(self) -> bool:
        """Whether this worker's owner lock had been lost (its session ended: the server
        restarted) and is held again now. A claim takes nothing while the lock is lost,
        since other workers would see its leases as a dead worker's."""
        before = self.owners.sessions
        try:
            await self.owners.ensure(ping=True)
        except psycopg.Error as exc:
            raise self._error(exc, "claim feeds on") from None
        return self.owners.sessions != before

    async def release_feeds(self, feed_ids: Sequence[int]) -> int:
        return await self._write(
            "UPDATE feeds SET lease_owner = NULL, lease_until = NULL "
            "WHERE id = ANY(%(ids)s) AND lease_owner = %(me)s",
            {"ids": list(feed_ids), "me": self.owners.me},
        )
