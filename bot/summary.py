"""Item + matched terms -> a summary of 1–3 sentences of the item's own text.

Sentences that contain a matched term are preferred, then the earliest others; the chosen
ones keep their original order. At most 400 characters, never cut inside a word (an
over-long sentence is shortened with "…"), always plain text in the item's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.models import Item
from bot.text import shorten, single_line, split_sentences

MAX_CHARS = 400
MAX_SENTENCES = 3
MAX_SOURCE_CHARS = 10_000  # summaries come from the start of long articles
_CJK_SENTENCE_END = ("。", "！", "？", "」", "』")


def summarize(
    item: Item, terms: Sequence[str], *, limit: int = MAX_CHARS, sentences: int = MAX_SENTENCES
) -> str:
    """The summary of ``item`` that best shows why ``terms`` matched it."""
    candidates = [
        s for s in split_sentences(item.text, item.language) if not _repeats(s, item.title)
    ]
    if not candidates:
        return ""
    folded_terms = [term.casefold() for term in terms if term]
    with_terms = [i for i, s in enumerate(candidates) if _mentions(s, folded_terms)]
    others = [i for i in range(len(candidates)) if i not in set(with_terms)]
    chosen: list[int] = []
    used = 0
    for index in with_terms + others:
        if len(chosen) == sentences:
            break
        cost = len(candidates[index]) + (1 if chosen else 0)
        if used + cost <= limit:
            chosen.append(index)
            used += cost
        elif not chosen:  # the best sentence alone is over the limit
            return shorten(candidates[index], limit)
    return _join(candidates[i] for i in sorted(chosen))


def _mentions(sentence: str, folded_terms: Sequence[str]) -> bool:
    folded = sentence.casefold()
    return any(term in folded for term in folded_terms)


def _repeats(sentence: str, title: str) -> bool:
    """Feeds often start the text with the title; that sentence adds nothing."""
    return bool(title) and single_line(sentence).rstrip(".!?。！？ ").casefold() == (
        title.rstrip(".!?。！？ ").casefold()
    )


def _join(parts: Iterable[str]) -> str:
    text = ""
    for part in parts:
        part = single_line(part)
        if text and not text.endswith(_CJK_SENTENCE_END):
            text += " "
        text += part
    return text
