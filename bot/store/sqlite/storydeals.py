"""The deals of stories in SQLite: what each report of a story reads (``story_items.deal``,
a ``bot.deals`` JSON record) and the story's deal read from them all
(``bot.deals.stages.story_deal``), for the story's message and for search hits."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from bot.deals.model import Deal
from bot.store.rows import deal_readings, deals_of_stories, dump_deal, load_deal

__all__ = ["dump_deal", "load_deal", "story_deals", "story_readings"]


def story_readings(db: sqlite3.Connection, story_ids: Iterable[str]) -> dict[str, list[Deal]]:
    """The deals the reports of each story read, oldest first (stories without any left out)."""
    rows = db.execute(
        "SELECT story_id, deal FROM story_items WHERE deal IS NOT NULL "
        "AND story_id IN (SELECT value FROM json_each(:stories)) ORDER BY id",
        {"stories": json.dumps(sorted(set(story_ids)))},
    ).fetchall()
    return deal_readings(rows)


def story_deals(db: sqlite3.Connection, story_ids: Iterable[str]) -> dict[str, Deal]:
    """Each story's deal (``story_deal`` over its reports' readings), for those that have one."""
    return deals_of_stories(story_readings(db, story_ids))
