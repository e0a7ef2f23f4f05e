"""The deals of stories in SQLite: what each report of a story reads (``story_items.deal``,
a ``bot.deals`` JSON record) and the story's deal read from them all
(``bot.deals.stages.story_deal``), for the story's message and for search hits."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from bot.deals.model import Deal
from bot.deals.stages import story_deal


def story_readings(db: sqlite3.Connection, story_ids: Iterable[str]) -> dict[str, list[Deal]]:
    """The deals the reports of each story read, oldest first (stories without any left out)."""
    rows = db.execute(
        "SELECT story_id, deal FROM story_items WHERE deal IS NOT NULL "
        "AND story_id IN (SELECT value FROM json_each(:stories)) ORDER BY id",
        {"stories": json.dumps(sorted(set(story_ids)))},
    ).fetchall()
    readings: dict[str, list[Deal]] = {}
    for row in rows:
        deal = load_deal(row["deal"])
        if deal is not None:
            readings.setdefault(row["story_id"], []).append(deal)
    return readings


def story_deals(db: sqlite3.Connection, story_ids: Iterable[str]) -> dict[str, Deal]:
    """Each story's deal (``story_deal`` over its reports' readings), for those that have one."""
    found = {}
    for story_id, readings in story_readings(db, story_ids).items():
        deal = story_deal(readings)
        if deal is not None:
            found[story_id] = deal
    return found


def dump_deal(deal: Deal | None) -> str | None:
    return json.dumps(deal.to_json(), ensure_ascii=False) if deal else None


def load_deal(text: str) -> Deal | None:
    try:
        return Deal.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError):  # a record of a newer dealbot: not a reading
        return None
