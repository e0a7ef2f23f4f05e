"""The search text of the PostgreSQL backend: its faster splitting into words gives what
splitting on every run of non-word characters gives."""

from __future__ import annotations

import random
import re
import string
import unicodedata

from bot.searchtext import index_text
from bot.store.postgres.items import _MARKS, search_text

_SEPARATORS = re.compile(r"[\W_]+")


def _general(text: str) -> str:
    """``search_text`` as first written: the folding, then a split by the expression."""
    text = index_text(text).lower()
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return " ".join(_SEPARATORS.split(unicodedata.normalize("NFC", bare))).strip()


def _unicode_samples() -> list[str]:
    """Mostly ASCII with every kind of other character: letters with diacritics, combining
    marks, CJK, Hangul, Greek, Cyrillic, Arabic, Indic, white space and punctuation beyond
    ASCII, digits of other scripts, emoji, a lone surrogate."""
    rng = random.Random(11)
    others = (
        "éèüßÆøœİıΣσςЖжعربي हिन्दी ০১২ ٣ ①²ǅ ﬁ Å Ω ℃ ％ Ａ"
        "小米电动汽车三星삼성전자가 전기차ぁカナ"
        "\u0301\u0308\u0b47\u0b3e\u1100\u1161\u11a8"
        "\u00a0\u1680\u2002\u2009\u200b\u2028\u2029\u202f\u205f\u3000\u0085"
        "’“”–—€£¥•…«»¿¡§¶†‡\u200d🚗👍🏽\ud800"
    )
    alphabet = string.ascii_letters + string.digits + string.punctuation + " \n\t" + others
    return ["".join(rng.choices(alphabet, k=rng.randint(0, 120))) for _ in range(3000)]


def _ascii_samples() -> list[str]:
    rng = random.Random(7)
    alphabet = string.printable + "".join(map(chr, range(32))) + "\x7f"
    samples = ["".join(rng.choices(alphabet, k=rng.randint(0, 80))) for _ in range(2000)]
    edges = ["", " ", "_", "a_b", "__init__", "EV-Segment", "13.7 bn", "C++ & C#",
             "e-mail: a@b.example", "\x1c\x1d\x1e\x1fword\x0b\x0c"]  # fmt: skip
    return [*samples, *edges]


def test_ascii_text_is_folded_as_every_other_text() -> None:
    for sample in _ascii_samples():
        assert search_text(sample) == _general(sample), repr(sample)


def test_any_text_is_folded_as_the_expression_splits_it() -> None:
    for sample in _unicode_samples():
        assert search_text(sample) == _general(sample), repr(sample)
    for sample in ("Élan vital_été", "삼성전자가 새 전기차", "小米 SU7 电动汽车", "naïve—café"):
        assert search_text(sample) == _general(sample)
    assert search_text("Élan_vital – it’s “€5”") == "elan vital it s 5"


def test_index_text_leaves_ascii_alone_and_splits_cjk_runs() -> None:
    assert index_text("Samsung EV deal") == "Samsung EV deal"
    assert index_text("小米手机") == " 小米 米手 手机 "
