"""Fetched bytes -> ParsedFeed: the one place that knows feed parsers, plus a JSON Feed reader.

``parse_feed`` is a pure, synchronous function of (bytes, URL, headers) so that it can run in
a worker thread or process. RSS 2.0 and Atom 1.0 go to fastfeedparser when it reads the
document exactly as feedparser would (see the guards above ``_read_fast``), everything else
to feedparser; both give their entries to the same reading (``_Entry``). feedparser is
always handed a file object over the bytes: given ``bytes`` it would try them as a local
path, given ``str`` it may open a URL; fastfeedparser gets bytes, never a ``str`` (which it
would fetch when it starts with http). The response headers go with them so that the
declared encoding and the base URL of relative links apply.

Every entry becomes one ``Item``: plain-text title and text (HTML removed, entities decoded,
even when double-escaped), absolute link, canonical link, aware UTC time, language, author,
and a dedupe key (entry id, else canonical link, else a hash of title and date).
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import feedparser

from bot.errors import ParseError
from bot.ingest.clean import Cleaned, clean_article
from bot.ingest.decode import Decoded, decode_document, sanitize_references
from bot.ingest.language import with_languages
from bot.models import Item, ParsedFeed
from bot.text import (
    absolute_url,
    canonical_url,
    html_to_text,
    primary_language,
    public_url,
    single_line,
    strip_invisible,
)
from bot.urls import article_url

log = logging.getLogger(__name__)

MAX_ITEMS = 1000  # per document; the rest are ignored
MAX_TEXT = 50_000  # characters of item text kept for matching and summaries
MAX_TITLE = 1_000
# Markup is cut to these many characters before it is read as HTML: a 1.3 MB body of nested
# escaped tags must cost no more than a long article.
MAX_BODY_MARKUP = 300_000
MAX_SHORT_MARKUP = 10_000  # titles, authors
MAX_ID = 300  # longer entry ids are hashed
# Seconds of CPU one document may take. A 10 MB document of hostile nested markup takes
# about 6 s on a slow core; past the budget the feed fails with a reason, polite and whole.
PARSE_BUDGET = 30.0

_JSON_FEED_TYPES = ("application/feed+json", "application/json", "text/json")

Parser = Literal["auto", "feedparser", "fastfeedparser"]


def parse_feed(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    budget: float | None = None,
    *,
    parser: Parser = "auto",
) -> ParsedFeed:
    """Parse a fetched document; raise ParseError when it is not a feed, or when reading
    its entries takes more than ``budget`` seconds (default: ``PARSE_BUDGET``).

    RSS and Atom go to fastfeedparser when it reads them as feedparser would, else to
    feedparser; ``parser`` forces one (for comparing them: a document that fastfeedparser
    must not read then raises ParseError)."""
    headers = {key.lower(): value for key, value in (headers or {}).items()}
    deadline = _Deadline(PARSE_BUDGET if budget is None else budget)
    decoded = decode_document(body, headers.get("content-type"))
    if _looks_like_json(decoded.document, headers.get("content-type", "")):
        return _parse_json_feed(decoded, url, headers, deadline)
    return _parse_xml_feed(decoded, url, headers, deadline, parser)


class _Deadline:
    """The time budget of one parse, checked between entries."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.ends = time.monotonic() + budget

    def entries(self, entries: Sequence[Any]) -> Iterator[Any]:
        for done, entry in enumerate(entries):
            if time.monotonic() > self.ends:
                raise ParseError(
                    f"too heavy to read: parsing took over {self.budget:g} s "
                    f"(stopped after {done} of {len(entries)} entries)"
                )
            yield entry


# ------------------------------------------------------------------------------ RSS/Atom


@dataclass(frozen=True, slots=True)
class _Entry:
    """What dealbot reads of one RSS/Atom entry, whichever parser read it."""

    entry_id: str | None
    title: str  # markup, or text that may hold entities
    body: str  # the longest of the entry's bodies (markup)
    link: str | None
    origlink: str | None  # FeedBurner's original link
    source: str  # the name of the entry's source (RSS <source>), or ""
    published: datetime | None
    language: str | None  # xml:lang or Content-Language of its text
    author: str | None


