"""fastfeedparser reads RSS 2.0 and Atom 1.0 as feedparser does, or leaves them to feedparser.

``parse_feed(..., parser="fastfeedparser")`` raises ParseError for a document that the
automatic choice would send to feedparser, so these tests see which parser read what.
"""

from __future__ import annotations

import json
import resource
from dataclasses import replace
from pathlib import Path

import fastfeedparser
import pytest

from bot.errors import ParseError
from bot.ingest.parse import parse_feed
from tests.feedserver import rss, rss_item
from tests.test_parse import BILLION_LAUGHS

URL = "https://news.example/feeds/main.xml"
ESCAPED = "&lt;p&gt;Samsung &amp;amp; Xiaomi &lt;b&gt;EV&lt;/b&gt; news&lt;/p&gt;"


def _both(document: bytes, headers: dict[str, str] | None = None) -> None:
    """fastfeedparser reads ``document`` (automatically too) exactly as feedparser does."""
    fast = parse_feed(document, URL, headers, parser="fastfeedparser")
    slow = parse_feed(document, URL, headers, parser="feedparser")
    # feedparser's warnings ("no Content-Type") aside
    assert fast == replace(slow, warning=fast.warning)
    assert fast == parse_feed(document, URL, headers)
    assert fast.items


def _feedparser_only(document: bytes) -> None:
    with pytest.raises(ParseError, match="not for fastfeedparser"):
        parse_feed(document, URL, parser="fastfeedparser")


def test_rss_reads_the_same() -> None:
    items = [
        rss_item(f"Samsung news {n}", f"https://n.example/{n}?utm_source=x", description=ESCAPED)
        for n in range(5)
    ]
    _both(rss(*items).encode())
    _both(rss(*items, language=None).encode(), {"Content-Language": "de"})
    with_guids = [
        rss_item("Samsung", "https://n.example/1", description="a", guid="g1"),
        rss_item("Xiaomi", "https://n.example/2", description="b", guid="g2"),
    ]
    _both(rss(*with_guids).encode())
    # permalink guids are resolved against the feed's URL by feedparser: the same keys here
    permalinks = rss(*with_guids).replace(' isPermaLink="false"', "").encode()
    _both(permalinks)
    assert parse_feed(permalinks, URL).items[0].key == "id:https://news.example/feeds/g1"
    without_dates = [
        rss_item("Samsung", "https://n.example/1", description="a", guid="1", published=None)
    ]
    _both(rss(*without_dates).encode())
    assert parse_feed(rss(*without_dates).encode(), URL).items[0].published is None


def test_atom_reads_the_same() -> None:
    entries = "".join(
        f"<entry><title type='html'>Xiaomi &amp;lt;b&amp;gt;{n}</title><id>tag:n.example,2026:{n}"
        f"</id><link rel='alternate' href='/a/{n}'/><updated>2026-11-2{n}T10:00:00.5Z</updated>"
        f"<content type='html'>{ESCAPED}</content><author><name>Jo</name></author></entry>"
        for n in range(3)
    )
    document = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'"
        " xml:lang='en'><title>T</title><link rel='self' href='https://n.example/feed'/>"
        f"<link href='https://n.example/'/><id>urn:x</id>{entries}</feed>"
    )
    _both(document.encode())
    assert parse_feed(document.encode(), URL).link == "https://n.example/"


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(BILLION_LAUGHS, id="entity bomb"),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            + rss(rss_item("a &x;", "https://n.example/1", description="b"))
            .split("?>", 1)[1]
            .encode(),
            id="external entity",
        ),
        pytest.param(
            rss(
                rss_item("a", "https://n.example/1", description="<p>raw <b>HTML</b></p>")
            ).encode(),
            id="HTML written as elements",
        ),
        pytest.param(
            rss(rss_item("a", "/1", description="b"))
            .replace("<channel>", '<channel xml:base="https://cdn.example/">')
            .encode(),
            id="xml:base",
        ),
        pytest.param(
            rss(
                rss_item("a", "https://n.example/1", description="b", guid="g1"),
                rss_item("b", "https://n.example/2", description="c"),
            ).encode(),
            id="ids on some entries",
        ),
        pytest.param(
            rss(
                rss_item("a", "https://n.example/1", description="b"),
                rss_item("b", "https://n.example/2", description="c", published=None),
            ).encode(),
            id="dates on some entries",
        ),
        pytest.param(
            rss(rss_item("a", "https://n.example/1")).encode(), id="an entry without body"
        ),
        pytest.param(
            rss(rss_item("a", "https://n.example/1", description="b"))
            .replace('<rss version="2.0">', '<rss version="0.91">')
            .encode(),
            id="RSS 0.91",
        ),
    ],
)
def test_what_feedparser_must_read_goes_to_feedparser(document: bytes) -> None:
    _feedparser_only(document)
    parse_feed(document, URL)  # and the automatic choice reads it (with feedparser)


def test_fastfeedparser_resolves_no_entity_by_itself(tmp_path: Path) -> None:
    """Belt and braces: documents with a DTD never reach fastfeedparser (above), and lxml
    under it is told not to resolve entities: no file is read, no bomb expands."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>a &xxe;</title>'
        "<description>&xxe;</description><link>https://news.example/1</link></item>"
        "</channel></rss>"
    ).encode()
    assert "TOP-SECRET" not in json.dumps(fastfeedparser.parse(document), default=str)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    read = fastfeedparser.parse(BILLION_LAUGHS)
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 50
    assert "lol" * 100 not in json.dumps(read, default=str)
