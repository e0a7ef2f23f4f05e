"""Writes the clean-text evaluation set from its sources (``content_*.py``).

    .venv/bin/python bench/data/cleantext/make_feeds.py          # write feeds/, labels.jsonl
    .venv/bin/python bench/data/cleantext/make_feeds.py --check  # compare with what is on disk

Each feed is rendered the way its kind of publisher writes it (WordPress with Yoast and
Jetpack, FeedBurner, Blogger, Google News, RSS 1.0, Atom, JSON Feed, portal RSS) and encoded
to the exact bytes its server sends, wrong declarations included. Before writing, every
label is checked against the article's own text (see ``check``); a label that does not hold
stops the script.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import unicodedata
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]

from feedset import FETCHED_AT, Entry, Feed, google_news_id, utc  # noqa: E402

CASES = {
    "encoding": "the feed's bytes are not in the encoding it declares (or it declares none)",
    "boilerplate-alert": "boilerplate (an ad, related links, a credit, a newsletter box) changes "
    "which topics match",
    "boilerplate-summary": "boilerplate at the head or tail of the text (byline, credit, "
    "'read more', 'the post appeared first on', share buttons)",
    "late-news": "the news comes after background: the first three sentences miss the facts",
    "url-variant": "the same article as another item, under another form of its URL",
    "google-news": "a Google News item: redirect link, text that is only title and source",
    "invisible": "soft hyphens or zero-width characters inside words of the title",
    "language": "the item's language is not the one its feed declares",
    "accents": "the text writes without accents what a term writes with them",
    "traditional": "traditional Chinese text, simplified terms",
    "exclusion": "a word that contains a term but is not the topic (小米粥, 三星堆, 삼성동)",
    "case-sensitive": "'eV', 'ev.' are not the acronym EV",
    "stale": "published 60 days before the feed was fetched: must not alert",
    "control": "an ordinary clean item",
}
MATCHING_CASES = {"accents", "traditional", "exclusion", "case-sensitive"}


# ------------------------------------------------------------------------------ helpers


class _Text(HTMLParser):
    """HTML to text for the checks: block elements end a line, entities decoded."""

    BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "figure"}
        | {"figcaption", "aside", "section", "table", "tr", "td"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "\n".join(" ".join(line.split()) for line in "".join(parser.parts).split("\n")).strip()


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def rfc822(when: str) -> str:
    return format_datetime(utc(when))


def rfc822_local(when: str, offset_hours: int) -> str:
    """RFC 822 in the publisher's own time zone, as most portals write it."""
    from datetime import timedelta, timezone

    return format_datetime(utc(when).astimezone(timezone(timedelta(hours=offset_hours))))


def rfc822_gmt(when: str) -> str:
    return format_datetime(utc(when), usegmt=True)


def iso(when: str, offset_hours: int = 0, millis: str = "") -> str:
    moment = utc(when)
    if offset_hours:
        from datetime import timedelta, timezone

        moment = moment.astimezone(timezone(timedelta(hours=offset_hours)))
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    sign = "+" if offset_hours >= 0 else "-"
    zone = f"{sign}{abs(offset_hours):02d}:00"
    return f"{text}{millis}{zone}"


def cdata(text: str) -> str:
    assert "]]>" not in text
    return f"<![CDATA[{text}]]>"


def wptexturize(title: str) -> str:
    """WordPress's typographic quotes, as numeric entities in the feed."""
    text = escape(title)
    text = re.sub(r"(\w)'(\w)", r"\1&#8217;\2", text)
    text = re.sub(r'"(\w)', r"&#8220;\1", text)
    return re.sub(r'(\w)"', r"\1&#8221;", text)


def paragraphs_html(entry: Entry) -> str:
    """The entry as its publisher's HTML: head, own paragraphs (with inserts), tail."""
    parts = list(entry.head)
    for index, paragraph in enumerate(entry.body):
        text = paragraph
        if index == 0 and entry.prefix:
            text = entry.prefix + text
        if index == len(entry.body) - 1 and entry.suffix:
            text = text + entry.suffix
        parts.append(f"<p>{text}</p>")
        if index in entry.inserts:
            parts.append(entry.inserts[index])
    parts.extend(entry.tail)
    return "\n".join(parts)


