"""What both backends decide alike, apart from their SQL: which stored feed row a
configured feed is, the order due feeds are leased in, the ids of new deliveries and
databases, the outbox's key, and the limits both keep (fetch history, edit pace).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.models import AlertDraft, FeedState, Item
from bot.store.interface import FeedIdentity
from bot.urls import host_of

FETCH_LOG_KEPT = 50  # fetches remembered per feed, for `feeds status`
EDIT_INTERVAL = timedelta(minutes=1)  # at most one edit of a message a minute
SOURCES = "sources"


def new_database_id() -> str:
    return secrets.token_hex(8)


def new_host(feed: FeedIdentity, row: dict[str, Any]) -> str | None:
    """The host of ``feed``'s URL when its stored ``row`` is to take that URL as its
    configured one, else None (the row's host stays)."""
    return host_of(feed.url) if feed.url != row["config_url"] else None


def item_columns(item: Item) -> dict[str, str | None]:
    """An item's text columns as both backends store them (its times are each backend's
    own encoding, set beside these)."""
    return {
        "key": item.key,
        "title": item.title,
        "text": item.text,
        "link": item.link,
        "canonical_url": item.canonical_url,
        "author": item.author,
        "language": item.language,
    }


def match_feeds(feeds: Sequence[FeedIdentity], rows: list[dict[str, Any]]) -> dict[str, int]:
    """Configured feed name -> stored row id. Every URL is matched before any name, so that
    a name derived from the host (and so from the order of the file) never takes the row
    of another feed's URL. Where several rows qualify, the first stored one wins."""
    by_url: dict[str, list[int]] = {}
    for row in rows:  # in stored order, each row under both of its URLs
        for url in dict.fromkeys((row["config_url"], row["url"])):
            by_url.setdefault(url, []).append(row["id"])
    by_name = {row["name"]: row["id"] for row in rows}  # names are unique
    claimed: dict[str, int] = {}
    taken: set[int] = set()
    for feed in feeds:
        if feed.name in claimed:
            continue
        found = next((i for i in by_url.get(feed.url, ()) if i not in taken), None)
        if found is not None:
            claimed[feed.name] = found
            taken.add(found)
    for feed in feeds:
        found = by_name.get(feed.name)
        if feed.name not in claimed and found is not None and found not in taken:
            claimed[feed.name] = found
            taken.add(found)
    return claimed


def due_order(state: FeedState) -> tuple[bool, float, int]:
    """The longest due first (never polled before anything)."""
    due = state.next_poll_at
    return (due is not None, due.timestamp() if due else 0.0, state.id)


def new_outbox_id(now: datetime) -> str:
    """Time-ordered and unique: 11 hex digits of milliseconds + 8 random (19 characters)."""
    return f"{int(now.timestamp() * 1000):011x}{secrets.token_hex(4)}"


def by_story_and_channel(
    drafts: Sequence[AlertDraft],
) -> dict[tuple[str, str], list[AlertDraft]]:
    """The outbox's key: one delivery per story and channel, whatever the number of rules
    (the story the item was placed in, else its link's)."""
    groups: dict[tuple[str, str], list[AlertDraft]] = {}
    for draft in drafts:
        for channel in draft.channels:
            groups.setdefault((draft.story_id or draft.story, channel), []).append(draft)
    return groups
