"""Commands that only read: help, news, story, search, status, feeds list/status/export,
topics list, alerts list/test. Open to everyone in the channel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from bot.commands.context import Context, Handler
from bot.commands.deals import deal_kinds, deal_tag
from bot.commands.reply import CommandError, Reply, ReplyItem, Snippet
from bot.commands.spec import BY_NAME, COMMANDS, Arguments
from bot.config import format_duration
from bot.deals import Deal, card
from bot.deals.alerting import DealReader, firing
from bot.errors import ExpressionError
from bot.ingest.opml import Subscription, write_opml
from bot.match import Matcher
from bot.match.expression import Expression, parse_expression
from bot.models import Item, RecentAlert
from bot.searchtext import fts_query, highlight, query_terms
from bot.text import display_url, plural

ALERTS_TEST_WINDOW = timedelta(days=1)
ALERTS_TEST_SHOWN = 10
ALERTS_TEST_BUDGET = 10.0  # seconds of matching one `alerts test` may take
STATUS_FAILING = 10  # failing feeds listed by status; the rest are counted


async def help_command(ctx: Context, args: Arguments) -> Reply:
    """Usage as the caller types it: on the command line with ``dealbot`` in front (and
    ``key=value`` or ``--key value`` for options), in chat as the adapter shows it."""
    prefix = "dealbot " if ctx.caller.platform == "cli" else ""
    wanted = ctx.text(args, "command").strip().lower()
    if not wanted:
        every = tuple(f"{prefix}{spec.usage()} — {spec.summary}" for spec in COMMANDS)
        return Reply("Commands", lines=(*every, "", f"{prefix}help COMMAND shows an example."))
    specs = [s for s in COMMANDS if s.name == wanted or s.path[0] == wanted]
    if not specs:
        raise CommandError(f"no command {wanted!r}; try: {prefix}help")
    lines: list[str] = []
    for spec in specs:
        who = " (admins only)" if spec.admin else ""
        lines += [f"{prefix}{spec.usage()} — {spec.summary}{who}",
                  f"  example: {prefix}{spec.example}"]  # fmt: skip
    if prefix and any(not p.required and not p.greedy for s in specs for p in s.params):
        lines.append("  options: key=value, or --key value")
    return Reply(f"help {wanted}", lines=tuple(lines))


async def news(ctx: Context, args: Arguments) -> Reply:
    hours = ctx.integer(args, "hours")
    limit = ctx.integer(args, "limit")
    rule = ctx.text(args, "alert").strip() or None
    if rule and rule not in {alert.name for alert in ctx.config.alerts}:
        raise CommandError(f"no alert named {rule!r}")
    words = query_terms(ctx.text(args, "query"))
    kinds = deal_kinds(ctx.text(args, "deal"), allow_any=True)
    found = await ctx.reader.store.recent_alerts(
        ctx.now - timedelta(hours=hours), limit=limit, words=words, rule=rule, kinds=kinds
    )
    if not found:
        matching = " matching the query" if words else ""
        matching += " with a deal" if kinds is not None else ""
        return Reply(f"No alerts in the last {hours}h{matching}.", ephemeral=False)
    items = tuple(
        ReplyItem(
            title=alert.title or "(untitled)",
            url=alert.url,
            meta=f"{alert.feed} · {format_duration(ctx.now - alert.published, units=1)} ago · "
            f"{', '.join(alert.rules)}{deal_tag(alert.deal)}{_story_meta(alert)}",
            snippet=Snippet(highlight(alert.summary, words)) if alert.summary else None,
        )
        for alert in found
    )
    return Reply(f"Recent news ({len(items)}, last {hours}h)", items=items, ephemeral=False)


def _story_meta(alert: RecentAlert) -> str:
    """ " · 5 sources, 4 languages · story s1a2b3c4d5" (nothing for an alert of before)."""
    if alert.story is None:
        return ""
    languages = plural(len(alert.languages), "language") if alert.languages else ""
    counts = ", ".join(part for part in (plural(alert.sources, "source"), languages) if part)
    return f" · {counts} · story {alert.story}"


async def story(ctx: Context, args: Arguments) -> Reply:
    """Every report of a story (its id is in each alert's footer), the first one marked."""
    story_id = ctx.text(args, "id").strip()
    reports = await ctx.reader.store.story(story_id)
    if not reports:
        raise CommandError(f"no story {story_id!r} (its id is in the alert's footer)")
    languages = sorted({report.language for report in reports if report.language})
    items = tuple(
        ReplyItem(
            title=report.title or "(untitled)",
            url=report.url,
            meta=" · ".join(
                part
                for part in (
                    f"{report.feed} ({report.language})" if report.language else report.feed,
                    f"{report.published:%Y-%m-%d %H:%M} UTC",
                    "first report" if report.first else report.reason,
                )
            ),
        )
        for report in reports
    )
    title = f"Story {story_id}: {plural(len(reports), 'report')}" + (
        f" in {plural(len(languages), 'language')}" if languages else ""
    )
    return Reply(title, items=items, ephemeral=False)


async def search(ctx: Context, args: Arguments) -> Reply:
    text = ctx.text(args, "text")
    days = ctx.integer(args, "days")
    limit = ctx.integer(args, "limit")
    match = fts_query(text)
    if match is None:
        raise CommandError("nothing to search for: give at least one word")
    since = ctx.now - timedelta(days=days)
    hits = await ctx.reader.store.search(match, since, ctx.now, limit=limit)
    if not hits:
        return Reply(f"Nothing found for {text!r} in the last {plural(days, 'day')}.")
    terms = query_terms(text)
    items = tuple(
        ReplyItem(
            title=hit.title or "(untitled)",
            url=hit.url,
            meta=f"{hit.feed} · {format_duration(ctx.now - hit.published, units=1)} ago"
            f"{deal_tag(hit.deal)}",
            snippet=Snippet(highlight(hit.text or hit.title, terms)),
        )
        for hit in hits
    )
    return Reply(f"Search: {text} ({len(items)})", items=items)


async def status(ctx: Context, args: Arguments) -> Reply:
    states = await ctx.reader.store.feed_states()
    feeds = ctx.config.feeds
    paused = [f for f in feeds if not f.enabled]
    failing = [f for f in feeds if f.enabled and (s := states.get(f.name)) and s.failures]
    waiting = [f for f in feeds if f.enabled and (s := states.get(f.name)) and not s.last_poll_at]
    healthy = len(feeds) - len(paused) - len(failing) - len(waiting)
    fields = [
        ("feeds", f"{healthy} ok, {len(failing)} failing, {len(paused)} paused, "
                  f"{len(waiting)} not polled yet"),
    ]  # fmt: skip
    beat = await ctx.reader.last_cycle()
    if beat is not None:
        fields.append(
            ("last cycle", f"{format_duration(ctx.now - beat.finished_at, units=1)} ago, took "
                           f"{beat.duration:.1f}s")
        )  # fmt: skip
    counts = await ctx.reader.store.delivery_counts()
    errors = await ctx.reader.store.channel_errors()
    for channel, by_status in sorted(counts.items()):
        pending, failed = by_status.get("pending", 0), by_status.get("failed", 0)
        sent = by_status.get("sent", 0)
        value = f"{sent} sent, {pending} pending, {failed} failed"
        if (pending or failed) and channel in errors:
            value += f" (last error: {errors[channel]})"
        fields.append((f"→ {ctx.config.kinds.shown(channel)}", value))
    shown = [f"failing: {f.name}: {states[f.name].last_error}" for f in failing[:STATUS_FAILING]]
    if len(failing) > STATUS_FAILING:
        more = plural(len(failing) - STATUS_FAILING, "more failing feed")
        shown.append(f"…and {more} (feeds list shows every feed)")
    title = f"dealbot status: {plural(len(feeds), 'feed')}"
    if failing:
        title += f", {len(failing)} failing"
    return Reply(title, lines=tuple(shown), fields=tuple(fields))


async def feeds_list(ctx: Context, args: Arguments) -> Reply:
    states = await ctx.reader.store.feed_states()
    lines = []
    for feed in ctx.config.feeds:
        state = states.get(feed.name)
        flags = "" if feed.enabled else " [paused]"
        health = "not polled yet"
        if state and state.last_error:
            health = f"failing: {state.last_error}"
        elif state and state.last_success_at:
            health = f"ok {format_duration(ctx.now - state.last_success_at, units=1)} ago"
        seen = state.items_seen if state else 0
        next_poll = (
            f", next in {format_duration(state.next_poll_at - ctx.now, units=1)}"
            if state and state.next_poll_at and state.next_poll_at > ctx.now and feed.enabled
            else ""
        )
        lines.append(
            f"{feed.name}{flags} — every {format_duration(feed.interval)}, {health}, "
            f"{plural(seen, 'item')} seen{next_poll} — {feed.shown_url}"
        )
    if not lines:
        return Reply("No feeds yet. Add one with: feeds add URL")
    return Reply(f"Feeds ({len(lines)})", lines=tuple(lines))


async def feeds_status(ctx: Context, args: Arguments) -> Reply:
    name = ctx.name(args)
    feed = ctx.config.feed(name)
    state = (await ctx.reader.store.feed_states()).get(name)  # with its item count
    if feed is None or state is None:
        raise CommandError(f"no feed named {name!r}")
    history = await ctx.reader.store.fetch_history(state.id, limit=10)
    moved = state.url not in (feed.url, feed.written_url)
    fields = [
        ("url", display_url(state.url) if moved else feed.shown_url),
        ("interval", format_duration(feed.interval) + ("" if feed.enabled else " (paused)")),
        ("items seen", str(state.items_seen)),
    ]
    if state.last_error:
        since = state.error_since
        ago = f"{format_duration(ctx.now - since, units=1)} ago" if since else "now"
        fields.append(("failing since", ago))
        fields.append(("last error", state.last_error))
    lines = tuple(
        f"{format_duration(ctx.now - record.at, units=1)} ago — {record.outcome}: {record.detail}"
        for record in history
    )
    return Reply(f"Feed {name}: {state.title or feed.shown_url}", lines=lines,
                 fields=tuple(fields))  # fmt: skip


async def feeds_export(ctx: Context, args: Arguments) -> Reply:
    """The CLI (the operator) gets the real URLs, to move to another reader; chat (admins
    only) gets them masked, like every list."""
    states = await ctx.reader.store.feed_states()
    trusted = ctx.caller.platform == "cli"
    subscriptions = [
        Subscription(
            (states[f.name].title if f.name in states else None) or f.name,
            f.url if trusted else f.shown_url,
        )
        for f in ctx.config.feeds
    ]
    document = write_opml(subscriptions, title="dealbot feeds", now=ctx.now)
    return Reply("Feeds as OPML 2.0", lines=tuple(document.splitlines()))


async def topics_list(ctx: Context, args: Arguments) -> Reply:
    topics = ctx.config.topics
    lines = tuple(f"{topic}: {topics.shown(topic)}" for topic in topics)
    return Reply(f"Topics ({len(lines)})", lines=lines or ("No topics yet.",))


async def alerts_list(ctx: Context, args: Arguments) -> Reply:
    mutes = await ctx.reader.store.mutes(ctx.now)
    lines = []
    for alert in ctx.config.alerts:
        muted = (
            f" [muted for {format_duration(mutes[alert.name] - ctx.now, units=1)}]"
            if alert.name in mutes
            else ""
        )
        channels = ", ".join(ctx.config.kinds.shown(channel) for channel in alert.channels)
        lines.append(f"{alert.name}{muted}: {alert.expression} → {channels}")
    return Reply(f"Alerts ({len(lines)})", lines=tuple(lines) or ("No alerts yet.",))


async def alerts_test(ctx: Context, args: Arguments) -> Reply:
    text = ctx.text(args, "match")
    try:
        expression = parse_expression(text, set(ctx.config.topics))
    except ExpressionError as exc:
        raise CommandError(f"{text!r}: {exc}") from None
    items = await ctx.reader.store.items_since(ctx.now - ALERTS_TEST_WINDOW)
    matcher = ctx.reader.live.matcher
    # CPU-bound and open to every user: off the event loop, and within a time budget
    matched, checked = await asyncio.to_thread(
        _test_expression, matcher, expression, items, ALERTS_TEST_BUDGET
    )
    shown = tuple(
        ReplyItem(title=item.title or "(untitled)", url=item.link, meta=_test_meta(terms, deal))
        for item, terms, deal in matched[:ALERTS_TEST_SHOWN]
    )
    title = (
        f"{expression} would have matched {len(matched)} of the {plural(len(items), 'item')} "
        "of the last day"
    )
    lines: tuple[str, ...] = ()
    if checked < len(items):
        title = (f"{expression} would have matched {len(matched)} of the {checked} newest "
                 f"items (of {len(items)} of the last day)")  # fmt: skip
        lines = (f"stopped after {ALERTS_TEST_BUDGET:g}s; the older items were not checked",)
    return Reply(title, lines=lines, items=shown)


def _test_meta(terms: Sequence[str], deal: Deal | None) -> str:
    """The terms that matched, and the deal read from the item: "Samsung · deal: …"."""
    parts = [", ".join(terms)] if terms else []
    if deal is not None:
        parts.append(f"deal: {card.line(deal)}")
    return " · ".join(parts)


def _test_expression(
    matcher: Matcher, expression: Expression, items: Sequence[Item], budget: float
) -> tuple[list[tuple[Item, tuple[str, ...], Deal | None]], int]:
    """The items (newest first) the expression matches, with the deal each reports, and how
    many were checked before ``budget`` seconds ran out (deals are read within it too)."""
    deadline = time.monotonic() + budget
    deals = DealReader(matcher, budget=budget)
    matched: list[tuple[Item, tuple[str, ...], Deal | None]] = []
    for checked, item in enumerate(items):
        if time.monotonic() > deadline:
            return matched, checked
        found = matcher.match(item.title, item.text)
        read = partial(deals.read, item.title, item.text, item.language)
        fired, deal = firing([expression], found.topics, read)
        if fired[0]:
            terms = found.terms_for(found.topics & expression.names())
            matched.append((item, terms, deal))
    return matched, len(items)


READING: dict[str, Handler] = {
    "help": help_command,
    "news": news,
    "story": story,
    "search": search,
    "status": status,
    "feeds list": feeds_list,
    "feeds status": feeds_status,
    "feeds export": feeds_export,
    "topics list": topics_list,
    "alerts list": alerts_list,
    "alerts test": alerts_test,
}
assert set(READING) <= set(BY_NAME)
