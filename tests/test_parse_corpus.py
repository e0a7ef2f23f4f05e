"""Every real feed of the shared corpus goes through parse and normalize without an exception."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import feedparser
import pytest
from yarl import URL

from bot.errors import ParseError
from bot.ingest.parse import parse_feed
from tests.corpus import corpus_dir, find_corpus


def corpus_rows() -> list[dict[str, str]]:
    found = find_corpus()
    if found is None:
        return []
    with open(found / "feeds" / "INDEX.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = corpus_rows()


def test_the_corpus_is_complete() -> None:
    corpus_dir()  # skips, with the reason, when there is no corpus on this machine
    assert len(ROWS) >= 60, "the shared corpus of feeds is incomplete"


_ABSENT_REASON = "the shared corpus of real feeds is absent"
_ABSENT = pytest.param({}, marks=pytest.mark.skip(reason=_ABSENT_REASON))


@pytest.mark.parametrize("row", ROWS or [_ABSENT], ids=[row["file"] for row in ROWS] or ["absent"])
def test_corpus_feed_parses(row: dict[str, str]) -> None:
    path: Path = corpus_dir() / "feeds" / row["file"]
    body = path.read_bytes()
    url = f"https://corpus.example/{row['file']}"
    if row["format"] == "not-a-feed":
        with pytest.raises(ParseError, match="not a feed"):
            parse_feed(body, url)
        return
    parsed = parse_feed(body, url)
    if row["format"] != "json-feed":
        entries = feedparser.parse(io.BytesIO(body)).entries
        assert len(entries) == int(row["items_feedparser"])
        assert len(parsed.items) <= len(entries)
        # every entry with a title becomes an item, once per entry id
        titled_ids = {e.get("id") or e.get("link") or e.title for e in entries if e.get("title")}
        assert sum(1 for item in parsed.items if item.title) == len(titled_ids)
    keys = [item.key for item in parsed.items]
    assert len(keys) == len(set(keys))
    for item in parsed.items:
        assert "<" not in item.title or ">" not in item.title, item.title
        assert "&amp;" not in item.title
        assert "&lt;" not in item.text
        if item.title:
            assert item.title.strip() == item.title != ""
            assert item.link is not None, f"{item.title!r} has no link"
            assert URL(item.link).is_absolute()
            assert URL(item.link).scheme in ("http", "https")
        if item.published is not None:
            assert item.published.tzinfo is not None
            assert item.published.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_json_feeds_have_items() -> None:
    folder = corpus_dir() / "feeds"
    for name in ("feedjira__json_feed.json", "feedjira__json_feed_with_escaped_uris.json"):
        parsed = parse_feed((folder / name).read_bytes(), "https://corpus.example/feed.json")
        assert parsed.items, name
        assert all(item.title or item.text for item in parsed.items)


def test_declared_languages_are_kept() -> None:
    folder = corpus_dir() / "feeds"
    german = parse_feed((folder / "feedjira__CRE.xml").read_bytes(), "https://cre.example/")
    assert german.language == "de"
    assert {item.language for item in german.items} == {"de"}
    latin1 = parse_feed((folder / "rss-parser__encoding.rss").read_bytes(), "https://x.example/")
    assert latin1.language == "pt"
    assert any(ch in item.title for item in latin1.items for ch in "ãçéáõ")
