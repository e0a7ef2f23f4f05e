"""The facts two reports are compared on: event kinds, product codes, figures, lateness."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.stories import Policy
from bot.stories.decide import compare, conflicting_facts, fact_evidence
from bot.stories.events import different_events, event_kinds
from bot.stories.fingerprint import product_codes, simplified
from tests.stories_support import make


@pytest.mark.parametrize(
    ("a", "b", "different"),
    [
        (
            "Samsung and Xiaomi in talks over chip supply",
            "Samsung, Xiaomi settle patent suits",
            True,
        ),
        ("Samsung in talks to supply Xiaomi", "삼성전자, 샤오미에 반도체 공급 계약", False),
        ("BYD starts mass production in Hungary", "BYD delays production start in Turkey", True),
        ("Xiaomi launches YU9 SUV", "小米召回13.7万辆SU7", True),
        ("Sony to spin off chip unit", "Sony will Bildsensor-Sparte an die Börse bringen", False),
    ],
)
def test_event_kinds_tell_events_apart(a: str, b: str, different: bool) -> None:
    assert different_events(event_kinds(a), event_kinds(b)) is different


def test_a_setback_the_other_report_mentions_is_no_conflict() -> None:
    delayed = event_kinds("Polestar's second-quarter loss widens in long-delayed results")
    plain = event_kinds("Polestar legt Zahlen für das zweite Quartal vor")
    text = event_kinds("Die Zahlen kommen mit monatelanger Verspätung.")
    assert different_events(delayed, plain)
    assert not different_events(delayed, plain, b_text=text)


def test_shang_shi_is_a_market_launch_as_often_as_a_listing() -> None:
    assert "ipo" not in event_kinds("小米YU9正式上市：六座大SUV")


def test_product_codes() -> None:
    codes = product_codes("Xiaomi SU7 and YU9-SUV; HBM4E for the M16-Fabrik; RTX-5090; 3nm, 5G, Q3")
    assert {"su7", "yu9", "hbm4e", "m16", "rtx5090"} <= codes
    assert not {"3nm", "5g", "q3"} & codes


def _item(item_id: str, title: str, text: str = "", hours: float = 0.0, language: str = "en"):  # type: ignore[no-untyped-def]
    return make(item_id, title, text, url=f"https://example.com/{item_id}", language=language,
                hours=hours)  # fmt: skip


def test_figures_conflict_only_when_they_can_be_compared() -> None:
    eight = _item("a", "Samsung to buy Harman for $8 billion")
    assert conflicting_facts(eight, _item("b", "Samsung to buy Harman for $1.2 billion"))
    assert not conflicting_facts(eight, _item("c", "삼성, 하만 9조원에 인수", language="ko"))
    recall = _item("d", "Xiaomi recalls 137,000 SU7 sedans")
    assert not conflicting_facts(recall, _item("e", "Xiaomi is recalling nearly 140,000 SU7s"))


def test_distinctive_headline_figures_weigh_more_than_round_or_buried_ones() -> None:
    recall = _item("a", "Xiaomi recalls 137,000 SU7 sedans")
    # the figure (1.0) and the same kind of event, a recall (0.5)
    assert fact_evidence(recall, _item("b", "小米召回13.7万辆汽车", language="zh")) == 1.5
    deal = _item("c", "Samsung buys Harman for $8 billion")
    assert fact_evidence(deal, _item("d", "삼성, 하만 80억 달러에", language="ko")) == 0.5
    buried = _item("e", "삼성, 하만 산다", "거래 규모는 80억 달러다.", language="ko")
    assert fact_evidence(deal, buried) == 0.5  # in one headline is enough
    in_text = _item("f", "Samsung agrees Harman deal", "The deal is worth $8 billion.")
    assert fact_evidence(in_text, buried) == 0.25


def test_a_later_report_needs_more_evidence() -> None:
    policy = Policy(model=False)
    first = _item("a", "Samsung to buy Harman for $8 billion")
    soon = _item("b", "삼성전자, 하만 80억 달러에 인수", hours=3, language="ko")
    assert compare(first, soon, policy).reason == "same facts"  # round figure + same kind
    later = replace(soon, published=first.published + timedelta(hours=40))
    assert compare(first, later, policy).reason is None


def test_traditional_chinese_is_embedded_as_simplified() -> None:
    assert simplified("台積電美國二廠量產") == "台积电美国二厂量产"
    item = _item("zh", "台積電美國二廠提前量產", language="zh-Hant")
    assert "台积电" in item.embed_text
