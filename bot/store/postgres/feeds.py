"""Feeds and their state in PostgreSQL: identity across renames and redirects, HTTP
validators, health, schedule, and each feed's fetch history (``feeds``, ``fetch_log``).

Which stored row a configured feed is (``match_feeds``) is decided as in SQLite; the
changes are applied under a transaction-level advisory lock, so workers starting together
apply them one after another."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.models import FeedState, FetchRecord
from bot.store.common import FETCH_LOG_KEPT, match_feeds, new_host
from bot.store.interface import FeedIdentity, PollSuccess
from bot.store.postgres.base import Conn, Params, PGBase, Row, dt, execute_many, fetch_all
from bot.store.postgres.owners import Owners
from bot.urls import host_of

FEEDS_LOCK = 0x0DEA1B08  # pg_advisory_xact_lock(FEEDS_LOCK, 0): sync_feeds


class FeedsMixin(PGBase):
    owners: Owners

    async def sync_feeds(self, feeds: Sequence[FeedIdentity], now: datetime) -> None:
        async def sync(conn: Conn) -> None:
            await apply_feeds(conn, feeds=feeds, now=now)
            await record_hosts(conn)

        await self._in_transaction(sync)

    async def feed_states(self) -> dict[str, FeedState]:
        rows = await self._query(
            "SELECT f.*, coalesce(seen.n, 0) AS items_seen FROM feeds f LEFT JOIN "
            "(SELECT feed_id, count(*) AS n FROM items GROUP BY feed_id) seen "
            'ON seen.feed_id = f.id WHERE f.active ORDER BY f.name COLLATE "C"'
        )
        return {row["name"]: feed_state(row) for row in rows}

    async def poll_states(self, *, due_by: datetime | None = None) -> dict[str, FeedState]:
        due = "" if due_by is None else " AND (next_poll_at IS NULL OR next_poll_at <= %(due_by)s)"
        rows = await self._query(
            f'SELECT *, 0 AS items_seen FROM feeds WHERE active{due} ORDER BY name COLLATE "C"',
            {"due_by": due_by},
        )
        return {row["name"]: feed_state(row) for row in rows}

    async def feed_state(self, name: str) -> FeedState | None:
        rows = await self._query(
            "SELECT f.*, 0 AS items_seen FROM feeds f WHERE f.active AND f.name = %(name)s",
            {"name": name},
        )
        return feed_state(rows[0]) if rows else None

    async def record_not_modified(
        self,
        feed: FeedState,
        next_poll_at: datetime,
        now: datetime,
        *,
        detail: str = "not modified",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        await self._end_poll(
            feed,
            now,
            next_poll_at,
            ("not-modified", detail),
            "last_success_at = %(now)s, last_error = NULL, error_since = NULL, failures = 0, "
            "unhealthy_reported_at = NULL, etag = coalesce(%(etag)s, etag), "
            "last_modified = coalesce(%(last_modified)s, last_modified)",
            {"etag": etag, "last_modified": last_modified},
        )

    async def record_failure(
        self,
        feed: FeedState,
        error: str,
        next_poll_at: datetime,
        now: datetime,
        *,
        reported_unhealthy: bool = False,
    ) -> None:
        await self._end_poll(
            feed,
            now,
            next_poll_at,
            ("failed", error),
            "last_error = %(error)s, error_since = coalesce(error_since, %(now)s), "
            "failures = failures + 1, unhealthy_reported_at = "
            "CASE WHEN %(reported)s THEN %(now)s ELSE unhealthy_reported_at END",
            {"error": error, "reported": reported_unhealthy},
        )

    async def _end_poll(
        self,
        feed: FeedState,
        now: datetime,
        next_poll_at: datetime,
        fetch: tuple[str, str],
        assignments: str,
        params: Params,
    ) -> None:
        """A poll without new items: the fetch logged and the feed's row updated, in one
        transaction."""
        values = {**params, "now": now, "next_poll_at": next_poll_at, "id": feed.id}

        async def end(conn: Conn) -> None:
            await log_fetch(conn, feed.id, now, *fetch, 0)
            await conn.execute(
                "UPDATE feeds SET last_poll_at = %(now)s, next_poll_at = %(next_poll_at)s, "
                f"{assignments} WHERE id = %(id)s",
                values,
            )
            await release_lease(conn, feed.id, self.owners.me)

        await self._in_transaction(end)

    async def fetch_history(self, feed_id: int, limit: int = 10) -> list[FetchRecord]:
        rows = await self._query(
            "SELECT at, outcome, detail, new_items FROM fetch_log WHERE feed_id = %(feed_id)s "
            "ORDER BY id DESC LIMIT %(limit)s",
            {"feed_id": feed_id, "limit": limit},
        )
        return [
            FetchRecord(
                at=dt(row["at"]) or datetime.now(UTC),
                outcome=row["outcome"],
                detail=row["detail"] or "",
                new_items=row["new_items"],
            )
            for row in rows
        ]


async def apply_feeds(conn: Conn, *, feeds: Sequence[FeedIdentity], now: datetime) -> None:
    """``sync_feeds``'s changes to the feeds table (inside its transaction)."""
    await conn.execute("SELECT pg_advisory_xact_lock(%(lock)s, 0)", {"lock": FEEDS_LOCK})
    rows = [
        dict(row)
        for row in await fetch_all(conn, "SELECT id, name, config_url, url FROM feeds ORDER BY id")
    ]
    claimed = match_feeds(feeds, rows)
    by_id = {row["id"]: row for row in rows}
    # Free the names of rows that are inactive or take another name, then apply.
    await conn.execute("UPDATE feeds SET name = '~' || id, active = false")
    await execute_many(
        conn,
        "INSERT INTO feeds (name, config_url, url, host, created_at) "
        "VALUES (%(name)s, %(url)s, %(url)s, %(host)s, %(now)s)",
        [
            {"name": feed.name, "url": feed.url, "host": host_of(feed.url), "now": now}
            for feed in feeds
            if feed.name not in claimed
        ],
    )
    kept = [(feed, by_id[claimed[feed.name]]) for feed in feeds if feed.name in claimed]
    # The URL was edited in feeds.yaml: a new stream of items under the same name. Poll
    # it from scratch, with backfill, keeping the old keys.
    await execute_many(
        conn,
        "UPDATE feeds SET url = %(url)s, etag = NULL, last_modified = NULL, "
        "first_success_at = NULL, failures = 0, last_error = NULL, "
        "error_since = NULL, next_poll_at = NULL, unhealthy_reported_at = NULL "
        "WHERE id = %(id)s",
        [
            {"url": feed.url, "id": row["id"]}
            for feed, row in kept
            if feed.url not in (row["config_url"], row["url"])
        ],
    )
    await execute_many(
        conn,
        "UPDATE feeds SET name = %(name)s, config_url = %(url)s, active = true, "
        "host = coalesce(%(host)s, host) WHERE id = %(id)s",
        [
            {"name": feed.name, "url": feed.url, "host": new_host(feed, row), "id": row["id"]}
            for feed, row in kept
        ],
    )
    taken = set(claimed.values())
    await execute_many(  # restore the names of feeds no longer configured
        conn,
        "UPDATE feeds SET name = %(name)s WHERE id = %(id)s AND NOT EXISTS "
        "(SELECT 1 FROM feeds WHERE name = %(name)s)",
        [{"name": row["name"], "id": row["id"]} for row in rows if row["id"] not in taken],
    )


