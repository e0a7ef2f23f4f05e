"""Stories in SQLite: which story each matched item is in (``stories``, ``story_items``),
each item's content digest (``item_digests``: an entry changed under its key is an
update), and the outbox of edits (``edits``): a story's sent message edited as reports join
or change, at most once a minute, the whole message each time (idempotent).

A story's message to a channel is the delivery whose ``story`` is the story's id. A report
that joins while that delivery is pending is folded into it (one alert lists them all); once
it is sending or sent, the report queues an edit, which waits until the message is sent.
Each report keeps the deal its item reads (``story_items.deal``); the message shows the
story's deal, read from them all, so a report that moves the deal on (talks, then agreed)
edits it too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from bot.deals.model import Deal
from bot.deals.stages import story_deal
from bot.models import (
    AlertDraft,
    AlertMessage,
    EditEntry,
    Item,
    StoryEntry,
    StoryReport,
    StorySource,
    StorySummary,
)
from bot.store.common import EDIT_INTERVAL, SOURCES, by_story_and_channel, new_outbox_id
from bot.store.interface import AssembleAlert
from bot.store.owners import OwnerRegistry
from bot.store.rows import edit_entry, story_entries, story_summaries, with_deal
from bot.store.sqlite.base import SQLiteBase, dt, ts
from bot.store.sqlite.items import KEYS_OF_FEED
from bot.store.sqlite.outbox import insert_delivery
from bot.store.sqlite.storydeals import dump_deal, story_readings


class StoriesMixin(SQLiteBase):
    owners: OwnerRegistry

    async def story_fingerprints(self, since: datetime) -> list[tuple[str, str]]:
        rows = await self._query(
            "SELECT si.story_id, si.fingerprint FROM story_items si "
            "JOIN stories s ON s.id = si.story_id WHERE s.last_at >= :since "
            "ORDER BY si.published, si.id",
            {"since": ts(since)},
        )
        return [(row["story_id"], row["fingerprint"]) for row in rows]

    async def item_digests(self, feed_id: int, keys: Sequence[str]) -> dict[str, str]:
        if not keys:
            return {}
        rows = await self._query(
            "SELECT i.key, d.digest FROM items i JOIN item_digests d ON d.item_id = i.id "
            "WHERE i.feed_id = :feed_id AND i.key IN (SELECT value FROM json_each(:keys))",
            {"feed_id": feed_id, "keys": json.dumps(list(keys))},
        )
        return {row["key"]: row["digest"] for row in rows}

    async def stories(
        self, since: datetime, *, limit: int = 10, words: Sequence[str] = ()
    ) -> list[StorySummary]:
        rows = await self._query(
            "SELECT s.id, s.first_at, s.last_at, count(si.id) AS n, "
            "group_concat(DISTINCT coalesce(si.language, '?')) AS languages, "
            "group_concat(si.title, char(10)) AS titles, "
            "(SELECT json_array(f.feed, f.title, f.url) FROM story_items f "
            " WHERE f.story_id = s.id ORDER BY f.id LIMIT 1) AS first "
            "FROM stories s JOIN story_items si ON si.story_id = s.id "
            "WHERE s.last_at >= :since GROUP BY s.id ORDER BY s.last_at DESC, s.id",
            {"since": ts(since)},
        )
        return story_summaries(rows, dt, limit=limit, words=words)

    async def story(self, story_id: str) -> list[StoryEntry]:
        rows = await self._query(
            "SELECT feed, title, url, language, published, joined_at, reason FROM story_items "
            "WHERE story_id = :story ORDER BY id",
            {"story": story_id},
        )
        return story_entries(rows, dt)

    async def due_edits(self, now: datetime) -> list[str]:
        rows = await self._query(
            "SELECT e.delivery_id FROM edits e JOIN deliveries d ON d.id = e.delivery_id "
            "WHERE e.status = 'pending' AND e.next_attempt_at <= :now AND d.status = 'sent' "
            "ORDER BY e.next_attempt_at, e.delivery_id",
            {"now": ts(now)},
        )
        return [row["delivery_id"] for row in rows]

    async def claim_edit(self, delivery_id: str, now: datetime) -> EditEntry | None:
        rows = await self._returning(
            "UPDATE edits SET status = 'sending', owner = :me, attempts = attempts + 1, "
            "updated_at = :now WHERE delivery_id = :id AND status = 'pending' "
            "AND EXISTS (SELECT 1 FROM deliveries d WHERE d.id = :id AND d.status = 'sent') "
            "RETURNING message, version, attempts, "
            "(SELECT message_id FROM deliveries d WHERE d.id = :id) AS message_id, "
            "(SELECT digest FROM deliveries d WHERE d.id = :id) AS digest",
            {"me": self.owners.me, "now": ts(now), "id": delivery_id},
        )
        if not rows:
            return None
        return edit_entry(delivery_id, rows[0])

    async def mark_edit_done(self, delivery_id: str, version: int, now: datetime) -> bool:
        # a report that joined while this edit was in flight bumped the version: the edit
        # that shows it goes out a minute later
        return await self._settle_edit(
            delivery_id,
            "done_version = :version, edited_at = :now, last_error = NULL, attempts = 0, "
            "status = CASE WHEN version > :version THEN 'pending' ELSE 'done' END, "
            "next_attempt_at = :next",
            {"version": version, "now": ts(now), "next": ts(now + EDIT_INTERVAL)},
        )

    async def mark_edit_retry(
        self, delivery_id: str, reason: str, next_attempt_at: datetime, now: datetime
    ) -> bool:
        return await self._settle_edit(
            delivery_id,
            "status = 'pending', last_error = :reason, next_attempt_at = :next",
            {"reason": reason, "next": ts(next_attempt_at), "now": ts(now)},
        )

    async def mark_edit_failed(self, delivery_id: str, reason: str, now: datetime) -> bool:
        return await self._settle_edit(
            delivery_id,
            "status = 'failed', last_error = :reason",
            {"reason": reason, "now": ts(now)},
        )

    async def _settle_edit(
        self, delivery_id: str, assignments: str, params: Mapping[str, object]
    ) -> bool:
        changed = await self._write(
            f"UPDATE edits SET {assignments}, owner = NULL, updated_at = :now "
            "WHERE delivery_id = :id AND status = 'sending' AND owner = :me",
            {**params, "id": delivery_id, "me": self.owners.me},
        )
        return changed == 1

    async def release_stale_edits(self) -> int:
        rows = await self._query("SELECT DISTINCT owner FROM edits WHERE status = 'sending'")
        released = 0
        for owner in await self.owners.dead([row["owner"] for row in rows]):
            # an edit sets the whole message: doing it again is harmless
            released += await self._write(
                "UPDATE edits SET status = 'pending', owner = NULL "
                "WHERE status = 'sending' AND owner IS :owner",
                {"owner": owner},
            )
        return released


def _when(value: float) -> datetime:
    moment = dt(value)
    assert moment is not None
    return moment


def item_ids(db: sqlite3.Connection, feed_id: int, keys: Sequence[str]) -> dict[str, int]:
    """The row id of each stored key of a feed."""
    if not keys:
        return {}
    rows = db.execute(
        f"SELECT id, key FROM items WHERE {KEYS_OF_FEED}",
        {"feed_id": feed_id, "keys": json.dumps(list(keys))},
    ).fetchall()
    return {row["key"]: row["id"] for row in rows}


def record_digests(
    db: sqlite3.Connection, ids: Mapping[str, int], digests: Mapping[str, str]
) -> None:
    db.executemany(
        "INSERT INTO item_digests (item_id, digest) VALUES (:id, :digest) "
        "ON CONFLICT(item_id) DO UPDATE SET digest = excluded.digest",
        [{"id": ids[key], "digest": digest} for key, digest in digests.items() if key in ids],
    )


def record_reports(
    db: sqlite3.Connection, ids: Mapping[str, int], reports: Sequence[StoryReport], now: datetime
) -> None:
    """Each report in its story (the story created when new), with the deal its item reads;
    an updated entry's row takes its new title, fingerprint and deal."""
    for report in reports:
        if report.item_key not in ids:
            continue
        when = ts(report.published)
        db.execute(
            "INSERT INTO stories (id, first_at, last_at, created_at) "
            "VALUES (:id, :when, :when, :now) ON CONFLICT(id) DO UPDATE SET "
            "first_at = min(first_at, excluded.first_at), "
            "last_at = max(last_at, excluded.last_at)",
            {"id": report.story_id, "when": when, "now": ts(now)},
        )
        db.execute(
            "INSERT INTO story_items (item_id, story_id, feed, title, url, language, "
            "published, reason, fingerprint, joined_at, deal) VALUES (:item_id, :story, "
            ":feed, :title, :url, :language, :published, :reason, :fingerprint, :now, :deal) "
            "ON CONFLICT(item_id) DO UPDATE SET title = excluded.title, url = excluded.url, "
            "language = excluded.language, fingerprint = excluded.fingerprint, "
            "deal = coalesce(excluded.deal, deal), updated_at = :now",
            {
                "item_id": ids[report.item_key],
                "story": report.story_id,
                "feed": report.feed,
                "title": report.title,
                "url": report.url,
                "language": report.language,
                "published": when,
                "reason": report.reason,
                "fingerprint": report.fingerprint,
                "now": ts(now),
                "deal": dump_deal(report.deal),
            },
        )