@dataclass(frozen=True, slots=True)
class _Document:
    """An RSS/Atom document as a parser read it: its raw entries and how to read one."""

    version: str
    title: str
    link: str | None
    language: str | None
    entries: Sequence[Any]
    entry: Callable[[Any], _Entry]
    warning: str | None = None


_CHARSET = re.compile(r";\s*charset\s*=[^;]*", re.IGNORECASE)


def _parse_xml_feed(
    decoded: Decoded, url: str, headers: dict[str, str], deadline: _Deadline, parser: Parser
) -> ParsedFeed:
    body = sanitize_references(decoded.document)
    document = None
    if parser != "feedparser":
        document = _read_fast(body, url, headers)
        if document is None and parser == "fastfeedparser":
            raise ParseError("not for fastfeedparser: read it with feedparser")
    if document is None:
        document = _read_feedparser(body, url, headers)
    feed_language = primary_language(document.language or headers.get("content-language"))
    feed_link = absolute_url(document.link, url) or public_url(url)
    items = _unique(
        _guarded(_xml_item, document.entry, entry, url, feed_language, feed_link)
        for entry in deadline.entries(document.entries[:MAX_ITEMS])
    )
    warning = "; ".join(filter(None, (decoded.note, document.warning))) or None
    return ParsedFeed(
        format=document.version,
        title=single_line(_plain(document.title, MAX_SHORT_MARKUP))[:MAX_TITLE],
        link=feed_link,
        language=feed_language,
        items=with_languages(items),
        warning=warning,
    )


def _xml_item(
    read: Callable[[Any], _Entry], raw: Any, base: str, feed_language: str | None, feed_link: str
) -> Item | None:
    entry = read(raw)
    title = _without_source(_plain(entry.title, MAX_SHORT_MARKUP)[:MAX_TITLE], entry.source)
    link = absolute_url(entry.link, base) or _url_or_none(entry.entry_id)
    # FeedBurner's origLink, Google News' url=: the publisher's own article
    link = absolute_url(article_url(link, original=entry.origlink), None) or link
    return _item(
        entry_id=entry.entry_id,
        title=title,
        body=_article(entry.body),
        link=link,
        fallback_link=feed_link,
        published=entry.published,
        language=primary_language(entry.language or feed_language),
        author=entry.author,
    )


_TITLE_SEPARATORS = (" - ", " – ", " — ", " | ", " · ")


def _without_source(title: str, name: str) -> str:
    """An aggregator's title without the source name it appends ("Title - Reuters"), when
    the entry names its source (RSS ``<source>``, as Google News writes it)."""
    if not name:
        return title
    for separator in _TITLE_SEPARATORS:
        suffix = f"{separator}{name}"
        if title.rstrip().endswith(suffix) and len(title.rstrip()) > len(suffix):
            return title.rstrip()[: -len(suffix)].rstrip()
    return title


def _url_or_none(value: str | None) -> str | None:
    """An entry id that is itself an http(s) URL (common in Atom) can serve as its link."""
    return (
        absolute_url(value, None) if value and value.startswith(("http://", "https://")) else None
    )


# feedparser: reads anything, slowly


