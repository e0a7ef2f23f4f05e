"""Sources of the feeds that carry other publishers' stories under other URLs: a FeedBurner
feed, Google News searches, an AMP feed and a reading-list magazine.

An item that is the same article as an item of a publisher's own feed says so in ``same``;
its labels follow from the text it carries itself.
"""

# ruff: noqa: E501

from __future__ import annotations

from dataclasses import replace

from content_europe import E1, E2, E3, E4, E6, E9, EVD, I1, S2, T1, T2, T3, T5, T6
from feedset import Entry, Feed, google_news_id


def _copy(original: Entry, feed: str, **changes: object) -> Entry:
    """The same article in another feed: same text and labels unless ``changes`` says so."""
    values: dict[str, object] = {
        "same": (feed, original.guid),
        "cases": ["url-variant"],
        "note": "",
    }
    values.update(changes)
    return replace(original, **values)  # type: ignore[arg-type]


# --------------------------------------------------- EV Daily's battery feed on FeedBurner

FB = "EvDaily-Batteries"


def _proxy(token: str) -> str:
    return f"http://feedproxy.google.com/~r/{FB}/~3/{token}/"


F1 = _copy(
    E3,
    "evdaily-wp.xml",
    link_extra={
        "proxy": _proxy("q7Lm2XwZk9E"),
        "orig": f"{E3.link}?utm_source=rss&utm_medium=rss&utm_campaign=xiaomi-battery-pack-plant-talks",
    },
    note="FeedBurner: <link> is a feedproxy redirect; feedburner:origLink is the article with WordPress's utm_* parameters.",
)

F2 = _copy(
    E1,
    "evdaily-wp.xml",
    link_extra={
        "proxy": _proxy("Hs0dPq2Vb8M"),
        "orig": "http://evdaily.example/2025/06/11/byd-szeged-series-production",
    },
    note="FeedBurner: origLink over http and without the trailing slash.",
)

F3 = Entry(
    guid=f"{EVD}/?p=47990",
    link=f"{EVD}/2025/06/08/catl-sodium-ion-trucks/",
    link_extra={
        "proxy": _proxy("Zr4Nw1xYc3Q"),
        "orig": f"{EVD}/2025/06/08/catl-sodium-ion-trucks/",
    },
    title="CATL unveils a sodium-ion battery for heavy trucks",
    published="2025-06-08 09:00",
    author="Lin Hao",
    tags=["CATL", "Batteries"],
    language="en",
    body=[
        "CATL has unveiled a sodium-ion starter battery for heavy trucks that it says works down to -40°C and lasts eight years, twice as long as the lead-acid batteries it replaces.",
        "Mass production starts in December at its plant in Yibin, Sichuan.",
    ],
    topics=["battery"],
    facts=[["sodium-ion"], ["December"]],
    cases=["control"],
)

FEEDBURNER = Feed(
    file="evdaily-feedburner.xml",
    kind="feedburner",
    content_type="text/xml; charset=UTF-8",
    encoding="utf-8",
    problem="url: FeedBurner proxy links (feedproxy.google.com) with feedburner:origLink; feedflare and a tracking pixel in every entry",
    site={
        "title": "EV Daily » Batteries",
        "name": "EV Daily",
        "link": EVD,
        "description": "Electric cars, batteries and the chips inside them",
        "language": "en-US",
        "built": "2025-06-12 05:45",
        "yoast": '<p>The post <a rel="nofollow" href="{link}">{title}</a> appeared first on <a rel="nofollow" href="{home}">{site}</a>.</p>',
        "more": " [&#8230;]",
        "more_text": "[…]",
        "fb": FB,
    },
    entries=[F1, F2, F3],
    forbidden=["appeared first on", "EV Daily"],
)

# ---------------------------------------------------------------------------- Google News


def _news(
    guid_url: str | None,
    *,
    title: str,
    source: str,
    home: str,
    published: str,
    language: str,
    topics: list[str],
    facts: list[list[str]],
    same: tuple[str, str] | None,
    amp: str | None = None,
    seed: str = "",
    cluster: str = "",
    forbidden: list[str] | None = None,
    note: str = "",
    cases: list[str] | None = None,
) -> Entry:
    article = google_news_id(guid_url, amp, seed)
    extra = {"id": article, "home": home}
    if cluster:
        extra["cluster"] = cluster
    return Entry(
        guid=article,
        link=f"https://news.google.com/rss/articles/{article}?oc=5",
        link_extra=extra,
        title=title,
        source=source,
        published=published,
        language=language,
        body=[],
        topics=topics,
        facts=facts,
        same=same,
        forbidden=[source, *(forbidden or [])],
        cases=cases or (["google-news", "url-variant"] if same else ["google-news"]),
        note=note,
    )


