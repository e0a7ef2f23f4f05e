"""Feeds and their state in SQLite: identity across renames and redirects, HTTP validators,
health, schedule, and each feed's fetch history (``feeds``, ``fetch_log``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.models import FeedState, FetchRecord
from bot.store.common import FETCH_LOG_KEPT, match_feeds, new_host
from bot.store.interface import FeedIdentity, PollSuccess
from bot.store.owners import OwnerRegistry
from bot.store.sqlite.base import Params, SQLiteBase, dt, ts
from bot.urls import host_of


class FeedsMixin(SQLiteBase):
    owners: OwnerRegistry

    async def sync_feeds(self, feeds: Sequence[FeedIdentity], now: datetime) -> None:
        def sync(db: sqlite3.Connection) -> None:
            apply_feeds(db, feeds=feeds, now=now)
            record_hosts(db)

        await self._in_transaction(sync)

    async def feed_states(self) -> dict[str, FeedState]:
        # one grouped pass over the items for every feed's count
        rows = await self._query(
            "SELECT f.*, coalesce(seen.n, 0) AS items_seen FROM feeds f LEFT JOIN "
            "(SELECT feed_id, count(*) AS n FROM items GROUP BY feed_id) seen "
            "ON seen.feed_id = f.id WHERE f.active = 1 ORDER BY f.name"
        )
        return {row["name"]: feed_state(row) for row in rows}

    async def poll_states(self, *, due_by: datetime | None = None) -> dict[str, FeedState]:
        due = "" if due_by is None else " AND (next_poll_at IS NULL OR next_poll_at <= :due_by)"
        rows = await self._query(
            f"SELECT *, 0 AS items_seen FROM feeds WHERE active = 1{due} ORDER BY name",
            {"due_by": ts(due_by)},
        )
        return {row["name"]: feed_state(row) for row in rows}

    async def feed_state(self, name: str) -> FeedState | None:
        # without the item count: cheap enough for every poll
        rows = await self._query(
            "SELECT f.*, 0 AS items_seen FROM feeds f WHERE f.active = 1 AND f.name = :name",
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
            "last_success_at = :now, last_error = NULL, error_since = NULL, failures = 0, "
            "unhealthy_reported_at = NULL, etag = coalesce(:etag, etag), "
            "last_modified = coalesce(:last_modified, last_modified)",
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
            "last_error = :error, error_since = coalesce(error_since, :now), "
            "failures = failures + 1, unhealthy_reported_at = "
            "CASE WHEN :reported THEN :now ELSE unhealthy_reported_at END",
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
        """A poll without new items: the fetch (outcome, detail) logged, and the feed's row
        given its poll times and ``assignments``, in one transaction."""
        values = {**params, "now": ts(now), "next_poll_at": ts(next_poll_at), "id": feed.id}

        def end(db: sqlite3.Connection) -> None:
            log_fetch(db, feed.id, now, *fetch, 0)
            db.execute(
                "UPDATE feeds SET last_poll_at = :now, next_poll_at = :next_poll_at, "
                f"{assignments} WHERE id = :id",
                values,
            )
            release_lease(db, feed.id, self.owners.me)

        await self._in_transaction(end)

    async def fetch_history(self, feed_id: int, limit: int = 10) -> list[FetchRecord]:
        rows = await self._query(
            "SELECT at, outcome, detail, new_items FROM fetch_log WHERE feed_id = :feed_id "
            "ORDER BY id DESC LIMIT :limit",
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


def apply_feeds(db: sqlite3.Connection, *, feeds: Sequence[FeedIdentity], now: datetime) -> None:
    """``sync_feeds``'s changes to the feeds table (inside its transaction)."""
    rows = [dict(row) for row in db.execute("SELECT id, name, config_url, url, active FROM feeds")]
    claimed = match_feeds(feeds, rows)
    by_id = {row["id"]: row for row in rows}
    if _unchanged(feeds, claimed, by_id):
        return  # every start of an unedited configuration: no row to rewrite
    # Free the names of rows that are inactive or take another name, then apply.
    db.execute("UPDATE feeds SET name = '~' || id, active = 0")
    db.executemany(
        "INSERT INTO feeds (name, config_url, url, host, created_at) "
        "VALUES (:name, :url, :url, :host, :now)",
        [
            {"name": feed.name, "url": feed.url, "host": host_of(feed.url), "now": ts(now)}
            for feed in feeds
            if feed.name not in claimed
        ],
    )
    kept = [(feed, by_id[claimed[feed.name]]) for feed in feeds if feed.name in claimed]
    # The URL was edited in feeds.yaml: a new stream of items under the same
    # name. Poll it from scratch, with backfill, keeping the old keys.
    db.executemany(
        "UPDATE feeds SET url = :url, etag = NULL, last_modified = NULL, "
        "first_success_at = NULL, failures = 0, last_error = NULL, "
        "error_since = NULL, next_poll_at = NULL, unhealthy_reported_at = NULL "
        "WHERE id = :id",
        [
            {"url": feed.url, "id": row["id"]}
            for feed, row in kept
            if feed.url not in (row["config_url"], row["url"])
        ],
    )
    db.executemany(
        "UPDATE feeds SET name = :name, config_url = :url, active = 1, "
        "host = coalesce(:host, host) WHERE id = :id",
        [
            {"name": feed.name, "url": feed.url, "host": new_host(feed, row), "id": row["id"]}
            for feed, row in kept
        ],
    )
    taken = set(claimed.values())
    db.executemany(  # restore the names of feeds no longer configured
        "UPDATE feeds SET name = :name WHERE id = :id AND NOT EXISTS "
        "(SELECT 1 FROM feeds WHERE name = :name)",
        [{"name": row["name"], "id": row["id"]} for row in rows if row["id"] not in taken],
    )


