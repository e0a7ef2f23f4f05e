"""Alerts, digests and command replies as Slack Block Kit messages, within every Slack limit.

Feed text is escaped for mrkdwn (``&``, ``<`` and ``>`` become entities), so no feed can
produce ``<!channel>``, ``<!here>``, ``<!everyone>``, a user or channel mention, a date
token or a link whose text hides its address: Slack parses those only between ``<`` and
``>``, and the only ``<…>`` in a message are the links and dates built here, around URLs
that are percent-encoded so that they cannot close the link early. Text over a limit is cut
at a word with "…" after escaping (the shared ``fit_*`` helpers), never refused by Slack.

Limits (https://docs.slack.dev/reference/block-kit/blocks): section text 3000 characters,
header 150, 50 blocks a message, 10 fields a section (2000 each), 10 context elements, and
the message's fallback ``text`` kept within 4000.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

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
from bot.commands.reply import Reply, ReplyItem
from bot.models import AlertMessage, Digest, iso_utc
from bot.storytext import MAX_NAMED, sources_line

Block = dict[str, Any]

SECTION_TEXT_LIMIT = 3000
HEADER_LIMIT = 150
BLOCKS_LIMIT = 50
FALLBACK_TEXT_LIMIT = 4000
CONTEXT_ELEMENTS_LIMIT = 10
FIELDS_PER_SECTION = 10
FIELD_TEXT_LIMIT = 2000

TITLE_LIMIT = 256  # an alert's linked title, like Discord's embed title
CONTEXT_TEXT_LIMIT = 500  # one context element (topics, source…)
URL_LIMIT = 2000  # longer links are shown without the link
DIGEST_SECTIONS = 10  # a digest lists at most this many sections of titles
SNIPPET_LIMIT = 1000

ALERT_EVENT = "dealbot_alert"  # message metadata: the outbox id, to find it after a crash
DIGEST_EVENT = "dealbot_digest"  # the digest id and the ids of the alerts it folds

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape(text: str) -> str:
    """Feed text as Slack shows it literally: ``&``, ``<`` and ``>`` as entities."""
    for char, entity in _ESCAPES:
        text = text.replace(char, entity)
    return text


MARKUP = Markup(escape=escape, bold=lambda text: f"*{text}*")


def safe_url(url: str | None) -> str | None:
    """A feed's link fit for ``<URL|text>``: http(s) only, no credentials, within the
    limit, and no character that could end the link or start another (``|``, ``<``,
    ``>``, spaces are percent-encoded; ``&`` is written ``&amp;``)."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return None
    if not parsed.host:
        return None
    text = str(parsed.with_user(None).with_password(None))
    text = re.sub(r"[|<>\s\"]", lambda m: f"%{ord(m.group()):02X}", text)
    text = text.replace("&", "&amp;")
    return text if len(text) <= URL_LIMIT else None


def link(url: str | None, label: str) -> str:
    """``<url|label>`` with an escaped ``label``, or the label alone without a usable URL."""
    target = safe_url(url)
    return f"<{target}|{label}>" if target else label


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object taken as written: ``verbatim`` stops Slack from turning bare
    "@here", "#channel" or URLs in feed text into mentions and links by itself."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text[:SECTION_TEXT_LIMIT])}


def header(text: str) -> Block:
    """A header block; ``text`` is plain text (escaped like the rest, and cut to fit)."""
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": fit_plain(text, HEADER_LIMIT, MARKUP) or "…"},
    }


def context(texts: Sequence[str]) -> Block:
    elements = [
        mrkdwn(text[:CONTEXT_TEXT_LIMIT]) for text in texts[:CONTEXT_ELEMENTS_LIMIT] if text
    ]
    return {"type": "context", "elements": elements}


def date_token(card: AlertCard) -> str:
    """How long ago, in each reader's own time zone; the UTC time where it cannot show."""
    stamp = int(card.published.timestamp())
    return f"<!date^{stamp}^{{ago}}|{iso_utc(card.published)}>"