G1 = _news(
    E1.link,
    title=E1.title,
    source="EV Daily",
    home=EVD,
    published="2025-06-11 14:20",
    language="en",
    topics=["byd"],
    facts=[["Szeged"]],
    same=("evdaily-wp.xml", E1.guid),
    note="Old-style article id: base64 of a protobuf that holds the article's URL. The description is the title plus the source name; 'EV Daily' is not the ev topic.",
)

G2 = _news(
    None,
    seed=E2.link,
    title=E2.title,
    source="EV Daily",
    home=EVD,
    published="2025-06-11 09:55",
    language="en",
    topics=["tesla"],
    facts=[["Model Y"], ["lease"]],
    same=("evdaily-wp.xml", E2.guid),
    note="New-style opaque article id (no URL inside): the same story is recognisable only by title and source.",
)

G3 = _news(
    "https://asiaautowire.example/news/2025/06/11/xiaomi-wuhan-battery-pack-plant",
    title="Xiaomi in talks with Wuhan over battery pack plant, sources say",
    source="Asia Auto Wire",
    home="https://asiaautowire.example",
    published="2025-06-11 08:30",
    language="en",
    topics=["xiaomi", "battery"],
    facts=[["Wuhan"], ["talks"]],
    same=None,
    note="The same event as evdaily-wp.xml ?p=48177, but another publisher's article: not the same story.",
)

G4 = _news(
    E4.link,
    amp=f"{E4.link}amp/",
    title=E4.title,
    source="EV Daily",
    home=EVD,
    published="2025-06-10 08:40",
    language="en",
    topics=["tsmc", "chips"],
    facts=[["40%"]],
    same=("evdaily-wp.xml", E4.guid),
    note="Old-style article id holding the URL and, in field 26, its AMP URL.",
)

GNEWS_EN = Feed(
    file="gnews-en.xml",
    kind="gnews",
    content_type="application/xml; charset=utf-8",
    encoding="utf-8",
    problem="url: news.google.com redirect links (old ids with the URL inside, new opaque ids); titles end in ' - Source'; descriptions are only the title and the source",
    site={
        "title": '"BYD" OR "Xiaomi" OR "Tesla" OR "TSMC" when:1d - Google News',
        "link": "https://news.google.com/search?q=%22BYD%22+OR+%22Xiaomi%22+OR+%22Tesla%22+OR+%22TSMC%22+when:1d&hl=en-US&gl=US&ceid=US:en",
        "language": "en-US",
        "built": "2025-06-12 06:00",
    },
    entries=[G1, G2, G3, G4],
)

G5 = _news(
    None,
    seed=T2.link,
    title=T2.title,
    source="TechWelt",
    home="https://www.techwelt.example",
    published="2025-06-11 08:10",
    language="de",
    topics=["samsung", "battery", "ev"],
    facts=[["Ungarn"]],
    same=("techwelt-wp.xml", T2.guid),
    forbidden=["\u00ad"],
    cases=["google-news", "url-variant", "invisible"],
    note="Soft hyphens in the title, written as &#173; by Google News.",
)

G6 = _news(
    "https://www.auto-nachrichten24.example/news/xiaomi-e-autos-europa-2027-1234567.html",
    title="Xiaomi will E-Autos ab 2027 in Europa verkaufen",
    source="Auto-Nachrichten24",
    home="https://www.auto-nachrichten24.example",
    published="2025-06-11 10:30",
    language="de",
    topics=["xiaomi", "ev"],
    facts=[["2027"], ["Europa"]],
    same=None,
)

G7 = _news(
    None,
    seed=T6.link,
    title=T6.title,
    source="TechWelt",
    home="https://www.techwelt.example",
    published="2025-06-10 07:45",
    language="de",
    topics=["chips"],
    facts=[["Dresden"]],
    same=("techwelt-wp.xml", T6.guid),
    cluster="Infineon weiht Smart Power Fab in Dresden ein | Sachsen-Kurier\nMilliardenwerk: Infineon startet Produktion in Sachsen | Ostdeutsche Wirtschaft",
    forbidden=["Sachsen-Kurier", "Ostdeutsche Wirtschaft", "Milliardenwerk"],
    note="A story cluster: the description lists the headlines of two other outlets.",
)

GNEWS_DE = Feed(
    file="gnews-de.xml",
    kind="gnews",
    content_type="application/xml; charset=utf-8",
    encoding="utf-8",
    problem="url: news.google.com redirect links; a story cluster whose description lists other outlets' headlines",
    site={
        "title": "Samsung OR Xiaomi OR Infineon when:1d - Google News",
        "link": "https://news.google.com/search?q=Samsung+OR+Xiaomi+OR+Infineon+when:1d&hl=de&gl=DE&ceid=DE:de",
        "language": "de",
        "built": "2025-06-12 06:00",
    },
    entries=[G5, G6, G7],
)

