"""Items and search in SQLite: every item ever seen (its dedupe key kept as long as its feed
exists), its text while it is recent, and the full-text index over it (``items``,
``items_fts``, written as ``bot.searchtext.index_text`` says: CJK runs as bigrams); a hit
carries the deal of the item's story."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial

from bot.models import Item, SearchHit
from bot.searchtext import index_text
from bot.store.common import item_columns
from bot.store.sqlite.base import SQLiteBase, dt, ts
from bot.store.sqlite.storydeals import story_deals

# a list of keys travels as one JSON parameter: any number of them, one statement
KEYS_OF_FEED = "feed_id = :feed_id AND key IN (SELECT value FROM json_each(:keys))"


class ItemsMixin(SQLiteBase):
    async def unseen_keys(self, feed_id: int, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return set()
        rows = await self._query(
            f"SELECT key FROM items WHERE {KEYS_OF_FEED}",
            {"feed_id": feed_id, "keys": json.dumps(wanted)},
        )
        return set(wanted) - {row["key"] for row in rows}

    async def search(
        self, match: str, since: datetime, now: datetime, *, limit: int = 10
    ) -> list[SearchHit]:
        def run(db: sqlite3.Connection) -> list[SearchHit]:
            rows = db.execute(
                "SELECT i.id, i.title, i.text, i.link, i.published, i.seen_at, "
                "f.name AS feed, si.story_id "
                "FROM items_fts JOIN items i ON i.id = items_fts.rowid "
                "JOIN feeds f ON f.id = i.feed_id "
                "LEFT JOIN story_items si ON si.item_id = i.id "
                "WHERE items_fts MATCH :match AND coalesce(i.published, i.seen_at) >= :since "
                "ORDER BY bm25(items_fts, 2.0, 1.0) "
                "/ (1.0 + max(0, :now - coalesce(i.published, i.seen_at)) / 604800.0) "
                "LIMIT :limit",
                {"match": match, "since": ts(since), "now": ts(now), "limit": limit},
            ).fetchall()
            deals = story_deals(db, {row["story_id"] for row in rows if row["story_id"]})
            return [
                SearchHit(
                    title=row["title"] or "",
                    text=row["text"] or "",
                    url=row["link"],
                    feed=row["feed"],
                    published=dt(row["published"] or row["seen_at"]) or now,
                    deal=deals.get(row["story_id"]),
                )
                for row in rows
            ]

        # one call to the connection's thread: the story deals are read there too (the
        # company table they compare parties with may be compiled on first use)
        return await self._run(run)

    async def items_since(self, since: datetime, *, limit: int = 2000) -> list[Item]:
        rows = await self._query(
            "SELECT i.*, f.name AS feed FROM items i JOIN feeds f ON f.id = i.feed_id "
            "WHERE i.seen_at >= :since AND i.text IS NOT NULL "
            "ORDER BY i.seen_at DESC LIMIT :limit",
            {"since": ts(since), "limit": limit},
        )
        return [
            Item(
                key=row["key"],
                title=row["title"] or "",
                text=row["text"] or "",
                link=row["link"],
                canonical_url=row["canonical_url"],
                published=dt(row["published"]),
                language=row["language"],
                author=row["author"],
            )
            for row in rows
        ]

    async def prune(self, before: datetime) -> int:
        return await self._in_transaction(partial(prune_items, before=ts(before)))


def prune_items(db: sqlite3.Connection, *, before: float | None) -> int:
    """Drop the text and search entry of items first seen before ``before`` (inside a
    transaction). The index keeps no copy of the text: an entry is deleted by giving it
    the values it was indexed with, which ``index_text`` makes again from the item's row."""
    old = {"before": before}
    rows = db.execute(
        "SELECT id, title, text FROM items WHERE seen_at < :before AND text IS NOT NULL", old
    ).fetchall()
    db.executemany(
        "INSERT INTO items_fts (items_fts, rowid, title, text) "
        "VALUES ('delete', :id, :title, :text)",
        [index_row(row["id"], row["title"], row["text"]) for row in rows],
    )
    cursor = db.execute(
        "UPDATE items SET text = NULL, author = NULL WHERE seen_at < :before AND text IS NOT NULL",
        old,
    )
    return cursor.rowcount


