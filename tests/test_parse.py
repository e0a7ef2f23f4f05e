"""Parsing and normalizing: hostile XML, messy HTML, links, dates, JSON Feed, dedupe keys."""

from __future__ import annotations

import json
import resource
import time
from datetime import UTC, datetime

import pytest

from bot.errors import ParseError
from bot.ingest.parse import dedupe_key, parse_feed
from bot.summary import summarize
from tests.feedserver import rss, rss_item

URL = "https://news.example/feeds/main.xml"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>t</title>
<item><title>Samsung &lol9;</title><link>https://news.example/1</link></item>
</channel></rss>"""


def test_entity_expansion_is_bounded() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parsed = parse_feed(BILLION_LAUGHS, URL)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50
    assert all(len(item.title) < 1000 for item in parsed.items)
    assert "lol" * 100 not in " ".join(item.title for item in parsed.items)


def test_external_entities_never_read_local_files(tmp_path: pytest.TempPathFactory) -> None:
    secret = tmp_path / "secret.txt"  # type: ignore[operator]
    secret.write_text("TOP-SECRET-TOKEN")
    document = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><title>t</title>
<item><title>a &xxe;</title><description>&xxe;</description>
<link>https://news.example/1</link></item></channel></rss>""".encode()
    parsed = parse_feed(document, URL)
    everything = json.dumps([[item.title, item.text] for item in parsed.items])
    assert "TOP-SECRET" not in everything


def test_a_body_that_is_a_path_is_not_opened() -> None:
    # feedparser.parse(bytes) would open() the bytes as a file name
    with pytest.raises(ParseError, match="not a feed"):
        parse_feed(b"/etc/passwd", URL)
    with pytest.raises(ParseError, match="not a feed"):
        parse_feed(b"/etc/hostname", URL)


