"""Commands that change the configuration: feeds add/remove/pause/resume/interval/import,
topics add/remove, alerts add/remove/mute/unmute. Admins only (service.is_admin).

Every edit goes through ``Context.save``: feeds.yaml is rewritten with its comments kept,
validated first, and applied to the running bot at once. Mutes are state, not
configuration: they live in the database.
"""

from __future__ import annotations

from datetime import timedelta

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.commands.context import Context, Handler
from bot.commands.reply import CommandError, Reply, ReplyItem
from bot.commands.spec import BY_NAME, Arguments
from bot.config import (
    Config,
    Feed,
    check_feed_url,
    format_duration,
    validate_tree,
)
from bot.config.edit import append_to
from bot.errors import ExpressionError, FetchError, ParseError
from bot.ingest.discover import feed_links, looks_like_html
from bot.ingest.opml import OpmlError, read_opml
from bot.match import TermError, compile_term
from bot.match.expression import DEAL_WORD, KEYWORDS, parse_expression
from bot.models import ParsedFeed
from bot.text import display_url, plural

SHOWN_ON_ADD = 3
MAX_IMPORT = 500


# --------------------------------------------------------------------------------- feeds


def _known_feed(ctx: Context, name: str) -> Feed:
    feed = ctx.config.feed(name)
    if feed is None:
        raise CommandError(f"no feed named {name!r}")
    return feed


def _feed_entry(tree: CommentedMap, name: str, config: Config) -> int:
    """The position of feed ``name`` in the tree being edited: found by name in the file
    as it is now (it may have been edited by hand since the bot last loaded it), names
    derived from hosts included."""
    current = validate_tree(tree, config.path, kinds=config.kinds)
    for index, feed in enumerate(current.feeds):
        if feed.name == name:
            return index
    raise CommandError(f"no feed named {name!r} in feeds.yaml any more")


def _alert_entry(tree: CommentedMap, name: str) -> int:
    for index, entry in enumerate(tree.get("alerts") or []):
        if isinstance(entry, dict) and entry.get("name") == name:
            return index
    raise CommandError(f"no alert named {name!r} in feeds.yaml any more")


async def _fetch_feed(ctx: Context, url: str) -> tuple[str, ParsedFeed]:
    """Fetch ``url``; if it is a page, find the feed it links to. Return the feed's URL and
    its parsed content, or refuse with the reason."""
    try:
        result = await ctx.editor.fetch(url)
        return url, await ctx.editor.parse(result)
    except FetchError as exc:
        raise CommandError(f"cannot fetch {display_url(url)}: {exc}") from None
    except ParseError as exc:
        if not looks_like_html(result.body, result.headers.get("content-type", "")):
            raise CommandError(f"{display_url(url)} is {exc}") from None
    for candidate in feed_links(result.body, result.url)[:3]:
        try:
            return candidate, await ctx.editor.parse(await ctx.editor.fetch(candidate))
        except (FetchError, ParseError):
            continue
    raise CommandError(f"{display_url(url)} is a web page that links no working feed")


async def feeds_add(ctx: Context, args: Arguments) -> Reply:
    try:
        url = check_feed_url(ctx.text(args, "url"))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    interval = ctx.duration(args, "interval")
    name = ctx.name(args) if ctx.text(args, "name") else None
    known = {feed.url for feed in ctx.config.feeds}
    if url in known:
        raise CommandError(f"{display_url(url)} is already a feed")
    if name and ctx.config.feed(name):
        raise CommandError(f"a feed named {name!r} already exists")
    feed_url, parsed = await _fetch_feed(ctx, url)
    if feed_url != url and feed_url in known:
        raise CommandError(f"that page's feed, {display_url(feed_url)}, is already a feed")
    entry = CommentedMap()
    if name:
        entry["name"] = name
    entry["url"] = feed_url
    if interval:
        entry["interval"] = format_duration(interval)

    def add(tree: CommentedMap) -> None:
        feeds = tree.get("feeds")
        if not isinstance(feeds, CommentedSeq):
            feeds = tree["feeds"] = CommentedSeq()
        append_to(feeds, entry)

    config = await ctx.save(add)
    added = next(feed for feed in config.feeds if feed.url == feed_url)
    newest = sorted(parsed.items, key=lambda i: i.published or ctx.now, reverse=True)
    items = tuple(
        ReplyItem(
            title=item.title or "(untitled)",
            url=item.link,
            meta=f"{format_duration(ctx.now - item.published, units=1)} ago"
            if item.published
            else "",
        )
        for item in newest[:SHOWN_ON_ADD]
    )
    found_via = f" (found on {display_url(url)})" if feed_url != url else ""
    return Reply(
        f"Added feed {added.name}: {parsed.title or display_url(feed_url)}",
        lines=(
            f"{display_url(feed_url)}{found_via}, every {format_duration(added.interval)}",
            f"Its first poll alerts only on items of the last {ctx.config.settings.backfill}.",
        ),
        items=items,
    )


