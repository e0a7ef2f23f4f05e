"""Feed leases in SQLite (``claim_feeds``, ``release_feeds``) and the named locks.

SQLite's norm is one process, which polls what is due by its own timers; a lease is still
taken and released the same way as on PostgreSQL (one ``BEGIN IMMEDIATE`` statement: the
database's one writer makes claims exclusive), so that the interface means the same on both:
a lease ends with the poll's result, when its owner's process is gone (``OwnerRegistry``),
or when its time runs out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta

from bot.models import FeedState
from bot.store.common import due_order
from bot.store.locks import LocalLock, LocalLocks
from bot.store.owners import OwnerRegistry
from bot.store.sqlite.base import SQLiteBase, ts
from bot.store.sqlite.feeds import feed_state

CLAIM = """
WITH free AS (
    SELECT id, host, next_poll_at FROM feeds
    WHERE active = 1 AND name IN (SELECT value FROM json_each(:names))
      AND (lease_until IS NULL OR lease_until <= :now
           OR lease_owner IN (SELECT value FROM json_each(:dead)))
      AND (:everything OR next_poll_at IS NULL OR next_poll_at <= CASE
          WHEN failures > 0 THEN :now ELSE :early END)
      AND (:since IS NULL OR last_poll_at IS NULL OR last_poll_at < :since)
), busy AS (
    SELECT host, count(*) AS n FROM feeds WHERE lease_until > :now
      AND lease_owner NOT IN (SELECT value FROM json_each(:dead)) GROUP BY host
), ranked AS (
    SELECT free.id, free.next_poll_at, coalesce(busy.n, 0) + row_number() OVER (
        PARTITION BY free.host ORDER BY free.next_poll_at IS NOT NULL, free.next_poll_at, free.id
    ) AS slot
    FROM free LEFT JOIN busy ON busy.host = free.host
)
UPDATE feeds SET lease_owner = :me, lease_until = :until
WHERE id IN (
    SELECT id FROM ranked WHERE slot <= :per_host
    ORDER BY next_poll_at IS NOT NULL, next_poll_at, id LIMIT :limit
)
RETURNING *, 0 AS items_seen
"""
UNLIMITED = 1 << 30


class LeasesMixin(SQLiteBase):
    owners: OwnerRegistry
    locks: LocalLocks

    @property
    def shared(self) -> bool:
        return False

    @property
    def worker_id(self) -> str:
        return self.owners.me

    def exclusive(self, name: str, *, wait: float = 0.0) -> AbstractAsyncContextManager[LocalLock]:
        return self.locks.exclusive(name, wait=wait)

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
            "dead": json.dumps(await self._dead_lease_owners(now)),
            "names": json.dumps(list(names)),
            "now": ts(now),
            "until": ts(now + lease),
            "early": ts(now + early),
            "everything": not due_only,
            "since": ts(unpolled_since),
            "me": self.owners.me,
            "per_host": UNLIMITED if per_host is None else per_host,
            "limit": UNLIMITED if limit is None else limit,
        }
        rows = await self._returning(CLAIM, params)
        states = [feed_state(row) for row in rows]
        return sorted(states, key=due_order)

    async def _dead_lease_owners(self, now: datetime) -> list[str | None]:
        """Owners of running leases whose process is gone (asked before the claim: a dead
        process takes no new lease meanwhile)."""
        rows = await self._query(
            "SELECT DISTINCT lease_owner FROM feeds WHERE lease_until > :now "
            "AND lease_owner <> :me",
            {"now": ts(now), "me": self.owners.me},
        )
        return await self.owners.dead(row["lease_owner"] for row in rows)

    async def release_feeds(self, feed_ids: Sequence[int]) -> int:
        return await self._write(
            "UPDATE feeds SET lease_owner = NULL, lease_until = NULL "
            "WHERE id IN (SELECT value FROM json_each(:ids)) AND lease_owner = :me",
            {"ids": json.dumps(list(feed_ids)), "me": self.owners.me},
        )
