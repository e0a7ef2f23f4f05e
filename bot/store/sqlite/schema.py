"""The SQLite schema and its migrations; the program creates and upgrades it itself.

``MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``. A migration is appended,
never edited once released. Times are stored as Unix seconds (REAL, UTC). ``migrate``
brings a database to ``LATEST`` once, however many processes start together.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import aiosqlite

from bot.errors import StorageError
from bot.searchtext import index_text

MIGRATIONS: list[str] = [
    # 0 -> 1: feeds, seen items, alerts, the delivery outbox, and a small key/value table
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        config_url TEXT NOT NULL,
        url TEXT NOT NULL,
        title TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        etag TEXT,
        last_modified TEXT,
        created_at REAL NOT NULL,
        first_success_at REAL,
        last_poll_at REAL,
        last_success_at REAL,
        last_error TEXT,
        error_since REAL,
        failures INTEGER NOT NULL DEFAULT 0,
        next_poll_at REAL,
        unhealthy_reported_at REAL
    );

    -- One row per item ever seen: the dedupe key stays as long as its feed exists.
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        title TEXT,
        text TEXT,
        link TEXT,
        canonical_url TEXT,
        author TEXT,
        language TEXT,
        published REAL,
        seen_at REAL NOT NULL,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX items_by_seen ON items(seen_at);

    -- One row per rule and story: the same story from two feeds alerts once per rule.
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        story TEXT NOT NULL,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        topics TEXT NOT NULL,
        terms TEXT NOT NULL,
        summary TEXT NOT NULL,
        created_at REAL NOT NULL,
        UNIQUE (rule, story)
    );
    CREATE INDEX alerts_by_time ON alerts(created_at);

    -- The outbox: one row per story and channel, whatever the number of rules.
    CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        story TEXT NOT NULL,
        channel TEXT NOT NULL,
        message TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL,
        last_error TEXT,
        message_id TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        sent_at REAL,
        UNIQUE (story, channel)
    );
    CREATE INDEX deliveries_by_status ON deliveries(status, next_attempt_at);

    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
]

MIGRATIONS.append(
    # 1 -> 2: delivery owners, body hashes, fetch history, full-text search, muted rules
    """
    -- the process that claimed a delivery for sending (see Store.claim_delivery)
    ALTER TABLE deliveries ADD COLUMN owner TEXT;
    -- a hash of the last body parsed: an unchanged 200 costs no parse
    ALTER TABLE feeds ADD COLUMN body_hash TEXT;

    CREATE TABLE fetch_log (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        at REAL NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT,
        new_items INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX fetch_log_by_feed ON fetch_log(feed_id, at);

    -- Title and text as bot.searchtext.index_text writes them (CJK runs as bigrams).
    -- The rowid is the item's id.
    CREATE VIRTUAL TABLE items_fts USING fts5(
        title, text, tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO items_fts (rowid, title, text) SELECT id, title, text FROM items;

    CREATE TABLE mutes (
        rule TEXT PRIMARY KEY,
        until REAL NOT NULL
    );
    ALTER TABLE alerts ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
    """
)

MIGRATIONS.append(
    # 2 -> 3: flood control counts the messages a channel got in the last minute, and
    # remembers which alerts it folded into one digest and which may have arrived
    """
    CREATE INDEX deliveries_sent_by_channel ON deliveries(channel, sent_at);
    ALTER TABLE deliveries ADD COLUMN digest TEXT;
    -- the last attempt ended without an answer: the message may be there already
    ALTER TABLE deliveries ADD COLUMN maybe_sent INTEGER NOT NULL DEFAULT 0;
    """
)

MIGRATIONS.append(
    # 3 -> 4: the full-text index keeps no copy of the text (it was a third of the database):
    # a contentless FTS5 table, rebuilt from the items that still have their text with the
    # function ``index_text`` (bot.searchtext, registered by ``migrate``). Search reads the
    # text from ``items``; an entry is deleted by giving the values it was indexed with,
    # which ``index_text`` makes again from the item's row (see items.prune_items), so its
    # output may only change with a migration that rebuilds the index in the same way.
    """
    DROP TABLE items_fts;
    CREATE VIRTUAL TABLE items_fts USING fts5(
        title, text, content = '', tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO items_fts (rowid, title, text)
        SELECT id, index_text(title), index_text(text) FROM items WHERE text IS NOT NULL;
    """
)

MIGRATIONS.append(
    # 4 -> 5: stories (bot.stories): the same news from many feeds and languages is one
    # story; its message is edited as reports join (through an outbox of edits). New tables
    # only: every dedupe key (items, alerts, deliveries) stays as it was, so nothing old
    # ever alerts again; items and deliveries of before belong to no story.
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        first_at REAL NOT NULL,
        last_at REAL NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE INDEX stories_by_last ON stories(last_at);

    -- An item's story: one row per item placed (matched items only). The fingerprint
    -- (JSON) is what the candidate index is rebuilt from at start.
    CREATE TABLE story_items (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL UNIQUE REFERENCES items(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        feed TEXT NOT NULL,
        title TEXT NOT NULL,
        url TEXT,
        language TEXT,
        published REAL NOT NULL,
        reason TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        joined_at REAL NOT NULL,
        updated_at REAL
    );
    CREATE INDEX story_items_by_story ON story_items(story_id, id);
    CREATE INDEX story_items_by_time ON story_items(published);

    -- A digest of each item's title and text as last seen: an entry whose content
    -- changes under the same key is an update (items of before have none: never updated).
    CREATE TABLE item_digests (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        digest TEXT NOT NULL
    );

    -- The edits outbox: at most one row per sent message (delivery), holding the whole
    -- message as it must now read; a join while an edit waits replaces the message and
    -- bumps the version (folded into one edit), and an edit goes out at most once a minute.
    CREATE TABLE edits (
        delivery_id TEXT PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        message TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        done_version INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL,
        last_error TEXT,
        owner TEXT,
        edited_at REAL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX edits_by_status ON edits(status, next_attempt_at);
    """
)

MIGRATIONS.append(
    # 5 -> 6: the deal each alert's item reports (bot.deals JSON record, NULL for none)
    """
    ALTER TABLE alerts ADD COLUMN deal TEXT;
    """,
)

MIGRATIONS.append(
    # 6 -> 7: nothing (a number held for parallel work that needed none; kept so that 8
    # and 9 mean the same in every database)
    "",
)

MIGRATIONS.append(
    # 7 -> 8: the deal each story report reads (bot.deals JSON, NULL for none): a story's
    # deal is the best-supported reading of its reports (bot.deals.stages.story_deal)
    """
    ALTER TABLE story_items ADD COLUMN deal TEXT;
    """,
)

MIGRATIONS.append(
    # 8 -> 9: feed leases (a feed claimed by one worker until lease_until, released with
    # its poll's result) and each feed's host, which per-host limits count by
    """
    ALTER TABLE feeds ADD COLUMN host TEXT NOT NULL DEFAULT '';
    ALTER TABLE feeds ADD COLUMN lease_owner TEXT;
    ALTER TABLE feeds ADD COLUMN lease_until REAL;
    CREATE INDEX feeds_by_lease ON feeds(lease_until);
    """,
)

LATEST = len(MIGRATIONS)


async def migrate(db: aiosqlite.Connection, path: Path) -> None:
    """Bring the schema to LATEST in one exclusive transaction: the version is read under
    the lock, so processes starting together migrate once, one after another. Raises
    StorageError when the database is newer than this dealbot."""
    await db.create_function("index_text", 1, _index_text, deterministic=True)
    await db.execute("BEGIN IMMEDIATE")
    try:
        await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
        async with db.execute("SELECT version FROM schema_version") as cursor:
            row = await cursor.fetchone()
        version = row[0] if row else 0
        if version > LATEST:
            raise StorageError(
                f"database {path} has schema version {version}, newer than this "
                f"dealbot ({LATEST}); upgrade dealbot"
            )
        for step in range(version, LATEST):
            # statement by statement, inside this transaction (executescript would commit)
            for statement in statements(MIGRATIONS[step]):
                await db.execute(statement)
        if version < LATEST:
            await db.execute("DELETE FROM schema_version")
            await db.execute("INSERT INTO schema_version VALUES (:version)", {"version": LATEST})
        await db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # "no transaction is active" is fine
            await db.execute("ROLLBACK")
        raise


def _index_text(value: str | None) -> str:
    return index_text(value or "")


def statements(script: str) -> list[str]:
    """A script's statements, comment lines dropped."""
    found, current = [], ""
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        current += line + "\n"
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return found