# --------------------------------------------------------------------------- alerts


def alert_blocks(message: AlertMessage) -> list[Block]:
    """A section with the linked title and the summary (matched terms in bold), the deal in a
    context line of its own when there is one, and a context line with topics, source, age
    and the rules that sent it."""
    card = AlertCard.of(message)
    title = f"*{link(card.url, fit_plain(card.title, TITLE_LIMIT, MARKUP))}*"
    room = SECTION_TEXT_LIMIT - len(title) - 1
    summary = fit_marked(card.summary, card.terms, room, MARKUP) if card.summary else ""
    text = f"{title}\n{summary}" if summary else title
    topics = ", ".join(card.topics) or "-"
    also = [context([_sources(card)])] if card.also else []
    return [
        section(text),
        *also,
        *_deal_context(card),
        context(
            [
                fit_plain(f"topics: {topics}", CONTEXT_TEXT_LIMIT, MARKUP),
                fit_plain(card.source, CONTEXT_TEXT_LIMIT, MARKUP),
                date_token(card),
                fit_plain(card.footer, CONTEXT_TEXT_LIMIT, MARKUP),
            ]
        ),
    ]


def _sources(card: AlertCard) -> str:
    """ "Also reported by: <url|heise (de)> · …", each linked, within a context text."""
    for most in range(MAX_NAMED, 0, -1):
        line = "Also reported by: " + sources_line(card.also, _link, most)
        if len(line) <= CONTEXT_TEXT_LIMIT:
            return line
    return f"Also reported by: +{len(card.also)}"


