"""An item's story fingerprint: everything the decider compares, computed once per item.

Owns turning an ``Item`` into a frozen ``StoryFingerprint``: its canonical URL and entry key,
language and time, a MinHash signature (and its LSH bands) of the title and text shingles, the
title's word bigrams with a trailing " - Publisher" dropped, the language-independent
entities it mentions (company and topic ids), the quantities it states (see ``numbers``), the
kinds of event its title reports (see ``events``), and, once computed, a sentence embedding.

Shingles are three consecutive units, where a unit is a word in spaced scripts and a single
character in Chinese and Japanese (which have no spaces); Korean words are units. MinHash is
our own: 64 universal hashes over 32-bit shingle hashes in numpy, about 50 µs an item, with
stable hashes (blake2b), so that signatures and band keys can be stored and compared across
processes.
"""

from __future__ import annotations

import hashlib
import itertools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np
import regex

from bot.models import Item
from bot.stories.events import event_kinds
from bot.stories.numbers import Quantity, strong_quantities
from bot.text import canonical_url, detect_language, html_to_text, primary_language

NUM_PERM = 64
BANDS = 16  # 16 bands of 4 rows: a pair at Jaccard 0.5 shares a band 64 % of the time, 0.7: 98 %
ROWS = NUM_PERM // BANDS
SHINGLE = 3
MAX_TEXT = 2000  # characters of text shingled: a lead says which story it is; bounds the cost
MAX_EMBED_TEXT = 300  # characters embedded: the title and the start of the text

_MERSENNE = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1
_generator = np.random.default_rng(20240611)  # fixed: signatures must be stable across runs
_A = _generator.integers(1, _MAX_HASH, size=NUM_PERM, dtype=np.uint64)
_B = _generator.integers(0, _MAX_HASH, size=NUM_PERM, dtype=np.uint64)

