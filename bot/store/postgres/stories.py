"""Stories in PostgreSQL: which story each matched item is in (``stories``,
``story_items``), each item's content digest (``item_digests``), and the outbox of edits
(``edits``): a story's sent message edited as reports join or change, at most once a
minute, the whole message each time; each report keeps the deal its item reads, and the
message shows the story's deal read from them all. The rules are the SQLite backend's
(``bot.store.sqlite.stories``); the poll's transaction holds its stories' advisory locks,
so two workers placing reports in one story fold them one after the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

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
from bot.store.postgres.base import TEXTS, Conn, Row, dt, fetch_all, fetch_one, json_list
from bot.store.postgres.outbox import dump, insert_delivery
from bot.store.postgres.owners import OwnersMixin
from bot.store.postgres.storydeals import deal_of_story
from bot.store.rows import dump_deal, edit_entry, story_entries, story_summaries, with_deal


class StoriesMixin(OwnersMixin):
    async def story_fingerprints(self, since: datetime) -> list[tuple[str, str]]:
        rows = await self._query(
            "SELECT si.story_id, si.fingerprint FROM story_items si "
            "JOIN stories s ON s.id = si.story_id WHERE s.last_at >= %(since)s "
            "ORDER BY si.published, si.id",
            {"since": since},
        )
        return [(row["story_id"], row["fingerprint"]) for row in rows]

    async def item_digests(self, feed_id: int, keys: Sequence[str]) -> dict[str, str]:
        if not keys:
            return {}
        rows = await self._query(
            "SELECT i.key, d.digest FROM items i JOIN item_digests d ON d.item_id = i.id "
            f"WHERE i.feed_id = %(feed_id)s AND i.key = ANY({TEXTS})",
            {"feed_id": feed_id, "keys": json_list(keys)},
        )
        return {row["key"]: row["digest"] for row in rows}

    async def stories(
        self, since: datetime, *, limit: int = 10, words: Sequence[str] = ()
    ) -> list[StorySummary]:
        rows = await self._query(
            "SELECT s.id, s.first_at, s.last_at, count(si.id) AS n, "
            "string_agg(DISTINCT coalesce(si.language, '?'), ',') AS languages, "
            "string_agg(si.title, E'\\n') AS titles, "
            "(SELECT json_build_array(f.feed, f.title, f.url)::text FROM story_items f "
            " WHERE f.story_id = s.id ORDER BY f.id LIMIT 1) AS first "
            "FROM stories s JOIN story_items si ON si.story_id = s.id "
            "WHERE s.last_at >= %(since)s GROUP BY s.id "
            'ORDER BY s.last_at DESC, s.id COLLATE "C"',
            {"since": since},
        )
        return story_summaries(rows, dt, limit=limit, words=words)

    async def story(self, story_id: str) -> list[StoryEntry]:
        rows = await self._query(
            "SELECT feed, title, url, language, published, joined_at, reason FROM story_items "
            "WHERE story_id = %(story)s ORDER BY id",
            {"story": story_id},
        )
        return story_entries(rows, dt)

    async def due_edits(self, now: datetime) -> list[str]:
        rows = await self._query(
            "SELECT e.delivery_id FROM edits e JOIN deliveries d ON d.id = e.delivery_id "
            "WHERE e.status = 'pending' AND e.next_attempt_at <= %(now)s "
            "AND d.status = 'sent' ORDER BY e.next_attempt_at, e.delivery_id COLLATE \"C\"",
            {"now": now},
        )
        return [row["delivery_id"] for row in rows]

    async def claim_edit(self, delivery_id: str, now: datetime) -> EditEntry | None:
        await self._ensure_owner(ping=True)
        rows = await self._returning(
            "UPDATE edits e SET status = 'sending', owner = %(me)s, "
            "attempts = e.attempts + 1, updated_at = %(now)s FROM deliveries d "
            "WHERE e.delivery_id = %(id)s AND e.status = 'pending' "
            "AND d.id = e.delivery_id AND d.status = 'sent' "
            "RETURNING e.message, e.version, e.attempts, d.message_id, d.digest",
            {"me": self.owners.me, "now": now, "id": delivery_id},
        )
        if not rows:
            return None
        return edit_entry(delivery_id, rows[0])

    async def mark_edit_done(self, delivery_id: str, version: int, now: datetime) -> bool:
        # a report that joined while this edit was in flight bumped the version: the edit
        # that shows it goes out a minute later
        return await self._settle_edit(
            delivery_id,
            "done_version = %(version)s, edited_at = %(now)s, last_error = NULL, "
            "attempts = 0, "
            "status = CASE WHEN version > %(version)s THEN 'pending' ELSE 'done' END, "
            "next_attempt_at = %(next)s",
            {"version": version, "now": now, "next": now + EDIT_INTERVAL},
        )

    async def mark_edit_retry(
        self, delivery_id: str, reason: str, next_attempt_at: datetime, now: datetime
    ) -> bool:
        return await self._settle_edit(
            delivery_id,
            "status = 'pending', last_error = %(reason)s, next_attempt_at = %(next)s",
            {"reason": reason, "next": next_attempt_at, "now": now},
        )

    async def mark_edit_failed(self, delivery_id: str, reason: str, now: datetime) -> bool:
        return await self._settle_edit(
            delivery_id,
            "status = 'failed', last_error = %(reason)s",
            {"reason": reason, "now": now},
        )

    async def _settle_edit(
        self, delivery_id: str, assignments: str, params: Mapping[str, object]
    ) -> bool:
        changed = await self._write(
            f"UPDATE edits SET {assignments}, owner = NULL, updated_at = %(now)s "
            "WHERE delivery_id = %(id)s AND status = 'sending' AND owner = %(me)s",
            {**params, "id": delivery_id, "me": self.owners.me},
        )
        return changed == 1

    async def release_stale_edits(self) -> int:
        released = 0
        for owner in await self._dead_owners("edits"):
            # an edit sets the whole message: doing it again is harmless
            released += await self._write(
                "UPDATE edits SET status = 'pending', owner = NULL "
                "WHERE status = 'sending' AND owner IS NOT DISTINCT FROM %(owner)s",
                {"owner": owner},
            )
        return released


def _when(value: datetime) -> datetime:
    moment = dt(value)
    assert moment is not None
    return moment


async def record_digests(conn: Conn, ids: Mapping[str, int], digests: Mapping[str, str]) -> None:
    stored = [(ids[key], digest) for key, digest in digests.items() if key in ids]
    if stored:  # one statement for the poll (one JSON array), not one per item
        await conn.execute(
            "INSERT INTO item_digests (item_id, digest) "
            "SELECT (d->>0)::bigint, d->>1 FROM json_array_elements(%(stored)s::json) AS d "
            "ON CONFLICT (item_id) DO UPDATE SET digest = excluded.digest",
            {"stored": json_list(stored)},
        )


async def record_reports(
    conn: Conn, ids: Mapping[str, int], reports: Sequence[StoryReport], now: datetime
) -> None:
    """Each report in its story (the story created when new), with the deal its item reads;
    an updated entry's row takes its new title, fingerprint and deal."""
    for report in reports:
        if report.item_key not in ids:
            continue
        await conn.execute(
            "INSERT INTO stories (id, first_at, last_at, created_at) "
            "VALUES (%(id)s, %(when)s, %(when)s, %(now)s) ON CONFLICT (id) DO UPDATE SET "
            "first_at = least(stories.first_at, excluded.first_at), "
            "last_at = greatest(stories.last_at, excluded.last_at)",
            {"id": report.story_id, "when": report.published, "now": now},
        )
        await conn.execute(
            "INSERT INTO story_items (item_id, story_id, feed, title, url, language, "
            "published, reason, fingerprint, joined_at, deal) VALUES (%(item_id)s, "
            "%(story)s, %(feed)s, %(title)s, %(url)s, %(language)s, %(published)s, "
            "%(reason)s, %(fingerprint)s, %(now)s, %(deal)s) "
            "ON CONFLICT (item_id) DO UPDATE SET title = excluded.title, url = excluded.url, "
            "language = excluded.language, fingerprint = excluded.fingerprint, "
            "deal = coalesce(excluded.deal, story_items.deal), updated_at = %(now)s",
            {
                "item_id": ids[report.item_key],
                "story": report.story_id,
                "feed": report.feed,
                "title": report.title,
                "url": report.url,
                "language": report.language,
                "published": report.published,
                "reason": report.reason,
                "fingerprint": report.fingerprint,
                "now": now,
                "deal": dump_deal(report.deal),
            },
        )


