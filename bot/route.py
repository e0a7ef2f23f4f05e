"""Which new items alert, under which rules, to which channels, and the message each
channel gets: pure decisions, no I/O.

The pipeline hands in the items a feed has never had; this module applies the date rules
(the backfill window of a feed's first poll, the maximum age of an item on later polls),
runs the matcher, evaluates every rule's expression, and
writes one ``AlertDraft`` per item and firing rule, summary included. Storage records the
drafts (one alert per rule and story, one delivery per story and channel) and, for each
story and channel, asks ``assemble_alert`` for the message: one message naming every rule
that routed the story there, folded into the one still waiting to be sent if there is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial

from bot.config import Alert, Backfill
from bot.deals.alerting import BATCH_BUDGET, DealReader, firing, needs_every_item
from bot.match import Matcher
from bot.models import AlertDraft, AlertMessage, Item
from bot.summary import summarize


def within_backfill(item: Item, backfill: Backfill, now: datetime) -> bool:
    """On a feed's first poll, may this item alert? Undated items never do (unless "all")."""
    if backfill.everything:
        return True
    if backfill.window is None or item.published is None:
        return False
    return item.published >= now - backfill.window


def within_max_age(item: Item, max_age: timedelta | None, now: datetime) -> bool:
    """On a later poll, may this new item alert? Not when it is first seen (now) longer
    than ``max_age`` after its published date: an old post back at the top of a feed (edited,
    re-keyed by a site move) is not news. Undated items are as old as their first sight."""
    if max_age is None or item.published is None:
        return True
    return now - item.published <= max_age


def may_alert(item: Item, backfill: Backfill, now: datetime, *, first_poll: bool) -> bool:
    """The date rules: the backfill window rules a feed's first poll, the maximum age
    (``backfill.max_age``, from ``settings.max_age``) every later one."""
    if first_poll:
        return within_backfill(item, backfill, now)
    return within_max_age(item, backfill.max_age, now)


def story_key(feed_id: int, item: Item, shared_links: frozenset[str] = frozenset()) -> str:
    """Items with the same canonical link are one story, in whatever feed; except where one
    feed gives several of its entries the same link (its home page, say): those are
    different stories, told apart by their own keys."""
    if item.canonical_url and item.canonical_url not in shared_links:
        return item.canonical_url
    return f"feed:{feed_id}:{item.key}"


def shared_links(items: Sequence[Item]) -> frozenset[str]:
    """Canonical links that more than one entry of one document uses."""
    seen: set[str] = set()
    shared: set[str] = set()
    for item in items:
        if item.canonical_url:
            (shared if item.canonical_url in seen else seen).add(item.canonical_url)
    return frozenset(shared)


def draft_alerts(
    feed_id: int,
    items: Sequence[Item],
    *,
    first_poll: bool,
    backfill: Backfill,
    matcher: Matcher,
    alerts: Sequence[Alert],
    now: datetime,
    shared: frozenset[str] = frozenset(),
    muted: frozenset[str] = frozenset(),
    deal_budget: float = BATCH_BUDGET,
) -> list[AlertDraft]:
    """Drafts for ``items`` (the new ones of a feed), each with the deal its item reports.
    CPU-bound: call it from a thread."""
    drafts: list[AlertDraft] = []
    if not alerts:
        return drafts
    deals = DealReader(matcher, budget=deal_budget)
    expressions = [alert.expression for alert in alerts]
    every_item = needs_every_item(expressions)
    for item in items:
        if not may_alert(item, backfill, now, first_poll=first_poll):
            continue
        found = matcher.match(item.title, item.text)
        if not found.topics and not every_item:
            continue
        read = partial(deals.read, item.title, item.text, item.language)
        fired, deal = firing(expressions, found.topics, read)
        firing_alerts = [alert for alert, fires in zip(alerts, fired, strict=True) if fires]
        if not firing_alerts:
            continue
        shown = frozenset().union(*(a.expression.names() for a in firing_alerts)) & found.topics
        # the summary covers the firing rules' topics: per topic, the surfaces that matched
        summary = summarize(item, {topic: found.surfaces.get(topic, ()) for topic in shown})
        for alert in firing_alerts:
            topics = found.topics & alert.expression.names()
            drafts.append(
                AlertDraft(
                    rule=alert.name,
                    item_key=item.key,
                    story=story_key(feed_id, item, shared),
                    topics=tuple(sorted(topics)),
                    terms=found.terms_for(topics),
                    summary=summary,
                    channels=alert.channels,
                    muted=alert.name in muted,
                    deal=deal,
                )
            )
    return drafts


def assemble_alert(
    feed: str,
    item: Item,
    drafts: Sequence[AlertDraft],
    channel: str,
    *,
    message_id: str,
    now: datetime,
    pending: AlertMessage | None = None,
) -> AlertMessage:
    """The message ``channel`` gets for one story: ``item`` (the story's item in this poll)
    named by every rule of ``drafts`` (the story's alerts new to their rules), with their
    topics and terms; the first draft's summary. With ``pending``, the story's message to
    this channel that is not sent yet, the result is that message naming the new rules too.
    Implements ``bot.store.AssembleAlert``."""
    message = AlertMessage(
        id=message_id,
        channel=channel,
        rules=tuple(dict.fromkeys(draft.rule for draft in drafts)),
        feed=feed,
        title=item.title,
        url=item.link,
        canonical_url=item.canonical_url,
        published=item.published or now,
        summary=drafts[0].summary,
        topics=tuple(dict.fromkeys(topic for draft in drafts for topic in draft.topics)),
        terms=tuple(dict.fromkeys(term for draft in drafts for term in draft.terms)),
        language=item.language,
        author=item.author,
        deal=drafts[0].deal,
        stage_was=drafts[0].stage_was,
    )
    return message if pending is None else merge_alerts(pending, message)


def merge_alerts(existing: AlertMessage, new: AlertMessage) -> AlertMessage:
    """``existing`` naming the rules, topics and terms of ``new`` too (each once, in order)."""
    return replace(
        existing,
        rules=tuple(dict.fromkeys(existing.rules + new.rules)),
        topics=tuple(dict.fromkeys(existing.topics + new.topics)),
        terms=tuple(dict.fromkeys(existing.terms + new.terms)),
        deal=existing.deal or new.deal,
        stage_was=existing.stage_was or new.stage_was,
    )
