"""Alerts in SQLite: one row per rule and story, whichever feed brings the story first,
muted ones included (``alerts``), with the deal its item reports, and the recent ones as
``news`` and ``deals`` list them (a story with the deal read from all its reports)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.deals.model import Deal
from bot.models import AlertDraft, RecentAlert
from bot.store.rows import dump_deal
from bot.store.rows import recent_alerts as rows_to_recent
from bot.store.sqlite.base import SQLiteBase, dt, ts
from bot.store.sqlite.storydeals import story_deals


class AlertsMixin(SQLiteBase):
    async def recent_alerts(
        self,
        since: datetime,
        *,
        limit: int = 10,
        words: Sequence[str] = (),
        rule: str | None = None,
        kinds: frozenset[str] | None = None,
        stages: frozenset[str] | None = None,
        parties: frozenset[str] | None = None,
    ) -> list[RecentAlert]:
        deals_only = kinds is not None or stages is not None or parties is not None
        sql = (
            "SELECT a.item_id, a.rule, a.topics, a.summary, a.created_at, a.deal, i.title, "
            "i.link, "
            "i.published, i.seen_at, f.name AS feed, si.story_id, "
            "(SELECT count(*) FROM story_items x WHERE x.story_id = si.story_id) AS sources, "
            "(SELECT group_concat(DISTINCT x.language) FROM story_items x "
            " WHERE x.story_id = si.story_id) AS languages "
            "FROM alerts a JOIN items i ON i.id = a.item_id JOIN feeds f ON f.id = i.feed_id "
            "LEFT JOIN story_items si ON si.item_id = a.item_id "
            "WHERE a.created_at >= :since AND (:rule IS NULL OR a.rule = :rule) "
            "AND (:deals_only = 0 OR a.deal IS NOT NULL) "
            "ORDER BY a.created_at DESC, a.id DESC"
        )
        params = {"since": ts(since), "rule": rule or None, "deals_only": int(deals_only)}

        def read(db: sqlite3.Connection) -> tuple[list[sqlite3.Row], dict[str, Deal]]:
            rows = db.execute(sql, params).fetchall()
            # a story shows its deal as its message does: read from all its reports (in the
            # connection's thread: the company table may be compiled on first use)
            stories = {row["story_id"] for row in rows if row["story_id"] and row["deal"]}
            return rows, story_deals(db, stories)

        rows, story_deal_of = await self._run(read)
        return rows_to_recent(
            rows, dt, story_deal_of, limit=limit, words=words, kinds=kinds, stages=stages,
            parties=parties,
        )  # fmt: skip


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
            "created_at, muted, deal) VALUES (:rule, :story, :item_id, :topics, :terms, "
            ":summary, :created_at, :muted, :deal)",
            {
                "rule": draft.rule,
                "story": draft.story,
                "item_id": item_ids[draft.item_key],
                "topics": json.dumps(draft.topics),
                "terms": json.dumps(draft.terms, ensure_ascii=False),
                "summary": draft.summary,
                "created_at": ts(now),
                "muted": draft.muted,
                "deal": dump_deal(draft.deal),
            },
        )
        if cursor.rowcount and not draft.muted:
            fresh.append(draft)
    return fresh
