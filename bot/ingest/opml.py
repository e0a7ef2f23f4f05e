"""OPML 2.0, the format every feed reader exchanges: reading subscriptions, writing ours.

The file comes from a user: it is parsed with defusedxml, which refuses entity tricks and
DTDs outright.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from bot.errors import DealbotError

MAX_OPML_BYTES = 2_000_000
MAX_OUTLINES = 5_000


class OpmlError(DealbotError):
    """The file is not OPML (or not one we can read)."""


@dataclass(frozen=True, slots=True)
class Subscription:
    title: str
    url: str


def read_opml(data: bytes) -> list[Subscription]:
    """Every ``<outline xmlUrl=…>`` of an OPML document, nested folders included."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"the file is larger than {MAX_OPML_BYTES // 1_000_000} MB")
    try:
        root = SafeElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise OpmlError(f"not an OPML file: {exc}") from None
    if root.tag.lower() != "opml" or root.find("body") is None:
        raise OpmlError(f"not an OPML file: the root element is <{root.tag}>, not <opml>")
    found: list[Subscription] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            title = (outline.get("title") or outline.get("text") or "").strip()
            found.append(Subscription(title, url))
        if len(found) > MAX_OUTLINES:
            raise OpmlError(f"more than {MAX_OUTLINES} feeds in one file")
    return found


def write_opml(feeds: list[Subscription], *, title: str, now: datetime) -> str:
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        ElementTree.SubElement(
            body, "outline", type="rss", text=feed.title, title=feed.title, xmlUrl=feed.url
        )
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, "unicode")
