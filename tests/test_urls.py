"""One story, one key: the canonical URL table, and aggregator links resolved."""

from __future__ import annotations

import pytest

from bot.ingest.parse import parse_feed
from bot.urls import article_url, canonical_url

STORY = "https://example.com/news/samsung-exynos-2600"


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/news/samsung-exynos-2600",
        "http://example.com/news/samsung-exynos-2600",
        "https://www.example.com/news/samsung-exynos-2600",
        "https://WWW.Example.COM/news/samsung-exynos-2600/",
        "https://m.example.com/news/samsung-exynos-2600",
        "https://mobile.example.com/news/samsung-exynos-2600",
        "https://amp.example.com/news/samsung-exynos-2600",
        "https://example.com:443/news/samsung-exynos-2600",
        "http://example.com:80/news/samsung-exynos-2600",
        "https://example.com/news/samsung-exynos-2600#comments",
        "https://example.com/news/samsung-exynos-2600/amp/",
        "https://example.com/news/samsung-exynos-2600/amp",
        "https://example.com/amp/news/samsung-exynos-2600",
        "https://example.com/news/samsung-exynos-2600.amp",
        "https://example.com/news/samsung-exynos-2600?amp",
        "https://example.com/news/samsung-exynos-2600?amp=1",
        "https://example.com/news/samsung-exynos-2600?outputType=amp",
        "https://example.com/news/samsung-exynos-2600?utm_source=rss&utm_medium=feed",
        "https://example.com/news/samsung-exynos-2600?fbclid=abc&gclid=def",
        "https://user:secret@www.example.com/news/samsung-exynos-2600",
        "https://example-com.cdn.ampproject.org/c/s/example.com/news/samsung-exynos-2600",
        "https://www-example-com.cdn.ampproject.org/v/s/www.example.com/news/samsung-exynos-2600/amp/?amp_js_v=0.1",
    ],
)
def test_one_story_one_key(link: str) -> None:
    assert canonical_url(link) == STORY


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        ("https://example.com/a.amp.html", "https://example.com/a.html"),
        ("https://example.com/p?id=3&utm_campaign=x", "https://example.com/p?id=3"),
        ("https://example.com/p?page=2&amp=1", "https://example.com/p?page=2"),
        ("https://example.com:8443/p/", "https://example.com:8443/p"),
        ("https://m.example/p", "https://m.example/p"),  # the domain itself is not a prefix
        ("https://example.com/", "https://example.com"),
        ("https://example.com/example-amplifier", "https://example.com/example-amplifier"),
        ("https://example.com/ramp/story", "https://example.com/ramp/story"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("ftp://example.com/x", None),
        ("not a url", None),
    ],
)
def test_canonical_url_table(link: str, canonical: str | None) -> None:
    assert canonical_url(link) == canonical


def test_different_stories_keep_different_keys() -> None:
    assert canonical_url("https://example.com/p?id=1") != canonical_url(
        "https://example.com/p?id=2"
    )
    assert canonical_url("https://a.example.com/x") != canonical_url("https://b.example.com/x")


def test_article_url_of_aggregator_links() -> None:
    google_old = "https://news.google.com/rss/articles/CBMiK2h0dHBzOi8vd3d3LmV4YW1wbGUuY29tL25ld3Mvc3RvcnktMTIzLmh0bWxSAA?oc=5"
    assert article_url(google_old) == "https://www.example.com/news/story-123.html"
    google_new = "https://news.google.com/rss/articles/CBMiWkFVX3lxTE1hYmNkZWZnaGlqa2xtbm9w?oc=5"
    assert article_url(google_new) is None  # the id holds no URL: left as it is
    redirect = "https://news.google.com/news/url?sa=t&url=https://www.example.com/story-9&ct=ga"
    assert article_url(redirect) == "https://www.example.com/story-9"
    proxy = "http://feedproxy.google.com/~r/example/~3/abc/story-7"
    assert article_url(proxy, original="https://www.example.com/story-7") == (
        "https://www.example.com/story-7"
    )
    assert article_url("https://www.example.com/plain") is None


def test_feedburner_and_google_news_items_key_on_the_article() -> None:
    document = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
<title>Mixed</title><link>https://agg.example/</link>
<item><title>Samsung via FeedBurner</title>
  <link>http://feedproxy.google.com/~r/example/~3/abc/story-7</link>
  <feedburner:origLink>https://www.example.com/story-7?utm_source=feedburner</feedburner:origLink>
  <guid isPermaLink="false">fb-7</guid></item>
<item><title>Samsung via Google News - Example</title>
  <link>https://news.google.com/rss/articles/CBMiK2h0dHBzOi8vd3d3LmV4YW1wbGUuY29tL25ld3Mvc3RvcnktMTIzLmh0bWxSAA?oc=5</link>
  <source url="https://www.example.com">Example</source><guid>gn-123</guid></item>
</channel></rss>"""
    feedburner, google = parse_feed(document, "https://agg.example/feed").items
    assert feedburner.link == "https://www.example.com/story-7?utm_source=feedburner"
    assert feedburner.canonical_url == "https://example.com/story-7"
    assert google.link == "https://www.example.com/news/story-123.html"
    assert google.canonical_url == "https://example.com/news/story-123.html"