def _read_feedparser(body: bytes, url: str, headers: dict[str, str]) -> _Document:
    response_headers = {"content-location": url}
    if "content-language" in headers:
        response_headers["content-language"] = headers["content-language"]
    if "content-type" in headers:  # the document is UTF-8 now, whatever the server said
        media_type = _CHARSET.sub("", headers["content-type"]).strip()
        response_headers["content-type"] = f"{media_type}; charset=utf-8"
    try:
        # Item HTML becomes plain text here (bot.text), so feedparser need not rewrite it:
        # its sanitizer and link resolver would parse every body a second time, in Python.
        document = feedparser.parse(
            io.BytesIO(body),
            response_headers=response_headers,
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as exc:  # feedparser's fallback parser raises on what it cannot read
        raise ParseError(f"not a feed: unreadable ({type(exc).__name__}: {exc})") from None
    entries = document.get("entries", [])
    version = document.get("version", "")
    if not version and not entries:
        raise ParseError(_not_a_feed_reason(body, document))
    channel = document.get("feed", {})
    warning = None
    if document.get("bozo") and not isinstance(document.get("bozo_exception"), _HARMLESS):
        warning = f"malformed feed, parsed anyway: {_describe(document.get('bozo_exception'))}"
    return _Document(
        version=version or "unknown",
        title=channel.get("title", ""),
        link=channel.get("link"),
        language=channel.get("language"),
        entries=entries,
        entry=_feedparser_entry,
        warning=warning,
    )


def _feedparser_entry(entry: Any) -> _Entry:
    source = entry.get("source")
    # dict.get: FeedParserDict.get would alias the keys and warn about it
    published = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    return _Entry(
        entry_id=entry.get("id") or entry.get("guid"),
        title=entry.get("title", ""),
        body=_longest_body(entry),
        link=entry.get("link"),
        origlink=entry.get("feedburner_origlink"),
        source=str(source.get("title", "")).strip() if isinstance(source, dict) else "",
        published=_struct_to_datetime(published),
        language=_detail_language(entry, "summary_detail")
        or _detail_language(entry, "title_detail"),
        author=entry.get("author"),
    )


def _not_a_feed_reason(body: bytes, document: Any) -> str:
    head = body[:2048].lstrip().lower()
    if not head:
        return "not a feed: the response is empty"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "not a feed: the URL returned an HTML page"
    problem = document.get("bozo_exception")
    return f"not a feed: {_describe(problem)}" if problem else "not a feed"


# What feedparser flags that says nothing about the document: a media type that is not an
# XML one (servers send text/html, application/octet-stream) and the charset it was given.
_HARMLESS = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


def _describe(problem: object) -> str:
    text = str(problem) if problem is not None else "unknown problem"
    return text.replace("<unknown>:", "line ")


def _longest_body(entry: Any) -> str:
    candidates: list[str] = [str(part.get("value", "")) for part in entry.get("content") or []]
    candidates.append(str(entry.get("summary", "")))
    return max(candidates, key=len)


def _detail_language(entry: Any, key: str) -> str | None:
    detail = entry.get(key)
    return detail.get("language") if detail else None


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


# fastfeedparser: lxml and a native extractor, 30 to 100 times faster than feedparser. It
# reads RSS 2.0 and Atom 1.0; what it would read otherwise than feedparser goes to feedparser
# (bench/parser_compare.py measures both over the real-feed corpus and the tests' documents;
# bench/README.md has the figures):
# * a DTD: lxml is told not to resolve entities, but feedparser is the reader whose handling
#   of entity bombs and external entities the tests pin down;
# * xml:base, and xml:lang below the root element (feedparser applies them per element);
#   FeedBurner's origLink and RSS <source> (fastfeedparser does not read them);
# * HTML written as elements, not escaped (lxml's text of an element stops at its first tag);
# * ids, dates and permalink flags on only some entries: fastfeedparser gives an entry
#   without an id its link as id (a different dedupe key), guesses a date from a guid, and
#   does not say which guid is a permalink (feedparser resolves those against the feed URL);
# * an entry without a link or without a body (feedparser looks in more places);
# * two author elements in an entry, or an Atom author's email (feedparser's author then
#   differs).

_PROLOG = re.compile(rb"\A(?:\s++|<\?[^>]*+>|<!--.*?-->)*+", re.DOTALL)
_ROOT = re.compile(rb"<([A-Za-z_][-\w.]*+(?::[A-Za-z_][-\w.]*+)?)([^>]*+)>")
_RSS_VERSION = re.compile(rb"""\sversion\s*=\s*["']2\.0["']""")
_ATOM_NAMESPACE = re.compile(rb"""\sxmlns\s*=\s*["']http://www\.w3\.org/2005/Atom["']""")
_ROOT_LANGUAGE = re.compile(rb"""\sxml:lang\s*=\s*["']([^"'<>]{0,40})["']""")
_FEEDPARSER_ONLY = (b"xml:base", b"feedburner", b"<source", b"<!ENTITY", b"<!DOCTYPE", b"<!doctype")
_HTML_ELEMENTS = (
    "a abbr acronym address area article aside audio b bdi bdo big blockquote body br button"
    " caption center cite code col colgroup dd del details dfn div dl dt em embed figcaption"
    " figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd"
    " main map mark nav noscript object ol option p picture pre q rp rt ruby s samp script"
    " section select small span strike strong style sub sup svg table tbody td textarea tfoot"
    " th thead tr tt u ul var video wbr"
)
_HTML_NAMES = frozenset(_HTML_ELEMENTS.split())
_TAG_OR_CDATA = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|<([A-Za-z][-\w.]*+(?::[A-Za-z][-\w.]*+)?)", re.DOTALL
)
_CHANNEL_LANGUAGE = re.compile(rb"<(?:dc:)?language>\s*+([^<>]{0,40}?)\s*+</")
_RSS_LINK = re.compile(rb"<link>\s*+([^<>]{1,2000}?)\s*+</link>")
_ATOM_LINK = re.compile(rb"<link\s([^<>]{0,2000})>")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FIRST_ENTRY = {"rss20": b"<item", "atom10": b"<entry"}
_ENTRY_IDS = {"rss20": re.compile(rb"<guid[\s>]"), "atom10": re.compile(rb"<id[\s>]")}
_AUTHORS = re.compile(rb"<(?:author|dc:creator|itunes:author)[\s>]")
_GUID = re.compile(rb"<guid(\s[^<>]*+)?>")
_NOT_PERMALINK = re.compile(rb"""\s(?i:ispermalink)\s*=\s*["'](?!true["'])""")
# the elements fastfeedparser takes an entry's date from, whatever their prefix
_DATES = re.compile(
    rb"<(?:[A-Za-z][-\w.]*+:)?(?:pubDate|pubdate|date|published|updated|issued|modified"
    rb"|lastBuildDate|lastbuilddate)[\s>]"
)


