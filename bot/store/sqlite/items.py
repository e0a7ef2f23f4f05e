"""Items and search in SQLite: every item ever seen (its dedupe key kept as long as its feed
exists), its text while it is recent, and the full-text index over it (``items``,
``items_fts``, written as ``bot.searchtext.index_text`` says: CJK runs as bigrams)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

import aiosqlite

from bot.models import Item, SearchHit
from bot.searchtext import index_text
from bot.store.sqlite.base import SQLiteBase, dt, ts

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
        rows = await self._query(
            "SELECT i.id, i.title, i.text, i.link, i.published, i.seen_at, f.name AS feed "
            "FROM items_fts JOIN items i ON i.id = items_fts.rowid "
            "JOIN feeds f ON f.id = i.feed_id "
            "WHERE items_fts MATCH :match AND coalesce(i.published, i.seen_at) >= :since "
            "ORDER BY bm25(items_fts, 2.0, 1.0) "
            "/ (1.0 + max(0, :now - coalesce(i.published, i.seen_at)) / 604800.0) "
            "LIMIT :limit",
            {"match": match, "since": ts(since), "now": ts(now), "limit": limit},
        )
        return [
            SearchHit(
                title=row["title"] or "",
                text=row["text"] or "",
                url=row["link"],
                feed=row["feed"],
                published=dt(row["published"] or row["seen_at"]) or now,
            )
            for row in rows
        ]

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
        async with self._transaction() as db:
            old = {"before": ts(before)}
            await db.execute(
                "DELETE FROM items_fts WHERE rowid IN "
                "(SELECT id FROM items WHERE seen_at < :before AND text IS NOT NULL)",
                old,
            )
            cursor = await db.execute(
                "UPDATE items SET text = NULL, author = NULL "
                "WHERE seen_at < :before AND text IS NOT NULL",
                old,
            )
            return cursor.rowcount


async def insert_items(
    db: aiosqlite.Connection, feed_id: int, items: Sequence[Item], now: datetime
) -> dict[str, int]:
    """Save a poll's new items and index them (inside the poll's transaction); return the
    row id of each key."""
    await db.executemany(
        "INSERT OR IGNORE INTO items (feed_id, key, title, text, link, canonical_url, "
        "author, language, published, seen_at) VALUES (:feed_id, :key, :title, :text, "
        ":link, :canonical_url, :author, :language, :published, :seen_at)",
        [
            {
                "feed_id": feed_id,
                "key": item.key,
                "title": item.title,
                "text": item.text,
                "link": item.link,
                "canonical_url": item.canonical_url,
                "author": item.author,
                "language": item.language,
                "published": ts(item.published),
                "seen_at": ts(now),
            }
            for item in items
        ],
    )
    if not items:
        return {}
    async with db.execute(
        f"SELECT id, key FROM items WHERE {KEYS_OF_FEED}",
        {"feed_id": feed_id, "keys": json.dumps([item.key for item in items])},
    ) as cursor:
        ids: dict[str, int] = {row["key"]: row["id"] for row in await cursor.fetchall()}
    await db.executemany(
        "INSERT OR REPLACE INTO items_fts (rowid, title, text) VALUES (:id, :title, :text)",
        [
            {"id": ids[item.key], "title": index_text(item.title), "text": index_text(item.text)}
            for item in items
            if item.key in ids
        ],
    )
    return ids
