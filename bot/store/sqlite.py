"""The SQLite store: the only module that speaks SQL.

One aiosqlite connection in WAL mode. Every operation runs under one asyncio lock, so the
statements of one transaction never interleave with another coroutine's; each write that
must be atomic (a whole poll: items, alerts and outbox rows) is one ``BEGIN IMMEDIATE``
transaction. sqlite3 errors are translated into StorageError where they enter.

Who calls what: the pipeline (``sync_feeds``, ``unseen_keys``, ``record_*``); the deliverer
(``due_deliveries``, ``claim_delivery``, ``take_over_stale_deliveries``, ``mark_*``);
commands and the CLI (``recent_alerts``, ``feed_states``, ``delivery_counts``, ``meta``).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import secrets
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StorageError
from bot.models import (
    AlertDraft,
    AlertMessage,
    FeedState,
    FetchRecord,
    Item,
    OutboxEntry,
    RecentAlert,
    SearchHit,
)
from bot.searchtext import index_text
from bot.store.dbfile import (
    FileIdentity,
    check_same_file,
    new_database_id,
    read_marker,
    readonly_cause,
    refuse_missing,
    write_marker,
)
from bot.store.schema import LATEST, MIGRATIONS
from bot.text import plural

FETCH_LOG_KEPT = 50  # fetches remembered per feed, for `feeds status`
DATABASE_ID_KEY = "database_id"


def _ts(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def new_outbox_id(now: datetime) -> str:
    """Time-ordered and unique: 11 hex digits of milliseconds + 8 random (19 characters)."""
    return f"{int(now.timestamp() * 1000):011x}{secrets.token_hex(4)}"


@dataclass(frozen=True, slots=True)
class FeedIdentity:
    """What feeds.yaml says about a feed, for matching it to its stored row."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class PollSuccess:
    """What a successful poll changes on the feed's row."""

    etag: str | None
    last_modified: str | None
    title: str | None
    moved_to: str | None  # a permanent redirect's target: the feed's new URL
    next_poll_at: datetime
    body_hash: str | None = None


