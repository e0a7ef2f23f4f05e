from __future__ import annotations

import random
import re
import sys
import time

import pytest

from bot.text import (
    absolute_url,
    canonical_url,
    display_url,
    html_to_text,
    primary_language,
    shorten,
    split_sentences,
    tidy_whitespace,
)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Samsung&nbsp;said</p><p>Second</p>", "Samsung said\nSecond"),
        ("<div>Sam<b>sung</b> Elektro<i>auto</i></div>", "Samsung Elektroauto"),
        ("a<script>alert(1)</script>b<style>p{}</style>c", "abc"),
        ("&lt;p&gt;Double &amp;amp; escaped&lt;/p&gt;", "Double & escaped"),
        ("&amp;lt;b&amp;gt;triple&amp;lt;/b&amp;gt;", "triple"),
        ("AT&amp;T &amp; T-Mobile", "AT&T & T-Mobile"),
        ("a < b and c > d", "a < b and c > d"),
        ("plain text, no markup", "plain text, no markup"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
        ("  lots   of \t space \n\n\n here ", "lots of space\nhere"),
        ("ctrl\x00chars\x07gone", "ctrlcharsgone"),
        ("", ""),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        (
            "HTTPS://Example.COM:443/a/b?utm_source=x&id=3&fbclid=z#frag",
            "https://example.com/a/b?id=3",
        ),
        ("http://example.com", "https://example.com"),
        ("http://user:Secret@Ex.com:8080/p", "https://ex.com:8080/p"),
        ("https://ex.com/p?gclid=1&UTM_Medium=2&mc_cid=3", "https://ex.com/p"),
        ("https://ex.com/p?q=%20x&page=2", "https://ex.com/p?q=%20x&page=2"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("ftp://ex.com/x", None),
        ("not a url", None),
        (None, None),
    ],
)
def test_canonical_url(link: str | None, canonical: str | None) -> None:
    assert canonical_url(link) == canonical


def test_absolute_url() -> None:
    assert absolute_url("/x", "https://a.example/feed.xml") == "https://a.example/x"
    assert absolute_url("//cdn.example/y", "https://a.example/") == "https://cdn.example/y"
    assert absolute_url("javascript:alert(1)", "https://a.example/") is None
    assert absolute_url("data:text/html,hi", "https://a.example/") is None
    assert absolute_url("", "https://a.example/") is None


def test_primary_language() -> None:
    assert primary_language("de-DE") == "de"
    assert primary_language("en_us") == "en"
    assert primary_language("zh-Hans-CN") == "zh"
    assert primary_language("nonsense-value") is None
    assert primary_language(None) is None


@pytest.mark.parametrize(
    ("language", "text", "count"),
    [
        ("de", "Samsung hat z. B. neue Chips. Dr. Müller ist froh. Ende.", 3),
        ("fr", "M. Dupont présente la voiture. Elle coûte cher ! Vraiment ?", 3),
        ("zh", "小米发布了新款电动汽车。售价为21.59万元！你觉得怎么样？", 3),
        ("en", "Samsung Electronics Co. said U.S. sales rose 5.5%. Mr. Lee agreed.", 2),
        ("ko", "삼성전자가 새 칩을 발표했다. 샤오미와 경쟁한다!", 2),
        (None, "No language known. Still split.", 2),
    ],
)
def test_split_sentences(language: str | None, text: str, count: int) -> None:
    sentences = split_sentences(text, language)
    assert len(sentences) == count, sentences
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")


def test_shorten_never_cuts_inside_a_word() -> None:
    text = "Samsung Electronics announced a new Exynos chip for electric vehicles today"
    short = shorten(text, 30)
    assert short == "Samsung Electronics announced…"
    assert len(short) <= 30
    assert shorten(text, 200) == text
    assert shorten("小米发布了新款电动汽车售价为二十一万元", 8) == "小米发布了新款…"
    assert shorten("https://example.com/averyveryverylongpath", 20) == "https://example.com…"
    assert len(shorten("x" * 50, 10)) <= 10


def test_korean_is_cut_at_a_space_not_inside_a_word() -> None:
    """Korean is written with spaces: a word (새로운, "new") is never cut in half, as
    Chinese or Japanese may be."""
    assert shorten("삼성전자가 새로운 엑시노스 칩을 발표했다", 8) == "삼성전자가…"
    assert shorten("삼성전자가 새로운 엑시노스 칩을 발표했다", 12) == "삼성전자가 새로운…"
    assert shorten("ソニーが新しいセンサーを発表した", 8) == "ソニーが新しい…"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:hunter2@h.example/feed", "https://***@h.example/feed"),
        ("https://h.example/f?token=abc&page=2", "https://h.example/f?token=***&page=2"),
        (
            "https://h.example/f?API_KEY=z&sig=s&q=ev",
            "https://h.example/f?API_KEY=***&sig=***&q=ev",
        ),
        ("https://h.example/f?q=samsung", "https://h.example/f?q=samsung"),
        ("http://[bad", "<invalid URL>"),
    ],
)
def test_display_url_masks_secrets(url: str, shown: str) -> None:
    assert display_url(url) == shown


HOSTILE_SHAPES = {
    "nested blocks": "<div>" * 60_000,
    "nested and closed": "<div>" * 30_000 + "x" + "</div>" * 30_000,
    "nested lists": "<dl><dt>" * 30_000,
    "nested formatting": "<b><i><u><s><em><strong><font><code><big><small>" * 6_000,
    "thousands of attributes": "<div " + " ".join(f"a{i}=1" for i in range(40_000)) + ">",
    "a tag that never closes": "<a" + "b" * 300_000,
    "a comment that never closes": "<!--" + "x" * 300_000,
    "unclosed scripts": "<script>x" * 30_000,
    "double-escaped nesting": "&lt;div&gt;" * 30_000,
    "triple-escaped nesting": "&amp;lt;div&amp;gt;" * 18_000,
}


@pytest.mark.parametrize("shape", HOSTILE_SHAPES)
def test_html_to_text_costs_linear_time_on_hostile_markup(shape: str) -> None:
    markup = HOSTILE_SHAPES[shape] + "<p>Sam<b>sung</b> end</p>"
    assert 200_000 < len(markup) < 450_000
    started = time.perf_counter()
    text = html_to_text(markup)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{shape}: {elapsed:.2f} s"
    if shape not in ("a tag that never closes", "a comment that never closes", "unclosed scripts"):
        assert text.endswith("Samsung end"), text[-80:]
    assert "<div" not in text


def _tidy_whitespace_by_substitutions(text: str) -> str:
    """tidy_whitespace as it was written before (two regular expressions): the reference."""
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", "", text)
    text = re.sub(r"[^\S\n]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def test_tidy_whitespace_gives_what_the_substitutions_gave() -> None:
    whitespace = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    controls = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
    alphabet = [*whitespace, *controls, "\ud800", "\udfff", "\n", "\n", " ", " ", "\u200b"]
    alphabet += [*"abcXYZ09.,-", "é", "ß", "小", "米", "삼", "\U0001f600", "\ufeff", "\xad"]
    generator = random.Random(20261203)
    cases = ["", " ", "\n", " \n \n ", "a", " a ", "a\r\nb", "a\x85b", "a\u2028b", "\x1c\x1f"]
    cases += [
        "".join(generator.choices(alphabet, k=generator.randint(0, 40))) for _ in range(30000)
    ]
    for text in cases:
        assert tidy_whitespace(text) == _tidy_whitespace_by_substitutions(text), repr(text)
