"""Finding the feed of a web page: ``<link rel="alternate">`` with a feed type."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from bot.text import absolute_url

FEED_TYPES = {
    "application/atom+xml": 0,
    "application/rss+xml": 1,
    "application/feed+json": 2,
    "application/json": 3,
    "application/rdf+xml": 4,
    "text/xml": 5,
    "application/xml": 5,
}


def looks_like_html(body: bytes, content_type: str = "") -> bool:
    head = body[:2048].lstrip().lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html"))


def feed_links(html: bytes, base: str) -> list[str]:
    """Absolute feed URLs a page advertises, Atom first, then RSS, then JSON Feed."""
    tree = LexborHTMLParser(html.decode("utf-8", "replace"))
    found: list[tuple[int, int, str]] = []
    for position, node in enumerate(tree.css("link[rel][href]")):
        rels = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rels or kind not in FEED_TYPES:
            continue
        url = absolute_url(node.attributes.get("href"), base)
        if url:
            found.append((FEED_TYPES[kind], position, url))
    return list(dict.fromkeys(url for _, _, url in sorted(found)))