_UNIT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]|[\p{L}\p{M}\p{N}]+(?:['’.,][\p{N}]+)*")
# " - Reuters", " | heise online", " – 36Kr": a publisher's name after the headline
_PUBLISHER_SUFFIX = regex.compile(r"^(?P<head>.+?)\s+[-|–—·:]{1,2}\s+(?P<tail>[^-|–—·]{1,40})$")
_MAX_SUFFIX_WORDS = 4
_NUMERAL = regex.compile(r"\d+(?:[.,]\d+)*")

EntityFinder = Callable[[str], Iterable[str]]
"""Language-independent ids of the entities a text mentions (a company, a topic)."""


@dataclass(frozen=True, slots=True)
class StoryFingerprint:
    """What the decider knows of one item. Plain values only, so it can be stored."""

    item_id: str
    entry: str  # "<feed>|<entry key>": the same entry re-published is the same item
    url: str | None  # canonical
    language: str | None
    published: datetime
    title: str  # as shown, whitespace tidied
    title_core: str  # casefolded, publisher suffix dropped: what near-duplicate titles share
    title_grams: frozenset[str]
    minhash: tuple[int, ...]
    entities: frozenset[str]
    title_entities: frozenset[str]
    quantities: frozenset[Quantity]  # strong ones only, title and text
    title_quantities: frozenset[Quantity]
    kinds: frozenset[str]  # event kinds of the title
    text_kinds: frozenset[str]  # event kinds the text mentions
    codes: frozenset[str]  # product and model codes (SU7, HBM4E, Kirin 9030), title and text
    title_codes: frozenset[str]
    numerals: frozenset[str]  # every number written in title and text, for change detection
    embed_text: str
    # names in the headline written in Latin letters (Sensyra, Afeela, FSD, Arizona): see
    # ``title_names``; empty in fingerprints stored before they were read
    names: frozenset[str] = frozenset()
    embedding: bytes | None = field(default=None, compare=False)  # float32, unit length

    def with_embedding(self, vector: bytes) -> StoryFingerprint:
        return replace(self, embedding=vector)

    def band_keys(self) -> tuple[str, ...]:
        """LSH band keys as plain strings ("band:3:9f…"), for the candidate index."""
        keys = []
        for band in range(BANDS):
            rows = self.minhash[band * ROWS : (band + 1) * ROWS]
            digest = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()
            keys.append(f"band:{band}:{digest}")
        return tuple(keys)


def fingerprint(
    item: Item,
    feed: str,
    *,
    item_id: str | None = None,
    entities: EntityFinder | None = None,
    published: datetime | None = None,
) -> StoryFingerprint:
    """The fingerprint of ``item`` from ``feed``. ``published`` stands in when the item has
    no date (the time it was first seen)."""
    title = " ".join(html_to_text(item.title).split())
    text = html_to_text(item.text)[:MAX_TEXT]
    language = primary_language(item.language) or detect_language(f"{title}\n{text}")
    core = title_core(title)
    title_units = units(core)
    when = item.published or published
    if when is None:
        raise ValueError("an item without a date needs the time it was seen (published=)")
    found_title = frozenset(entities(title)) if entities else frozenset()
    found_all = found_title | frozenset(entities(text)) if entities else frozenset()
    title_numbers = strong_quantities(title, language)
    lead = text[: MAX_EMBED_TEXT - len(core)] if len(core) < MAX_EMBED_TEXT else ""
    embed_text = f"{core}. {first_sentence(lead)}" if lead.strip() else core
    if language == "zh":
        embed_text = simplified(embed_text)
    return StoryFingerprint(
        item_id=item_id or f"{feed}|{item.key}",
        entry=f"{feed}|{item.key}",
        url=item.canonical_url or canonical_url(item.link),
        language=language,
        published=when,
        title=title,
        title_core=core,
        title_grams=grams(title_units),
        minhash=minhash(shingles(units(f"{core}\n{text}"))),
        entities=found_all,
        title_entities=found_title,
        quantities=title_numbers | strong_quantities(text, language),
        title_quantities=title_numbers,
        kinds=event_kinds(core),
        text_kinds=event_kinds(text),
        codes=product_codes(f"{title}\n{text}"),
        title_codes=product_codes(title),
        numerals=frozenset(_NUMERAL.findall(f"{title}\n{text}")),
        embed_text=embed_text[:MAX_EMBED_TEXT],
        names=title_names(title, entities),
    )


def title_core(title: str) -> str:
    """The headline without a trailing publisher name, NFKC and casefolded:
    "Samsung to buy Harman - Reuters" -> "samsung to buy harman"."""
    text = unicodedata.normalize("NFKC", title).strip()
    found = _PUBLISHER_SUFFIX.match(text)
    if found:
        head, tail = found.group("head"), found.group("tail")
        if len(tail.split()) <= _MAX_SUFFIX_WORDS and len(units(head)) >= 3:
            text = head
    return " ".join(text.casefold().split())


def units(text: str) -> list[str]:
    """Words of spaced scripts, single characters of Chinese and Japanese, casefolded."""
    found: list[str] = _UNIT.findall(unicodedata.normalize("NFKC", text).casefold())
    return found


def grams(words: list[str]) -> frozenset[str]:
    """Word (or character) bigrams of a title; its single units when it has one."""
    if len(words) < 2:
        return frozenset(words)
    return frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


def shingles(words: list[str]) -> set[str]:
    if len(words) <= SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def minhash(shingle_set: set[str]) -> tuple[int, ...]:
    """A 64-value MinHash signature; the empty set gets all-max values (similar to none)."""
    if not shingle_set:
        return (_MAX_HASH,) * NUM_PERM
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "little")
            for s in shingle_set
        ),
        dtype=np.uint64,
        count=len(shingle_set),
    )
    # (a·h + b) mod (2^61 − 1), 32 bits kept: with a, b, h below 2^32 nothing overflows 2^64
    permuted = (np.outer(hashes, _A) + _B) % np.uint64(_MERSENNE) & np.uint64(_MAX_HASH)
    return tuple(int(v) for v in permuted.min(axis=0))