def test_html_page_is_not_a_feed() -> None:
    page = b"<!DOCTYPE html><html><head><title>Shop</title></head><body><p>hi</p></body></html>"
    with pytest.raises(ParseError, match="not a feed: the URL returned an HTML page"):
        parse_feed(page, URL, {"Content-Type": "text/html"})


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\x01\x02 garbage", b"{not json", b"[1, 2]"])
def test_garbage_is_not_a_feed(body: bytes) -> None:
    with pytest.raises(ParseError, match="not a feed"):
        parse_feed(body, URL)


def test_titles_and_text_are_plain_even_when_double_escaped() -> None:
    document = rss(
        rss_item(
            "Samsung &amp;amp; Xiaomi &lt;b&gt;EV&lt;/b&gt;",
            "https://news.example/a",
            description="&lt;p&gt;The &lt;b&gt;Elektro&lt;/b&gt;auto market "
            "&amp;amp;amp; more.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        )
    )
    (item,) = parse_feed(document.encode(), URL).items
    assert item.title == "Samsung & Xiaomi EV"
    assert item.text == "The Elektroauto market & more."


def test_relative_links_resolve_against_xml_base_and_feed_url() -> None:
    document = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://cdn.example/blog/">
  <title>x</title>
  <entry><id>1</id><title>one</title><link href="posts/1?utm_source=rss&amp;id=7#top"/></entry>
</feed>
<!-- second document below is separate -->"""
    (item,) = parse_feed(document, URL).items
    assert item.link == "https://cdn.example/blog/posts/1?utm_source=rss&id=7#top"
    assert item.canonical_url == "https://cdn.example/blog/posts/1?id=7"

    plain = rss(rss_item("two", "/articles/2?fbclid=abc"))
    (item,) = parse_feed(plain.encode(), URL).items
    assert item.link == "https://news.example/articles/2?fbclid=abc"
    assert item.canonical_url == "https://news.example/articles/2"


def test_unsafe_links_are_dropped() -> None:
    document = rss(rss_item("x", "javascript:alert(1)", guid="g1"))
    (item,) = parse_feed(document.encode(), URL).items
    assert item.link == "https://news.example/"  # the feed's page instead
    assert item.canonical_url is None


def test_dates_become_aware_utc_with_fallbacks() -> None:
    document = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
<entry><id>a</id><title>published</title><link href="https://n.example/a"/>
  <published>2026-11-24T12:00:00+09:00</published><updated>2026-11-25T00:00:00Z</updated></entry>
<entry><id>b</id><title>updated only</title><link href="https://n.example/b"/>
  <updated>2026-11-25T00:00:00Z</updated></entry>
<entry><id>c</id><title>undated</title><link href="https://n.example/c"/></entry>
</feed>"""
    a, b, c = parse_feed(document, URL).items
    assert a.published == datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert b.published == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
    assert c.published is None


def test_language_from_the_feed_or_detected() -> None:
    declared = rss(rss_item("Samsung", "https://n.example/1"), language="de-DE")
    assert parse_feed(declared.encode(), URL).items[0].language == "de"
    text = "Xiaomi hat ein neues Elektroauto vorgestellt, das im nächsten Jahr auf den Markt kommt."
    undeclared = rss(rss_item("Neues Auto", "https://n.example/2", description=text), language=None)
    assert parse_feed(undeclared.encode(), URL).items[0].language == "de"
    short = rss(rss_item("EV", "https://n.example/3"), language=None)
    assert parse_feed(short.encode(), URL).items[0].language is None


def test_wrong_declared_encoding_falls_back() -> None:
    body = rss(rss_item("Elektroautos für Äpfel", "https://n.example/1")).encode("utf-8")
    parsed = parse_feed(body, URL, {"Content-Type": "application/rss+xml; charset=iso-8859-1"})
    assert parsed.items[0].title == "Elektroautos für Äpfel"
    chinese = rss(rss_item("小米电动汽车", "https://n.example/1")).encode("utf-8")
    parsed = parse_feed(chinese, URL, {"Content-Type": "text/xml; charset=windows-1252"})
    assert parsed.items[0].title == "小米电动汽车"
    gb = rss(rss_item("小米电动汽车", "https://n.example/1")).encode("gb18030")
    parsed = parse_feed(gb.replace(b'encoding="utf-8"', b'encoding="gb2312"'), URL)
    assert parsed.items[0].title == "小米电动汽车"
    latin1 = rss(rss_item("Elektroautos für Äpfel", "https://n.example/1")).encode("latin-1")
    parsed = parse_feed(latin1, URL, {"Content-Type": "text/xml; charset=iso-8859-1"})
    assert parsed.items[0].title == "Elektroautos für Äpfel"


def test_dedupe_keys_prefer_id_then_link_then_hash() -> None:
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    assert dedupe_key("guid-1", "https://a/", "t", stamp) == "id:guid-1"
    assert dedupe_key(None, "https://a/", "t", stamp) == "url:https://a/"
    hashed = dedupe_key(None, None, "t", stamp)
    assert hashed.startswith("hash:")
    assert hashed == dedupe_key("  ", None, "t", stamp)
    assert hashed != dedupe_key(None, None, "t", None)
    assert len(dedupe_key("x" * 5000, None, "t", None)) < 80


def test_repeated_entries_in_one_document_count_once() -> None:
    document = rss(
        rss_item("a", "https://n.example/1", guid="same"),
        rss_item("a again", "https://n.example/1", guid="same"),
    )
    assert len(parse_feed(document.encode(), URL).items) == 1


def test_json_feed() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON news",
        "home_page_url": "https://json.example/",
        "language": "fr-FR",
        "items": [
            {
                "id": 42,
                "url": "/posts/42?utm_medium=feed",
                "title": "Xiaomi &amp; la voiture électrique",
                "content_html": "<p>Xiaomi présente sa <b>voiture électrique</b>.</p>",
                "date_published": "2026-11-24T10:00:00+01:00",
                "authors": [{"name": "Jeanne"}],
            },
            {"id": "no-content"},
            "not an object",
        ],
    }
    parsed = parse_feed(json.dumps(document).encode(), "https://json.example/feed.json")
    assert parsed.format == "json11"
    (item,) = parsed.items
    assert item.key == "id:42"
    assert item.title == "Xiaomi & la voiture électrique"
    assert item.text == "Xiaomi présente sa voiture électrique."
    assert item.link == "https://json.example/posts/42?utm_medium=feed"
    assert item.canonical_url == "https://json.example/posts/42"
    assert item.published == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert item.language == "fr"
    assert item.author == "Jeanne"


def test_json_without_items_is_not_a_feed() -> None:
    with pytest.raises(ParseError, match="not a feed: JSON without an 'items' list"):
        parse_feed(b'{"hello": "world"}', URL, {"Content-Type": "application/json"})


# ------------------------------------------------------------------ hostile item text

NESTED_ESCAPED = "&lt;div&gt;" * 118_000 + "Samsung"  # ~1.3 MB of escaped nested markup
NESTED_DOUBLE_ESCAPED = "&amp;lt;div&amp;gt;" * 70_000 + "Samsung"  # ~1.3 MB, escaped twice


def _good_items(count: int, start: int = 0) -> list[str]:
    return [
        rss_item(
            f"Xiaomi EV news {i}",
            f"https://n.example/good/{i}",
            description=f"<p>Xiaomi builds its EV number {i}.</p>",
            guid=f"good-{i}",
        )
        for i in range(start, start + count)
    ]


def test_a_huge_nested_escaped_body_costs_little_and_keeps_the_other_items() -> None:
    for body in (NESTED_ESCAPED, NESTED_DOUBLE_ESCAPED):
        assert 1_200_000 < len(body) < 1_500_000
        document = rss(
            *_good_items(2),
            rss_item("Samsung bomb", "https://n.example/bomb", description=body, guid="bomb"),
            *_good_items(2, 2),
        )
        started = time.perf_counter()
        parsed = parse_feed(document.encode(), URL)
        elapsed = time.perf_counter() - started
        assert elapsed < 5, f"{elapsed:.1f} s for one 1.3 MB item"
        titles = [item.title for item in parsed.items]
        assert titles == [f"Xiaomi EV news {i}" for i in range(2)] + ["Samsung bomb"] + [
            f"Xiaomi EV news {i}" for i in range(2, 4)
        ]
        bomb = parsed.items[2]
        assert len(bomb.text) <= 50_000
        assert "<div>" not in bomb.text


def test_a_10_mb_feed_of_hostile_items_parses_within_budget() -> None:
    hostile = [
        rss_item(
            f"Bomb {i}",
            f"https://n.example/bomb/{i}",
            description=NESTED_ESCAPED if i % 2 else NESTED_DOUBLE_ESCAPED,
            guid=f"bomb-{i}",
        )
        for i in range(8)
    ]
    parts: list[str] = []
    for i, item in enumerate(hostile):
        parts.append(item)
        parts.extend(_good_items(1, i))
    document = rss(*parts).encode()
    assert len(document) > 10_000_000
    started = time.perf_counter()
    parsed = parse_feed(document, URL)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"{elapsed:.1f} s for a 10 MB feed"
    good = [item.title for item in parsed.items if item.title.startswith("Xiaomi")]
    assert good == [f"Xiaomi EV news {i}" for i in range(8)]
    assert len(parsed.items) == 16


BAD_REFERENCES = ["&#xD800;", "&#x110000;", "&#0;", "&#55296;", "&#1114112;", "&#99999999999;"]


def _atom(*entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>t</title>" + "".join(entries) + "</feed>"
    ).encode()


def _atom_entry(number: int, title: str, content: str = "", kind: str = "html") -> str:
    body = f'<content type="{kind}">{content}</content>' if content else ""
    return (
        f'<entry><id>urn:e:{number}</id><title type="{kind}">{title}</title>'
        f'<link href="https://n.example/{number}"/>{body}</entry>'
    )


@pytest.mark.parametrize("reference", BAD_REFERENCES)
@pytest.mark.parametrize("escaped", [False, True])
def test_an_invalid_character_reference_costs_only_its_item_in_rss(
    reference: str, escaped: bool
) -> None:
    ref = reference.replace("&", "&amp;") if escaped else reference
    document = rss(
        rss_item("Good one", "https://n.example/1"),
        rss_item(f"Bad {ref} title", "https://n.example/2", description=f"<p>text {ref}</p>"),
        rss_item(
            "Bad in CDATA", "https://n.example/3", description=f"<![CDATA[<p>x {reference}</p>]]>"
        ),
        rss_item("Good two", "https://n.example/4"),
    )
    parsed = parse_feed(document.encode(), URL)
    titles = [item.title for item in parsed.items]
    assert titles[0] == "Good one"
    assert titles[-1] == "Good two"
    assert all("\ud800" not in item.title + item.text for item in parsed.items)


@pytest.mark.parametrize("reference", BAD_REFERENCES)
def test_an_invalid_character_reference_costs_only_its_item_in_atom(reference: str) -> None:
    escaped = reference.replace("&", "&amp;")
    document = _atom(
        _atom_entry(1, "Good one"),
        _atom_entry(2, f"Bad {reference}", f"&lt;p&gt;x {escaped}&lt;/p&gt;"),
        _atom_entry(
            3, "Bad xhtml", f'<div xmlns="http://www.w3.org/1999/xhtml">{reference}</div>', "xhtml"
        ),
        _atom_entry(4, "Good two"),
    )
    parsed = parse_feed(document, URL)
    titles = [item.title for item in parsed.items]
    assert titles[0] == "Good one"
    assert titles[-1] == "Good two"


@pytest.mark.parametrize("reference", BAD_REFERENCES)
def test_an_invalid_character_reference_costs_only_its_item_in_json_feed(reference: str) -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"JSON {reference}",
        "items": [
            {"id": "1", "title": "Good one", "url": "https://n.example/1"},
            {
                "id": f"2{reference}",
                "title": f"Bad {reference}",
                "content_html": f"<p>{reference}</p>",
            },
            {"id": "3", "title": "Good two", "url": "https://n.example/3"},
        ],
    }
    parsed = parse_feed(json.dumps(document).encode(), URL)
    titles = [item.title for item in parsed.items]
    assert titles[0] == "Good one"
    assert titles[-1] == "Good two"


