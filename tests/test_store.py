"""The store on its own: schema creation, versions, feed identity."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.store import FeedIdentity
from bot.store.sqlite import SQLiteStore
from bot.store.sqlite.schema import LATEST
from tests.helpers import synced

NOW = datetime(2026, 11, 25, tzinfo=UTC)


async def test_creates_schema_in_wal_mode(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "deep" / "er" / "db.sqlite")
    await store.close()
    db = sqlite3.connect(tmp_path / "deep" / "er" / "db.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT version FROM schema_version").fetchone()[0] == LATEST
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"feeds", "items", "alerts", "deliveries", "meta"} <= tables


async def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    await (await SQLiteStore.open(path)).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = 999")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match="schema version 999, newer than this dealbot"):
        await SQLiteStore.open(path)


async def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(StorageError, match="cannot use database"):
        await SQLiteStore.open(path)


async def test_feed_identity_survives_rename_removal_and_return(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "db.sqlite")
    try:
        first = await synced(store, [FeedIdentity("a", "https://a/feed")], NOW)
        original = first["a"].id
        renamed = await synced(store, [FeedIdentity("b", "https://a/feed")], NOW)
        assert renamed["b"].id == original
        gone = await synced(store, [FeedIdentity("c", "https://c/feed")], NOW)
        assert list(gone) == ["c"]
        back = await synced(
            store, [FeedIdentity("c", "https://c/feed"), FeedIdentity("a", "https://a/feed")], NOW
        )
        assert back["a"].id == original
        swapped = await synced(
            store, [FeedIdentity("a", "https://c/feed"), FeedIdentity("c", "https://a/feed")], NOW
        )
        assert swapped["c"].id == original  # identity follows the URL, not the name
    finally:
        await store.close()


async def test_edited_url_resets_validators(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "db.sqlite")
    try:
        states = await synced(store, [FeedIdentity("a", "https://a/feed")], NOW)
        db = store._db  # set validators as a poll would
        await db.execute("UPDATE feeds SET etag = 'x', last_modified = 'y'")
        states = await synced(store, [FeedIdentity("a", "https://a/new-feed")], NOW)
        assert states["a"].url == "https://a/new-feed"
        assert states["a"].etag is None
        assert states["a"].last_modified is None
    finally:
        await store.close()


async def test_a_feed_without_a_host_gets_one_at_the_next_start(tmp_path: Path) -> None:
    """Rows from before hosts were kept (the migration leaves them empty) get theirs from
    sync_feeds, though nothing else of the configuration changed."""
    path = tmp_path / "db.sqlite"
    feeds = [FeedIdentity("a", "https://One.example/a"), FeedIdentity("b", "https://two.example/b")]
    store = await SQLiteStore.open(path)
    try:
        await store.sync_feeds(feeds, NOW)
        await store._db.execute("UPDATE feeds SET host = '' WHERE name = 'a'")
        await store._db.commit()
        await store.sync_feeds(feeds, NOW)
    finally:
        await store.close()
    with sqlite3.connect(path) as db:
        hosts = db.execute("SELECT name, host FROM feeds ORDER BY name").fetchall()
    assert hosts == [("a", "one.example"), ("b", "two.example")]


async def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    from bot.store.sqlite.schema import MIGRATIONS

    path = tmp_path / "db.sqlite"
    db = sqlite3.connect(path)  # as dealbot 0.1 left it: schema 1 and one feed
    db.executescript(MIGRATIONS[0])
    db.execute("CREATE TABLE schema_version (version INTEGER)")
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute(
        "INSERT INTO feeds (name, config_url, url, created_at) VALUES ('a', 'https://a/', "
        "'https://a/', 0)"
    )
    db.commit()
    db.close()
    store = await SQLiteStore.open(path)
    try:
        states = await store.feed_states()
        assert states["a"].body_hash is None
        assert await store.take_over_stale_deliveries() == []
    finally:
        await store.close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT version FROM schema_version").fetchone()[0] == LATEST == 9
    columns = {row[1] for row in db.execute("PRAGMA table_info(deliveries)")}
    assert "owner" in columns
    assert "deal" in {row[1] for row in db.execute("PRAGMA table_info(alerts)")}
    assert "deal" in {row[1] for row in db.execute("PRAGMA table_info(story_items)")}


# (key, title, text, days before NOW it was first seen; None: text already pruned)
OLD_ITEMS = [
    ("zh", "小米汽车发布新车", "北京消息", 1),
    ("ko", "삼성전자가 새로운 반도체를 발표했다", "서울", 1),
    ("fr", "Déjà une Citroën électrique", "prix en baisse", 1),
    ("t1", "Samsung chips", "memory prices", 2),
    ("t2", "Memory news", "Samsung said nothing", 3),
    ("gone", "Samsung gone", None, 40),
    ("aged", "Samsung 汽车 aged", "old memory", 20),
]
OLD_QUERIES = ["汽车", "삼성전자", "반도체를", "deja citroen", "samsung", "memory", "北京"]


def version_3_database(path: Path) -> None:
    """A database as dealbot left it at schema 3: the full-text index kept its own copy of
    every title and text, written with index_text."""
    from bot.searchtext import index_text
    from bot.store.sqlite.schema import MIGRATIONS

    db = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        db.executescript(script)
    db.execute("CREATE TABLE schema_version (version INTEGER)")
    db.execute("INSERT INTO schema_version VALUES (3)")
    db.execute("INSERT INTO feeds (name, config_url, url, created_at) VALUES ('a', 'u', 'u', 0)")
    for key, title, text, days in OLD_ITEMS:
        seen = NOW.timestamp() - days * 86400
        cursor = db.execute(
            "INSERT INTO items (feed_id, key, title, text, seen_at) VALUES (1, ?, ?, ?, ?)",
            (key, title, text, seen),
        )
        if text is not None:
            db.execute(
                "INSERT INTO items_fts (rowid, title, text) VALUES (?, ?, ?)",
                (cursor.lastrowid, index_text(title), index_text(text)),
            )
    db.commit()
    db.close()


def index_answers(path: Path) -> dict[str, list[int]]:
    """Each query's item ids straight from the index, best first."""
    from bot.searchtext import fts_query

    with sqlite3.connect(path) as db:
        return {
            query: [
                row[0]
                for row in db.execute(
                    "SELECT rowid FROM items_fts WHERE items_fts MATCH ? "
                    "ORDER BY bm25(items_fts, 2.0, 1.0), rowid",
                    (fts_query(query),),
                )
            ]
            for query in OLD_QUERIES
        }