def _read_fast(body: bytes, url: str, headers: dict[str, str]) -> _Document | None:
    """The document as fastfeedparser reads it, or None when feedparser must read it."""
    prolog = _PROLOG.match(body)
    root = _ROOT.match(body, prolog.end() if prolog else 0)
    if root is None:
        return None
    name, attributes = root.group(1), root.group(2)
    if name == b"rss" and _RSS_VERSION.search(attributes):
        version = "rss20"
    elif name == b"feed" and _ATOM_NAMESPACE.search(attributes):
        version = "atom10"
    else:
        return None
    if any(marker in body for marker in _FEEDPARSER_ONLY):  # `in`: 10 MB in a millisecond
        return None
    if body.count(b"xml:lang", root.end()) or _holds_html_elements(body):
        return None
    first_entry = body.find(_FIRST_ENTRY[version])
    if first_entry < 0:
        return None
    permalinks = _permalink_ids(body, first_entry) if version == "rss20" else True
    if permalinks is None:
        return None
    import fastfeedparser  # here: only the parse workers need it

    try:
        document = fastfeedparser.parse(
            body, include_tags=False, include_media=False, include_enclosures=False
        )
    except Exception:  # whatever fastfeedparser cannot read, feedparser may
        return None
    entries = document.get("entries") or []
    if not entries or not all(entry.get("link") for entry in entries):
        return None
    if not all(entry.get("description") or entry.get("content") for entry in entries):
        return None
    ids = _on_every_entry(_ENTRY_IDS[version], body, first_entry, len(entries))
    dates = _on_every_entry(_DATES, body, first_entry, len(entries))
    if ids is None or dates is None or (ids and not all(entry.get("id") for entry in entries)):
        return None
    if len(_AUTHORS.findall(body, first_entry)) > len(entries) or (
        version == "atom10" and b"<email" in body
    ):
        return None
    root_language = _ROOT_LANGUAGE.search(attributes)
    language = root_language.group(1).decode("utf-8", "replace") if root_language else None
    declared_language = _CHANNEL_LANGUAGE.search(body, 0, first_entry)
    if declared_language:
        language = declared_language.group(1).decode("utf-8", "replace")
    channel = document.get("feed") or {}
    return _Document(
        version=version,
        title=channel.get("title") or "",
        link=_channel_link(body[:first_entry], version),
        language=language,
        entries=entries,
        entry=_FastEntries(
            base=url,
            language=(root_language.group(1).decode("utf-8", "replace") if root_language else None)
            or headers.get("content-language"),
            ids=ids,
            resolve_ids=permalinks,
            dates=dates,
        ),
    )


def _on_every_entry(
    element: re.Pattern[bytes], body: bytes, start: int, entries: int
) -> bool | None:
    """True when the entries have this element (as many as there are entries or more), False
    when none has it, None when only some may have it."""
    found = len(element.findall(body, start))
    return None if 0 < found < entries else found > 0