class Store:
    """Use ``await Store.open(path)``; close with ``await store.close()``."""

    def __init__(self, db: aiosqlite.Connection, path: Path, *, readonly: bool = False) -> None:
        self._db = db
        self._lock = asyncio.Lock()
        self.path = path
        self.readonly = readonly
        self.owners = OwnerRegistry(Path(f"{path}.owners"))
        self.identity: FileIdentity | None = None  # the file opened, to notice a new one

    # ---------------------------------------------------------------------- lifecycle

    @classmethod
    async def open(cls, path: Path | str, *, readonly: bool = False) -> Store:
        """Open (and create or migrate) the database; ``readonly`` opens an existing one
        for reading only and never creates a file (``dealbot health``)."""
        path = Path(path)
        if readonly and not path.exists():
            raise StorageError(f"no database at {path} (has dealbot run with this config?)")
        if not readonly:
            refuse_missing(path)
        try:
            if readonly:
                db = await aiosqlite.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                             isolation_level=None)  # fmt: skip
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from None
        db.row_factory = aiosqlite.Row
        store = cls(db, path, readonly=readonly)
        try:
            await store._configure()
            if not readonly:
                await store._migrate()
                await store._mark()
                await asyncio.to_thread(store.owners.register)
        except (sqlite3.Error, StorageError, OSError) as exc:
            await db.close()
            if isinstance(exc, StorageError):
                raise
            raise store._error(exc, "cannot use database") from None
        return store

    async def _mark(self) -> None:
        """Remember which file was opened, and leave its id beside it (see dbfile)."""
        self.identity = FileIdentity.of(self.path)
        database_id = await self.get_meta(DATABASE_ID_KEY)
        if database_id is None:
            database_id = new_database_id()
            await self.set_meta(DATABASE_ID_KEY, database_id)
        if read_marker(self.path) != database_id:
            await asyncio.to_thread(write_marker, self.path, database_id)

    def check_file(self) -> None:
        """Raise StorageError when the database file was deleted or replaced since it was
        opened (each cycle calls it: a fresh file would resend every recent story)."""
        if not self.readonly:
            check_same_file(self.path, self.identity)

    def _error(self, exc: sqlite3.Error | OSError, what: str = "database") -> StorageError:
        """One line that says what is wrong, the real cause of "readonly" included."""
        if "readonly" in str(exc) or isinstance(exc, PermissionError):
            cause = readonly_cause(self.path)
            if cause:
                return StorageError(f"database {self.path} cannot be written: {cause}")
        return StorageError(f"{what} {self.path}: {exc}")

    async def close(self) -> None:
        async with self._lock:
            await self._db.close()
        await asyncio.to_thread(self.owners.unregister)

    async def _configure(self) -> None:
        # the busy timeout first: a second process starting at the same moment waits for
        # the first one's lock (WAL switch, migrations) instead of failing
        pragmas = ["PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON"]
        if not self.readonly:
            pragmas += ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"]
        for pragma in pragmas:
            await self._db.execute(pragma)

    async def _migrate(self) -> None:
        """Bring the schema to LATEST in one exclusive transaction: the version is read
        under the lock, so processes starting together migrate once, one after another."""
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            await self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
            async with self._db.execute("SELECT version FROM schema_version") as cursor:
                row = await cursor.fetchone()
            version = row[0] if row else 0
            if version > LATEST:
                raise StorageError(
                    f"database {self.path} has schema version {version}, newer than this "
                    f"dealbot ({LATEST}); upgrade dealbot"
                )
            for step in range(version, LATEST):
                await self._run_script(MIGRATIONS[step])
            if version < LATEST:
                await self._db.execute("DELETE FROM schema_version")
                await self._db.execute("INSERT INTO schema_version VALUES (?)", (LATEST,))
            await self._db.execute("COMMIT")
        except BaseException:
            await self._rollback()
            raise

    async def _run_script(self, script: str) -> None:
        """Run a migration's statements one by one, inside the caller's transaction
        (executescript would commit first)."""
        for statement in _statements(script):
            await self._db.execute(statement)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT under the store's lock; rolled back on any exception,
        a sqlite3 error raised as StorageError."""
        async with self._lock:
            try:
                await self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                await self._db.execute("COMMIT")
            except BaseException as exc:
                # Also when cancelled during BEGIN: the statement still runs in aiosqlite's
                # thread, and the ROLLBACK queued behind it undoes it.
                await asyncio.shield(self._rollback())
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc) from None
                raise

    async def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # "no transaction is active" is fine
            await self._db.execute("ROLLBACK")

    async def _query(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            try:
                async with self._db.execute(sql, params) as cursor:
                    return list(await cursor.fetchall())
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    # -------------------------------------------------------------------------- feeds

    async def sync_feeds(
        self, feeds: Sequence[FeedIdentity], now: datetime
    ) -> dict[str, FeedState]:
        """Match configured feeds to stored rows (by URL, then by name), create new ones,
        and mark the rest inactive. A feed keeps its id, and so its dedupe keys, when it is
        renamed, when its URL redirects, and when it is removed and added again."""
        async with self._transaction() as db:
            async with db.execute("SELECT id, name, config_url, url FROM feeds") as cursor:
                rows = [dict(row) for row in await cursor.fetchall()]
            claimed = _match_feeds(feeds, rows)
            # Free the names of rows that are inactive or take another name, then apply.
            await db.execute("UPDATE feeds SET name = '~' || id, active = 0")
            for feed in feeds:
                feed_id = claimed.get(feed.name)
                if feed_id is None:
                    cursor = await db.execute(
                        "INSERT INTO feeds (name, config_url, url, created_at) VALUES (?, ?, ?, ?)",
                        (feed.name, feed.url, feed.url, _ts(now)),
                    )
                    claimed[feed.name] = int(cursor.lastrowid or 0)
                    continue
                row = next(r for r in rows if r["id"] == feed_id)
                if feed.url not in (row["config_url"], row["url"]):
                    # The URL was edited in feeds.yaml: a new stream of items under the
                    # same name. Poll it from scratch, with backfill, keeping the old keys.
                    await db.execute(
                        "UPDATE feeds SET url = ?, etag = NULL, last_modified = NULL, "
                        "first_success_at = NULL, failures = 0, last_error = NULL, "
                        "error_since = NULL, next_poll_at = NULL, "
                        "unhealthy_reported_at = NULL WHERE id = ?",
                        (feed.url, feed_id),
                    )
                await db.execute(
                    "UPDATE feeds SET name = ?, config_url = ?, active = 1 WHERE id = ?",
                    (feed.name, feed.url, feed_id),
                )
            for row in rows:  # restore the names of feeds no longer configured
                if row["id"] not in claimed.values():
                    await db.execute(
                        "UPDATE feeds SET name = ? WHERE id = ? AND NOT EXISTS "
                        "(SELECT 1 FROM feeds WHERE name = ?)",
                        (row["name"], row["id"], row["name"]),
                    )
        return await self.feed_states()

    async def feed_states(self) -> dict[str, FeedState]:
        """Every configured (active) feed by name, with how many items each has had (one
        grouped pass over the items)."""
        rows = await self._query(
            "SELECT f.*, coalesce(seen.n, 0) AS items_seen FROM feeds f LEFT JOIN "
            "(SELECT feed_id, count(*) AS n FROM items GROUP BY feed_id) seen "
            "ON seen.feed_id = f.id WHERE f.active = 1 ORDER BY f.name"
        )
        return {row["name"]: _feed_state(row) for row in rows}

    async def feed_state(self, name: str) -> FeedState | None:
        """One configured feed, without its item count: cheap enough for every poll."""
        rows = await self._query(
            "SELECT f.*, 0 AS items_seen FROM feeds f WHERE f.active = 1 AND f.name = ?",
            (name,),
        )
        return _feed_state(rows[0]) if rows else None

    # ---------------------------------------------------------------------- poll results

    async def unseen_keys(self, feed_id: int, keys: Iterable[str]) -> set[str]:
        """The keys among ``keys`` that this feed has never had."""
        wanted = list(dict.fromkeys(keys))
        seen: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self._query(
                f"SELECT key FROM items WHERE feed_id = ? AND key IN ({marks})",
                (feed_id, *chunk),
            )
            seen.update(row["key"] for row in rows)
        return set(wanted) - seen

    async def record_success(
        self,
        feed: FeedState,
        poll: PollSuccess,
        items: Sequence[Item],
        drafts: Sequence[AlertDraft],
        now: datetime,
    ) -> list[AlertMessage]:
        """Save new items, their alerts and outbox rows, and the feed's new state, as one
        transaction. Return the messages newly put in the outbox."""
        async with self._transaction() as db:
            item_ids = await self._insert_items(db, feed.id, items, now)
            new_messages = await self._insert_alerts(
                db, feed, {i.key: i for i in items}, item_ids, drafts, now
            )
            detail = plural(len(items), "new item") if items else "no new items"
            await self._log_fetch(db, feed.id, now, "ok", detail, len(items))
            await db.execute(
                "UPDATE feeds SET etag = ?, last_modified = ?, title = coalesce(?, title), "
                "url = coalesce(?, url), first_success_at = coalesce(first_success_at, ?), "
                "last_poll_at = ?, last_success_at = ?, last_error = NULL, "
                "error_since = NULL, failures = 0, next_poll_at = ?, "
                "unhealthy_reported_at = NULL, body_hash = ? WHERE id = ?",
                (
                    poll.etag, poll.last_modified, poll.title, poll.moved_to, _ts(now),
                    _ts(now), _ts(now), _ts(poll.next_poll_at), poll.body_hash, feed.id,
                ),
            )  # fmt: skip
        return new_messages

    async def _insert_items(
        self, db: aiosqlite.Connection, feed_id: int, items: Sequence[Item], now: datetime
    ) -> dict[str, int]:
        await db.executemany(
            "INSERT OR IGNORE INTO items (feed_id, key, title, text, link, canonical_url, "
            "author, language, published, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    feed_id, item.key, item.title, item.text, item.link, item.canonical_url,
                    item.author, item.language, _ts(item.published), _ts(now),
                )
                for item in items
            ],
        )  # fmt: skip
        ids: dict[str, int] = {}
        keys = [item.key for item in items]
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            async with db.execute(
                f"SELECT id, key FROM items WHERE feed_id = ? AND key IN ({marks})",
                (feed_id, *chunk),
            ) as cursor:
                ids.update({row["key"]: row["id"] for row in await cursor.fetchall()})
        await db.executemany(
            "INSERT OR REPLACE INTO items_fts (rowid, title, text) VALUES (?, ?, ?)",
            [(ids[i.key], index_text(i.title), index_text(i.text)) for i in items if i.key in ids],
        )
        return ids

    async def _insert_alerts(
        self,
        db: aiosqlite.Connection,
        feed: FeedState,
        items: dict[str, Item],
        item_ids: dict[str, int],
        drafts: Sequence[AlertDraft],
        now: datetime,
    ) -> list[AlertMessage]:
        # A rule alerts a story once, whichever feed brings it first.
        fresh: list[AlertDraft] = []
        for draft in drafts:
            cursor = await db.execute(
                "INSERT OR IGNORE INTO alerts (rule, story, item_id, topics, terms, summary, "
                "created_at, muted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.rule, draft.story, item_ids[draft.item_key], json.dumps(draft.topics),
                    json.dumps(draft.terms, ensure_ascii=False), draft.summary, _ts(now),
                    draft.muted,
                ),
            )  # fmt: skip
            if cursor.rowcount and not draft.muted:
                fresh.append(draft)
        # A channel gets one message per story, naming every rule that routed it there.
        messages: list[AlertMessage] = []
        for (story, channel), group in _by_story_and_channel(fresh).items():
            item = items[group[0].item_key]
            message = AlertMessage(
                id=new_outbox_id(now),
                channel=channel,
                rules=tuple(dict.fromkeys(d.rule for d in group)),
                feed=feed.name,
                title=item.title,
                url=item.link,
                canonical_url=item.canonical_url,
                published=item.published or now,
                summary=group[0].summary,
                topics=tuple(dict.fromkeys(t for d in group for t in d.topics)),
                terms=tuple(dict.fromkeys(t for d in group for t in d.terms)),
                language=item.language,
                author=item.author,
            )
            async with db.execute(
                "SELECT id, status, message FROM deliveries WHERE story = ? AND channel = ?",
                (story, channel),
            ) as cursor:
                existing = await cursor.fetchone()
            if existing is None:
                await db.execute(
                    "INSERT INTO deliveries (id, story, channel, message, status, "
                    "next_attempt_at, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)",
                    (message.id, story, channel, _dump(message), _ts(now), _ts(now), _ts(now)),
                )
                messages.append(message)
            elif existing["status"] == "pending":  # not sent yet: name the new rules too
                merged = _merge(AlertMessage.from_json(json.loads(existing["message"])), message)
                await db.execute(
                    "UPDATE deliveries SET message = ?, updated_at = ? "
                    "WHERE id = ? AND status = 'pending'",
                    (_dump(merged), _ts(now), existing["id"]),
                )
        return messages

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
        """A 304, or a 200 whose body is the one parsed last time."""
        async with self._transaction() as db:
            await self._log_fetch(db, feed.id, now, "not-modified", detail, 0)
            await db.execute(
                "UPDATE feeds SET last_poll_at = ?, last_success_at = ?, last_error = NULL, "
                "error_since = NULL, failures = 0, next_poll_at = ?, "
                "unhealthy_reported_at = NULL, etag = coalesce(?, etag), "
                "last_modified = coalesce(?, last_modified) WHERE id = ?",
                (_ts(now), _ts(now), _ts(next_poll_at), etag, last_modified, feed.id),
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
        async with self._transaction() as db:
            await self._log_fetch(db, feed.id, now, "failed", error, 0)
            await db.execute(
                "UPDATE feeds SET last_poll_at = ?, last_error = ?, "
                "error_since = coalesce(error_since, ?), failures = failures + 1, "
                "next_poll_at = ?, "
                "unhealthy_reported_at = CASE WHEN ? THEN ? ELSE unhealthy_reported_at END "
                "WHERE id = ?",
                (
                    _ts(now), error, _ts(now), _ts(next_poll_at), reported_unhealthy, _ts(now),
                    feed.id,
                ),
            )  # fmt: skip

    async def _log_fetch(
        self,
        db: aiosqlite.Connection,
        feed_id: int,
        now: datetime,
        outcome: str,
        detail: str,
        new_items: int,
    ) -> None:
        await db.execute(
            "INSERT INTO fetch_log (feed_id, at, outcome, detail, new_items) "
            "VALUES (?, ?, ?, ?, ?)",
            (feed_id, _ts(now), outcome, detail, new_items),
        )
        await db.execute(
            "DELETE FROM fetch_log WHERE feed_id = ? AND id <= "
            "(SELECT id FROM fetch_log WHERE feed_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (feed_id, feed_id, FETCH_LOG_KEPT),
        )

    async def fetch_history(self, feed_id: int, limit: int = 10) -> list[FetchRecord]:
        rows = await self._query(
            "SELECT at, outcome, detail, new_items FROM fetch_log WHERE feed_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (feed_id, limit),
        )
        return [
            FetchRecord(_dt(r["at"]) or datetime.now(UTC), r["outcome"], r["detail"] or "",
                        r["new_items"])
            for r in rows
        ]  # fmt: skip

    async def _write(self, sql: str, params: Sequence[Any]) -> int:
        async with self._transaction() as db:
            cursor = await db.execute(sql, params)
            return cursor.rowcount

    # ----------------------------------------------------------------------- outbox

    async def due_deliveries(
        self, now: datetime, *, everything: bool = False, channels: Iterable[str] | None = None
    ) -> list[OutboxEntry]:
        """Pending deliveries whose time has come (all pending ones with ``everything``)."""
        sql = "SELECT * FROM deliveries WHERE status = 'pending'"
        params: list[Any] = []
        if not everything:
            sql += " AND next_attempt_at <= ?"
            params.append(_ts(now))
        if channels is not None:
            wanted = list(channels)
            sql += f" AND channel IN ({','.join('?' * len(wanted))})"
            params.extend(wanted)
        rows = await self._query(sql + " ORDER BY created_at, id", params)
        return [_outbox_entry(row) for row in rows]

    async def claim_delivery(self, delivery_id: str, now: datetime) -> OutboxEntry | None:
        """Take a pending delivery for sending (pending -> sending, owned by this process).

        None when it is no longer pending: another process (``once`` beside ``run``)
        claimed it first. The entry returned is read in the same statement, so rules merged
        into it by a later poll are included."""
        rows = await self._returning(
            "UPDATE deliveries SET status = 'sending', owner = ?, attempts = attempts + 1, "
            "updated_at = ? WHERE id = ? AND status = 'pending' RETURNING *",
            (self.owners.me, _ts(now), delivery_id),
        )
        return _outbox_entry(rows[0]) if rows else None

    async def take_over_stale_deliveries(self) -> list[OutboxEntry]:
        """Deliveries left in 'sending' by a process that is no longer running, now owned by
        this one (the caller settles them with ``mark_*``). A delivery that a live process
        is sending right now is left alone."""
        rows = await self._query("SELECT DISTINCT owner FROM deliveries WHERE status = 'sending'")
        dead = [
            row["owner"]
            for row in rows
            if row["owner"] != self.owners.me
            and not await asyncio.to_thread(self.owners.is_alive, row["owner"])
        ]
        taken: list[OutboxEntry] = []
        for owner in dead:
            found = await self._returning(
                "UPDATE deliveries SET owner = ? WHERE status = 'sending' AND owner IS ? "
                "RETURNING *",
                (self.owners.me, owner),
            )
            taken.extend(_outbox_entry(row) for row in found)
            await asyncio.to_thread(self.owners.forget, owner)
        return sorted(taken, key=lambda entry: entry.message.id)

    async def mark_sent(self, delivery_id: str, message_id: str | None, now: datetime) -> bool:
        """sending -> sent. False when this process does not own the delivery."""
        return await self._settle(
            "status = 'sent', message_id = ?, last_error = NULL, sent_at = ?, updated_at = ?",
            (message_id, _ts(now), _ts(now)),
            delivery_id,
        )

    async def mark_retry(
        self,
        delivery_id: str,
        reason: str,
        next_attempt_at: datetime,
        now: datetime,
        *,
        maybe_sent: bool = False,
    ) -> bool:
        """sending -> pending, to be tried again at ``next_attempt_at``; ``maybe_sent``
        when the attempt may have arrived (it stays set until the alert is settled)."""
        return await self._settle(
            "status = 'pending', owner = NULL, last_error = ?, next_attempt_at = ?, "
            "updated_at = ?, maybe_sent = max(maybe_sent, ?)",
            (reason, _ts(next_attempt_at), _ts(now), int(maybe_sent)),
            delivery_id,
        )

    async def mark_failed(self, delivery_id: str, reason: str, now: datetime) -> bool:
        """sending -> failed, for good, with the reason."""
        return await self._settle(
            "status = 'failed', last_error = ?, updated_at = ?", (reason, _ts(now)), delivery_id
        )

    async def _settle(self, assignments: str, params: Sequence[Any], delivery_id: str) -> bool:
        changed = await self._write(
            f"UPDATE deliveries SET {assignments} "
            "WHERE id = ? AND status = 'sending' AND owner = ?",
            (*params, delivery_id, self.owners.me),
        )
        return changed == 1

    async def _returning(self, sql: str, params: Sequence[Any]) -> list[aiosqlite.Row]:
        async with self._transaction() as db, db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def delivery_counts(self) -> dict[str, dict[str, int]]:
        """channel -> status -> count."""
        rows = await self._query(
            "SELECT channel, status, count(*) AS n FROM deliveries GROUP BY channel, status"
        )
        counts: dict[str, dict[str, int]] = {}
        for row in rows:
            counts.setdefault(row["channel"], {})[row["status"]] = row["n"]
        return counts

    async def channel_errors(self) -> dict[str, str]:
        """channel -> the latest error of its pending or failed deliveries."""
        rows = await self._query(
            "SELECT channel, last_error FROM deliveries WHERE status IN ('pending', 'failed') "
            "AND last_error IS NOT NULL ORDER BY updated_at"
        )
        return {row["channel"]: row["last_error"] for row in rows}

    async def messages_sent_since(self, channel: str, since: datetime) -> int:
        """How many messages ``channel`` got since ``since``; a digest counts once (by its
        message id, or by its digest id where the channel gives no message id)."""
        rows = await self._query(
            "SELECT count(DISTINCT coalesce(message_id, digest, id)) AS n FROM deliveries "
            "WHERE channel = ? AND sent_at >= ?",
            (channel, _ts(since)),
        )
        return int(rows[0]["n"])

    async def assign_digest(self, delivery_ids: Sequence[str], digest_id: str) -> None:
        """Record that these deliveries go out as one digest, so a retry sends the same
        digest (same id, same idempotency key) rather than a new grouping."""
        async with self._transaction() as db:
            await db.executemany(
                "UPDATE deliveries SET digest = ? WHERE id = ?",
                [(digest_id, delivery_id) for delivery_id in delivery_ids],
            )

    async def fail_pending(self, channel: str, reason: str, now: datetime) -> int:
        """Every pending delivery to ``channel`` -> failed, when the channel itself is
        broken (no access, deleted); returns how many."""
        return await self._write(
            "UPDATE deliveries SET status = 'failed', last_error = ?, updated_at = ? "
            "WHERE channel = ? AND status = 'pending'",
            (reason, _ts(now), channel),
        )

    async def sent_message_id(self, delivery_id: str) -> str | None:
        rows = await self._query("SELECT message_id FROM deliveries WHERE id = ?", (delivery_id,))
        return rows[0]["message_id"] if rows else None

    # -------------------------------------------------------------------------- news

    async def recent_alerts(
        self,
        since: datetime,
        *,
        limit: int = 10,
        words: Sequence[str] = (),
        rule: str | None = None,
    ) -> list[RecentAlert]:
        """Alerted stories since ``since``, newest first; every word must appear in the
        title or summary (case-insensitive, any language)."""
        sql = (
            "SELECT a.item_id, a.rule, a.topics, a.summary, a.created_at, i.title, i.link, "
            "i.published, i.seen_at, f.name AS feed FROM alerts a "
            "JOIN items i ON i.id = a.item_id JOIN feeds f ON f.id = i.feed_id "
            "WHERE a.created_at >= ?"
        )
        params: list[Any] = [_ts(since)]
        if rule:
            sql += " AND a.rule = ?"
            params.append(rule)
        rows = await self._query(sql + " ORDER BY a.created_at DESC, a.id DESC", params)
        folded = [word.casefold() for word in words]
        stories: dict[int, RecentAlert] = {}
        for row in rows:
            known = stories.get(row["item_id"])
            if known is not None:
                stories[row["item_id"]] = _with_rule(known, row)
                continue
            haystack = f"{row['title'] or ''}\n{row['summary']}".casefold()
            if not all(word in haystack for word in folded):
                continue
            if len(stories) == limit:
                continue
            stories[row["item_id"]] = RecentAlert(
                title=row["title"] or "",
                feed=row["feed"],
                url=row["link"],
                published=_dt(row["published"] or row["seen_at"]) or datetime.now(UTC),
                alerted_at=_dt(row["created_at"]) or datetime.now(UTC),
                rules=(row["rule"],),
                topics=tuple(json.loads(row["topics"])),
                summary=row["summary"],
            )
        return list(stories.values())

    # ------------------------------------------------------------------------ search

    async def search(
        self, match: str, since: datetime, now: datetime, *, limit: int = 10
    ) -> list[SearchHit]:
        """Items whose title or text matches the FTS5 expression ``match`` (see
        bot.searchtext.fts_query), best first: bm25 (a title hit counts double), weighed
        down by age (a week-old item needs twice the relevance of a new one)."""
        rows = await self._query(
            "SELECT i.id, i.title, i.text, i.link, i.published, i.seen_at, f.name AS feed "
            "FROM items_fts JOIN items i ON i.id = items_fts.rowid "
            "JOIN feeds f ON f.id = i.feed_id "
            "WHERE items_fts MATCH ? AND coalesce(i.published, i.seen_at) >= ? "
            "ORDER BY bm25(items_fts, 2.0, 1.0) "
            "/ (1.0 + max(0, ? - coalesce(i.published, i.seen_at)) / 604800.0) LIMIT ?",
            (match, _ts(since), _ts(now), limit),
        )
        return [
            SearchHit(
                title=row["title"] or "",
                text=row["text"] or "",
                url=row["link"],
                feed=row["feed"],
                published=_dt(row["published"] or row["seen_at"]) or now,
            )
            for row in rows
        ]

    async def items_since(self, since: datetime, *, limit: int = 2000) -> list[Item]:
        """Items first seen since ``since`` (with their text), newest first."""
        rows = await self._query(
            "SELECT i.*, f.name AS feed FROM items i JOIN feeds f ON f.id = i.feed_id "
            "WHERE i.seen_at >= ? AND i.text IS NOT NULL ORDER BY i.seen_at DESC LIMIT ?",
            (_ts(since), limit),
        )
        return [
            Item(
                key=row["key"],
                title=row["title"] or "",
                text=row["text"] or "",
                link=row["link"],
                canonical_url=row["canonical_url"],
                published=_dt(row["published"]),
                language=row["language"],
                author=row["author"],
            )
            for row in rows
        ]

    async def prune(self, before: datetime) -> int:
        """Forget the text (and index entries) of items seen before ``before``; their
        dedupe keys and titles stay, so an old item still listed by its feed never alerts
        again. Return how many items were pruned."""
        async with self._transaction() as db:
            await db.execute(
                "DELETE FROM items_fts WHERE rowid IN "
                "(SELECT id FROM items WHERE seen_at < ? AND text IS NOT NULL)",
                (_ts(before),),
            )
            cursor = await db.execute(
                "UPDATE items SET text = NULL, author = NULL "
                "WHERE seen_at < ? AND text IS NOT NULL",
                (_ts(before),),
            )
            return cursor.rowcount

    # ------------------------------------------------------------------------- mutes

    async def mute(self, rule: str, until: datetime) -> None:
        await self._write(
            "INSERT INTO mutes (rule, until) VALUES (?, ?) "
            "ON CONFLICT (rule) DO UPDATE SET until = excluded.until",
            (rule, _ts(until)),
        )

    async def unmute(self, rule: str) -> bool:
        return await self._write("DELETE FROM mutes WHERE rule = ?", (rule,)) == 1

    async def mutes(self, now: datetime) -> dict[str, datetime]:
        """Rules muted at ``now``, with the time each mute ends."""
        rows = await self._query("SELECT rule, until FROM mutes WHERE until > ?", (_ts(now),))
        return {row["rule"]: _dt(row["until"]) or now for row in rows}

    # -------------------------------------------------------------------------- meta

    async def set_meta(self, key: str, value: str) -> None:
        await self._write(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def get_meta(self, key: str) -> str | None:
        rows = await self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0]["value"] if rows else None


# ------------------------------------------------------------------------------ helpers


class OwnerRegistry:
    """Which processes are alive, for settling deliveries a dead one left in 'sending'.

    Each open Store holds an exclusive ``flock`` on its own file in ``<database>.owners/``
    for as long as it runs. The kernel drops the lock when the process dies, however it
    dies, so a lock that can be taken means its owner is gone."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.me = secrets.token_hex(8)
        self._handle: Any = None

    def register(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._handle = open(self.folder / f"{self.me}.lock", "w")  # noqa: SIM115 - held open
        fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def unregister(self) -> None:
        if self._handle is not None:
            self._handle.close()  # releases the lock
            self._handle = None
            self.forget(self.me)

    def is_alive(self, owner: str | None) -> bool:
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
        if owner is not None:
            with contextlib.suppress(OSError):
                (self.folder / f"{owner}.lock").unlink()


def _statements(script: str) -> list[str]:
    statements, current = [], ""
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


def _match_feeds(feeds: Sequence[FeedIdentity], rows: list[dict[str, Any]]) -> dict[str, int]:
    """Configured feed name -> stored row id. Every URL is matched before any name, so that
    a name derived from the host (and so from the order of the file) never takes the row
    of another feed's URL."""
    claimed: dict[str, int] = {}
    taken: set[int] = set()
    for by_url in (True, False):
        for feed in feeds:
            if feed.name in claimed:
                continue
            for row in rows:
                if row["id"] in taken:
                    continue
                if (
                    (feed.url in (row["config_url"], row["url"]))
                    if by_url
                    else (row["name"] == feed.name)
                ):
                    claimed[feed.name] = row["id"]
                    taken.add(row["id"])
                    break
    return claimed


def _feed_state(row: aiosqlite.Row) -> FeedState:
    return FeedState(
        id=row["id"],
        name=row["name"],
        url=row["url"],
        config_url=row["config_url"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        first_success_at=_dt(row["first_success_at"]),
        last_poll_at=_dt(row["last_poll_at"]),
        last_success_at=_dt(row["last_success_at"]),
        last_error=row["last_error"],
        error_since=_dt(row["error_since"]),
        failures=row["failures"],
        next_poll_at=_dt(row["next_poll_at"]),
        unhealthy_reported_at=_dt(row["unhealthy_reported_at"]),
        items_seen=row["items_seen"],
        body_hash=row["body_hash"],
    )


def _outbox_entry(row: aiosqlite.Row) -> OutboxEntry:
    return OutboxEntry(
        message=AlertMessage.from_json(json.loads(row["message"])),
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        digest=row["digest"],
        maybe_sent=bool(row["maybe_sent"]),
    )


def _dump(message: AlertMessage) -> str:
    return json.dumps(message.to_json(), ensure_ascii=False)


def _by_story_and_channel(
    drafts: Sequence[AlertDraft],
) -> dict[tuple[str, str], list[AlertDraft]]:
    groups: dict[tuple[str, str], list[AlertDraft]] = {}
    for draft in drafts:
        for channel in draft.channels:
            groups.setdefault((draft.story, channel), []).append(draft)
    return groups


def _merge(existing: AlertMessage, new: AlertMessage) -> AlertMessage:
    return replace(
        existing,
        rules=tuple(dict.fromkeys(existing.rules + new.rules)),
        topics=tuple(dict.fromkeys(existing.topics + new.topics)),
        terms=tuple(dict.fromkeys(existing.terms + new.terms)),
    )


def _with_rule(story: RecentAlert, row: aiosqlite.Row) -> RecentAlert:
    topics = tuple(dict.fromkeys(story.topics + tuple(json.loads(row["topics"]))))
    rules = tuple(dict.fromkeys((*story.rules, row["rule"])))
    return replace(story, rules=rules, topics=topics)