def story_sources(db: sqlite3.Connection, story_id: str) -> tuple[StorySource, ...]:
    """Every report of a story, the first one first."""
    rows = db.execute(
        "SELECT feed, title, url, language, published FROM story_items "
        "WHERE story_id = :story ORDER BY id",
        {"story": story_id},
    ).fetchall()
    return tuple(
        StorySource(row["feed"], row["title"], row["url"], row["language"], _when(row["published"]))
        for row in rows
    )


def enqueue_stories(
    db: sqlite3.Connection,
    feed: str,
    items: Mapping[str, Item],
    fresh: Sequence[AlertDraft],
    now: datetime,
    assemble: AssembleAlert,
    done: set[str] | None = None,
) -> list[AlertMessage]:
    """One message per story and channel of the ``fresh`` alerts placed in a story: a new
    pending delivery listing every report; the new report folded into the delivery still
    pending; or, once it is sending or sent, an edit of it queued. Return the new messages;
    the deliveries made or revised are added to ``done``."""
    done = set() if done is None else done
    messages: list[AlertMessage] = []
    for (story_id, channel), group in by_story_and_channel(fresh).items():
        sources = story_sources(db, story_id)
        item = items[group[0].item_key]
        existing = db.execute(
            "SELECT id, status, message FROM deliveries WHERE story = :story "
            "AND channel = :channel",
            {"story": story_id, "channel": channel},
        ).fetchone()
        hints = [(draft.deal, draft.stage_was) for draft in group]
        if existing is None:
            message = assemble(feed, item, group, channel, message_id=new_outbox_id(now), now=now)
            message = replace(message, story=story_id, sources=sources)
            message, _ = with_story_deal(db, story_id, message, hints, edit=False)
            insert_delivery(db, story_id, message, now)
            messages.append(message)
            done.add(message.id)
            continue
        if existing["status"] == "failed":
            continue
        current = _current_message(db, existing)
        merged = assemble(
            feed, item, group, channel, message_id=current.id, now=now, pending=current
        )
        merged, moved = with_story_deal(db, story_id, replace(merged, sources=sources), hints)
        _revise(db, existing["id"], existing["status"], channel, merged, (SOURCES, *moved), now)
        done.add(existing["id"])
    return messages