async def feeds_remove(ctx: Context, args: Arguments) -> Reply:
    feed = _known_feed(ctx, ctx.name(args))
    config = ctx.config
    await ctx.save(lambda tree: tree["feeds"].pop(_feed_entry(tree, feed.name, config)))
    return Reply(f"Removed feed {feed.name}; what it already sent stays, and it never "
                 "repeats an old item if added again.")  # fmt: skip


async def _set_enabled(ctx: Context, args: Arguments, enabled: bool) -> Reply:
    feed = _known_feed(ctx, ctx.name(args))
    if feed.enabled == enabled:
        return Reply(f"Feed {feed.name} is already {'running' if enabled else 'paused'}.")
    config = ctx.config

    def edit(tree: CommentedMap) -> None:
        entry = tree["feeds"][_feed_entry(tree, feed.name, config)]
        if enabled:
            entry.pop("enabled", None)
        else:
            entry["enabled"] = False

    await ctx.save(edit)
    return Reply(f"Feed {feed.name} {'resumed' if enabled else 'paused'}.")


async def feeds_pause(ctx: Context, args: Arguments) -> Reply:
    return await _set_enabled(ctx, args, False)


async def feeds_resume(ctx: Context, args: Arguments) -> Reply:
    return await _set_enabled(ctx, args, True)


async def feeds_interval(ctx: Context, args: Arguments) -> Reply:
    feed = _known_feed(ctx, ctx.name(args))
    interval = ctx.duration(args, "interval")
    assert interval is not None  # a required parameter
    written = format_duration(interval)
    config = ctx.config

    def edit(tree: CommentedMap) -> None:
        tree["feeds"][_feed_entry(tree, feed.name, config)]["interval"] = written

    await ctx.save(edit)
    return Reply(f"Feed {feed.name} is now polled every {written}.")


async def feeds_import(ctx: Context, args: Arguments) -> Reply:
    """``args["file"]`` is the OPML document itself (the CLI reads the file, a chat adapter
    passes the attachment): no chat user can make the bot read a path."""
    try:
        subscriptions = read_opml(ctx.text(args, "file").encode("utf-8"))
    except OpmlError as exc:
        raise CommandError(str(exc)) from None
    known = {feed.url for feed in ctx.config.feeds}
    new: list[str] = []
    refused: list[str] = []
    for subscription in subscriptions:
        try:
            url = check_feed_url(subscription.url)
        except ValueError as exc:
            refused.append(f"{subscription.title or subscription.url}: {exc}")
            continue
        if url not in known and url not in new:
            new.append(url)
    if len(new) > MAX_IMPORT:
        raise CommandError(
            f"{plural(len(new), 'new feed')} in one import; the limit is {MAX_IMPORT}"
        )
    if new:

        def add(tree: CommentedMap) -> None:
            for url in new:
                append_to(tree["feeds"], CommentedMap(url=url))

        await ctx.save(add)
    skipped = len(subscriptions) - len(new) - len(refused)
    return Reply(
        f"Imported {plural(len(new), 'feed')} ({skipped} already there, {len(refused)} refused).",
        lines=tuple(refused[:20]),
    )


# -------------------------------------------------------------------------------- topics


def _topic_name(ctx: Context, args: Arguments) -> str:
    topic = ctx.name(args, "topic")
    if topic in KEYWORDS:
        raise CommandError(f"{topic!r} cannot name a topic: it is an operator")
    if topic == DEAL_WORD:
        raise CommandError(f"{topic!r} cannot name a topic: it is the rule atom for any deal")
    return topic


EXCLUDE_WORD = "exclude="  # "topics add xiaomi exclude=小米粥": a phrase the topic excludes


def _terms_and_exclusions(ctx: Context, args: Arguments) -> tuple[list[str], list[str]]:
    """The words of ``topics add/remove``: terms, and ``exclude=PHRASE`` exclusions."""
    terms: list[str] = []
    exclusions: list[str] = []
    for word in ctx.words(args, "terms"):
        if word.lower().startswith(EXCLUDE_WORD):
            phrase = word[len(EXCLUDE_WORD) :].strip()
            if not phrase:
                raise CommandError(f"{word!r}: write the phrase after {EXCLUDE_WORD}")
            exclusions.append(phrase)
        else:
            terms.append(word)
    return list(dict.fromkeys(terms)), list(dict.fromkeys(exclusions))


