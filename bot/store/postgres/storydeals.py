"""The deals of stories in PostgreSQL: what each report of a story reads
(``story_items.deal``) and the story's deal read from them all
(``bot.deals.stages.story_deal``, on the CPU thread: the company table it compares parties with
may be compiled on first use), for the story's message and for search hits."""

from __future__ import annotations

from collections.abc import Iterable

from bot.cputhread import run_cpu
from bot.deals.model import Deal
from bot.store.postgres.base import Conn, fetch_all
from bot.store.rows import deal_readings, deals_of_stories


async def story_readings(conn: Conn, story_ids: Iterable[str]) -> dict[str, list[Deal]]:
    """The deals the reports of each story read, oldest first (stories without any left out)."""
    wanted = sorted(set(story_ids))
    if not wanted:
        return {}
    rows = await fetch_all(
        conn,
        "SELECT story_id, deal FROM story_items WHERE deal IS NOT NULL "
        "AND story_id = ANY(%(stories)s) ORDER BY id",
        {"stories": wanted},
    )
    return deal_readings(rows)


async def story_deals(conn: Conn, story_ids: Iterable[str]) -> dict[str, Deal]:
    """Each story's deal (``story_deal`` over its reports' readings), for those that have one."""
    readings = await story_readings(conn, story_ids)
    if not readings:
        return {}
    return await run_cpu(deals_of_stories, readings)


async def deal_of_story(conn: Conn, story_id: str) -> Deal | None:
    """One story's deal (None when its reports read none)."""
    return (await story_deals(conn, [story_id])).get(story_id)