async def record_poll(conn: Conn, feed_id: int, poll: PollSuccess, now: datetime) -> None:
    """A successful poll's new state on the feed's row (inside the poll's transaction)."""
    await conn.execute(
        "UPDATE feeds SET etag = %(etag)s, last_modified = %(last_modified)s, "
        "title = coalesce(%(title)s, title), url = coalesce(%(moved_to)s, url), "
        "first_success_at = coalesce(first_success_at, %(now)s), last_poll_at = %(now)s, "
        "last_success_at = %(now)s, last_error = NULL, error_since = NULL, failures = 0, "
        "next_poll_at = %(next_poll_at)s, unhealthy_reported_at = NULL, "
        "body_hash = %(body_hash)s WHERE id = %(id)s",
        {
            "etag": poll.etag,
            "last_modified": poll.last_modified,
            "title": poll.title,
            "moved_to": poll.moved_to,
            "now": now,
            "next_poll_at": poll.next_poll_at,
            "body_hash": poll.body_hash,
            "id": feed_id,
        },
    )


async def log_fetch(
    conn: Conn, feed_id: int, now: datetime, outcome: str, detail: str, new_items: int
) -> None:
    """Add a fetch to the feed's history, keeping its last FETCH_LOG_KEPT."""
    await conn.execute(
        "INSERT INTO fetch_log (feed_id, at, outcome, detail, new_items) "
        "VALUES (%(feed_id)s, %(at)s, %(outcome)s, %(detail)s, %(new_items)s)",
        {"feed_id": feed_id, "at": now, "outcome": outcome, "detail": detail,
         "new_items": new_items},
    )  # fmt: skip
    await conn.execute(
        "DELETE FROM fetch_log WHERE feed_id = %(feed_id)s AND id <= (SELECT id FROM "
        "fetch_log WHERE feed_id = %(feed_id)s ORDER BY id DESC LIMIT 1 OFFSET %(kept)s)",
        {"feed_id": feed_id, "kept": FETCH_LOG_KEPT},
    )


def feed_state(row: Row) -> FeedState:
    return FeedState(
        id=row["id"],
        name=row["name"],
        url=row["url"],
        config_url=row["config_url"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        first_success_at=dt(row["first_success_at"]),
        last_poll_at=dt(row["last_poll_at"]),
        last_success_at=dt(row["last_success_at"]),
        last_error=row["last_error"],
        error_since=dt(row["error_since"]),
        failures=row["failures"],
        next_poll_at=dt(row["next_poll_at"]),
        unhealthy_reported_at=dt(row["unhealthy_reported_at"]),
        items_seen=row["items_seen"],
        body_hash=row["body_hash"],
    )


async def release_lease(conn: Conn, feed_id: int, me: str) -> None:
    """A poll's result releases its lease (inside the poll's transaction); a lease another
    worker took meanwhile (this one's had run out) is left alone."""
    await conn.execute(
        "UPDATE feeds SET lease_owner = NULL, lease_until = NULL "
        "WHERE id = %(id)s AND lease_owner = %(me)s",
        {"id": feed_id, "me": me},
    )


async def record_hosts(conn: Conn) -> None:
    """The host (which per-host limits count by) of each active feed that has none yet: a
    row from before hosts were kept. ``apply_feeds`` writes it wherever it sets a feed's
    configured URL (inside sync_feeds)."""
    rows = await fetch_all(conn, "SELECT id, config_url FROM feeds WHERE active AND host = ''")
    await execute_many(
        conn,
        "UPDATE feeds SET host = %(host)s WHERE id = %(id)s",
        [{"host": host_of(row["config_url"]), "id": row["id"]} for row in rows],
    )