@pytest.mark.parametrize(
    "bad",
    [
        b"\xff\xfe",  # not UTF-8 at all
        b"\xed\xa0\x80",  # an encoded lone surrogate (CESU-8)
        b"\xc3",  # a truncated sequence
        b"\\ud800",  # a lone surrogate as a JSON escape
        b"\\udfff\\ud800",  # two, in the wrong order
    ],
)
def test_invalid_utf8_or_lone_surrogates_in_a_json_feed_cost_nothing_else(bad: bytes) -> None:
    document = (
        b'{"version": "https://jsonfeed.org/version/1", "title": "t", "items": ['
        b'{"id": "1", "title": "Good one", "url": "https://n.example/1"},'
        b'{"id": "2'
        + bad
        + b'", "title": "Bad '
        + bad
        + b' title", "url": "https://n.example/2'
        + bad
        + b'", "content_text": "x '
        + bad
        + b' y", "authors": [{"name": "A'
        + bad
        + b'"}]},'
        b'{"id": "3", "title": "Good two", "url": "https://n.example/3"}]}'
    )
    parsed = parse_feed(document, URL)
    assert parsed.items[0].title == "Good one"
    assert parsed.items[-1].title == "Good two"
    for item in parsed.items:
        for value in (item.key, item.title, item.text, item.link, item.canonical_url, item.author):
            (value or "").encode("utf-8")  # storable: no lone surrogate anywhere


