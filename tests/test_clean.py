"""Boilerplate removal: what stays, what goes, the record of it, and its cost."""

from __future__ import annotations

import time

import pytest

from bot.ingest.clean import MAX_RECORD, clean_article
from bot.ingest.parse import parse_feed
from tests.clean_cases import CASES
from tests.feedserver import rss, rss_item


@pytest.mark.parametrize(("name", "markup", "keep", "drop"), CASES, ids=[c[0] for c in CASES])
def test_boilerplate_goes_and_the_article_stays(
    name: str, markup: str, keep: tuple[str, ...], drop: tuple[str, ...]
) -> None:
    cleaned = clean_article(markup)
    for wanted in keep:
        assert wanted in cleaned.text, f"{name}: lost {wanted!r} from {cleaned.text!r}"
    for unwanted in drop:
        assert unwanted not in cleaned.text, f"{name}: kept {unwanted!r} in {cleaned.text!r}"
    assert bool(cleaned.removed) == bool(drop)


def test_the_record_says_what_went_briefly() -> None:
    markup = "<p>Samsung builds a plant.</p>" + "".join(
        f"<aside>Related story number {n} about Xiaomi and a very long headline indeed</aside>"
        for n in range(20)
    )
    cleaned = clean_article(markup)
    assert cleaned.text == "Samsung builds a plant."
    assert len(cleaned.removed) == MAX_RECORD + 1
    assert cleaned.removed[0].startswith("aside: Related story number 0")
    assert all(len(entry) <= 80 for entry in cleaned.removed)
    assert cleaned.removed[-1] == f"… and {20 - MAX_RECORD} more"


def test_escaped_markup_is_cleaned_too() -> None:
    escaped = (
        "&lt;p&gt;Xiaomi baut ein Werk.&lt;/p&gt;&lt;p&gt;Der Beitrag &lt;a href='x'&gt;Xiaomi"
        "&lt;/a&gt; erschien zuerst auf &lt;a&gt;Blog&lt;/a&gt;.&lt;/p&gt;"
    )
    assert clean_article(escaped).text == "Xiaomi baut ein Werk."
    assert clean_article(escaped.replace("&", "&amp;")).text == "Xiaomi baut ein Werk."


def test_parse_keeps_boilerplate_out_of_the_item_text_and_records_it() -> None:
    body = (
        "<![CDATA[<p>Samsung stellt den Exynos 2600 vor.</p><p>Lesen Sie auch: <a href='x'>"
        "Xiaomi baut Elektroautos</a></p><p>Der Beitrag <a>Exynos</a> erschien zuerst auf "
        "<a>TechBlog</a>.</p>]]>"
    )
    document = rss(rss_item("Exynos 2600", "https://n.example/1", description=body))
    (item,) = parse_feed(document.encode(), "https://n.example/feed").items
    assert item.text == "Samsung stellt den Exynos 2600 vor."
    assert "Xiaomi" not in item.text
    assert any("Xiaomi baut Elektroautos" in entry for entry in item.removed)
    assert any("erschien zuerst" in entry for entry in item.removed)


@pytest.mark.parametrize(
    "markup",
    [
        "<div class='ad'>" * 30_000 + "x",
        "<p><a>link</a></p>" * 20_000,
        "<ul>" + "<li><a>link</a> | </li>" * 15_000 + "</ul>",
        "<aside><p>Related</p><ul><li><a>x</a></li></ul></aside>" * 5_000,
        "Der Beitrag " * 20_000 + "erschien zuerst auf",
        "(서울=연합뉴스) " * 20_000,
    ],
    ids=[
        "nested ads",
        "link paragraphs",
        "one long list of links",
        "related blocks",
        "footer words",
        "datelines",
    ],
)
def test_cleaning_costs_linear_time(markup: str) -> None:
    assert len(markup) > 100_000
    started = time.perf_counter()
    clean_article(markup[:300_000])
    assert time.perf_counter() - started < 2.0