def _link(label: str, url: str | None) -> str:
    return link(url, fit_plain(label, CONTEXT_TEXT_LIMIT // 4, MARKUP))


def _deal_context(card: AlertCard) -> list[Block]:
    """The deal in a context block: its headline, parties and value; none without a deal."""
    if not card.deal_headline:
        return []
    texts = [f"*{escape(card.deal_headline)}*"]
    texts += [fit_plain(f"{name.lower()}: {value}", CONTEXT_TEXT_LIMIT, MARKUP)
              for name, value in card.deal_parts]  # fmt: skip
    return [context(texts)]


def alert_text(message: AlertMessage) -> str:
    """The fallback ``text`` (notifications, screen readers): title and source."""
    card = AlertCard.of(message)
    return fit_plain(f"{card.title} ({card.source})", FALLBACK_TEXT_LIMIT, MARKUP)


def alert_metadata(message: AlertMessage) -> dict[str, Any]:
    return {"event_type": ALERT_EVENT, "event_payload": {"id": message.id}}


# -------------------------------------------------------------------------- digests


def digest_blocks(digest: Digest) -> list[Block]:
    """A header, the alerts' linked titles (as many sections as fit), the rules."""
    lines = [
        f"• {link(line.url, fit_plain(line.title, TITLE_LIMIT, MARKUP))} · {escape(line.source)}"
        for line in digest_lines(digest)
    ]
    rules = sorted({rule for message in digest.messages for rule in message.rules})
    return [
        header(digest_title(digest)),
        *(
            section(text)
            for text in line_sections(
                lines, DIGEST_SECTIONS, lambda n: f"…and {n} more: use /news to see them"
            )
        ),
        context([fit_plain("alerts: " + ", ".join(rules), CONTEXT_TEXT_LIMIT, MARKUP)]),
    ]


def digest_text(digest: Digest) -> str:
    titles = [f"• {escape(line.title)}" for line in digest_lines(digest)]
    head = escape(digest_title(digest))
    return fold_lines([head, *titles], FALLBACK_TEXT_LIMIT, lambda n: f"…and {n} more")


def digest_metadata(digest: Digest) -> dict[str, Any]:
    ids = " ".join(message.id for message in digest.messages)
    return {"event_type": DIGEST_EVENT, "event_payload": {"id": digest.id, "alerts": ids}}


def line_sections(lines: Sequence[str], most: int, more: Callable[[int], str]) -> list[str]:
    """``lines`` packed into at most ``most`` section texts of at most 3000 characters;
    the last names how many did not fit."""
    texts: list[str] = []
    rest = list(lines)
    while rest and len(texts) < most - 1:
        taken = _lines_that_fit(rest, SECTION_TEXT_LIMIT)
        texts.append("\n".join(rest[:taken])[:SECTION_TEXT_LIMIT])
        rest = rest[taken:]
    if rest:
        texts.append(fold_lines(rest, SECTION_TEXT_LIMIT, more))
    return texts


def _lines_that_fit(lines: Sequence[str], limit: int) -> int:
    used = 0
    for index, line in enumerate(lines):
        used += len(line) + (1 if index else 0)
        if used > limit:
            return max(index, 1)  # a single over-long line is cut by the caller
    return len(lines)


# -------------------------------------------------------------------------- replies


def reply_blocks(reply: Reply) -> list[Block]:
    """A command reply (one page: ``paginate`` first): the title, its lines, its fields,
    then one section per item. Replies carry feed titles and server messages, so every
    piece of text is escaped."""
    blocks: list[Block] = [_reply_title(reply)]
    if any(line.strip() for line in reply.lines):
        lines = [fit_plain(line, SECTION_TEXT_LIMIT, MARKUP) for line in reply.lines]
        texts = line_sections(lines, 20, _more)
        blocks += [section(text) for text in texts if text.strip()]  # Slack refuses empty text
    for start in range(0, len(reply.fields), FIELDS_PER_SECTION):
        chunk = reply.fields[start : start + FIELDS_PER_SECTION]
        blocks.append({"type": "section", "fields": [_field(name, value) for name, value in chunk]})
    room = BLOCKS_LIMIT - len(blocks)
    blocks += [_item_section(item) for item in reply.items[:room]]
    return blocks[:BLOCKS_LIMIT]


def reply_text(reply: Reply) -> str:
    return fit_plain(reply.plain_text(), FALLBACK_TEXT_LIMIT, MARKUP)


def _more(count: int) -> str:
    return f"…and {count} more"


def _reply_title(reply: Reply) -> Block:
    if reply.error:
        return section(":warning: " + fit_plain(reply.title, SECTION_TEXT_LIMIT - 12, MARKUP))
    if len(escape(reply.title)) <= HEADER_LIMIT:
        return header(reply.title)
    return section(f"*{fit_plain(reply.title, SECTION_TEXT_LIMIT - 2, MARKUP)}*")


def _field(name: str, value: str) -> dict[str, Any]:
    head = f"*{fit_plain(name, 200, MARKUP)}*\n"
    body = fit_plain(value or "-", FIELD_TEXT_LIMIT - len(head), MARKUP)
    return mrkdwn(head + body)


def _item_section(item: ReplyItem) -> Block:
    parts = [f"*{link(item.url, fit_plain(item.title, TITLE_LIMIT, MARKUP))}*"]
    if item.meta:
        parts.append(fit_plain(item.meta, 300, MARKUP))
    if item.snippet is not None:
        parts.append(_snippet(item.snippet.parts))
    return section("\n".join(parts))


def _snippet(parts: Sequence[tuple[str, bool]]) -> str:
    """A search snippet with its hits in bold, within ``SNIPPET_LIMIT``; cut between
    parts so that no bold marker is left open."""
    out = ""
    for text, hit in parts:
        piece = f"*{escape(text)}*" if hit and text.strip() else escape(text)
        if len(out) + len(piece) > SNIPPET_LIMIT:
            room = SNIPPET_LIMIT - len(out)
            if not hit:
                out += fit_plain(text, room, MARKUP)
            break
        out += piece
    return out