def plain_text(entry: Entry) -> str:
    """The entry as plain text (for formats whose descriptions hold no HTML)."""
    blocks = [text_of(block) for block in entry.head]
    body = [text_of(p) for p in entry.body]
    if body:
        body[0] = text_of(entry.prefix) + body[0] if entry.prefix else body[0]
        body[-1] = body[-1] + text_of(entry.suffix) if entry.suffix else body[-1]
    blocks += body + [text_of(block) for block in entry.tail]
    return "\n".join(block for block in blocks if block)


def own_text(entry: Entry) -> str:
    return "\n".join(text_of(p) for p in entry.body)


def _words(entry: Entry) -> list[str]:
    return " ".join([text_of(entry.prefix), *(text_of(p) for p in entry.body)]).split()


def excerpt(entry: Entry, words: int = 55) -> str:
    """WordPress's automatic excerpt: the first 55 words of the post's text."""
    return " ".join(_words(entry)[:words])


def excerpt_cut(entry: Entry, words: int = 55) -> bool:
    """Whether the excerpt was shortened (WordPress then appends its "more" text)."""
    return len(_words(entry)) > words


# ---------------------------------------------------------------------------- renderers
# Each renderer returns the document as text and, per entry guid, the text a reader sees
# in it (for the check that every forbidden string is really there).


def render_wordpress(feed: Feed) -> tuple[str, dict[str, str]]:
    site = feed.site
    visible: dict[str, str] = {}
    items = []
    for entry in feed.entries:
        tail = site["yoast"].format(
            link=escape(entry.link),
            title=escape(entry.title),
            site=site.get("name", site["title"]),
            home=site["link"],
        )
        content = paragraphs_html(entry) + "\n" + tail + "\n"
        more = ""
        if excerpt_cut(entry):
            more = site["more"].format(link=escape(entry.link), title=escape(entry.title))
        description = f"<p>{escape(excerpt(entry))}{more}</p>\n{tail}\n"
        link, extra = entry.link, ""
        if feed.kind == "feedburner":
            link = entry.link_extra["proxy"]
            token = link.rstrip("/").rsplit("/", 1)[1]
            flare = (
                f'<div class="feedflare">\n<a href="http://feeds.feedburner.com/~ff/{site["fb"]}'
                f'?a={token}:F7zBnMyn0Lo"><img src="http://feeds.feedburner.com/~ff/{site["fb"]}'
                f'?i={token}:F7zBnMyn0Lo" border="0"></img></a> <a href="http://feeds.feedburner'
                f'.com/~ff/{site["fb"]}?a={token}:V_sGLiPBpWU"><img src="http://feeds.feedburner'
                f'.com/~ff/{site["fb"]}?d=V_sGLiPBpWU" border="0"></img></a>\n</div>'
                f'<img src="http://feeds.feedburner.com/~r/{site["fb"]}/~4/{token}" height="1" '
                f'width="1" alt=""/>'
            )
            content += flare
            description += flare
            orig = escape(entry.link_extra["orig"])
            extra = f"\n\t\t<feedburner:origLink>{orig}</feedburner:origLink>"
        categories = "".join(f"\n\t\t<category>{cdata(tag)}</category>" for tag in entry.tags)
        items.append(
            f"""\t<item>
\t\t<title>{wptexturize(entry.title)}</title>
\t\t<link>{escape(link)}</link>
\t\t<comments>{escape(entry.link)}#respond</comments>
\t\t<dc:creator>{cdata(entry.author)}</dc:creator>
\t\t<pubDate>{rfc822(entry.published)}</pubDate>{categories}
\t\t<guid isPermaLink="false">{escape(entry.guid)}</guid>

\t\t<description>{cdata(description)}</description>
\t\t\t\t\t\t\t\t\t\t<content:encoded>{cdata(content)}</content:encoded>
\t\t\t\t\t
\t\t<wfw:commentRss>{escape(entry.link)}feed/</wfw:commentRss>
\t\t<slash:comments>{len(entry.guid) % 7}</slash:comments>{extra}
\t\t</item>"""
        )
        visible[entry.guid] = f"{entry.title}\n{text_of(description)}\n{text_of(content)}"
    feedburner_head = ""
    namespaces = ""
    if feed.kind == "feedburner":
        namespaces = ' xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"'
        feedburner_head = (
            f'<atom10:link xmlns:atom10="http://www.w3.org/2005/Atom" rel="self" '
            f'type="application/rss+xml" href="http://feeds.feedburner.com/{site["fb"]}" />'
            f'<feedburner:info uri="{site["fb"].lower()}" /><atom10:link xmlns:atom10='
            f'"http://www.w3.org/2005/Atom" rel="hub" href="http://pubsubhubbub.appspot.com/" />'
        )
    prolog = '<?xml version="1.0" encoding="UTF-8"?>'
    if feed.kind == "feedburner":
        prolog += (
            '<?xml-stylesheet type="text/xsl" media="screen" href="/~d/styles/rss2full.xsl"?>'
            '<?xml-stylesheet type="text/css" media="screen" '
            'href="http://feeds.feedburner.com/~d/styles/itemcontent.css"?>'
        )
    self_link = (
        ""
        if feed.kind == "feedburner"
        else f'\n\t<atom:link href="{site["link"]}/feed/" rel="self" type="application/rss+xml" />'
    )
    document = f"""{prolog}<rss version="2.0"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:atom="http://www.w3.org/2005/Atom"
\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"{namespaces}
\t>

<channel>
\t<title>{escape(site["title"])}</title>{self_link}
\t<link>{site["link"]}</link>
\t<description>{escape(site["description"])}</description>
\t<lastBuildDate>{rfc822(site["built"])}</lastBuildDate>
\t<language>{site["language"]}</language>
\t<sy:updatePeriod>
\thourly\t</sy:updatePeriod>
\t<sy:updateFrequency>
\t1\t</sy:updateFrequency>
\t<generator>https://wordpress.org/?v=6.8.1</generator>{feedburner_head}
{chr(10).join(items)}
\t</channel>
</rss>
"""
    return document, visible


