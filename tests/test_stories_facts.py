"""The facts two reports are compared on: event kinds, product codes, figures, lateness."""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from bot.stories import Policy
from bot.stories.decide import compare, conflicting_facts, fact_evidence
from bot.stories.events import different_events, event_kinds
from bot.stories.fingerprint import product_codes, simplified, title_names
from tests.stories_support import ENTITIES, make


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


def test_headline_names_in_latin_letters() -> None:
    names = title_names("Samsung to buy Austrian radar startup Sensyra, says CEO", ENTITIES)
    assert names == {"austrian", "sensyra", "ceo"}  # not the company, nor lower-case words
    assert title_names("Sensyra: Samsung kauft Radar-Start-up", ENTITIES) == {"radar-start-up"}
    assert title_names("FSD: Apple gets approval", ENTITIES) == {"fsd"}  # capitals count
    assert title_names("特斯拉FSD获准在中国推送", ENTITIES) == {"fsd"}
    assert title_names("Xiaomi SU7 beats Samsung Galaxy", ENTITIES) == {"galaxy"}  # codes apart
    # a country is where many stories happen, not a name that tells them apart
    assert title_names("Apple wins approval in China and Germany", ENTITIES) == set()
    assert title_names("Samsung baut Werk in Arizona", ENTITIES) == {"werk", "arizona"}


def test_a_shared_headline_name_counts_across_languages_only() -> None:
    english = _item("a", "Samsung to buy Austrian radar startup Sensyra")
    german = _item("b", "Samsung kauft Grazer Radar-Start-up Sensyra", language="de")
    rewrite = _item("c", "Samsung buys radar startup Sensyra")
    # a name both headlines write, in two languages, counts as a product code does (0.5),
    # and both report an acquisition (0.5)
    assert fact_evidence(english, german) == fact_evidence(german, english) == 1.0
    # within one language a capitalized word is as often a common noun or title case
    assert fact_evidence(english, rewrite) == 0.5


def test_the_same_two_companies_in_both_headlines_count_with_the_model_only() -> None:
    english = _item("a", "Samsung and Xiaomi sign chip supply pact")
    korean = _item("b", "삼성, 샤오미와 손잡아", language="ko")  # no figure, no event word
    single = _item("c", "삼성, 전기차용 칩 선보여", language="ko")  # Samsung alone
    assert fact_evidence(english, korean) == fact_evidence(english, single) == 0.0
    one = np.zeros(512, dtype=np.float32)
    one[0] = 1.0
    near = np.zeros(512, dtype=np.float32)
    near[:2] = (0.6, 0.8)  # cosine 0.6: 0.67 on the cross-language scale (0.40 -> 0.70)
    a = english.with_embedding(one.tobytes())
    b, c = korean.with_embedding(near.tobytes()), single.with_embedding(near.tobytes())
    assert compare(a, b, Policy()).reason == "same meaning"  # 0.5 (the pair) + 0.67
    assert compare(a, c, Policy()).reason is None  # 0.67 alone is not enough
    assert compare(a, b, Policy(model=False)).reason is None  # a pair alone is no fact


def _every_kind_alone(title: str) -> frozenset[str]:
    """The kinds as each kind's expression finds them alone, with no prefilter."""
    from bot.stories.events import _compiled

    text = unicodedata.normalize("NFKC", title).casefold()
    return frozenset(kind for kind, pattern in _compiled().items() if pattern.search(text))


def _evaluation_texts() -> list[str]:
    texts: list[str] = []
    for name in ("stories_eval.jsonl", "deals_eval.jsonl"):
        with (Path(__file__).parent.parent / "bench" / "data" / name).open(encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                texts += [record.get("title") or "", record.get("text") or ""]
    return texts


def test_the_literal_prefilter_finds_what_every_expression_finds() -> None:
    """event_kinds runs a kind's expression only where one of its literals occurs: the
    same kinds as running them all, over the evaluation sets' titles and texts (eight
    languages), and over strings built around every word with separators, case, width
    and diacritic variants on both sides."""
    from bot.stories.events import KINDS

    texts = _evaluation_texts()
    assert len(texts) > 400
    rng = random.Random(11)
    edges = ["", " ", "-", "x", "é", "ß", "İ", "ı", "ſ", "\u00ad", "Ｔ", "中", "이", "_", "'"]
    for words in KINDS.values():
        for word in words:
            literal = word.rstrip("*")
            for _ in range(4):
                variant = literal.upper() if rng.random() < 0.3 else literal
                variant = variant.replace(" ", rng.choice([" ", "-", "  ", "\n", " - "]))
                texts.append(f"{rng.choice(edges)}{variant}{rng.choice(edges)}{rng.choice(edges)}")
    found = 0
    for text in texts:
        kinds = event_kinds(text)
        assert kinds == _every_kind_alone(text), text
        found += bool(kinds)
    assert found > 1000  # the check is not vacuous: most strings report a kind


def test_a_word_with_sharp_s_matches_the_casefolded_headline() -> None:
    assert "regulatory" in event_kinds("Samsung muss Bußgeld zahlen")
