"""The tables both backends hold, as ``dealbot db copy`` moves them: each table's columns
in a backend-neutral form (times as aware UTC datetimes, flags as booleans), in an order
that satisfies the foreign keys. What a backend adds of its own (SQLite's ``items_fts``,
PostgreSQL's ``items.search``, ``schema_version``) is not copied: the target builds it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

PAGE = 5_000  # rows read, held and written at a time: memory stays flat at any size


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    times: frozenset[str] = frozenset()  # REAL seconds in SQLite, timestamptz in PostgreSQL
    flags: frozenset[str] = frozenset()  # INTEGER 0/1 in SQLite, boolean in PostgreSQL
    identity: bool = False  # an integer ``id`` the database hands out

    def __post_init__(self) -> None:
        assert self.times | self.flags <= set(self.columns)


TABLES: tuple[Table, ...] = (
    Table(
        "feeds",
        ("id", "name", "config_url", "url", "title", "active", "etag", "last_modified",
         "created_at", "first_success_at", "last_poll_at", "last_success_at", "last_error",
         "error_since", "failures", "next_poll_at", "unhealthy_reported_at", "body_hash"),
        times=frozenset({"created_at", "first_success_at", "last_poll_at", "last_success_at",
                         "error_since", "next_poll_at", "unhealthy_reported_at"}),
        flags=frozenset({"active"}),
        identity=True,
    ),
    Table(
        "items",
        ("id", "feed_id", "key", "title", "text", "link", "canonical_url", "author",
         "language", "published", "seen_at"),
        times=frozenset({"published", "seen_at"}),
        identity=True,
    ),
    Table(
        "alerts",
        ("id", "rule", "story", "item_id", "topics", "terms", "summary", "created_at",
         "muted", "deal"),
        times=frozenset({"created_at"}),
        flags=frozenset({"muted"}),
        identity=True,
    ),
    Table(
        "deliveries",
        ("id", "story", "channel", "message", "status", "attempts", "next_attempt_at",
         "last_error", "message_id", "created_at", "updated_at", "sent_at", "owner",
         "digest", "maybe_sent"),
        times=frozenset({"next_attempt_at", "created_at", "updated_at", "sent_at"}),
        flags=frozenset({"maybe_sent"}),
    ),
    Table("meta", ("key", "value")),
    Table(
        "fetch_log",
        ("id", "feed_id", "at", "outcome", "detail", "new_items"),
        times=frozenset({"at"}),
        identity=True,
    ),
    Table("mutes", ("rule", "until"), times=frozenset({"until"})),
    Table(
        "stories",
        ("id", "first_at", "last_at", "created_at"),
        times=frozenset({"first_at", "last_at", "created_at"}),
    ),
    Table(
        "story_items",
        ("id", "item_id", "story_id", "feed", "title", "url", "language", "published",
         "reason", "fingerprint", "joined_at", "updated_at", "deal"),
        times=frozenset({"published", "joined_at", "updated_at"}),
        identity=True,
    ),
    Table("item_digests", ("item_id", "digest")),
    Table(
        "edits",
        ("delivery_id", "channel", "message", "version", "done_version", "status",
         "attempts", "next_attempt_at", "last_error", "owner", "edited_at", "updated_at"),
        times=frozenset({"next_attempt_at", "edited_at", "updated_at"}),
    ),
)  # fmt: skip

# meta keys that belong to one database, never copied (the target keeps its own)
OWN_META = frozenset({"database_id"})

Rows = list[tuple[object, ...]]

Batches = AsyncIterator[tuple[Table, Rows]]  # a table's rows, a page at a time, in order
