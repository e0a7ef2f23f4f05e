"""Text as the full-text index sees it, so that search works in every language.

SQLite FTS5's ``unicode61`` tokenizer splits on spaces and punctuation: fine for German or
French, useless for Chinese and Japanese (no spaces) and for Korean (particles glued to the
word: "삼성전자가"). Its ``trigram`` tokenizer finds substrings, but only of three
characters or more, and "小米" or "삼성" have two.

So runs of Han, kana and Hangul are indexed as overlapping bigrams ("小米手机" -> "小米 米手
手机"; a lone character stays itself), and a query is transformed the same way: "小米"
is one bigram, "电动汽车" the phrase "电动 动汽 汽车", which matches exactly where the
original characters stand in sequence. Everything else goes to unicode61 unchanged
(case and diacritics folded by the tokenizer).
"""

from __future__ import annotations

import re

from bot.scripts import HAN, HANGUL, KANA

_CJK_RUN = re.compile(f"[{HAN}{KANA}{HANGUL}]+")
_QUERY_WORD = re.compile(f"[\\w{HAN}{KANA}{HANGUL}]+(?:[-'’]\\w+)*")
MAX_QUERY_TERMS = 12


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """``text`` with every CJK/Hangul run replaced by its bigrams, space-separated.

    The SQLite index is contentless and deletes an entry by these same values: a change to
    the output needs a migration that rebuilds the index (as schema migration 4 does)."""
    if text.isascii():  # most text: no run to look for (a C check instead of a scan)
        return text
    return _CJK_RUN.sub(lambda run: " " + " ".join(_bigrams(run.group())) + " ", text)


def query_terms(query: str) -> list[str]:
    """The words of a user's query, in order, at most MAX_QUERY_TERMS."""
    return _QUERY_WORD.findall(query)[:MAX_QUERY_TERMS]


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query (every word must occur), or None when
    the query has no searchable word. User text never reaches FTS5 syntax unquoted."""
    phrases = []
    for word in query_terms(query):
        tokens = index_text(word).split()
        if tokens:
            phrases.append('"' + " ".join(t.replace('"', '""') for t in tokens) + '"')
    return " AND ".join(phrases) if phrases else None


SNIPPET_LENGTH = 200


def highlight(
    text: str, words: list[str], length: int = SNIPPET_LENGTH
) -> tuple[tuple[str, bool], ...]:
    """A window of ``text`` around the first hit of ``words``, as (part, is_hit) pairs;
    every hit inside the window is marked. Case-insensitive, any language."""
    text = " ".join(text.split())
    hits = _hits(text, words)
    start = 0
    if hits and hits[0][0] > length // 3:
        start = text.rfind(" ", 0, hits[0][0] - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text) and " " in text[start:end]:
        end = text.rfind(" ", start, end)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    position = start
    for hit_start, hit_end in hits:
        if hit_start < position or hit_end > end:
            continue
        parts += [(text[position:hit_start], False), (text[hit_start:hit_end], True)]
        position = hit_end
    parts.append((text[position:end], False))
    if end < len(text):
        parts.append(("…", False))
    return tuple((part, hit) for part, hit in parts if part)


def _hits(text: str, words: list[str]) -> list[tuple[int, int]]:
    folded = text.casefold()
    found: list[tuple[int, int]] = []
    for word in {w.casefold() for w in words if w}:
        if len(word) != len(word.casefold()) or len(folded) != len(text):
            continue  # case folding changed lengths: offsets would not line up
        index = folded.find(word)
        while index != -1:
            found.append((index, index + len(word)))
            index = folded.find(word, index + len(word))
    return sorted(found)
