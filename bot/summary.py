"""Item + the firing rules' matched terms -> 1–3 sentences of the item's own text that carry
the news.

Sentences are ranked by how many of the rules' topics they mention that the sentences
already chosen do not (so that together they cover every topic), then by how many topics
they mention, then by how early they stand; the chosen ones keep their original order. A
sentence that is boilerplate (``bot.ingest.clean.boilerplate_kind``) or repeats the title
(with or without a source name around it) is never chosen, and a text that is only the
title again (a Google News description: "<a>Title</a> Publisher") gives no summary at all.
At most 400 characters, never cut inside a word, invisible characters removed, plain text
in the item's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import regex

from bot.ingest.clean import boilerplate_kind
from bot.models import Item
from bot.text import shorten, single_line, split_sentences, strip_invisible

MAX_CHARS = 400
MAX_SENTENCES = 3
MAX_SOURCE_CHARS = 10_000  # summaries come from the start of long articles
MAX_CANDIDATES = 60  # sentences considered
_CJK_SENTENCE_END = ("。", "！", "？", "」", "』")
_NOT_WORD = regex.compile(r"[\W_]+")
_TITLE_SOURCE = regex.compile(r"\s+[-–—|·:]\s+[^-–—|·:]{1,60}$")

Terms = Sequence[str] | Mapping[str, Sequence[str]]


def summarize(
    item: Item, terms: Terms, *, limit: int = MAX_CHARS, sentences: int = MAX_SENTENCES
) -> str:
    """The summary of ``item`` that best carries why it matched: ``terms`` are the matched
    surface strings, per topic (a mapping) or each its own topic (a sequence)."""
    topics = _topics(terms)
    title = _key(item.title)
    titles = {title, _key(_TITLE_SOURCE.sub("", item.title))} - {""}
    text = strip_invisible(item.text[:MAX_SOURCE_CHARS])
    all_sentences = [single_line(s) for s in split_sentences(text, item.language)]
    if titles and _only_the_title(all_sentences, titles):
        return ""
    candidates = [
        s for s in all_sentences if s and not _repeats(s, titles) and boilerplate_kind(s) is None
    ][:MAX_CANDIDATES]
    if not candidates:
        return ""
    mentions = [
        frozenset(t for t, words in topics.items() if _mentions(s, words)) for s in candidates
    ]
    chosen: list[int] = []
    covered: set[str] = set()
    used = 0
    remaining = list(range(len(candidates)))
    while remaining and len(chosen) < sentences:
        best = max(
            remaining,
            key=lambda i: (len(mentions[i] - covered), len(mentions[i]), -i),
        )
        remaining.remove(best)
        cost = len(candidates[best]) + (1 if chosen else 0)
        if used + cost <= limit:
            chosen.append(best)
            covered |= mentions[best]
            used += cost
        elif not chosen:  # the best sentence alone is over the limit
            return shorten(candidates[best], limit)
    return _join(candidates[i] for i in sorted(chosen))


def _topics(terms: Terms) -> dict[str, tuple[str, ...]]:
    """Topic -> folded surface strings."""
    if isinstance(terms, Mapping):
        pairs: Iterable[tuple[str, Sequence[str]]] = terms.items()
    else:
        pairs = ((term, (term,)) for term in terms)
    return {
        topic: tuple(folded for word in words if (folded := _fold(word))) for topic, words in pairs
    }


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", strip_invisible(text)).casefold()


def _mentions(sentence: str, folded_terms: Sequence[str]) -> bool:
    folded = _fold(sentence)
    return any(term in folded for term in folded_terms)


def _key(text: str) -> str:
    """``text`` reduced to its letters and digits, folded: what a repetition is judged by."""
    reduced: str = _NOT_WORD.sub(" ", _fold(text))
    return reduced.strip()


def _repeats(sentence: str, titles: set[str]) -> bool:
    """Whether ``sentence`` is a title again, perhaps with a source name around it: the
    words it adds are all the title's own (Google News: "Title - Source" and "Title Source"),
    or, around a title of three words or more, at most two short words."""
    key = _key(sentence)
    if not key:
        return False
    for title in titles:
        if key == title or (len(key) >= 8 and key in title):
            return True
        if title and title in key:
            extra = key.replace(title, " ", 1).split()
            own = set().union(*(t.split() for t in titles))
            if all(word in own for word in extra):
                return True
            if len(title.split()) >= 3 and len(extra) <= 2 and sum(map(len, extra)) <= 20:
                return True
    return False


def _only_the_title(sentences: list[str], titles: set[str]) -> bool:
    """Whether the whole text says nothing but the title (and a source name)."""
    return bool(sentences) and _repeats(" ".join(sentences), titles)


def _join(parts: Iterable[str]) -> str:
    text = ""
    for part in parts:
        if text and not text.endswith(_CJK_SENTENCE_END):
            text += " "
        text += part
    return text