def render_blogger(feed: Feed) -> tuple[str, dict[str, str]]:
    site = feed.site
    blog = site["blog_id"]
    visible: dict[str, str] = {}
    entries = []
    for entry in feed.entries:
        post = entry.guid.rsplit("post-", 1)[1]
        content = paragraphs_html(entry)
        labels = "".join(
            f'<category scheme="http://www.blogger.com/atom/ns#" term="{escape(tag)}"/>'
            for tag in entry.tags
        )
        title = escape(entry.title, {"'": "&#39;"})
        entries.append(
            f"<entry><id>{entry.guid}</id><published>{iso(entry.published, 2, '.003')}</published>"
            f"<updated>{iso(entry.published, 2, '.551')}</updated>{labels}"
            f"<title type='text'>{title}</title><content type='html'>{escape(content)}</content>"
            f"<link rel='replies' type='application/atom+xml' href='{site['link']}feeds/{post}"
            f"/comments/default' title='Publier les commentaires'/>"
            f"<link rel='edit' type='application/atom+xml' href='https://www.blogger.com/feeds/"
            f"{blog}/posts/default/{post}'/><link rel='self' type='application/atom+xml' "
            f"href='https://www.blogger.com/feeds/{blog}/posts/default/{post}'/>"
            f"<link rel='alternate' type='text/html' href='{escape(entry.link)}' title='{title}'/>"
            f"<author><name>{escape(entry.author)}</name><uri>https://www.blogger.com/profile/"
            f"0{blog[:11]}</uri><email>noreply@blogger.com</email><gd:image rel='http://schemas"
            f".google.com/g/2005#thumbnail' width='16' height='16' src='https://img1.blogblog.com"
            f"/img/b16-rounded.gif'/></author><thr:total>0</thr:total></entry>"
        )
        visible[entry.guid] = f"{entry.title}\n{text_of(content)}"
    document = (
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:blogger="
        "'http://schemas.google.com/blogger/2008' xmlns:georss='http://www.georss.org/georss' "
        'xmlns:gd="http://schemas.google.com/g/2005" xmlns:thr=\'http://purl.org/syndication/'
        f"thread/1.0'><id>tag:blogger.com,1999:blog-{blog}</id><updated>"
        f'{iso(site["built"], 2, ".101")}</updated><category term="Tesla"/><category term='
        f'"Renault"/><category term="BYD"/><title type=\'text\'>{escape(site["title"])}</title>'
        f"<subtitle type='html'>{escape(site['description'])}</subtitle><link rel='http://"
        f"schemas.google.com/g/2005#feed' type='application/atom+xml' href='{site['link']}feeds/"
        f"posts/default'/><link rel='self' type='application/atom+xml' href='https://www."
        f"blogger.com/feeds/{blog}/posts/default'/><link rel='alternate' type='text/html' "
        f"href='{site['link']}'/><link rel='hub' href='http://pubsubhubbub.appspot.com/'/>"
        f"<link rel='next' type='application/atom+xml' href='https://www.blogger.com/feeds/"
        f"{blog}/posts/default?start-index=26&amp;max-results=25'/><author><name>"
        f"{escape(site['owner'])}</name><uri>https://www.blogger.com/profile/0{blog[:11]}</uri>"
        "<email>noreply@blogger.com</email></author><generator version='7.00' uri="
        "'http://www.blogger.com'>Blogger</generator><openSearch:totalResults>812"
        "</openSearch:totalResults><openSearch:startIndex>1</openSearch:startIndex>"
        "<openSearch:itemsPerPage>25</openSearch:itemsPerPage>" + "".join(entries) + "</feed>"
    )
    return document, visible