# ------------------------------------------------------------- TechWelt's AMP edition

AMP = "https://amp.techwelt.example"

A1 = _copy(
    T1,
    "techwelt-wp.xml",
    guid=f"{AMP}/2025/06/11/byd-eu-zollstreit/",
    link=f"{AMP}/2025/06/11/byd-eu-zollstreit/",
    cases=["url-variant"],
    note="AMP host (amp.) instead of www.",
)

A2 = _copy(
    T6,
    "techwelt-wp.xml",
    guid=f"{T6.link}amp/",
    link=f"{T6.link}amp/",
    note="AMP path (/amp/) on the same host.",
)

TECHWELT_AMP = Feed(
    file="techwelt-amp.xml",
    kind="rss",
    content_type="application/rss+xml; charset=UTF-8",
    encoding="utf-8",
    problem="url: the AMP edition's feed links to amp. hosts and /amp/ paths",
    site={
        "title": "TechWelt (AMP)",
        "tz": "2",
        "link": f"{AMP}/",
        "description": "Smartphones, Chips und E-Mobilität",
        "language": "de-DE",
        "built": "2025-06-12 05:00",
        "generator": "AMP for WP",
    },
    entries=[A1, A2],
)

# ------------------------------------------------------------ a reading-list magazine

MAG = "https://reader.example/magazines/ev-chips/items/"

R1 = _copy(
    E9,
    "evdaily-wp.xml",
    guid=f"{MAG}5f1c9a0e",
    link="https://evdaily-example.cdn.ampproject.org/c/s/evdaily.example/2025/06/10/samsung-hbm4-samples-nvidia/amp/",
    body=E9.body[:2],
    inserts={},
    forbidden=[],
    note="Shared as a Google AMP Cache URL.",
)

R2 = _copy(
    T3,
    "techwelt-wp.xml",
    guid=f"{MAG}5f1c9a11",
    link="https://m.techwelt.example/2025/06/11/e-auto-praemie-neu/",
    tail=[],
    forbidden=[],
    note="Shared from the mobile site (m. host).",
)

R3 = _copy(
    S2,
    "motoreco-wp.xml",
    guid=f"{MAG}5f1c9a17",
    link=f"{S2.link}?amp=1",
    inserts={},
    forbidden=[],
    note="Shared as WordPress's AMP form (?amp=1).",
)

R4 = _copy(
    I1,
    "tecnoitalia.json",
    guid=f"{MAG}5f1c9a1d",
    link="http://tecnoitalia.example/2025/06/11/xiaomi-su7-ultra-italia",
    tail=[],
    forbidden=[],
    note="http, no www, no trailing slash.",
)

R5 = _copy(
    E6,
    "evdaily-wp.xml",
    guid=f"{MAG}5f1c9a22",
    link=f"{EVD}/2025/06/10/xiaomi-yu7-orders/amp",
    cases=["url-variant", "invisible"],
    note="AMP path without its trailing slash; the title keeps the zero-width space.",
)

R6 = Entry(
    guid=f"{MAG}5f1c9a28",
    link=f"{EVD}/2025/06/05/tesla-model-y-lease-uk/",
    title="Tesla cuts Model Y lease prices in the UK",
    published="2025-06-05 12:00",
    language="en",
    body=[
        "Tesla has cut the monthly lease price of the Model Y in the UK by £50 to £449, its second cut this year, as registrations of its cars in Britain fell 36% in May.",
    ],
    topics=["tesla"],
    facts=[["£449"], ["UK", "Britain"]],
    cases=["control"],
    note="Looks like evdaily-wp.xml ?p=48190 (Germany and France) but is another article: not the same story.",
)

R7 = _copy(
    T5,
    "techwelt-wp.xml",
    guid=f"{MAG}5f1c9a2e",
    link="http://techwelt.example/2025/06/10/tesla-model-3-preissenkung",
    note="http, the bare domain instead of www., no trailing slash.",
)

MAGAZINE = Feed(
    file="reader-magazine.xml",
    kind="rss",
    content_type="application/rss+xml; charset=utf-8",
    encoding="utf-8",
    problem="url: a reading-list magazine of shared links in AMP-cache, m., ?amp=1, http and bare-domain forms; items in five languages, no feed language",
    site={
        "title": "EV & Chips — a reading list",
        "tz": "0",
        "link": "https://reader.example/magazines/ev-chips",
        "description": "Stories shared by evfan",
        "built": "2025-06-12 05:50",
        "generator": "Reader Magazines",
    },
    entries=[R1, R2, R3, R4, R5, R6, R7],
)

FEEDS = [FEEDBURNER, GNEWS_EN, GNEWS_DE, TECHWELT_AMP, MAGAZINE]
