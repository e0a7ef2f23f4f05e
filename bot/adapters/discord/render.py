"""Alerts, digests and command replies as Discord embeds, within every Discord limit.

Feed text is escaped for Discord markdown (so no feed can make bold text, a masked link, a
heading or a spoiler) and its mentions are broken with a zero-width space; the messages
also go out with ``allowed_mentions`` allowing nothing, so "@everyone" in a feed can
never ping. Text over a limit is cut at a word with "…" after escaping, never refused by
the API.
"""

from __future__ import annotations

import re

import discord
from discord.utils import escape_mentions
from yarl import URL

from bot.adapters.render import (
    AlertCard,
    Markup,
    digest_lines,
    digest_title,
    fit_marked,
    fit_plain,
    fold_lines,
)
from bot.commands.reply import Reply
from bot.models import AlertMessage, Digest
from bot.storytext import MAX_NAMED, sources_line
from bot.text import shorten

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_LIMIT = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
URL_LIMIT = 2048

ERROR_COLOUR = 0xED4245
REPLY_COLOUR = 0x5865F2
NO_MENTIONS = discord.AllowedMentions.none()

# Characters with a meaning anywhere in Discord markdown, escaped one by one (escaping
# whole constructs, as discord.utils.escape_markdown does, misses a masked link that our
# bold splits); with "[" and "]" escaped, no masked link can form. Others only mean
# something at the start of a line.
_MARKDOWN = re.compile(r"([\\*_~|`\[\]<])")
_LINE_START = re.compile(r"^(\s*)([#>\-+]|\d+\.)", re.MULTILINE)


def escape(text: str) -> str:
    """Feed text as Discord shows it literally: no markdown, links, mentions or headings."""
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return escape_mentions(text)


MARKUP = Markup(escape=escape, bold=lambda text: f"**{text}**")


def safe_url(url: str | None) -> str | None:
    """A link Discord accepts in an embed (http(s) with a host, no credentials, no
    spaces, within its limit), else None: an alert without a link beats a refused one."""
    if not url or any(char.isspace() for char in url):
        return None
    try:
        parsed = URL(url)
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    link = str(parsed.with_user(None)) if parsed.user or parsed.password else url
    return link if len(link) <= URL_LIMIT else None


def alert_embed(message: AlertMessage) -> discord.Embed:
    card = AlertCard.of(message)
    embed = discord.Embed(
        title=fit_plain(card.title, TITLE_LIMIT, MARKUP),
        url=safe_url(card.url),
        colour=card.colour,
        timestamp=card.published,
    )
    for name, value in card.deal_parts:
        embed.add_field(name=name, value=fit_plain(value, FIELD_VALUE_LIMIT, MARKUP))
    topics = ", ".join(card.topics) or "-"
    embed.add_field(name="Topics", value=fit_plain(topics, FIELD_VALUE_LIMIT, MARKUP))
    embed.add_field(name="Source", value=fit_plain(card.source, FIELD_VALUE_LIMIT, MARKUP))
    stamp = int(card.published.timestamp())
    embed.add_field(name="Published", value=f"<t:{stamp}:R>")
    if card.also:
        embed.add_field(name="Also reported by", value=_sources(card), inline=False)
    embed.set_footer(text=shorten(card.footer, 200))  # footers show no markdown
    # the deal's headline opens the description, in bold ("🤝 partnership · talks")
    headline = f"**{escape(card.deal_headline)}**\n" if card.deal_headline else ""
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - len(embed)) - len(headline)
    embed.description = headline + fit_marked(card.summary, card.terms, room, MARKUP)
    return embed


def _sources(card: AlertCard) -> str:
    """The story's other reports, each linked, within a field's limit (fewer named
    when the links are long)."""
    for most in range(MAX_NAMED, 0, -1):
        text = sources_line(card.also, _link, most)
        if len(text) <= FIELD_VALUE_LIMIT:
            return text
    return f"+{len(card.also)}"


def _link(label: str, url: str | None) -> str:
    target = safe_url(url)
    return f"[{escape(label)}]({target})" if target else escape(label)


def digest_embed(digest: Digest) -> discord.Embed:
    lines = []
    for line in digest_lines(digest):
        title = fit_plain(line.title, 200, MARKUP)
        url = safe_url(line.url)
        # the text is escaped (no "]" can close it early); the URL cannot close it either
        link = f"[{title}]({url.replace('(', '%28').replace(')', '%29')})" if url else title
        lines.append(f"• {link} · {escape(line.source)}")
    embed = discord.Embed(title=digest_title(digest), colour=REPLY_COLOUR)
    embed.description = fold_lines(
        lines, DESCRIPTION_LIMIT, lambda n: f"…and {n} more: use /news to see them"
    )
    rules = sorted({rule for message in digest.messages for rule in message.rules})
    embed.set_footer(text=shorten("alerts: " + ", ".join(rules), 200))
    return embed


def reply_embeds(reply: Reply) -> list[discord.Embed]:
    """A command reply as embeds: a head with the title, lines and fields, then one per
    item, as many as fit one message (``paginate`` first for long lists). Replies are
    plain text (feed titles, server error messages…), so everything is escaped."""
    colour = ERROR_COLOUR if reply.error else REPLY_COLOUR
    head = discord.Embed(title=fit_plain(reply.title, TITLE_LIMIT, MARKUP), colour=colour)
    if reply.lines:
        lines = [fit_plain(line, DESCRIPTION_LIMIT, MARKUP) for line in reply.lines]
        head.description = fold_lines(lines, DESCRIPTION_LIMIT, lambda n: f"…and {n} more")
    for name, value in reply.fields[:FIELDS_LIMIT]:
        if len(head) > EMBED_TOTAL_LIMIT - FIELD_NAME_LIMIT - FIELD_VALUE_LIMIT:
            break  # the rest would not fit the message's 6000 characters
        head.add_field(
            name=fit_plain(name, FIELD_NAME_LIMIT, MARKUP),
            value=fit_plain(value or "-", FIELD_VALUE_LIMIT, MARKUP),
        )
    embeds = [head]
    budget = EMBED_TOTAL_LIMIT - len(head)
    for item in reply.items[: EMBEDS_PER_MESSAGE - 1]:
        embed = discord.Embed(
            title=fit_plain(item.title, TITLE_LIMIT, MARKUP), url=safe_url(item.url)
        )
        meta = fit_plain(item.meta, 300, MARKUP) if item.meta else ""
        snippet = ""
        if item.snippet is not None:
            snippet = "".join(
                f"**{escape(text)}**" if hit else escape(text) for text, hit in item.snippet.parts
            )
        embed.description = "\n".join(part for part in (meta, snippet[:1000]) if part) or None
        if len(embed) > budget:  # a message's embeds share one 6000-character budget
            break
        budget -= len(embed)
        embeds.append(embed)
    return embeds