def render_atom(feed: Feed) -> tuple[str, dict[str, str]]:
    site = feed.site
    visible: dict[str, str] = {}
    entries = []
    for entry in feed.entries:
        content = paragraphs_html(entry)
        entries.append(
            f"""  <entry>
    <title>{escape(entry.title)}</title>
    <link rel="alternate" type="text/html" href="{escape(entry.link)}"/>
    <id>{escape(entry.guid)}</id>
    <published>{iso(entry.published, 9)}</published>
    <updated>{iso(entry.published, 9)}</updated>
    <author><name>{escape(entry.author)}</name></author>
    <content type="html">{escape(content)}</content>
  </entry>"""
        )
        visible[entry.guid] = f"{entry.title}\n{text_of(content)}"
    document = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{site["language"]}">
  <title>{escape(site["title"])}</title>
  <subtitle>{escape(site["description"])}</subtitle>
  <link rel="alternate" type="text/html" href="{site["link"]}"/>
  <link rel="self" type="application/atom+xml" href="{site["link"]}atom.xml"/>
  <id>{site["link"]}</id>
  <updated>{iso(site["built"], 9)}</updated>
  <generator uri="https://www.movabletype.org/" version="7.9">Movable Type</generator>
{chr(10).join(entries)}
</feed>
"""
    return document, visible


def render_jsonfeed(feed: Feed) -> tuple[str, dict[str, str]]:
    site = feed.site
    visible: dict[str, str] = {}
    items = []
    for entry in feed.entries:
        content = paragraphs_html(entry)
        summary = " ".join(excerpt(entry, 30).split()) + " [&hellip;]"
        items.append(
            {
                "id": entry.guid,
                "url": entry.link,
                "title": html.escape(entry.title, quote=False),
                "content_html": content,
                "summary": summary,
                "date_published": iso(entry.published, 2),
                "date_modified": iso(entry.published, 2),
                "authors": [{"name": entry.author}],
                "author": {"name": entry.author},
                "tags": entry.tags,
            }
        )
        visible[entry.guid] = f"{entry.title}\n{text_of(content)}\n{html.unescape(summary)}"
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "user_comment": "This feed allows you to read the posts from this site in any feed "
        "reader that supports the JSON Feed format. To add this feed to your reader, copy the "
        "following URL -- " + site["link"] + "feed/json/ -- and add it your reader.",
        "home_page_url": site["link"],
        "feed_url": site["link"] + "feed/json/",
        "language": site["language"],
        "title": site["title"],
        "description": site["description"],
        "icon": site["link"] + "wp-content/uploads/2023/02/cropped-icona-512x512.png",
        "items": items,
    }
    # the WordPress JSON Feed plugin escapes non-ASCII characters and slashes
    text = json.dumps(document, indent=4, ensure_ascii=True).replace("/", "\\/")
    return text + "\n", visible


def render_gnews(feed: Feed) -> tuple[str, dict[str, str]]:
    site = feed.site
    visible: dict[str, str] = {}
    items = []
    for entry in feed.entries:
        article = entry.link_extra["id"]
        link = f"https://news.google.com/rss/articles/{article}?oc=5"
        if "cluster" in entry.link_extra:
            rows = [(entry.title, entry.source)] + [
                tuple(row.split(" | ")) for row in entry.link_extra["cluster"].split("\n")
            ]
            description = (
                "<ol>"
                + "".join(
                    f'<li><a href="https://news.google.com/rss/articles/'
                    f"{article if n == 0 else google_news_id(None, None, t)}"
                    f'?oc=5" target="_blank">{escape(t)}</a>&nbsp;&nbsp;<font color="#6f6f6f">'
                    f"{escape(s)}</font></li>"
                    for n, (t, s) in enumerate(rows)
                )
                + "</ol>"
            )
        else:
            description = (
                f'<a href="{link}" target="_blank">{escape(entry.title)}</a>&nbsp;&nbsp;'
                f'<font color="#6f6f6f">{escape(entry.source)}</font>'
            )
        title = escape(f"{entry.title} - {entry.source}")
        for char, ref in (("\u00ad", "&#173;"), ("\u200b", "&#8203;")):
            title = title.replace(char, ref)
        items.append(
            f"<item><title>{title}</title><link>{link}</link>"
            f'<guid isPermaLink="false">{article}</guid><pubDate>{rfc822_gmt(entry.published)}'
            f"</pubDate><description>{escape(description)}</description>"
            f'<source url="{entry.link_extra["home"]}">{escape(entry.source)}</source></item>'
        )
        visible[entry.guid] = f"{entry.title} - {entry.source}\n{text_of(description)}"
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel><generator>NFE/5.0</generator>'
        f"<title>{escape(site['title'])}</title><link>{escape(site['link'])}</link>"
        f"<language>{site['language']}</language><webMaster>news-webmaster@google.com"
        "</webMaster><copyright>2025 Google Inc.</copyright><lastBuildDate>"
        f"{rfc822_gmt(site['built'])}</lastBuildDate><description>Google News</description>"
        + "".join(items)
        + "</channel></rss>"
    )
    return document, visible


def render_rss(feed: Feed) -> tuple[str, dict[str, str]]:
    """A portal's RSS 2.0: the whole article as HTML in <description> (CDATA unless the
    site says "escaped"), optionally Yandex's <yandex:full-text> with the same text."""
    site = feed.site
    visible: dict[str, str] = {}
    items = []
    yandex = feed.kind == "yandex"
    zone = int(site.get("tz", "0"))
    for entry in feed.entries:
        content = paragraphs_html(entry)
        body = cdata(content) if site.get("markup") != "escaped" else escape(content)
        extra = ""
        if yandex:
            extra = f"\n      <yandex:full-text>{escape(plain_text(entry))}</yandex:full-text>"
        author = f"\n      <author>{escape(entry.author)}</author>" if entry.author else ""
        category = "".join(f"\n      <category>{escape(t)}</category>" for t in entry.tags)
        permalink = "true" if entry.guid == entry.link else "false"
        items.append(
            f"""    <item>
      <title>{escape(entry.title)}</title>
      <link>{escape(entry.link)}</link>
      <guid isPermaLink="{permalink}">{escape(entry.guid)}</guid>
      <pubDate>{rfc822_local(entry.published, zone)}</pubDate>{author}{category}
      <description>{body}</description>{extra}
    </item>"""
        )
        visible[entry.guid] = f"{entry.title}\n{text_of(content)}"
    declaration = (
        f'<?xml version="1.0" encoding="{feed.declared}"?>'
        if feed.declared
        else '<?xml version="1.0"?>'
    )
    namespaces = ' xmlns:yandex="http://news.yandex.ru"' if yandex else ""
    language = f"\n    <language>{site['language']}</language>" if site.get("language") else ""
    generator = (
        f"\n    <generator>{escape(site['generator'])}</generator>" if site.get("generator") else ""
    )
    document = f"""{declaration}
<rss version="2.0"{namespaces}>
  <channel>
    <title>{escape(site["title"])}</title>
    <link>{site["link"]}</link>
    <description>{escape(site["description"])}</description>{language}
    <lastBuildDate>{rfc822_local(site["built"], zone)}</lastBuildDate>{generator}
{chr(10).join(items)}
  </channel>
</rss>
"""
    return document, visible