def record_poll(db: sqlite3.Connection, feed_id: int, poll: PollSuccess, now: datetime) -> None:
    """A successful poll's new state on the feed's row (inside the poll's transaction)."""
    db.execute(
        "UPDATE feeds SET etag = :etag, last_modified = :last_modified, "
        "title = coalesce(:title, title), url = coalesce(:moved_to, url), "
        "first_success_at = coalesce(first_success_at, :now), last_poll_at = :now, "
        "last_success_at = :now, last_error = NULL, error_since = NULL, failures = 0, "
        "next_poll_at = :next_poll_at, unhealthy_reported_at = NULL, body_hash = :body_hash "
        "WHERE id = :id",
        {
            "etag": poll.etag,
            "last_modified": poll.last_modified,
            "title": poll.title,
            "moved_to": poll.moved_to,
            "now": ts(now),
            "next_poll_at": ts(poll.next_poll_at),
            "body_hash": poll.body_hash,
            "id": feed_id,
        },
    )


def log_fetch(
    db: sqlite3.Connection,
    feed_id: int,
    now: datetime,
    outcome: str,
    detail: str,
    new_items: int,
) -> None:
    """Add a fetch to the feed's history, keeping its last FETCH_LOG_KEPT."""
    db.execute(
        "INSERT INTO fetch_log (feed_id, at, outcome, detail, new_items) "
        "VALUES (:feed_id, :at, :outcome, :detail, :new_items)",
        {
            "feed_id": feed_id,
            "at": ts(now),
            "outcome": outcome,
            "detail": detail,
            "new_items": new_items,
        },
    )
    db.execute(
        "DELETE FROM fetch_log WHERE feed_id = :feed_id AND id <= (SELECT id FROM fetch_log "
        "WHERE feed_id = :feed_id ORDER BY id DESC LIMIT 1 OFFSET :kept)",
        {"feed_id": feed_id, "kept": FETCH_LOG_KEPT},
    )


def _unchanged(
    feeds: Sequence[FeedIdentity], claimed: dict[str, int], by_id: dict[int, dict[str, Any]]
) -> bool:
    """Whether the rows already are what ``apply_feeds`` would make of them: each feed's
    row active under its name and URL, every other row inactive."""
    if len(claimed) != len(by_id) - sum(not row["active"] for row in by_id.values()):
        return False
    for feed in feeds:
        row = by_id.get(claimed.get(feed.name, -1))
        if row is None or not row["active"]:
            return False
        if row["name"] != feed.name or row["config_url"] != feed.url:
            return False
    return True


def feed_state(row: sqlite3.Row) -> FeedState:
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


def release_lease(db: sqlite3.Connection, feed_id: int, me: str) -> None:
    """A poll's result releases its lease (inside the poll's transaction); a lease another
    worker took meanwhile (this one's had run out) is left alone."""
    db.execute(
        "UPDATE feeds SET lease_owner = NULL, lease_until = NULL "
        "WHERE id = :id AND lease_owner = :me",
        {"id": feed_id, "me": me},
    )


def record_hosts(db: sqlite3.Connection) -> None:
    """The host (which per-host limits count by) of each active feed that has none yet: a
    row from before hosts were kept. ``apply_feeds`` writes it wherever it sets a feed's
    configured URL, so a start with an unedited configuration computes none (inside
    sync_feeds)."""
    rows = db.execute("SELECT id, config_url FROM feeds WHERE active = 1 AND host = ''")
    db.executemany(
        "UPDATE feeds SET host = :host WHERE id = :id",
        [{"host": host_of(row["config_url"]), "id": row["id"]} for row in rows.fetchall()],
    )
