"""The cleaning's prefilters skip only work that could not have changed the result.

``clean_article`` looks at the markup or the line before it runs a pass (the queries of the
tree for links; the caption and dateline expressions): the text it gives is the same as
with every pass run, over the clean-text
evaluation set's real feeds, the cleaning tests' cases, the benchmark's generated items and
bodies built to sit on the edges of each prefilter."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

import bot.ingest.clean as clean
from tests.clean_cases import CASES

REPO = Path(__file__).resolve().parent.parent
FEEDS = REPO / "bench" / "data" / "cleantext" / "feeds"


def _bodies_of(document: bytes) -> Iterator[str]:
    for entry in feedparser.parse(document, sanitize_html=False).entries:
        for content in entry.get("content", []):
            yield content.get("value", "")
        yield entry.get("summary", "")
        yield entry.get("title", "")


def _generated_bodies() -> Iterator[str]:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import rss_document
    finally:
        sys.path.remove(str(REPO / "bench"))
    for index in range(30):
        yield from _bodies_of(rss_document(3, index, 20, datetime(2026, 12, 1, tzinfo=UTC)))


def _edge_bodies() -> Iterator[str]:
    """Markup on the edges: labels with neighbours removed, case and width variants,
    elements and attributes spelled oddly, datelines in every script."""
    rng = random.Random(5)
    pieces = [
        "<p>Related:</p><ul><li><a href='x'>A</a></li></ul>",
        "<p>See <a href='x'>more</a>also</p>",
        "<p>RELATED STORIES</p><p><a href='x'>Samsung</a></p>",
        "<p>ſee alſo: <a href='y'>Xiaomi</a></p>",
        "<p>Lesen Sie auch: <a href='z'>Samsung baut</a></p>",
        "<P>관련기사</P><UL><LI><A HREF='k'>삼성</A></LI></UL>",
        "<ASIDE>Ad text</ASIDE>",
        "<nav-bar>not nav</nav-bar>",
        "<div CLASS = 'share-box'>Share this</div>",
        "<div/id=newsletter>Sign up</div>",
        "<span class>bare</span>",
        "<figure><img src=x><figcaption>Photo: Reuters</figcaption></figure>",
        "SEOUL, Nov 25 (Reuters) - Samsung said",
        "(서울=연합뉴스) 홍길동 기자 = 삼성전자가",
        "[Seoul=Yonhap] Samsung",
        "新华社北京11月25日电（记者 张三）小米",
        "【新華社】小米",
        "图为小米工厂",
        "小米汽车（资料图）",
        "Photo: Getty Images",
        "<p>Samsung (c) 2026</p>",
        "<p>Text with &lt;b&gt;escaped&lt;/b&gt; markup</p>",
        "plain words without any markup at all",
        "<a>read more</a>",
        "<p><a href='x'>Weiterlesen</a></p>",
    ]
    leads = ["", "Samsung said.", "小米说。"]
    for _ in range(400):
        chosen = rng.sample(pieces, rng.randint(1, 4))
        yield "\n".join(f"<p>{rng.choice(leads)}</p>{piece}" for piece in chosen)
    yield from pieces


def _every_pass_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    class Always:
        @staticmethod
        def search(_text: str) -> bool:
            return True

    monkeypatch.setattr(clean, "_MAY_HOLD_LINKS", Always)
    monkeypatch.setattr(clean, "_may_be_caption", lambda _line: True)
    every = (clean._DATELINE, clean._KOREAN_DATELINE, clean._CHINESE_DATELINE)
    monkeypatch.setattr(clean, "_datelines", lambda _line: every)


def test_cleaning_with_prefilters_equals_cleaning_without(monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = [case[1] for case in CASES]
    for path in sorted(FEEDS.glob("*.xml")):
        bodies += list(_bodies_of(path.read_bytes()))
    bodies += list(_generated_bodies()) + list(_edge_bodies())
    assert len(bodies) > 1500
    filtered = [clean.clean_article(body) for body in bodies]
    _every_pass_runs(monkeypatch)
    unfiltered = [clean.clean_article(body) for body in bodies]
    for body, got, expected in zip(bodies, filtered, unfiltered, strict=True):
        assert got == expected, body[:300]
    assert sum(bool(cleaned.removed) for cleaned in unfiltered) > 200  # passes that removed