def render_rdf(feed: Feed) -> tuple[str, dict[str, str]]:
    site = feed.site
    visible: dict[str, str] = {}
    items = []
    for entry in feed.entries:
        text = plain_text(entry)
        subject = "".join(f"<dc:subject>{escape(t)}</dc:subject>" for t in entry.tags)
        items.append(
            f'<item rdf:about="{escape(entry.guid)}">\n<title>{escape(entry.title)}</title>\n'
            f"<link>{escape(entry.link)}</link>\n<description>{escape(text)}</description>\n"
            f"{subject}<dc:date>{iso(entry.published, 9)}</dc:date>\n</item>"
        )
        visible[entry.guid] = f"{entry.title}\n{text}"
    seq = "".join(f'<rdf:li rdf:resource="{escape(e.guid)}"/>\n' for e in feed.entries)
    namespaces = (
        'xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"'
    )
    document = f"""<?xml version="1.0" encoding="{feed.declared}"?>
<rdf:RDF {namespaces} xml:lang="{site["language"]}">
<channel rdf:about="{site["link"]}rss/index.rdf">
<title>{escape(site["title"])}</title>
<link>{site["link"]}</link>
<description>{escape(site["description"])}</description>
<dc:language>{site["language"]}</dc:language>
<dc:date>{iso(site["built"], 9)}</dc:date>
<items>
<rdf:Seq>
{seq}</rdf:Seq>
</items>
</channel>
{chr(10).join(items)}
</rdf:RDF>
"""
    return document, visible


