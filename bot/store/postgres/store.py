"""``PostgresStore``: the PostgreSQL backend of ``bot.store.Store``, one class composed of
the per-domain parts (feeds, items, alerts, outbox, stories, meta), as ``SQLiteStore`` is.

This module owns what spans the parts: opening (connect, migrate under the migration
lock, this worker's owner lock), closing, and a poll's one transaction across feeds,
items, alerts and outbox. Several workers may share one database: a poll's transaction
first takes a transaction-level advisory lock on each story it may touch (in one order,
so two polls never deadlock), so a story's alerts, deliveries and edits are decided by
one worker at a time, as SQLite's one writer decides them.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import psycopg
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

from bot.errors import DatabaseReplaced, StorageError
from bot.models import AlertDraft, AlertMessage, FeedState, Item, StoryReport
from bot.store.common import new_database_id
from bot.store.interface import AssembleAlert, PollSuccess
from bot.store.postgres.alerts import AlertsMixin, insert_alerts
from bot.store.postgres.base import Conn, PGBase, describe, fetch_one
from bot.store.postgres.feeds import FeedsMixin, log_fetch, record_poll, release_lease
from bot.store.postgres.items import ItemsMixin, insert_items, item_ids, update_items
from bot.store.postgres.leases import LeasesMixin
from bot.store.postgres.locks import SessionLocks
from bot.store.postgres.meta import MetaMixin
from bot.store.postgres.outbox import OutboxMixin, enqueue
from bot.store.postgres.owners import Owners
from bot.store.postgres.schema import LATEST, migrate, schema_version
from bot.store.postgres.stories import (
    StoriesMixin,
    enqueue_stories,
    queue_updates,
    record_digests,
    record_reports,
)
from bot.store.url import mask_url
from bot.text import plural

DATABASE_ID_KEY = "database_id"
IDENTITY = (
    "SELECT (SELECT system_identifier FROM pg_control_system())::text AS server, "
    "(SELECT oid FROM pg_database WHERE datname = current_database())::bigint AS oid, "
    "(SELECT value FROM meta WHERE key = %(key)s) AS dealbot"
)
STORY_LOCK = 0x0DEA1B0A  # pg_advisory_xact_lock(STORY_LOCK, hashtext(story))
CONNECT_TIMEOUT = 10  # seconds, for each new connection
POOL_SIZE = 10  # connections per worker at most
POOL_TIMEOUT = 30.0  # seconds an operation waits for a connection
CHECK_IDLE = 0.1  # seconds a pooled connection sits idle before it is checked again


@dataclass(frozen=True)
class DatabaseIdentity:
    server: str  # pg_control_system().system_identifier: another cluster has another
    oid: int  # the database's oid: dropped and created again, it has another
    dealbot: str  # meta's database_id: an emptied database has none


class IdleCheck:
    """Which connections the pool checks before handing them out (a round trip, an empty
    query): those not handed out in the last ``CHECK_IDLE`` seconds. A connection handed
    out that recently was working then, and a server that went away since is still gone
    (a restart takes longer), so the check could not help; a connection that broke in use
    is discarded when handed back. A busy worker skips a round trip per database call."""

    def __init__(self) -> None:
        self._handed: weakref.WeakKeyDictionary[Conn, float] = weakref.WeakKeyDictionary()

    async def check(self, conn: Conn) -> None:
        now = time.monotonic()
        last = self._handed.get(conn)
        if last is None or now - last >= CHECK_IDLE:
            await AsyncConnectionPool.check_connection(conn)
        self._handed[conn] = now


async def _connect(url: str, *, readonly: bool) -> Conn:
    conn: Conn = await psycopg.AsyncConnection.connect(
        url, autocommit=True, row_factory=dict_row, connect_timeout=CONNECT_TIMEOUT
    )
    await _configure(conn, readonly=readonly)
    return conn


async def _configure(conn: Conn, *, readonly: bool) -> None:
    await conn.execute("SET TIME ZONE 'UTC'")
    if readonly:
        await conn.execute("SET default_transaction_read_only = on")


class PostgresStore(
    FeedsMixin,
    LeasesMixin,
    ItemsMixin,
    AlertsMixin,
    OutboxMixin,
    StoriesMixin,
    MetaMixin,
    PGBase,
):
    """Use ``await PostgresStore.open(url)``; close with ``await store.close()``."""

    def __init__(self, pool: AsyncConnectionPool[Conn], url: str, *, readonly: bool) -> None:
        super().__init__(pool, url, readonly=readonly)
        self.owners = Owners(partial(_connect, url, readonly=readonly))
        self.identity: DatabaseIdentity | None = None  # the database opened (check_database)
        self.locks = SessionLocks(partial(_connect, url, readonly=readonly))

    @classmethod
    async def open(cls, url: str, *, readonly: bool = False) -> PostgresStore:
        """Connect (and create or migrate the schema); ``readonly`` never writes and
        refuses a database without dealbot's schema. StorageError, the password masked,
        when the server cannot be reached or the schema is newer than this dealbot."""
        shown = mask_url(url)
        try:
            first = await _connect(url, readonly=readonly)
        except psycopg.Error as exc:
            raise _masked(url, f"cannot open database {shown}", exc) from None
        try:
            if readonly:
                version = await schema_version(first)
                await first.close()
                if version is None:
                    raise StorageError(
                        f"no dealbot database at {shown} (has dealbot run with this config?)"
                    )
                if version > LATEST:
                    raise StorageError(
                        f"database {shown} has schema version {version}, newer than this "
                        f"dealbot ({LATEST}); upgrade dealbot"
                    )
            else:
                await migrate(first, shown)
        except psycopg.Error as exc:
            await first.close()
            raise _masked(url, f"cannot use database {shown}", exc) from None
        except BaseException:
            await first.close()
            raise

        async def configure(conn: Conn) -> None:
            await _configure(conn, readonly=readonly)

        checks = IdleCheck()
        pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
            url,
            connection_class=psycopg.AsyncConnection[DictRow],
            kwargs={"autocommit": True, "row_factory": dict_row,
                    "connect_timeout": CONNECT_TIMEOUT},
            configure=configure,
            check=checks.check,
            min_size=1,
            max_size=POOL_SIZE,
            timeout=POOL_TIMEOUT,
            open=False,
            name="dealbot",
        )  # fmt: skip
        store = cls(pool, url, readonly=readonly)
        try:
            await pool.open(wait=True, timeout=POOL_TIMEOUT)
            if not readonly:
                await store.owners.register(first)  # the owner lock lives on this session
                await store._mark()
                store.identity = await store._identity()
        except BaseException as exc:
            await pool.close()
            await first.close()
            if isinstance(exc, psycopg.Error):
                raise _masked(url, f"cannot use database {shown}", exc) from None
            raise
        return store

    async def _mark(self) -> None:
        """Give the database an id (kept by ``db copy`` checks and ``status``)."""
        await self._write(
            "INSERT INTO meta (key, value) VALUES (%(key)s, %(value)s) "
            "ON CONFLICT (key) DO NOTHING",
            {"key": DATABASE_ID_KEY, "value": new_database_id()},
        )

    async def check_database(self) -> None:
        if self.readonly:
            return
        now = await self._identity()
        if now is None:
            raise DatabaseReplaced(
                f"database {self.shown_url} lost its dealbot id while the bot was running "
                "(emptied or created again); stopping, so that nothing is sent twice from "
                "it (restore it, then start again)"
            )
        if now != self.identity:
            raise DatabaseReplaced(
                f"database {self.shown_url} was replaced while the bot was running (another "
                "database, or another server, answers to its name); stopping (start again "
                "to use it)"
            )

    async def _identity(self) -> DatabaseIdentity | None:
        """Which database answers now: its server's system identifier, its oid there, and
        dealbot's id in it (None when it has none: emptied, or a fresh one)."""

        async def ask(conn: Conn) -> DatabaseIdentity | None:
            try:
                row = await fetch_one(conn, IDENTITY, {"key": DATABASE_ID_KEY})
            except psycopg.errors.UndefinedTable:  # no schema: a fresh database
                return None
            if row is None or row["dealbot"] is None:
                return None
            return DatabaseIdentity(str(row["server"]), int(row["oid"]), str(row["dealbot"]))

        return await self._run(ask)

    async def close(self) -> None:
        await self._pool.close()
        await self.owners.unregister()

    async def record_success(
        self,
        feed: FeedState,
        poll: PollSuccess,
        items: Sequence[Item],
        drafts: Sequence[AlertDraft],
        now: datetime,
        *,
        assemble: AssembleAlert,
        updated: Sequence[Item] = (),
        stories: Sequence[StoryReport] = (),
        digests: Mapping[str, str] | None = None,
    ) -> list[AlertMessage]:
        touched = sorted(
            {draft.story for draft in drafts}
            | {draft.story_id for draft in drafts if draft.story_id}
            | {report.story_id for report in stories}
        )

        async def record(conn: Conn) -> list[AlertMessage]:
            if touched:
                await conn.execute(
                    "SELECT pg_advisory_xact_lock(%(lock)s, h) FROM (SELECT DISTINCT "
                    "hashtext(k) AS h FROM unnest(%(keys)s::text[]) AS k ORDER BY h) AS s",
                    {"lock": STORY_LOCK, "keys": touched},
                )
            ids = await insert_items(conn, feed.id, items, now)
            if updated:
                ids.update(await item_ids(conn, feed.id, [item.key for item in updated]))
                await update_items(conn, ids, updated)
            await record_digests(conn, ids, digests or {})
            await record_reports(conn, ids, stories, now)
            fresh = await insert_alerts(conn, ids, drafts, now)
            by_key = {item.key: item for item in (*items, *updated)}
            plain = [draft for draft in fresh if draft.story_id is None]
            messages = await enqueue(conn, feed.name, by_key, plain, now, assemble)
            placed = [draft for draft in fresh if draft.story_id is not None]
            done: set[str] = set()
            messages += await enqueue_stories(conn, feed.name, by_key, placed, now, assemble, done)
            await queue_updates(conn, stories, now, done=done)
            detail = "; ".join(
                (plural(len(items), "new item") if items else "no new items", *poll.notes)
            )
            await log_fetch(conn, feed.id, now, "ok", detail, len(items))
            await record_poll(conn, feed.id, poll, now)
            await release_lease(conn, feed.id, self.owners.me)
            return messages

        async def pipelined(conn: Conn) -> list[AlertMessage]:
            # statements whose results nothing waits for (the locks, the inserts, the
            # fetch log, the feed's row) go out together, not one round trip each
            async with conn.pipeline(), conn.transaction():
                return await record(conn)

        return await self._run(pipelined)


def _masked(url: str, what: str, exc: BaseException) -> StorageError:
    return StorageError(f"{what}: {describe(exc, url)}")