def _permalink_ids(body: bytes, start: int) -> bool | None:
    """Whether feedparser resolves the guids against the feed URL (isPermaLink absent or
    "true"); None when it does for some and not for others."""
    flags = {
        _NOT_PERMALINK.search(found.group(1) or b"") is None
        for found in _GUID.finditer(body, start)
    }
    return None if len(flags) > 1 else flags != {False}


def _channel_link(head: bytes, version: str) -> str | None:
    """The feed's own page, as feedparser reads it: RSS <link>; Atom's alternate link."""
    if version == "rss20":
        found = _RSS_LINK.search(head)
        return found.group(1).decode("utf-8", "replace") if found else None
    for link in _ATOM_LINK.finditer(head):
        attributes = {
            key.lower(): double or single
            for key, double, single in _ATTRIBUTE.findall(link.group(1))
        }
        if attributes.get(b"rel", b"alternate") == b"alternate" and attributes.get(b"href"):
            return html.unescape(attributes[b"href"].decode("utf-8", "replace"))
    return None


def _holds_html_elements(body: bytes) -> bool:
    """Whether the document has HTML elements outside CDATA sections."""
    for found in _TAG_OR_CDATA.finditer(body):
        name = found.group(1)
        if name is not None:
            prefix, _, local = name.lower().rpartition(b":")
            if local.decode("ascii", "replace") in _HTML_NAMES and prefix in (b"", b"xhtml"):
                return True
    return False


@dataclass(frozen=True, slots=True)
class _FastEntries:
    """Reads one fastfeedparser entry as feedparser would have read it."""

    base: str  # the feed's URL, which feedparser resolves permalink ids against
    language: str | None  # the root's xml:lang, else the Content-Language
    ids: bool  # whether the entries have ids of their own
    resolve_ids: bool
    dates: bool  # whether the entries have dates of their own

    def __call__(self, entry: Any) -> _Entry:
        bodies = [str(part.get("value") or "") for part in entry.get("content") or []]
        bodies.append(str(entry.get("description") or ""))
        entry_id = entry.get("id") if self.ids else None
        if entry_id and self.resolve_ids:
            entry_id = feedparser.urls._urljoin(self.base, entry_id)
        published = None
        if self.dates:
            published = _iso_datetime(entry.get("published") or entry.get("updated") or "")
        return _Entry(
            entry_id=entry_id,
            title=entry.get("title") or "",
            body=max(bodies, key=len),
            link=entry.get("link"),
            origlink=None,
            source="",
            # feedparser's dates are whole seconds
            published=published.replace(microsecond=0) if published else None,
            language=self.language,
            author=entry.get("author"),
        )


# ---------------------------------------------------------------------------- JSON Feed