RENDERERS = {
    "wordpress": render_wordpress,
    "feedburner": render_wordpress,
    "blogger": render_blogger,
    "atom": render_atom,
    "jsonfeed": render_jsonfeed,
    "gnews": render_gnews,
    "rss": render_rss,
    "yandex": render_rss,
    "rdf": render_rdf,
}


def render(feed: Feed) -> tuple[bytes, dict[str, str]]:
    document, visible = RENDERERS[feed.kind](feed)
    data = document.encode(feed.encoding)
    if feed.damage is not None:
        data = feed.damage(data)
    return data, visible


# ------------------------------------------------------------------------------- checks


def sentences(paragraph: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[^a-z0-9])|(?<=[。！？])", paragraph)
    return [part for part in parts if part.strip()]


def declared_charset(feed: Feed) -> str:
    """The charset a reader is told: the header's, else the XML declaration's, else UTF-8."""
    found = re.search(r"charset=([\w-]+)", feed.content_type)
    if found:
        return found.group(1)
    return feed.declared or "utf-8"


def summary_possible(entry: Entry, limit: int = 400) -> bool:
    """Whether 1-3 of the article's own sentences, 400 characters at most, carry every fact."""
    from itertools import combinations

    own = [s for p in entry.body for s in sentences(text_of(p))]
    for size in (1, 2, 3):
        for chosen in combinations(own, size):
            text = " ".join(chosen)
            if len(text) <= limit and all(
                any(fold(option) in fold(text) for option in fact) for fact in entry.facts
            ):
                return True
    return False