def queue_updates(
    db: sqlite3.Connection,
    reports: Sequence[StoryReport],
    now: datetime,
    *,
    done: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Every report that joined a story, and every material update of an entry, refreshes
    the story's messages (but those in ``done``, revised already in this poll): a pending
    one is rewritten, a sent one edited (its sources; "Updated", with the new title when
    the message shows this entry). A join whose own alert was a duplicate (the same link
    through another feed) lands here too."""
    for report in reports:
        if report.new or report.changed == ():
            continue  # a new story's message lists it already; a cosmetic update is silent
        changes = report.changed or (SOURCES,)
        sources = story_sources(db, report.story_id)
        deliveries = db.execute(
            "SELECT id, status, message, channel FROM deliveries WHERE story = :story "
            "AND status != 'failed'",
            {"story": report.story_id},
        ).fetchall()
        for existing in deliveries:
            if existing["id"] in done and report.changed is None:
                continue
            current = _current_message(db, existing)
            revised = replace(current, sources=sources)
            if report.changed and (current.feed, current.url) == (report.feed, report.url):
                revised = replace(revised, title=report.title)
            hints = [(report.deal, report.stage_was)]
            revised, moved = with_story_deal(db, report.story_id, revised, hints)
            _revise(db, existing["id"], existing["status"], existing["channel"],
                          revised, (*changes, *moved), now)  # fmt: skip


def with_story_deal(
    db: sqlite3.Connection,
    story_id: str,
    message: AlertMessage,
    hints: Sequence[tuple[Deal | None, str | None]],
    *,
    edit: bool = True,
) -> tuple[AlertMessage, tuple[str, ...]]:
    """``message`` showing its story's deal, read from all its reports, and what that
    changed in it (``bot.store.rows.with_deal``)."""
    deal = story_deal(story_readings(db, [story_id]).get(story_id, []))
    return with_deal(message, deal, hints, edit=edit)


def _current_message(db: sqlite3.Connection, delivery: sqlite3.Row) -> AlertMessage:
    """The message as it must read now: the edit waiting for it, else the delivery's."""
    rows = db.execute(
        "SELECT coalesce((SELECT message FROM edits WHERE delivery_id = d.id), d.message) "
        "AS message FROM deliveries d WHERE d.id = :id",
        {"id": delivery["id"]},
    ).fetchall()
    return AlertMessage.from_json(json.loads(rows[0]["message"]))


def _revise(
    db: sqlite3.Connection,
    delivery_id: str,
    status: str,
    channel: str,
    message: AlertMessage,
    changes: tuple[str, ...],
    now: datetime,
) -> None:
    """A pending delivery takes the message as it is (not sent: nothing to mark); a sending
    or sent one gets an edit, folded into the one waiting if there is one."""
    if status == "pending":
        db.execute(
            "UPDATE deliveries SET message = :message, updated_at = :now "
            "WHERE id = :id AND status = 'pending'",
            {"message": _dump(replace(message, changed=())), "now": ts(now), "id": delivery_id},
        )
        return
    edit = db.execute(
        "SELECT status, message, edited_at FROM edits WHERE delivery_id = :id", {"id": delivery_id}
    ).fetchone()
    before: tuple[str, ...] = ()
    if edit is not None and edit["status"] in ("pending", "sending"):
        before = AlertMessage.from_json(json.loads(edit["message"])).changed
    message = replace(message, changed=tuple(dict.fromkeys((*before, *changes))))
    soonest = now
    if edit is not None and edit["edited_at"] is not None:
        soonest = max(now, (dt(edit["edited_at"]) or now) + EDIT_INTERVAL)
    db.execute(
        "INSERT INTO edits (delivery_id, channel, message, status, next_attempt_at, "
        "updated_at) VALUES (:id, :channel, :message, 'pending', :next, :now) "
        "ON CONFLICT(delivery_id) DO UPDATE SET message = excluded.message, "
        "version = version + 1, "
        "status = CASE WHEN status = 'sending' THEN 'sending' ELSE 'pending' END, "
        "attempts = CASE WHEN status IN ('done', 'failed') THEN 0 ELSE attempts END, "
        "next_attempt_at = CASE WHEN status IN ('done', 'failed') THEN :next "
        "ELSE next_attempt_at END, updated_at = :now",
        {
            "id": delivery_id,
            "channel": channel,
            "message": _dump(message),
            "next": ts(soonest),
            "now": ts(now),
        },
    )


def _dump(message: AlertMessage) -> str:
    return json.dumps(message.to_json(), ensure_ascii=False)
