"""Fetched bytes -> ParsedFeed: the one user of feedparser, plus a JSON Feed reader.

``parse_feed`` is a pure, synchronous function of (bytes, URL, headers) so that it can run in
a worker thread or process. feedparser is always handed a file object over the bytes: given
``bytes`` it would try them as a local path, given ``str`` it may open a URL. The response
headers go with them so that the declared encoding and the base URL of relative links apply.

Every entry becomes one ``Item``: plain-text title and text (HTML removed, entities decoded,
even when double-escaped), absolute link, canonical link, aware UTC time, language, author,
and a dedupe key (entry id, else canonical link, else a hash of title and date).
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import logging
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import feedparser

from bot.errors import ParseError
from bot.ingest.clean import Cleaned, clean_article
from bot.ingest.decode import Decoded, decode_document, sanitize_references
from bot.ingest.language import item_language
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


def parse_feed(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    budget: float | None = None,
) -> ParsedFeed:
    """Parse a fetched document; raise ParseError when it is not a feed, or when reading
    its entries takes more than ``budget`` seconds (default: ``PARSE_BUDGET``)."""
    headers = {key.lower(): value for key, value in (headers or {}).items()}
    deadline = _Deadline(PARSE_BUDGET if budget is None else budget)
    decoded = decode_document(body, headers.get("content-type"))
    if _looks_like_json(decoded.document, headers.get("content-type", "")):
        return _parse_json_feed(decoded, url, headers, deadline)
    return _parse_xml_feed(decoded, url, headers, deadline)


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


_CHARSET = re.compile(r";\s*charset\s*=[^;]*", re.IGNORECASE)


def _parse_xml_feed(
    decoded: Decoded, url: str, headers: dict[str, str], deadline: _Deadline
) -> ParsedFeed:
    body = decoded.document
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
            io.BytesIO(sanitize_references(body)),
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
    feed_language = primary_language(channel.get("language") or headers.get("content-language"))
    feed_link = absolute_url(channel.get("link"), url) or public_url(url)
    items = _unique(
        _guarded(_xml_item, entry, url, feed_language, feed_link)
        for entry in deadline.entries(entries[:MAX_ITEMS])
    )
    warnings = [decoded.note] if decoded.note else []
    if document.get("bozo") and not isinstance(document.get("bozo_exception"), _HARMLESS):
        warnings.append(
            f"malformed feed, parsed anyway: {_describe(document.get('bozo_exception'))}"
        )
    warning = "; ".join(warnings) or None
    return ParsedFeed(
        format=version or "unknown",
        title=single_line(_plain(channel.get("title", ""), MAX_SHORT_MARKUP))[:MAX_TITLE],
        link=feed_link,
        language=feed_language,
        items=tuple(items),
        warning=warning,
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


def _xml_item(entry: Any, base: str, feed_language: str | None, feed_link: str) -> Item | None:
    title = _without_source(
        _plain(entry.get("title", ""), MAX_SHORT_MARKUP)[:MAX_TITLE], entry.get("source")
    )
    body = _article(_longest_body(entry))
    entry_id = entry.get("id") or entry.get("guid")
    link = absolute_url(entry.get("link"), base) or _url_or_none(entry_id)
    # FeedBurner's origLink, Google News' url=: the publisher's own article
    link = absolute_url(article_url(link, original=entry.get("feedburner_origlink")), None) or link
    # dict.get: FeedParserDict.get would alias the keys and warn about it
    published = _struct_to_datetime(
        dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    )
    language = primary_language(
        _detail_language(entry, "summary_detail")
        or _detail_language(entry, "title_detail")
        or feed_language
    )
    return _item(
        entry_id=entry_id,
        title=title,
        body=body,
        link=link,
        fallback_link=feed_link,
        published=published,
        language=language,
        author=entry.get("author"),
    )


_TITLE_SEPARATORS = (" - ", " – ", " — ", " | ", " · ")


def _without_source(title: str, source: Any) -> str:
    """An aggregator's title without the source name it appends ("Title - Reuters"), when
    the entry names its source (RSS ``<source>``, as Google News writes it)."""
    name = str(source.get("title", "")).strip() if isinstance(source, dict) else ""
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
        items=tuple(items),
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
    language = item_language(title, text, language)
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