def _topic_lists(tree: CommentedMap, topic: str) -> tuple[CommentedSeq, CommentedSeq | None]:
    """The topic's term list and exclusion list in the tree being edited, whichever form
    the topic is written in (``[...]`` or ``{terms: [...], exclude: [...]}``)."""
    entry = tree["topics"][topic]
    if isinstance(entry, CommentedMap):
        return entry["terms"], entry.get("exclude")
    return entry, None


def _flow(items: list[str]) -> CommentedSeq:
    listed = CommentedSeq(items)
    listed.fa.set_flow_style()
    return listed


def _excluding(tree: CommentedMap, topic: str) -> CommentedSeq:
    """The topic's exclusion list, the topic rewritten as a mapping first if it is a list."""
    topics = tree["topics"]
    entry = topics[topic]
    if not isinstance(entry, CommentedMap):
        mapping = CommentedMap()
        mapping.fa.set_flow_style()
        mapping["terms"] = entry
        topics[topic] = entry = mapping
    if entry.get("exclude") is None:
        entry["exclude"] = _flow([])
    excluded: CommentedSeq = entry["exclude"]
    return excluded


def _topic_reply(config: Config, topic: str) -> Reply:
    return Reply(f"Topic {topic}: {config.topics.shown(topic)}")


async def topics_add(ctx: Context, args: Arguments) -> Reply:
    topic = _topic_name(ctx, args)
    terms, exclusions = _terms_and_exclusions(ctx, args)
    for term in terms + exclusions:
        try:
            compile_term(term)
        except TermError as exc:
            raise CommandError(str(exc)) from None
    existing = ctx.config.topics.get(topic, ())
    if exclusions and not existing and not terms:
        raise CommandError(f"topic {topic} needs a term before it can exclude a phrase")
    new = [term for term in terms if term not in existing]
    excluded = ctx.config.topics.excluded(topic)
    new_exclusions = [phrase for phrase in exclusions if phrase not in excluded]
    if not new and not new_exclusions:
        return Reply(f"Topic {topic} already has {', '.join(terms + exclusions)}.")

    def add(tree: CommentedMap) -> None:
        topics = tree.setdefault("topics", CommentedMap())
        if topic not in topics:
            topics[topic] = _flow([])
        listed, _ = _topic_lists(tree, topic)
        listed.extend(_quoted(term) for term in new)
        if new_exclusions:
            _excluding(tree, topic).extend(_quoted(phrase) for phrase in new_exclusions)

    return _topic_reply(await ctx.save(add), topic)


def _quoted(term: str) -> str:
    """Terms with more than letters and digits are written in double quotes, as the
    shipped file does ("electric vehicle*", "=EV")."""
    return term if term.replace("-", "").isalnum() else DoubleQuotedScalarString(term)


async def topics_remove(ctx: Context, args: Arguments) -> Reply:
    topic = _topic_name(ctx, args)
    if topic not in ctx.config.topics:
        raise CommandError(f"no topic named {topic!r}")
    terms, exclusions = _terms_and_exclusions(ctx, args)
    missing = [term for term in terms if term not in ctx.config.topics[topic]]
    if missing:
        raise CommandError(f"topic {topic} has no term {missing[0]!r}")
    excluded = ctx.config.topics.excluded(topic)
    missing = [phrase for phrase in exclusions if phrase not in excluded]
    if missing:
        raise CommandError(f"topic {topic} excludes no {missing[0]!r}")
    if not exclusions and (not terms or set(terms) >= set(ctx.config.topics[topic])):
        users = [a.name for a in ctx.config.alerts if topic in a.expression.names()]
        if users:
            raise CommandError(f"alert {users[0]} uses topic {topic}; change or remove it first")
        await ctx.save(lambda tree: tree["topics"].pop(topic))
        return Reply(f"Removed topic {topic}.")
    if set(terms) >= set(ctx.config.topics[topic]):
        raise CommandError(f"topic {topic} would have no term left; remove the topic instead")

    def remove(tree: CommentedMap) -> None:
        listed, excluding = _topic_lists(tree, topic)
        for term in terms:
            listed.remove(term)
        for phrase in exclusions:
            if excluding is not None and phrase in excluding:
                excluding.remove(phrase)
        entry = tree["topics"][topic]
        if isinstance(entry, CommentedMap) and not entry.get("exclude"):
            entry.pop("exclude", None)

    return _topic_reply(await ctx.save(remove), topic)


