from __future__ import annotations

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