def minhash_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two shingle sets; 0 when either was empty."""
    if a[0] == _MAX_HASH and len(set(a)) == 1:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_PERM


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# Letters and digits in one token (SU7, YU9, HBM4E, M16, RTX5090): product and model names,
# written the same in every language; a number with its unit (3nm, 80kWh) is not one.
_CODE = regex.compile(
    r"(?<![\p{Latin}\p{N}])(?=[\p{Latin}\d-]*\d)(?=[\p{Latin}\d-]*\p{Latin})"
    r"[\p{Latin}\d][\p{Latin}\d-]*[\p{Latin}\d](?![\p{Latin}\p{N}])"
)
_UNIT_ONLY = regex.compile(
    r"\d+(?:nm|mm|cm|km|kg|kwh|mwh|gwh|wh|mah|gb|tb|mb|ghz|mhz|hz|kw|mw|gw|w|v|mp|fps|k|m|bn|g"
    r"|st|nd|rd|th|h|s|x|p|d|y|q|fy)|(?:q|h|fy)\d+|\d+-\d+|[a-z]-?\d"
)


def product_codes(text: str) -> frozenset[str]:
    """Tokens mixing Latin letters and digits, three characters or more, casefolded and
    without hyphens: "SU7", "HBM4E", "YU9"; not "3nm", "5G", "Q3", "FY2027"."""
    found = set()
    for token in _CODE.findall(unicodedata.normalize("NFKC", text)):
        parts = token.casefold().split("-")
        # "M16-Fabrik" names M16; "RTX-5090" is one code written with a hyphen
        candidates = [*parts, "".join(parts)] if all(len(p) <= 4 for p in parts) else parts
        for code in candidates:
            if len(code) >= 3 and not _UNIT_ONLY.fullmatch(code) and _is_code(code):
                found.add(code)
    return frozenset(found)


# a word in Latin letters (a letter first; letters, digits and inner hyphens after), also
# where it stands right beside Chinese or Japanese characters: 特斯拉FSD获准
_LATIN_WORD = regex.compile(
    r"(?<![\p{Latin}\p{N}])\p{Latin}[\p{Latin}\p{N}-]*[\p{Latin}\p{N}](?![\p{Latin}\p{N}])"
)


def title_names(title: str, entities: EntityFinder | None = None) -> frozenset[str]:
    """The names a headline writes in Latin letters, casefolded: words of three characters
    or more that start with a capital (Sensyra, Afeela, Arizona) or are in capitals (FSD,
    ESS), in any script's headline. Left out: the first word when only its first letter
    is a capital (every headline capitalizes it), words with digits (product codes count
    on their own), company or topic names (``entities``: they count as entities), and
    country and region names (many stories happen in China).

    Compared only between headlines in different languages (``fact_evidence``): there,
    ordinary words differ, so a word both capitalize is a product, a place, a person or an
    acronym that both reports name; within one language it is as often a common noun
    (German capitalizes every noun) or title case."""
    found = set()
    for match in _LATIN_WORD.finditer(unicodedata.normalize("NFKC", title)):
        word = match.group()
        if len(word) < 3 or not word[0].isupper() or any(c.isdigit() for c in word):
            continue
        if match.start() == 0 and not any(c.isupper() for c in word[1:]):
            continue
        if word.casefold() in _places() or (entities is not None and any(entities(word))):
            continue
        found.add(word.casefold())
    return frozenset(found)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Country and region names (CLDR, as the deal reader knows them), casefolded: China
    or Germany is where many stories happen, not what tells one from another."""
    from bot.companies import territory_names

    return frozenset(name.casefold() for name in territory_names())


def _is_code(token: str) -> bool:
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    try:
        import opencc
    except ImportError:  # pragma: no cover - a dependency; without it Chinese stays as written
        return None
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional Chinese in simplified characters (OpenCC), so that the sentence model
    sees 台積電 and 台积电 alike: it places traditional-script text further from its
    translations than simplified."""
    converter = _t2s()
    return str(converter.convert(text)) if converter is not None else text


_SENTENCE_END = regex.compile(r"(?<=[.!?。！？])\s|(?<=[。！？])")


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    parts = _SENTENCE_END.split(text, maxsplit=1)
    return parts[0] if parts else ""
