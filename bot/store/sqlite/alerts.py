"""Alerts in SQLite: one row per rule and story, whichever feed brings the story first,
muted ones included (``alerts``), and the recent ones as ``news`` lists them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from bot.models import AlertDraft, RecentAlert
from bot.store.sqlite.base import SQLiteBase, dt, ts


class AlertsMixin(SQLiteBase):
    async def recent_alerts(
        self,
        since: datetime,
        *,
        limit: int = 10,
        words: Sequence[str] = (),
        rule: str | None = None,
    ) -> list[RecentAlert]:
        rows = await self._query(
            "SELECT a.item_id, a.rule, a.topics, a.summary, a.created_at, i.title, i.link, "
            "i.published, i.seen_at, f.name AS feed, si.story_id, "
            "(SELECT count(*) FROM story_items x WHERE x.story_id = si.story_id) AS sources, "
            "(SELECT group_concat(DISTINCT x.language) FROM story_items x "
            " WHERE x.story_id = si.story_id) AS languages "
            "FROM alerts a JOIN items i ON i.id = a.item_id JOIN feeds f ON f.id = i.feed_id "
            "LEFT JOIN story_items si ON si.item_id = a.item_id "
            "WHERE a.created_at >= :since AND (:rule IS NULL OR a.rule = :rule) "
            "ORDER BY a.created_at DESC, a.id DESC",
            {"since": ts(since), "rule": rule or None},
        )
        folded = [word.casefold() for word in words]
        # one entry per story: the reports of one story (several items) fold into one
        stories: dict[int | str, RecentAlert] = {}
        for row in rows:
            key = row["story_id"] or row["item_id"]
            known = stories.get(key)
            if known is not None:
                stories[key] = _with_rule(known, row)
                continue
            haystack = f"{row['title'] or ''}\n{row['summary']}".casefold()
            if not all(word in haystack for word in folded):
                continue
            if len(stories) == limit:
                continue
            stories[key] = RecentAlert(
                title=row["title"] or "",
                feed=row["feed"],
                url=row["link"],
                published=dt(row["published"] or row["seen_at"]) or datetime.now(UTC),
                alerted_at=dt(row["created_at"]) or datetime.now(UTC),
                rules=(row["rule"],),
                topics=tuple(json.loads(row["topics"])),
                summary=row["summary"],
                story=row["story_id"],
                sources=row["sources"] or 1,
                languages=_languages(row["languages"]),
            )
        return list(stories.values())


def insert_alerts(
    db: sqlite3.Connection,
    item_ids: dict[str, int],
    drafts: Sequence[AlertDraft],
    now: datetime,
) -> list[AlertDraft]:
    """Record one alert per draft whose rule has not alerted its story yet (inside the
    poll's transaction); return those of them that are not muted, in order."""
    fresh: list[AlertDraft] = []
    for draft in drafts:
        cursor = db.execute(
            "INSERT OR IGNORE INTO alerts (rule, story, item_id, topics, terms, summary, "
            "created_at, muted) VALUES (:rule, :story, :item_id, :topics, :terms, :summary, "
            ":created_at, :muted)",
            {
                "rule": draft.rule,
                "story": draft.story,
                "item_id": item_ids[draft.item_key],
                "topics": json.dumps(draft.topics),
                "terms": json.dumps(draft.terms, ensure_ascii=False),
                "summary": draft.summary,
                "created_at": ts(now),
                "muted": draft.muted,
            },
        )
        if cursor.rowcount and not draft.muted:
            fresh.append(draft)
    return fresh


def _languages(joined: str | None) -> tuple[str, ...]:
    return tuple(sorted(joined.split(","))) if joined else ()


def _with_rule(story: RecentAlert, row: sqlite3.Row) -> RecentAlert:
    topics = tuple(dict.fromkeys(story.topics + tuple(json.loads(row["topics"]))))
    rules = tuple(dict.fromkeys((*story.rules, row["rule"])))
    return replace(story, rules=rules, topics=topics)