async def test_a_version_3_database_gets_an_index_without_a_copy_and_the_same_answers(
    tmp_path: Path,
) -> None:
    from datetime import timedelta

    from bot.searchtext import fts_query

    path = tmp_path / "db.sqlite"
    version_3_database(path)
    before = index_answers(path)
    assert before["samsung"]  # the queries find something to compare
    assert before["汽车"]
    await (await SQLiteStore.open(path)).close()  # migrated
    assert index_answers(path) == before
    store = await SQLiteStore.open(path)
    try:

        async def titles(query: str) -> list[str]:
            since = NOW - timedelta(days=30)
            return [hit.title for hit in await store.search(fts_query(query) or "", since, NOW)]

        assert await titles("汽车") == ["小米汽车发布新车", "Samsung 汽车 aged"]
        assert await titles("반도체를") == ["삼성전자가 새로운 반도체를 발표했다"]
        assert await titles("deja citroen") == ["Déjà une Citroën électrique"]
        assert await titles("samsung") == ["Samsung chips", "Memory news", "Samsung 汽车 aged"]
        assert await store.prune(NOW - timedelta(days=10)) == 1  # "aged" loses its entry
        assert await titles("汽车") == ["小米汽车发布新车"]
        assert await titles("memory") == ["Memory news", "Samsung chips"]
    finally:
        await store.close()
    after_prune = index_answers(path)
    with sqlite3.connect(path) as db:
        [(aged,)] = db.execute("SELECT id FROM items WHERE key = 'aged'")
        assert after_prune == {
            query: [i for i in ids if i != aged] for query, ids in before.items()
        }
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == LATEST
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert "items_fts_content" not in tables  # the text is kept once, in items


async def test_a_version_3_database_gets_stories_and_keeps_every_dedupe_key(
    tmp_path: Path,
) -> None:
    """Today's schema (3) with an item, its alert and its sent delivery: after the
    migration to stories, the item is still seen, its story still alerted for its rule,
    its delivery still sent, and it is in no story (never an update)."""
    from bot.models import AlertDraft, Item
    from bot.route import assemble_alert
    from bot.store import PollSuccess
    from bot.store.sqlite.schema import MIGRATIONS

    path = tmp_path / "db.sqlite"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        db.executescript(script)
    db.execute("CREATE TABLE schema_version (version INTEGER)")
    db.execute("INSERT INTO schema_version VALUES (3)")
    db.executescript(
        """
        INSERT INTO feeds (id, name, config_url, url, created_at, first_success_at)
            VALUES (1, 'a', 'https://a/', 'https://a/', 0, 0);
        INSERT INTO items (id, feed_id, key, title, text, link, canonical_url, seen_at)
            VALUES (7, 1, 'id:old', 'Samsung buys Harman', 'text', 'https://n/x',
                    'https://n/x', 0);
        INSERT INTO alerts (rule, story, item_id, topics, terms, summary, created_at)
            VALUES ('ev', 'https://n/x', 7, '[]', '[]', 's', 0);
        INSERT INTO deliveries (id, story, channel, message, status, next_attempt_at,
            message_id, created_at, updated_at, sent_at)
            VALUES ('d1', 'https://n/x', 'console', '{}', 'sent', 0, 'm1', 0, 0, 0);
        """
    )
    db.commit()
    db.close()
    store = await SQLiteStore.open(path)
    try:
        state = (await store.feed_states())["a"]
        assert await store.unseen_keys(state.id, ["id:old", "id:new"]) == {"id:new"}
        assert await store.item_digests(state.id, ["id:old"]) == {}  # never an "update"
        again = Item("id:again", "Samsung buys Harman", "", "https://n/x", "https://n/x",
                     NOW, "en")  # fmt: skip
        drafts = [AlertDraft("ev", again.key, "https://n/x", (), (), "s", ("console",))]
        poll = PollSuccess(None, None, None, None, NOW)
        assert (
            await store.record_success(state, poll, [again], drafts, NOW, assemble=assemble_alert)
            == []
        )  # the rule alerted this story before the migration: never again
        assert await store.delivery_counts() == {"console": {"sent": 1}}
        assert await store.stories(datetime(2000, 1, 1, tzinfo=UTC)) == []
    finally:
        await store.close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT version FROM schema_version").fetchone()[0] == LATEST
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"stories", "story_items", "item_digests", "edits"} <= tables
    assert db.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1


def test_an_sqlite_without_returning_is_refused_in_one_line() -> None:
    from bot.store.sqlite.base import require_sqlite

    require_sqlite((3, 35, 0))
    with pytest.raises(StorageError, match=r"^SQLite 3\.34\.1 is too old: dealbot needs 3\.35"):
        require_sqlite((3, 34, 1))
