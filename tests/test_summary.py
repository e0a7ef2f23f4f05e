from __future__ import annotations

import pytest

from bot.models import Item
from bot.summary import summarize


def item(text: str, language: str | None = "en", title: str = "A title") -> Item:
    return Item("k", title, text, None, None, None, language)


def test_prefers_sentences_with_terms_and_keeps_their_order() -> None:
    text = (
        "Samsung Electronics hat am Dienstag neue Chips vorgestellt. Das Wetter war gut. "
        "Der Exynos 2600 soll im Elektroauto-Segment eingesetzt werden. Dr. Müller sagte, "
        "die Nachfrage sei z. B. in China hoch. Xiaomi plant ebenfalls ein Elektroauto. "
        "Weitere Details folgen."
    )
    summary = summarize(item(text, "de"), ["Exynos", "Elektroauto", "Xiaomi"])
    assert summary == (
        "Samsung Electronics hat am Dienstag neue Chips vorgestellt. Der Exynos 2600 soll im "
        "Elektroauto-Segment eingesetzt werden. Xiaomi plant ebenfalls ein Elektroauto."
    )


def test_at_most_three_sentences_and_400_characters() -> None:
    text = " ".join(f"Sentence number {i} mentions EV charging in some detail." for i in range(20))
    summary = summarize(item(text), ["EV"])
    assert summary.count("Sentence number") == 3
    long = "The EV " + "very " * 150 + "long sentence ends here."
    short = summarize(item(long), ["EV"])
    assert len(short) <= 400
    assert short.endswith("very…")


def test_chinese_sentences_join_without_spaces() -> None:
    text = "小米发布了新款电动汽车。售价为21.59万元！你觉得怎么样？三星也在研发。"
    assert (
        summarize(item(text, "zh"), ["三星"])
        == "小米发布了新款电动汽车。售价为21.59万元！三星也在研发。"
    )


def test_no_html_and_no_title_repeat() -> None:
    text = "Xiaomi unveils SU7. Xiaomi said the SU7 EV costs less than a Tesla."
    summary = summarize(item(text, title="Xiaomi unveils SU7"), ["Xiaomi"])
    assert summary == "Xiaomi said the SU7 EV costs less than a Tesla."


def test_empty_text_gives_empty_summary() -> None:
    assert summarize(item(""), ["EV"]) == ""


def test_sentences_covering_the_rules_topics_win_over_earlier_ones() -> None:
    text = (
        "Samsung published its quarterly results on Tuesday. "
        "Memory prices rose by a fifth. "
        "The company will supply Exynos chips for Xiaomi's next electric car. "
        "Analysts expect more orders. "
        "Xiaomi confirmed the deal."
    )
    topics = {"samsung": ["Samsung"], "exynos": ["Exynos"], "xiaomi": ["Xiaomi's", "Xiaomi"]}
    summary = summarize(item(text), topics, sentences=2)
    assert summary == (
        "Samsung published its quarterly results on Tuesday. The company will supply Exynos "
        "chips for Xiaomi's next electric car."
    )
    # one sentence: the one that carries two of the three topics
    assert summarize(item(text), topics, sentences=1) == (
        "The company will supply Exynos chips for Xiaomi's next electric car."
    )


def test_boilerplate_sentences_are_never_chosen() -> None:
    text = (
        "Subscribe to our newsletter for Samsung news.\n"
        "Samsung unveiled a foldable phone with an Exynos chip.\n"
        "© 2026 TechWire. All rights reserved.\n"
        "Photo: Samsung Exynos launch, Jane Doe/Getty Images"
    )
    summary = summarize(item(text), {"samsung": ["Samsung"], "exynos": ["Exynos"]})
    assert summary == "Samsung unveiled a foldable phone with an Exynos chip."


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # Google News: "<a>Title</a>&nbsp;&nbsp;<font>Publisher</font>", made plain
        ("Samsung unveils Exynos 2600 - Reuters", "Samsung unveils Exynos 2600 - Reuters Reuters"),
        ("Samsung unveils Exynos 2600 - Reuters", "Samsung unveils Exynos 2600 Reuters"),
        ("Samsung unveils Exynos 2600", "Samsung unveils Exynos 2600."),
        ("小米发布新款电动汽车 - 新浪科技", "小米发布新款电动汽车 新浪科技"),
    ],
)
def test_a_text_that_only_repeats_the_title_gives_no_summary(title: str, text: str) -> None:
    assert summarize(item(text, title=title), ["Samsung", "小米"]) == ""


def test_a_sentence_that_merely_contains_a_short_title_is_kept() -> None:
    assert summarize(item("The EV market grew.", title="EV"), ["EV"]) == "The EV market grew."
    chinese = "小米发布新款电动汽车，售价21.59万元。"
    assert summarize(item(chinese, "zh", title="小米发布新款电动汽车"), ["小米"]) == chinese


def test_invisible_characters_are_stripped() -> None:
    text = "Sam\u00adsung\u200b builds a \u2066plant\u2069 for \u202eEVs\u202c.\ufeff"
    assert summarize(item(text), ["Samsung"]) == "Samsung builds a plant for EVs."


def test_the_summary_follows_the_text_language() -> None:
    text = "Samsung hat einen neuen Chip vorgestellt. Er wird z. B. in Elektroautos verbaut."
    summary = summarize(item(text, "de"), ["Samsung"])
    assert summary == text
