"""``SQLiteStore``: the SQLite backend of ``bot.store.Store``, one class composed of the
per-domain parts (feeds, items, alerts, outbox, meta), as lemon24/reader's Storage is.

This module owns what spans the parts: opening (create or migrate, the file's identity,
this process's registration), closing, a poll's one transaction across feeds, items,
alerts and outbox, and taking over what dead processes left in 'sending'.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.errors import StorageError
from bot.models import AlertDraft, AlertMessage, FeedState, Item, OutboxEntry, StoryReport
from bot.store.common import new_database_id
from bot.store.interface import AssembleAlert, PollSuccess
from bot.store.locks import LocalLocks
from bot.store.owners import OwnerRegistry
from bot.store.sqlite.alerts import AlertsMixin, insert_alerts
from bot.store.sqlite.base import SQLiteBase, require_sqlite
from bot.store.sqlite.dbfile import (
    FileIdentity,
    check_same_file,
    read_marker,
    refuse_missing,
    write_marker,
)
from bot.store.sqlite.feeds import FeedsMixin, log_fetch, record_poll, release_lease
from bot.store.sqlite.items import ItemsMixin, insert_items, update_items
from bot.store.sqlite.leases import LeasesMixin
from bot.store.sqlite.meta import MetaMixin
from bot.store.sqlite.outbox import OutboxMixin, enqueue
from bot.store.sqlite.schema import migrate
from bot.store.sqlite.stories import (
    StoriesMixin,
    enqueue_stories,
    item_ids,
    queue_updates,
    record_digests,
    record_reports,
)
from bot.text import plural

DATABASE_ID_KEY = "database_id"


class SQLiteStore(
    FeedsMixin,
    LeasesMixin,
    ItemsMixin,
    AlertsMixin,
    OutboxMixin,
    StoriesMixin,
    MetaMixin,
    SQLiteBase,
):
    """Use ``await SQLiteStore.open(path)``; close with ``await store.close()``."""

    def __init__(self, db: aiosqlite.Connection, path: Path, *, readonly: bool = False) -> None:
        super().__init__(db, path, readonly=readonly)
        self.owners = OwnerRegistry(Path(f"{path}.owners"))
        self.locks = LocalLocks(Path(f"{path}.locks"))
        self.identity: FileIdentity | None = None  # the file opened, to notice a new one

    @classmethod
    async def open(cls, path: Path | str, *, readonly: bool = False) -> SQLiteStore:
        """Open (and create or migrate) the database; ``readonly`` opens an existing one
        for reading only and never creates a file (``dealbot health``). StorageError when
        it cannot be opened, is not a database, is newer than this dealbot, or is gone
        though its marker says one was here."""
        require_sqlite()
        path = Path(path)
        if readonly and not path.exists():
            raise StorageError(f"no database at {path} (has dealbot run with this config?)")
        if not readonly:
            refuse_missing(path)
        try:
            if readonly:
                uri = f"{path.resolve().as_uri()}?mode=ro"
                db = await aiosqlite.connect(uri, uri=True, isolation_level=None)
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
                await migrate(db, path)
                await store._mark()
                await asyncio.to_thread(store.owners.register)
        except (sqlite3.Error, StorageError, OSError) as exc:
            await db.close()
            if isinstance(exc, StorageError):
                raise
            raise store._error(exc, "cannot use database") from None
        return store

    async def _configure(self) -> None:
        # the busy timeout first: a second process starting at the same moment waits for
        # the first one's lock (WAL switch, migrations) instead of failing
        pragmas = ["PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON"]
        if not self.readonly:
            pragmas += ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"]
        for pragma in pragmas:
            await self._db.execute(pragma)
        await self._check_json()

    async def _mark(self) -> None:
        """Remember which file was opened, and leave its id beside it (see dbfile)."""
        self.identity = FileIdentity.of(self.path)
        database_id = await self.get_meta(DATABASE_ID_KEY)
        if database_id is None:
            database_id = new_database_id()
            await self.set_meta(DATABASE_ID_KEY, database_id)
        if read_marker(self.path) != database_id:
            await asyncio.to_thread(write_marker, self.path, database_id)

    async def check_database(self) -> None:
        if not self.readonly:  # two stat calls: no thread needed
            check_same_file(self.path, self.identity)

    async def close(self) -> None:
        await self._db.close()
        await asyncio.to_thread(self.owners.unregister)

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
        def record(db: sqlite3.Connection) -> list[AlertMessage]:
            ids = insert_items(db, feed.id, items, now)
            if updated:
                ids.update(item_ids(db, feed.id, [item.key for item in updated]))
                update_items(db, ids, updated)
            record_digests(db, ids, digests or {})
            record_reports(db, ids, stories, now)
            fresh = insert_alerts(db, ids, drafts, now)
            by_key = {item.key: item for item in (*items, *updated)}
            plain = [draft for draft in fresh if draft.story_id is None]
            messages = enqueue(db, feed.name, by_key, plain, now, assemble)
            placed = [draft for draft in fresh if draft.story_id is not None]
            done: set[str] = set()
            messages += enqueue_stories(db, feed.name, by_key, placed, now, assemble, done)
            queue_updates(db, stories, now, done=done)
            detail = "; ".join(
                (plural(len(items), "new item") if items else "no new items", *poll.notes)
            )
            log_fetch(db, feed.id, now, "ok", detail, len(items))
            record_poll(db, feed.id, poll, now)
            release_lease(db, feed.id, self.owners.me)
            return messages

        # the whole poll in one call to the connection's thread (assemble is pure)
        return await self._in_transaction(record)

    async def take_over_stale_deliveries(self) -> list[OutboxEntry]:
        taken: list[OutboxEntry] = []
        for owner in await self.owners.dead(await self._sending_owners()):
            taken.extend(await self._take_over(owner))
            await asyncio.to_thread(self.owners.forget, owner)
        return sorted(taken, key=lambda entry: entry.message.id)