def index_row(item_id: int, title: str | None, text: str | None) -> dict[str, object]:
    """An item's entry in ``items_fts``, as it is added and as it must be deleted."""
    return {"id": item_id, "title": index_text(title or ""), "text": index_text(text or "")}


def insert_items(
    db: sqlite3.Connection, feed_id: int, items: Sequence[Item], now: datetime
) -> dict[str, int]:
    """Save a poll's new items and index them (inside the poll's transaction); return the
    row id of each key. A key the feed already has (another process saved it first) keeps
    its row and its index entry."""
    if not items:
        return {}
    keys = {"feed_id": feed_id, "keys": json.dumps([item.key for item in items])}
    known = {row["key"] for row in db.execute(f"SELECT key FROM items WHERE {KEYS_OF_FEED}", keys)}
    new = [item for item in items if item.key not in known]
    db.executemany(
        "INSERT OR IGNORE INTO items (feed_id, key, title, text, link, canonical_url, "
        "author, language, published, seen_at) VALUES (:feed_id, :key, :title, :text, "
        ":link, :canonical_url, :author, :language, :published, :seen_at)",
        [
            {
                "feed_id": feed_id,
                **item_columns(item),
                "published": ts(item.published),
                "seen_at": ts(now),
            }
            for item in new
        ],
    )
    ids: dict[str, int] = {
        row["key"]: row["id"]
        for row in db.execute(f"SELECT id, key FROM items WHERE {KEYS_OF_FEED}", keys)
    }
    # one entry per item saved now (the first of a key repeated in ``new``), in rowid order:
    # FTS5 starts a new segment of its index whenever a rowid is lower than the last one
    saved: dict[str, Item] = {}
    for item in new:
        saved.setdefault(item.key, item)
    entries = sorted(((ids[key], item) for key, item in saved.items()), key=lambda e: e[0])
    db.executemany(
        "INSERT INTO items_fts (rowid, title, text) VALUES (:id, :title, :text)",
        [index_row(item_id, item.title, item.text) for item_id, item in entries],
    )
    return ids


def update_items(db: sqlite3.Connection, ids: Mapping[str, int], updated: Sequence[Item]) -> None:
    """Store what updated entries now read (inside the poll's transaction): their title,
    text, link, author and language, and their search entry, so that ``news`` and
    ``search`` show the new version. The row keeps its key and canonical URL (dedupe keys:
    an update is the same entry), its published and first-seen times; an entry whose text
    retention already dropped takes the new title and link only, and stays out of the
    index as it was."""
    for item in updated:
        item_id = ids.get(item.key)
        if item_id is None:
            continue
        row = db.execute("SELECT title, text FROM items WHERE id = :id", {"id": item_id}).fetchone()
        if row is None:
            continue
        values = {"id": item_id, "title": item.title, "link": item.link}
        if row["text"] is None:
            db.execute(
                "UPDATE items SET title = :title, link = coalesce(:link, link) WHERE id = :id",
                values,
            )
            continue
        db.execute(
            "INSERT INTO items_fts (items_fts, rowid, title, text) "
            "VALUES ('delete', :id, :title, :text)",
            index_row(item_id, row["title"], row["text"]),
        )
        db.execute(
            "UPDATE items SET title = :title, text = :text, link = coalesce(:link, link), "
            "author = :author, language = coalesce(:language, language) WHERE id = :id",
            {**values, "text": item.text, "author": item.author, "language": item.language},
        )
        db.execute(
            "INSERT INTO items_fts (rowid, title, text) VALUES (:id, :title, :text)",
            index_row(item_id, item.title, item.text),
        )
