"""What both backends make of the rows they read, once: the recent alerts folded into one
entry per story and filtered by words and deals, the stories' summaries and a story's
reports. A backend passes its rows (read by name: ``row["title"]``) and its ``when``, which
turns a stored time (SQLite's Unix seconds, PostgreSQL's timestamptz) into an aware UTC
datetime.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.deals.model import Deal
from bot.deals.stages import moved_on, same_deal, story_deal
from bot.models import AlertMessage, EditEntry, RecentAlert, StoryEntry, StorySummary


class RowLike(Protocol):
    def __getitem__(self, key: str, /) -> Any: ...


When = Callable[[Any], datetime | None]


def recent_alerts(
    rows: Iterable[RowLike],
    when: When,
    story_deals: Mapping[str, Deal],
    *,
    limit: int,
    words: Sequence[str],
    kinds: frozenset[str] | None,
    stages: frozenset[str] | None,
    parties: frozenset[str] | None,
) -> list[RecentAlert]:
    """``Store.recent_alerts`` from its rows (newest alert first): one entry per story
    (its reports folded in, every rule named), with the story's deal (``story_deals``: read
    from all its reports) else its alert's, every word in the title or summary, the deal
    filters applied, at most ``limit``."""
    deals_only = kinds is not None or stages is not None or parties is not None
    folded = [word.casefold() for word in words]
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
        deal = story_deals.get(row["story_id"]) or load_deal(row["deal"])
        if deals_only and not _deal_wanted(deal, kinds, stages, parties):
            continue
        if len(stories) == limit:
            continue
        stories[key] = RecentAlert(
            title=row["title"] or "",
            feed=row["feed"],
            url=row["link"],
            published=when(row["published"] or row["seen_at"]) or datetime.now(UTC),
            alerted_at=when(row["created_at"]) or datetime.now(UTC),
            rules=(row["rule"],),
            topics=tuple(json.loads(row["topics"])),
            summary=row["summary"],
            story=row["story_id"],
            sources=row["sources"] or 1,
            languages=_languages(row["languages"]),
            deal=deal,
        )
    return list(stories.values())


def story_summaries(
    rows: Iterable[RowLike], when: When, *, limit: int, words: Sequence[str]
) -> list[StorySummary]:
    """``Store.stories`` from its rows (latest first; ``first``: the JSON array of the
    first report's feed, title and URL; ``titles``: every report's title)."""
    folded = [word.casefold() for word in words]
    found: list[StorySummary] = []
    for row in rows:
        if not all(word in row["titles"].casefold() for word in folded):
            continue
        feed, title, url = json.loads(row["first"])
        found.append(
            StorySummary(
                story_id=row["id"],
                title=title,
                feed=feed,
                url=url,
                first_at=_moment(when, row["first_at"]),
                last_at=_moment(when, row["last_at"]),
                sources=row["n"],
                languages=tuple(sorted(set(row["languages"].split(",")) - {"?"})),
            )
        )
        if len(found) == limit:
            break
    return found


def story_entries(rows: Iterable[RowLike], when: When) -> list[StoryEntry]:
    """``Store.story`` from its rows, in the order the reports joined."""
    return [
        StoryEntry(
            feed=row["feed"],
            title=row["title"],
            url=row["url"],
            language=row["language"],
            published=_moment(when, row["published"]),
            joined_at=_moment(when, row["joined_at"]),
            reason=row["reason"],
            first=index == 0,
        )
        for index, row in enumerate(rows)
    ]


def with_deal(
    message: AlertMessage,
    deal: Deal | None,
    hints: Sequence[tuple[Deal | None, str | None]],
    *,
    edit: bool = True,
) -> tuple[AlertMessage, tuple[str, ...]]:
    """``message`` showing its story's ``deal`` (``bot.deals.stages.story_deal`` over the
    deals its reports read, this poll's included), and what that changed in it:
    ``("deal",)``, and ``"stage"`` when the deal moved on (talks, then agreed).
    ``stage_was`` then names the stage it moved from: the one this poll's draft found in
    the newest earlier alert of the deal (``hints``: deal and stage_was of each draft),
    else, for an ``edit``, the stage the message showed."""
    before = message.deal
    if deal is None or deal == before:
        return message, ()
    hint = next(
        (was for read, was in hints if was and same_deal(read, deal) and read is not None
         and read.stage == deal.stage),
        None,
    )  # fmt: skip
    if not edit:
        return replace(message, deal=deal, stage_was=hint), ()
    if moved_on(before, deal):
        assert before is not None
        return replace(message, deal=deal, stage_was=hint or before.stage), ("deal", "stage")
    stage_was = message.stage_was if same_deal(before, deal) else None
    return replace(message, deal=deal, stage_was=stage_was), ("deal",)


def _moment(when: When, value: Any) -> datetime:
    moment = when(value)
    assert moment is not None
    return moment


def edit_entry(delivery_id: str, row: RowLike) -> EditEntry:
    """A claimed edit as both backends read it back (its message, the sent message's id,
    the version to show)."""
    return EditEntry(
        delivery_id=delivery_id,
        message=AlertMessage.from_json(json.loads(row["message"])),
        message_id=row["message_id"],
        version=row["version"],
        attempts=row["attempts"],
        digest=row["digest"] is not None,
    )


def deal_readings(rows: Iterable[RowLike]) -> dict[str, list[Deal]]:
    """Rows of (story_id, deal), oldest first, as the deals each story's reports read."""
    readings: dict[str, list[Deal]] = {}
    for row in rows:
        deal = load_deal(row["deal"])
        if deal is not None:
            readings.setdefault(row["story_id"], []).append(deal)
    return readings


def deals_of_stories(readings: Mapping[str, Sequence[Deal]]) -> dict[str, Deal]:
    """Each story's deal (``story_deal`` over its reports' readings), where it has one."""
    found = {}
    for story_id, deals in readings.items():
        deal = story_deal(list(deals))
        if deal is not None:
            found[story_id] = deal
    return found


def dump_deal(deal: Deal | None) -> str | None:
    """A deal as the alerts table stores it (JSON), None for none."""
    return json.dumps(deal.to_json(), ensure_ascii=False) if deal else None


def load_deal(text: str | None) -> Deal | None:
    """A stored deal; None for none, and for a record of a newer dealbot (not a reading)."""
    if not text:
        return None
    try:
        return Deal.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError):
        return None


def _languages(joined: str | None) -> tuple[str, ...]:
    return tuple(sorted(joined.split(","))) if joined else ()


def _with_rule(story: RecentAlert, row: RowLike) -> RecentAlert:
    topics = tuple(dict.fromkeys(story.topics + tuple(json.loads(row["topics"]))))
    rules = tuple(dict.fromkeys((*story.rules, row["rule"])))
    return replace(story, rules=rules, topics=topics)


def _deal_wanted(
    deal: Deal | None,
    kinds: frozenset[str] | None,
    stages: frozenset[str] | None,
    parties: frozenset[str] | None,
) -> bool:
    """The deal filters of ``recent_alerts``: parties are compared casefolded, by name or
    topic."""
    if deal is None:
        return False
    if kinds is not None and deal.kind not in kinds:
        return False
    if stages is not None and deal.stage not in stages:
        return False
    if parties is None:
        return True
    named = {party.name.casefold() for party in deal.parties}
    named |= {party.topic.casefold() for party in deal.parties if party.topic}
    return bool(named & {party.casefold() for party in parties})
