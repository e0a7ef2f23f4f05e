"""The search text of the PostgreSQL backend: its ASCII shortcut folds as the general path."""

from __future__ import annotations

import random
import re
import string
import unicodedata

from bot.searchtext import index_text
from bot.store.postgres.items import _MARKS, search_text

_SEPARATORS = re.compile(r"[\W_]+")


def _general(text: str) -> str:
    """``search_text`` without its ASCII shortcut."""
    text = index_text(text).lower()
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return " ".join(_SEPARATORS.split(unicodedata.normalize("NFC", bare))).strip()


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


def test_non_ascii_text_still_goes_the_general_way() -> None:
    for sample in ("Élan vital_été", "삼성전자가 새 전기차", "小米 SU7 电动汽车", "naïve—café"):
        assert search_text(sample) == _general(sample)
    assert search_text("Élan_vital") == "elan vital"


def test_index_text_leaves_ascii_alone_and_splits_cjk_runs() -> None:
    assert index_text("Samsung EV deal") == "Samsung EV deal"
    assert index_text("小米手机") == " 小米 米手 手机 "
