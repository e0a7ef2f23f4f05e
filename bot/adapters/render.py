"""What the chat adapters share when they draw a message: the alert card, the digest, the
matched terms in bold, text cut to a limit after escaping, colours, and reply pages.

Each platform supplies only its ``Markup`` (how to escape feed text and how to make it
bold); the rest is computed here once, so Discord and Slack show the same alert.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.commands.reply import Reply, ReplyItem
from bot.deals import Deal, card
from bot.match.highlight import surface_spans
from bot.models import AlertMessage, Digest, StorySource
from bot.storytext import story_footer, updated
from bot.text import ELLIPSIS, shorten, single_line

# One colour per alert rule (by its name), from a palette readable on light and dark themes.
_MID_LINE = "\x00"  # stands for the text before a part, for escaping only

PALETTE = (0x5865F2, 0x57F287, 0xFEE75C, 0xEB459E, 0xED4245, 0x3BA55C, 0xFAA61A, 0x00B0F4)


@dataclass(frozen=True, slots=True)
class Markup:
    """A platform's rich-text rules."""

    escape: Callable[[str], str]
    bold: Callable[[str], str]  # receives escaped text


@dataclass(frozen=True, slots=True)
class AlertCard:
    """An alert as every chat platform shows it."""

    id: str
    title: str
    url: str | None
    summary: str
    terms: tuple[str, ...]
    topics: tuple[str, ...]
    source: str
    published: datetime
    rules: tuple[str, ...]
    colour: int
    story: str | None = None
    also: tuple[StorySource, ...] = ()  # the story's other reports
    deal: Deal | None = None
    stage_was: str | None = None

    @classmethod
    def of(cls, message: AlertMessage) -> AlertCard:
        title = single_line(message.title) or "(untitled)"
        return cls(
            id=message.id,
            title=f"Updated: {title}" if updated(message) else title,
            url=message.url,
            summary=message.summary,
            terms=message.terms,
            topics=message.topics,
            source=message.feed,
            published=message.published,
            rules=message.rules,
            colour=rule_colour(message.rules[0] if message.rules else message.feed),
            story=story_footer(message),
            also=message.also_reported,
            deal=message.deal,
            stage_was=message.stage_was,
        )

    @property
    def footer(self) -> str:
        rules = "alert: " + ", ".join(self.rules)
        return f"{rules} · {self.story}" if self.story else rules

    @property
    def deal_headline(self) -> str:
        """The deal's kind and stage, "🤝 partnership · talks", and the stage it moved from;
        "" without a deal."""
        if self.deal is None:
            return ""
        moved = f" (was {self.stage_was})" if self.stage_was else ""
        return card.headline(self.deal) + moved

    @property
    def deal_parts(self) -> tuple[tuple[str, str], ...]:
        """The deal's named parts a card shows beside its headline: Parties, Value."""
        if self.deal is None:
            return ()
        parts = (("Parties", card.parties(self.deal)), ("Value", card.value(self.deal)))
        return tuple((name, value) for name, value in parts if value)


def rule_colour(rule: str) -> int:
    return PALETTE[zlib.crc32(rule.encode()) % len(PALETTE)]


def fit(text: str, limit: int, render: Callable[[str], str]) -> str:
    """``render(shorten(text, n))`` for the largest ``n`` that keeps the result within
    ``limit`` characters: escaping and markup lengthen text, so cut before, measure after
    (a binary search: text full of "&" or "<" may keep far fewer characters than ``limit``)."""
    whole = render(text)
    if len(whole) <= limit:
        return whole
    low, high, best = 0, min(len(text), limit), ""
    while low <= high:
        size = (low + high) // 2
        rendered = render(shorten(text, size))
        if len(rendered) <= limit:
            best, low = rendered, size + 1
        else:
            high = size - 1
    return best


def fit_plain(text: str, limit: int, markup: Markup) -> str:
    """Feed text escaped for the platform, within ``limit``."""
    return fit(text, limit, markup.escape)


def fit_marked(text: str, terms: Sequence[str], limit: int, markup: Markup) -> str:
    """Feed text escaped, with the matched terms in bold, within ``limit``."""
    return fit(text, limit, lambda part: mark_terms(part, terms, markup))


def mark_terms(text: str, terms: Sequence[str], markup: Markup) -> str:
    out: list[str] = []
    position = 0
    for start, end in term_spans(text, terms):
        out.append(_escape_part(text, position, start, markup))
        out.append(markup.bold(_escape_part(text, start, end, markup)))
        position = end
    out.append(_escape_part(text, position, len(text), markup))
    return "".join(out)


def _escape_part(text: str, start: int, end: int, markup: Markup) -> str:
    """Escape ``text[start:end]`` as the middle of a line when it is one: a part that
    starts mid-line must not be escaped as a line start ("- list", "# heading")."""
    if start == 0 or text[start - 1] == "\n":
        return markup.escape(text[start:end])
    return markup.escape(_MID_LINE + text[start:end])[len(_MID_LINE) :]


def term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the matched terms (surface strings the matcher found) occur in ``text``, found
    by the matcher's own rules (``bot.match.highlight``): longest first, without overlaps,
    in order; offsets into ``text`` as given."""
    return surface_spans(text, terms)


# ------------------------------------------------------------------------------ digests


@dataclass(frozen=True, slots=True)
class DigestLine:
    title: str
    url: str | None
    source: str
    rules: tuple[str, ...]


def digest_title(digest: Digest) -> str:
    return f"{len(digest.messages)} more alerts this minute"


def digest_lines(digest: Digest) -> list[DigestLine]:
    return [
        DigestLine(single_line(m.title) or "(untitled)", m.url, m.feed, m.rules)
        for m in digest.messages
    ]


def fold_lines(lines: Sequence[str], limit: int, more: Callable[[int], str]) -> str:
    """As many ``lines`` as fit in ``limit`` characters (joined by newlines), then
    ``more(n)`` naming the ``n`` left out."""
    out: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        tail = len(more(rest)) + 1 if rest else 0
        if used + len(line) + 1 + tail > limit:
            out.append(more(len(lines) - index))
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)[:limit]


# ------------------------------------------------------------------------ reply paging


def paginate(
    reply: Reply, *, items_per_page: int, lines_per_page: int = 100, chars_per_page: int = 3500
) -> list[Reply]:
    """A long reply as pages, each a reply of its own with "(page i/n)" in its title:
    items by count, lines by their length, so no line is lost to a page's limit."""
    item_pages = [
        reply.items[i : i + items_per_page] for i in range(0, len(reply.items), items_per_page)
    ]
    line_pages: list[list[str]] = []
    used = chars_per_page
    for line in reply.lines:
        line = shorten(line, chars_per_page)
        if used + len(line) + 1 > chars_per_page or len(line_pages[-1]) >= lines_per_page:
            line_pages.append([])
            used = 0
        line_pages[-1].append(line)
        used += len(line) + 1
    count = max(len(item_pages), len(line_pages), 1)
    if count == 1:
        return [reply]
    pages: list[Reply] = []
    for index in range(count):
        items: tuple[ReplyItem, ...] = item_pages[index] if index < len(item_pages) else ()
        lines = line_pages[index] if index < len(line_pages) else ()
        pages.append(
            Reply(
                title=f"{reply.title} (page {index + 1}/{count})",
                lines=tuple(lines),
                items=items,
                fields=reply.fields if index == 0 else (),
                ephemeral=reply.ephemeral,
                error=reply.error,
            )
        )
    return pages


__all__ = ["ELLIPSIS", "AlertCard", "Markup", "fit", "fit_marked", "fit_plain", "paginate"]
