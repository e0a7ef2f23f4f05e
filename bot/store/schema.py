"""The database schema and its migrations; the program creates and upgrades it itself.

``MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``. A migration is appended,
never edited once released. Times are stored as Unix seconds (REAL, UTC).
"""

from __future__ import annotations

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

LATEST = len(MIGRATIONS)