def check(
    feeds: list[Feed], visible: dict[tuple[str, str], str], data: dict[str, bytes]
) -> list[str]:
    """Every label against the article's own text; returns the problems found."""
    from bot.config import load_config
    from bot.match import Matcher

    config = load_config(HERE / "topics.yaml")
    matcher = Matcher(config.topics)
    problems: list[str] = []
    keys = {(feed.file, entry.guid) for feed in feeds for entry in feed.entries}
    for feed in feeds:
        decoded = data[feed.file].decode(feed.encoding, errors="replace")
        if feed.problem.startswith("encoding:"):
            try:
                told = data[feed.file].decode(declared_charset(feed))
            except UnicodeDecodeError:
                told = None
            if told == decoded:
                problems.append(f"{feed.file}: decodes fine with its declared charset")
        guids = [entry.guid for entry in feed.entries]
        if len(set(guids)) != len(guids):
            problems.append(f"{feed.file}: repeated guids")
        for entry in feed.entries:
            where = f"{feed.file} {entry.guid}"
            own = own_text(entry)
            searchable = fold(f"{entry.title}\n{own}")
            for fact in entry.facts:
                if not any(fold(option) in searchable for option in fact):
                    problems.append(f"{where}: fact {fact} not in the article's own text")
            shown = visible[(feed.file, entry.guid)]
            more = []
            if feed.kind in ("wordpress", "feedburner") and excerpt_cut(entry):
                more = [feed.site["more_text"]]
            for string in entry.forbidden + feed.forbidden + more:
                if string in own:
                    problems.append(f"{where}: forbidden {string!r} is in the article's own text")
                if string not in (decoded if string == "\ufffd" else shown):
                    problems.append(f"{where}: forbidden {string!r} does not occur in the feed")
            if "late-news" in entry.cases:
                lead = fold(
                    " ".join(
                        [*[s for p in entry.body for s in sentences(text_of(p))][:3], entry.title]
                    )
                )
                for fact in entry.facts:
                    if any(fold(option) in lead for option in fact):
                        problems.append(f"{where}: late-news fact {fact} is in the lead or title")
            if entry.body and not summary_possible(entry):
                problems.append(f"{where}: no 1-3 sentences of <= 400 characters carry the facts")
            if entry.same is not None and (entry.same not in keys or entry.same[0] == feed.file):
                problems.append(f"{where}: same_story_as {entry.same} is not another item")
            unknown = set(entry.cases) - set(CASES)
            if unknown:
                problems.append(f"{where}: unknown cases {unknown}")
            today = set(matcher.match(entry.title, own).topics)
            if today != set(entry.topics) and not MATCHING_CASES & set(entry.cases):
                problems.append(
                    f"{where}: topics {sorted(entry.topics)} but today's matcher finds "
                    f"{sorted(today)} in the own text, and no matching case explains it"
                )
    return problems


def alerts_for(topics: list[str], cases: list[str]) -> list[str]:
    from bot.config import load_config

    if "stale" in cases:
        return []
    config = load_config(HERE / "topics.yaml")
    present = frozenset(topics)
    return [alert.name for alert in config.alerts if alert.expression.evaluate(present)]


# -------------------------------------------------------------------------------- main


def all_feeds() -> list[Feed]:
    import content_aggregators
    import content_asia
    import content_europe

    return content_europe.FEEDS + content_asia.FEEDS + content_aggregators.FEEDS


def label(feed: Feed, entry: Entry) -> dict[str, object]:
    more = []
    if feed.kind in ("wordpress", "feedburner") and excerpt_cut(entry):
        more = [feed.site["more_text"]]
    forbidden = list(dict.fromkeys(entry.forbidden + feed.forbidden + more))
    return {
        "feed": feed.file,
        "entry": entry.guid,
        "language": entry.language,
        "alerts": alerts_for(entry.topics, entry.cases),
        "topics": sorted(entry.topics),
        "facts": entry.facts,
        "forbidden": forbidden,
        "same_story_as": (
            {"feed": entry.same[0], "entry": entry.same[1]} if entry.same is not None else None
        ),
        "cases": entry.cases,
        "published": utc(entry.published).isoformat(),
        "note": entry.note,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk")
    args = parser.parse_args()
    feeds = all_feeds()
    outputs: dict[Path, bytes] = {}
    visible: dict[tuple[str, str], str] = {}
    data_of: dict[str, bytes] = {}
    index = ["file\tcontent_type\ttrue_encoding\tproblem"]
    labels: list[str] = []
    for feed in feeds:
        data, shown = render(feed)
        outputs[HERE / "feeds" / feed.file] = data
        data_of[feed.file] = data
        visible.update({(feed.file, guid): text for guid, text in shown.items()})
        index.append(f"{feed.file}\t{feed.content_type}\t{feed.encoding}\t{feed.problem}")
        labels += [json.dumps(label(feed, entry), ensure_ascii=False) for entry in feed.entries]
    problems = check(feeds, visible, data_of)
    for problem in problems:
        print("problem:", problem, file=sys.stderr)
    if problems:
        return 1
    outputs[HERE / "feeds" / "INDEX.tsv"] = ("\n".join(index) + "\n").encode()
    outputs[HERE / "labels.jsonl"] = ("\n".join(labels) + "\n").encode()
    if args.check:
        stale = [p.name for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
        print("differ from the sources:", ", ".join(stale) if stale else "none")
        return 1 if stale else 0
    for path, data in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(
        f"{len(feeds)} feeds, {len(labels)} labelled items, fetched at {FETCHED_AT:%Y-%m-%d %H:%M}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