async def story_sources(conn: Conn, story_id: str) -> tuple[StorySource, ...]:
    """Every report of a story, the first one first."""
    rows = await fetch_all(
        conn,
        "SELECT feed, title, url, language, published FROM story_items "
        "WHERE story_id = %(story)s ORDER BY id",
        {"story": story_id},
    )
    return tuple(
        StorySource(row["feed"], row["title"], row["url"], row["language"], _when(row["published"]))
        for row in rows
    )


async def enqueue_stories(
    conn: Conn,
    feed: str,
    items: Mapping[str, Item],
    fresh: Sequence[AlertDraft],
    now: datetime,
    assemble: AssembleAlert,
    done: set[str],
) -> list[AlertMessage]:
    """One message per story and channel of the ``fresh`` alerts placed in a story: a new
    pending delivery listing every report; the new report folded into the delivery still
    pending; or, once it is sending or sent, an edit of it queued. Return the new messages;
    the deliveries made or revised are added to ``done``."""
    messages: list[AlertMessage] = []
    for (story_id, channel), group in by_story_and_channel(fresh).items():
        sources = await story_sources(conn, story_id)
        item = items[group[0].item_key]
        existing = await fetch_one(
            conn,
            "SELECT id, status, message FROM deliveries WHERE story = %(story)s "
            "AND channel = %(channel)s",
            {"story": story_id, "channel": channel},
        )
        hints = [(draft.deal, draft.stage_was) for draft in group]
        if existing is None:
            message = assemble(feed, item, group, channel, message_id=new_outbox_id(now), now=now)
            message = replace(message, story=story_id, sources=sources)
            deal = await deal_of_story(conn, story_id)
            message, _ = with_deal(message, deal, hints, edit=False)
            await insert_delivery(conn, story_id, message, now)
            messages.append(message)
            done.add(message.id)
            continue
        if existing["status"] == "failed":
            continue
        current = await _current_message(conn, existing["id"])
        merged = assemble(
            feed, item, group, channel, message_id=current.id, now=now, pending=current
        )
        deal = await deal_of_story(conn, story_id)
        merged, moved = with_deal(replace(merged, sources=sources), deal, hints)
        await _revise(conn, existing["id"], existing["status"], channel, merged,
                      (SOURCES, *moved), now)  # fmt: skip
        done.add(existing["id"])
    return messages