def _looks_like_json(body: bytes, content_type: str) -> bool:
    if any(kind in content_type.lower() for kind in _JSON_FEED_TYPES):
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _parse_json_feed(
    decoded: Decoded, url: str, headers: dict[str, str], deadline: _Deadline
) -> ParsedFeed:
    try:
        # invalid UTF-8 costs only the characters it spoils, not the feed
        data = json.loads(decoded.document.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        raise ParseError(f"not a feed: invalid JSON ({exc})") from None
    except RecursionError:
        raise ParseError("not a feed: JSON nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ParseError("not a feed: JSON without an 'items' list")
    version = str(data.get("version", ""))
    feed_language = primary_language(_text(data.get("language")) or headers.get("content-language"))
    feed_link = absolute_url(_text(data.get("home_page_url")), url) or public_url(url)
    items = _unique(
        _guarded(_json_item, entry, url, feed_language, feed_link)
        for entry in deadline.entries(data["items"][:MAX_ITEMS])
        if isinstance(entry, dict)
    )
    return ParsedFeed(
        format="json11" if version.endswith("1.1") else "json1",
        title=single_line(_plain(_text(data.get("title")), MAX_SHORT_MARKUP))[:MAX_TITLE],
        link=feed_link,
        language=feed_language,
        items=with_languages(items),
        warning=decoded.note,
    )


def _json_item(
    entry: dict[str, Any], base: str, feed_language: str | None, feed_link: str
) -> Item | None:
    body = _text(entry.get("content_html")) or _text(entry.get("content_text"))
    body = body or _text(entry.get("summary"))
    link = absolute_url(_text(entry.get("url")) or _text(entry.get("external_url")), base)
    link = absolute_url(article_url(link), None) or link
    published = _iso_datetime(
        _text(entry.get("date_published")) or _text(entry.get("date_modified"))
    )
    return _item(
        entry_id=_text(entry.get("id")),
        title=_plain(_text(entry.get("title")), MAX_SHORT_MARKUP)[:MAX_TITLE],
        body=_article(body),
        link=link,
        fallback_link=feed_link,
        published=published,
        language=primary_language(_text(entry.get("language"))) or feed_language,
        author=_json_author(entry),
    )


def _json_author(entry: dict[str, Any]) -> str | None:
    authors = entry.get("authors")
    author = authors[0] if isinstance(authors, list) and authors else entry.get("author")
    if not isinstance(author, dict):
        return None
    return _text(author.get("name")) or None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text(value: object) -> str:
    """A JSON value as text: strings as they are (a lone surrogate, which JSON can escape but
    nothing can store, becomes U+FFFD), numbers as digits, anything else empty."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _iso_datetime(value: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        parsed = feedparser.datetimes._parse_date(value)  # RFC 822 and other feed date forms
        return _struct_to_datetime(parsed)
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 shifted out of range by its offset
        return None


# --------------------------------------------------------------------------------- items


def _guarded(make: Any, entry: Any, *args: Any) -> Item | None:
    """One entry that cannot be read (a date out of range, an absurd id…) is skipped;
    it never costs the rest of the feed."""
    try:
        item: Item | None = make(entry, *args)
    except Exception as exc:  # whatever it is, it is this entry's: the others go on
        log.debug("skipped an unreadable entry: %s: %s", type(exc).__name__, exc)
        return None
    return item


def _plain(markup: str, limit: int = MAX_SHORT_MARKUP) -> str:
    """Plain text of at most ``limit`` characters of markup."""
    return html_to_text(markup[:limit]) if markup else ""


def _article(markup: str) -> Cleaned:
    """The article text of an entry body, boilerplate removed (bot.ingest.clean)."""
    if not markup:
        return Cleaned("")
    cleaned = clean_article(markup[:MAX_BODY_MARKUP])
    return Cleaned(cleaned.text[:MAX_TEXT], cleaned.removed)


def _item(
    *,
    entry_id: str | None,
    title: str,
    body: Cleaned,
    link: str | None,
    fallback_link: str,
    published: datetime | None,
    language: str | None,
    author: str | None,
) -> Item | None:
    """An Item, or None for an entry with nothing in it.

    An entry without a link of its own gets the feed's page as its link, but no canonical
    link: that would make every such entry of the feed one story."""
    title = single_line(strip_invisible(title))
    text = body.text
    if not (title or text or link):
        return None
    canonical = canonical_url(link)
    return Item(
        key=dedupe_key(entry_id, canonical, title, published, text),
        title=title,
        text=text,
        link=link or fallback_link,
        canonical_url=canonical,
        published=published,
        language=language,
        author=_author_name(author),
        removed=body.removed,
    )


def _author_name(author: str | None) -> str | None:
    name = single_line(strip_invisible(_plain(author or "")))[:200]
    return name or None


def dedupe_key(
    entry_id: str | None,
    canonical: str | None,
    title: str,
    published: datetime | None,
    text: str = "",
) -> str:
    """The key that makes an item new once within its feed."""
    entry_id = (entry_id or "").strip()
    if entry_id:
        return "id:" + (entry_id if len(entry_id) <= MAX_ID else _digest(entry_id))
    if canonical:
        return "url:" + (canonical if len(canonical) <= MAX_ID else _digest(canonical))
    stamp = published.isoformat() if published else ""
    return "hash:" + _digest(f"{title}\n{stamp}\n{'' if title else text[:500]}")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _unique(items: Iterable[Item | None]) -> list[Item]:
    """Drop empty entries and repeated keys (the first occurrence wins)."""
    seen: set[str] = set()
    unique: list[Item] = []
    for item in items:
        if item is not None and item.key not in seen:
            seen.add(item.key)
            unique.append(item)
    return unique