# -------------------------------------------------------------------------------- alerts


def _split_channels(ctx: Context, text: str) -> tuple[str, list[str]]:
    """``"samsung and ev discord:123"`` -> ("samsung and ev", ["discord:123"]): trailing
    words that name channels (``kind:target``; a chat adapter writes a mention so) are
    channels."""
    words = text.split()
    channels: list[str] = []
    while words and ctx.config.kinds.names_channel(words[-1]):
        channels.insert(0, words.pop())
    return " ".join(words), channels


def _allowed_channels(ctx: Context, channels: list[str]) -> list[str]:
    """From chat, only chat channels of the caller's own platform (default: where the
    command was typed); console, jsonl: and webhooks are set in feeds.yaml only."""
    caller = ctx.caller
    if caller.platform == "cli":
        if not channels:
            raise CommandError("give the alert's channels, e.g. console or jsonl:alerts.jsonl")
        return channels
    if not channels:
        if caller.channel is None:
            raise CommandError("give a channel for the alert")
        channels = [caller.channel]
    for channel in channels:
        if channel.split(":", 1)[0] != caller.platform:
            raise CommandError(
                f"from {caller.platform}, an alert can only post to {caller.platform} channels;"
                f" {channel!r} is set in feeds.yaml only"
            )
    return channels


async def alerts_add(ctx: Context, args: Arguments) -> Reply:
    name = ctx.name(args)
    if any(alert.name == name for alert in ctx.config.alerts):
        raise CommandError(f"an alert named {name!r} already exists")
    match, channels = _split_channels(ctx, ctx.text(args, "match"))
    try:
        expression = parse_expression(match, set(ctx.config.topics))
    except ExpressionError as exc:
        raise CommandError(f"{match!r}: {exc}") from None
    channels = _allowed_channels(ctx, channels)
    for channel in channels:
        try:
            ctx.config.kinds.check(channel)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
    entry = CommentedMap(name=name, match=str(expression))
    listed = CommentedSeq(channels)
    listed.fa.set_flow_style()
    entry["channels"] = listed

    def add(tree: CommentedMap) -> None:
        alerts = tree.get("alerts")
        if not isinstance(alerts, CommentedSeq):
            alerts = tree["alerts"] = CommentedSeq()
        append_to(alerts, entry)

    await ctx.save(add)
    shown = ", ".join(ctx.config.kinds.shown(channel) for channel in channels)
    return Reply(f"Added alert {name}: {expression} → {shown}")


def _known_alert(ctx: Context, name: str) -> None:
    if not any(alert.name == name for alert in ctx.config.alerts):
        raise CommandError(f"no alert named {name!r}")


async def alerts_remove(ctx: Context, args: Arguments) -> Reply:
    name = ctx.name(args)
    _known_alert(ctx, name)
    await ctx.save(lambda tree: tree["alerts"].pop(_alert_entry(tree, name)))
    await ctx.editor.unmute(name)
    return Reply(f"Removed alert {name}.")


async def alerts_mute(ctx: Context, args: Arguments) -> Reply:
    name = ctx.name(args)
    _known_alert(ctx, name)
    duration = ctx.duration(args, "duration")
    assert duration is not None  # a required parameter
    if duration > timedelta(days=365):
        raise CommandError("mute for a year at most; remove the alert instead")
    await ctx.editor.mute(name, ctx.now + duration)
    return Reply(
        f"Alert {name} muted for {format_duration(duration)}: it records matches (news shows "
        "them) but sends nothing."
    )


async def alerts_unmute(ctx: Context, args: Arguments) -> Reply:
    name = ctx.name(args)
    _known_alert(ctx, name)
    if not await ctx.editor.unmute(name):
        return Reply(f"Alert {name} was not muted.")
    return Reply(f"Alert {name} sends again.")


EDITING: dict[str, Handler] = {
    "feeds add": feeds_add,
    "feeds remove": feeds_remove,
    "feeds pause": feeds_pause,
    "feeds resume": feeds_resume,
    "feeds interval": feeds_interval,
    "feeds import": feeds_import,
    "topics add": topics_add,
    "topics remove": topics_remove,
    "alerts add": alerts_add,
    "alerts remove": alerts_remove,
    "alerts mute": alerts_mute,
    "alerts unmute": alerts_unmute,
}
assert set(EDITING) <= set(BY_NAME)