async def queue_updates(
    conn: Conn, reports: Sequence[StoryReport], now: datetime, *, done: set[str]
) -> None:
    """Every report that joined a story, and every material update of an entry, refreshes
    the story's messages (but those in ``done``, revised already in this poll), as
    ``bot.store.sqlite.stories.queue_updates`` says."""
    for report in reports:
        if report.new or report.changed == ():
            continue  # a new story's message lists it already; a cosmetic update is silent
        changes = report.changed or (SOURCES,)
        sources = await story_sources(conn, report.story_id)
        deliveries = await fetch_all(
            conn,
            "SELECT id, status, message, channel FROM deliveries WHERE story = %(story)s "
            "AND status != 'failed' ORDER BY id",
            {"story": report.story_id},
        )
        for existing in deliveries:
            if existing["id"] in done and report.changed is None:
                continue
            current = await _current_message(conn, existing["id"])
            revised = replace(current, sources=sources)
            if report.changed and (current.feed, current.url) == (report.feed, report.url):
                revised = replace(revised, title=report.title)
            deal = await deal_of_story(conn, report.story_id)
            revised, moved = with_deal(revised, deal, [(report.deal, report.stage_was)])
            await _revise(conn, existing["id"], existing["status"], existing["channel"],
                          revised, (*changes, *moved), now)  # fmt: skip


async def _current_message(conn: Conn, delivery_id: str) -> AlertMessage:
    """The message as it must read now: the edit waiting for it, else the delivery's."""
    row = await fetch_one(
        conn,
        "SELECT coalesce((SELECT message FROM edits WHERE delivery_id = d.id), d.message) "
        "AS message FROM deliveries d WHERE d.id = %(id)s",
        {"id": delivery_id},
    )
    assert row is not None
    return AlertMessage.from_json(json.loads(row["message"]))


async def _revise(
    conn: Conn,
    delivery_id: str,
    status: str,
    channel: str,
    message: AlertMessage,
    changes: tuple[str, ...],
    now: datetime,
) -> None:
    """A pending delivery takes the message as it is; a sending or sent one gets an edit,
    folded into the one waiting if there is one."""
    if status == "pending":
        await conn.execute(
            "UPDATE deliveries SET message = %(message)s, updated_at = %(now)s "
            "WHERE id = %(id)s AND status = 'pending'",
            {"message": dump(replace(message, changed=())), "now": now, "id": delivery_id},
        )
        return
    edit: Row | None = await fetch_one(
        conn,
        "SELECT status, message, edited_at FROM edits WHERE delivery_id = %(id)s",
        {"id": delivery_id},
    )
    before: tuple[str, ...] = ()
    if edit is not None and edit["status"] in ("pending", "sending"):
        before = AlertMessage.from_json(json.loads(edit["message"])).changed
    message = replace(message, changed=tuple(dict.fromkeys((*before, *changes))))
    soonest = now
    if edit is not None and edit["edited_at"] is not None:
        soonest = max(now, (dt(edit["edited_at"]) or now) + EDIT_INTERVAL)
    await conn.execute(
        "INSERT INTO edits (delivery_id, channel, message, status, next_attempt_at, "
        "updated_at) VALUES (%(id)s, %(channel)s, %(message)s, 'pending', %(next)s, %(now)s) "
        "ON CONFLICT (delivery_id) DO UPDATE SET message = excluded.message, "
        "version = edits.version + 1, "
        "status = CASE WHEN edits.status = 'sending' THEN 'sending' ELSE 'pending' END, "
        "attempts = CASE WHEN edits.status IN ('done', 'failed') THEN 0 "
        "ELSE edits.attempts END, "
        "next_attempt_at = CASE WHEN edits.status IN ('done', 'failed') THEN %(next)s "
        "ELSE edits.next_attempt_at END, updated_at = %(now)s",
        {"id": delivery_id, "channel": channel, "message": dump(message), "next": soonest,
         "now": now},
    )  # fmt: skip
