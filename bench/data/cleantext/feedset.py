"""The clean-text set's building blocks: an entry as its publisher wrote it, and a feed.

An ``Entry`` keeps the article's own text (``body``) apart from the boilerplate its
publisher wrapped around it (``prefix``/``suffix`` inside the first/last paragraph,
``head``/``inserts``/``tail`` blocks), so that ``make_feeds.py`` can check the labels
against the article's own text. Its labels are written next to it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

# Every feed of the set was fetched at this moment (the "now" of stale items).
FETCHED_AT = datetime(2025, 6, 12, 6, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    """ "2025-06-11 14:05" -> an aware UTC datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@dataclass
class Entry:
    guid: str
    title: str  # the title as the publisher wrote it (invisible characters included)
    link: str
    published: str  # "YYYY-MM-DD HH:MM", UTC
    language: str  # the true language of the item
    body: list[str]  # the article's own paragraphs (inline HTML allowed)
    topics: list[str]  # topics the article's own text should match
    facts: list[list[str]]  # 1-3 facts, each a list of acceptable strings
    cases: list[str]
    note: str = ""
    forbidden: list[str] = field(default_factory=list)
    prefix: str = ""  # boilerplate at the start of the first paragraph (a byline)
    suffix: str = ""  # boilerplate at the end of the last paragraph (a "read more" link)
    head: list[str] = field(default_factory=list)  # boilerplate blocks before the body
    inserts: dict[int, str] = field(default_factory=dict)  # block after body paragraph i
    tail: list[str] = field(default_factory=list)  # boilerplate blocks after the body
    same: tuple[str, str] | None = None  # (feed file, guid) of the same story elsewhere
    author: str = ""
    tags: list[str] = field(default_factory=list)
    link_extra: dict[str, str] = field(default_factory=dict)  # per-format link details
    source: str = ""  # Google News: the publisher's name appended to the title


@dataclass
class Feed:
    file: str
    kind: str  # wordpress, feedburner, blogger, atom, jsonfeed, gnews, rss, yandex, rdf
    content_type: str  # the Content-Type header the server sends
    encoding: str  # the codec of the bytes actually sent
    problem: str  # what is wrong with the document ("-" when nothing at the feed level)
    site: dict[str, str]
    entries: list[Entry]
    declared: str | None = "UTF-8"  # the XML declaration's encoding (None: not declared)
    forbidden: list[str] = field(default_factory=list)  # boilerplate in every entry
    damage: Callable[[bytes], bytes] | None = None  # byte-level damage after encoding


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def google_news_id(url: str | None, amp: str | None = None, opaque_seed: str = "") -> str:
    """An article id as Google News writes it: protobuf (field 4 = the URL, field 26 = its
    AMP URL) in URL-safe base64; since 2024 the URL is replaced by an opaque token."""
    if url is None:
        digest = hashlib.sha256(opaque_seed.encode()).digest() * 3
        token = b"AU_yqL" + base64.urlsafe_b64encode(digest)[:150].rstrip(b"=")
        payload = b"\x08\x13\x22" + _varint(len(token)) + token
    else:
        raw = url.encode()
        payload = b"\x08\x13\x22" + _varint(len(raw)) + raw
        if amp:
            raw_amp = amp.encode()
            payload += b"\xd2\x01" + _varint(len(raw_amp)) + raw_amp
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")
