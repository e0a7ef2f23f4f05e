"""Where the terms an alert reports stand in a text to be shown (the summary), so that the
chat renderers can put every one of them in bold.

A reported term is a surface: the text's own letters that a term matched (``EVs``,
``삼성``, ``Eléctricos``), taken from the normalized text. It is looked for again by the
matcher itself, as an exact term with the boundaries of its script, over the normalized
form of the text to be shown, and the offsets are mapped back to that text as given. So a
surface is found wherever the matcher found it: in full-width letters, across a soft
hyphen, at the start of a Hangul word (``삼성`` in ``삼성전자``), inside Chinese text; and
never inside a longer word the matcher would not have matched (``EV`` in ``every``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from bot.match.terms import CompiledTerm, Matcher, TermError, compile_literal, normalize_text


def surface_spans(text: str, surfaces: Sequence[str]) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` into ``text`` of every occurrence of the ``surfaces``:
    longest first where they overlap, without overlaps, in order."""
    matcher = _matcher(tuple(sorted(set(surfaces))))
    if matcher is None or not text:
        return []
    normalized = normalize_text(text)
    starts: list[int] | None = None
    ends: list[int] | None = None
    if normalized != text:
        normalized, starts, ends = normalize_with_offsets(text)
    taken: list[tuple[int, int]] = []
    hits = matcher.find(normalized)
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if any(hit.start < end and start < hit.end for start, end in taken):
            continue
        taken.append((hit.start, hit.end))
    if starts is not None and ends is not None:
        taken = [(starts[start], ends[end - 1]) for start, end in taken]
    return sorted(taken)


@lru_cache(maxsize=256)
def _matcher(surfaces: tuple[str, ...]) -> Matcher | None:
    compiled: list[CompiledTerm] = []
    for surface in surfaces:
        try:
            compiled.append(compile_literal(surface))
        except TermError:  # blank, or only separators: nothing to show in bold
            continue
    return Matcher.of_compiled(compiled) if compiled else None


def normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """``normalize_text(text)``, with the start and end in ``text`` of the piece each of its
    characters came from (NFKC changes lengths: "ﬁ" -> "fi", "㈱" -> "(株)"; invisible
    characters go). A piece is a character with the combining marks after it."""
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        piece = normalize_text(text[index:end])
        pieces.append(piece)
        starts.extend([index] * len(piece))
        ends.extend([end] * len(piece))
        index = end
    return "".join(pieces), starts, ends