def test_the_text_language_wins_over_a_wrong_declaration() -> None:
    german = (
        "Samsung hat am Dienstag angekündigt, zehn Milliarden Dollar in ein neues Chipwerk in "
        "Texas zu investieren. Das Werk soll ab 2027 Prozessoren für Elektroautos herstellen."
    )
    english = (
        "Samsung said on Tuesday that it would invest ten billion dollars in a new chip plant "
        "in Texas. The plant is to make processors for electric cars from 2027."
    )
    document = rss(
        rss_item("Samsung baut Chipwerk", "https://n.example/de", description=german),
        rss_item("Samsung builds chip plant", "https://n.example/en", description=english),
        rss_item("Galaxy S26", "https://n.example/short", description="Exynos inside."),
        language="en",
    )
    de, en, short = parse_feed(document.encode(), URL).items
    assert (de.language, en.language, short.language) == ("de", "en", "en")


def test_invisible_characters_leave_titles_and_authors() -> None:
    document = rss(
        rss_item("Sam\u00adsung\u200b Exy\u2060nos \u202eLaunch\u202c", "https://n.example/1")
    )
    (item,) = parse_feed(document.encode(), URL).items
    assert item.title == "Samsung Exynos Launch"


def test_an_aggregator_title_loses_the_source_its_source_element_names() -> None:
    description = (
        '&lt;a href="https://agg.example/1"&gt;Samsung opens a fab in Texas&lt;/a&gt;'
        '&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Wire One&lt;/font&gt;'
    )
    document = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>G</title>
<item><title>Samsung opens a fab in Texas - Wire One</title><link>https://agg.example/1</link>
<description>{description}</description><source url="https://wire.example">Wire One</source>
</item>
<item><title>Tesla - the year ahead - Motor Weekly</title><link>https://agg.example/2</link>
<source url="https://motor.example">Motor Weekly</source></item>
<item><title>Xiaomi - Wire One</title><link>https://agg.example/3</link></item>
</channel></rss>""".encode()
    first, second, third = parse_feed(document, URL).items
    assert first.title == "Samsung opens a fab in Texas"
    assert second.title == "Tesla - the year ahead"
    assert third.title == "Xiaomi - Wire One"  # no <source>: nothing says it is a source
    assert first.text == "Samsung opens a fab in Texas Wire One"
    assert summarize(first, ["Samsung"]) == ""  # the title and the source: no summary


def test_an_english_text_in_a_feed_that_declares_japanese_is_english() -> None:
    text = (
        "Sony said on Tuesday that it would spin off its chip unit and list it in Tokyo next "
        "year, as the group focuses on games, music and films."
    )
    document = rss(
        rss_item("Sony to spin off chip unit", "https://n.example/1", description=text),
        language="ja",
    )
    (item,) = parse_feed(document.encode(), URL).items
    assert item.language == "en"
