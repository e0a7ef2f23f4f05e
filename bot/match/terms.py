"""Keyword matching: topic terms compiled once per configuration, matched against item text.

How a term matches depends on the script of the term itself, never on the text's language:

* alphabetic scripts (Latin, Cyrillic, Greek, Devanagari…): a match may not touch a letter of
  the same script on either side; digits, punctuation, spaces and other scripts are
  boundaries. A plain Latin term also matches its English plural and possessive.
* ``*`` at the end of a word matches any continuation of that word (letters of its script).
* words of a phrase match across any run of spaces or hyphens.
* Hangul: a term matches at the start of a word (Korean attaches particles to the end).
* scripts written without spaces (Han, kana, Thai…): a term matches anywhere.
* an edge of a term that is a digit may not touch another digit ("5G" does not match "15G").

Matching is case-insensitive (full Unicode case folding) over NFKC-normalized text. An
Aho-Corasick automaton over one literal word of every term finds the candidate terms in one
pass over the text; only those candidates run their own regular expression. That keeps the
cost per item nearly flat however many terms a configuration has.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import regex

from bot.models import Match

MAX_TERM_LENGTH = 200

# Runs of these separate the words of a phrase (space, hyphen-minus, Unicode hyphens and dashes).
_SEPARATOR_CHARS = r"\s\-\u2010-\u2015\u2212"
_SEPARATOR_RUN = f"[{_SEPARATOR_CHARS}]+"
_TERM_WORD_SPLIT = regex.compile(_SEPARATOR_RUN)
# Invisible characters that feeds put inside words (soft hyphen, zero-width space/joiners, BOM).
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))

_SCRIPTS_WITHOUT_SPACES = frozenset(
    {"Han", "Hiragana", "Katakana", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan", "Yi", "Bopomofo"}
)
_KNOWN_SCRIPTS = (
    "Latin", "Cyrillic", "Greek", "Armenian", "Georgian", "Hebrew", "Arabic", "Syriac",
    "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada",
    "Malayalam", "Sinhala", "Ethiopic", "Mongolian", "Hangul", "Hiragana", "Katakana", "Han",
    "Thai", "Lao", "Khmer", "Myanmar", "Tibetan", "Yi", "Bopomofo",
)  # fmt: skip
_NAME_PREFIX_TO_SCRIPT = {"CJK": "Han", "HANGUL": "Hangul", "KANGXI": "Han"}


class TermError(ValueError):
    """A topic term cannot be compiled; the message says why."""


def normalize_text(text: str) -> str:
    """NFKC, with invisible in-word characters removed: the form both terms and text take."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The Unicode script of a letter (e.g. "Latin", "Han"), or None for anything else."""
    if not (char.isalpha() or unicodedata.category(char).startswith("M")):
        return None
    prefix = unicodedata.name(char, "").split(" ", 1)[0]
    guess = _NAME_PREFIX_TO_SCRIPT.get(prefix, prefix.title())
    for script in (guess, *_KNOWN_SCRIPTS):
        try:
            if regex.match(rf"\p{{Script={script}}}", char):
                return script
        except regex.error:  # the guess is not a script name
            continue
    return None


def _letters_of(script: str) -> str:
    """A character class of the letters (and combining marks) of one script."""
    return rf"[\p{{Script={script}}}\p{{M}}]"


def _leading_guard(char: str) -> str:
    script = script_of(char)
    if script is None:
        return r"(?<!\p{N})" if char.isdigit() else ""
    if script in _SCRIPTS_WITHOUT_SPACES:
        return ""
    return f"(?<!{_letters_of(script)})"


def _trailing_guard(char: str) -> str:
    script = script_of(char)
    if script is None:
        return r"(?!\p{N})" if char.isdigit() else ""
    if script in _SCRIPTS_WITHOUT_SPACES or script == "Hangul":
        return ""
    return f"(?!{_letters_of(script)})"


def _continuation(char: str) -> str:
    """What may follow a word that ends with ``*``: more letters of its script, or digits."""
    script = script_of(char)
    return f"{_letters_of(script)}*" if script else r"\p{N}*"


def _english_suffixes(word: str) -> str:
    """Plural and possessive: "-es" after s, x, z, ch, sh (buses, boxes, Porsches), "-s"
    after anything else (EVs, not "Eves"; Gos, not "goes"), and "'s" / "’s"."""
    plural = "(?:es)" if word.lower().endswith(("s", "x", "z", "ch", "sh")) else "s"
    return f"(?:{plural}|['’]s)?"


@dataclass(frozen=True, slots=True)
class CompiledTerm:
    topic: str
    term: str
    key: str  # casefolded literal that must occur in the text for the term to match
    pattern: regex.Pattern[str]


def _term_source(term: str) -> tuple[str, str]:
    """The regular expression of one term and its Aho-Corasick key; raise TermError."""
    text = normalize_text(term).strip()
    if not text:
        raise TermError("a term cannot be empty")
    if len(text) > MAX_TERM_LENGTH:
        raise TermError(f"a term is limited to {MAX_TERM_LENGTH} characters")
    words = [w for w in _TERM_WORD_SPLIT.split(text) if w]
    if not words:
        raise TermError(f"term {term!r} has no letters or digits")
    pieces: list[str] = []
    literals: list[str] = []
    for index, word in enumerate(words):
        wildcard = word.endswith("*")
        literal = word[:-1] if wildcard else word
        if not literal or "*" in literal:
            raise TermError(f"term {term!r}: '*' may only end a word, as in 'Elektroauto*'")
        literals.append(literal)
        piece = regex.escape(literal)
        if wildcard:
            piece += _continuation(literal[-1])
        elif index == len(words) - 1 and script_of(literal[-1]) == "Latin":
            piece += _english_suffixes(literal)
        pieces.append(piece)
    body = _SEPARATOR_RUN.join(pieces)
    last_is_wildcard = words[-1].endswith("*")
    trailing = "" if last_is_wildcard else _trailing_guard(literals[-1][-1])
    source = _leading_guard(literals[0][0]) + body + trailing
    return source, max(literals, key=len).casefold()


def compile_term(term: str, topic: str = "") -> CompiledTerm:
    """Compile one term into a pattern; raise TermError with a readable reason."""
    source, key = _term_source(term)
    pattern = regex.compile(source, regex.IGNORECASE | regex.FULLCASE)
    return CompiledTerm(topic=topic, term=term, key=key, pattern=pattern)


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of one term, found by ``Matcher.find``: offsets into the normalized text."""

    topic: str
    term: str
    start: int
    end: int
    surface: str


class Matcher:
    """Every topic's terms, compiled once; ``match`` returns the topics a text mentions."""

    def __init__(self, topics: Mapping[str, Iterable[str]], *, lazy: bool = False) -> None:
        """Compile every term. With ``lazy``, only the keys are computed now (a term's errors
        are still raised here) and each regular expression is compiled the first time its key
        occurs in a text: for tables of thousands of names, most of which never occur."""
        pairs = [(topic, term) for topic, terms in topics.items() for term in terms]
        self._pairs: tuple[tuple[str, str], ...] = tuple(pairs)
        self._compiled: list[CompiledTerm | None]
        self._sources: list[tuple[str, str]] = []
        keys: list[str]
        if lazy:
            self._sources = [_term_source(term) for _, term in pairs]
            keys = [key for _, key in self._sources]
            self._compiled = [None] * len(pairs)
        else:
            compiled = [compile_term(term, topic) for topic, term in pairs]
            keys = [c.key for c in compiled]
            self._compiled = [*compiled]
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            by_key.setdefault(key, []).append(index)
        for key, indexes in by_key.items():
            self._automaton.add_word(key, tuple(indexes))
        if by_key:
            self._automaton.make_automaton()

    @property
    def terms(self) -> tuple[CompiledTerm, ...]:
        """Every compiled term, in configuration order (compiles them all if lazy)."""
        return tuple(self._term(index) for index in range(len(self._pairs)))

    def _term(self, index: int) -> CompiledTerm:
        compiled = self._compiled[index]
        if compiled is None:
            topic, term = self._pairs[index]
            source, key = self._sources[index]
            pattern = regex.compile(source, regex.IGNORECASE | regex.FULLCASE)
            compiled = CompiledTerm(topic=topic, term=term, key=key, pattern=pattern)
            self._compiled[index] = compiled
        return compiled

    def _candidates(self, normalized: str) -> list[CompiledTerm]:
        hits = {indexes for _, indexes in self._automaton.iter(normalized.casefold())}
        return [self._term(i) for i in sorted({i for indexes in hits for i in indexes})]

    def find(self, text: str) -> list[Hit]:
        """Every match of every term in one text, ordered by start (longest first).

        Offsets refer to ``normalize_text(text)``, which is ``text`` itself whenever the text is
        already normalized (NFKC, no invisible characters): normalize first to use them."""
        if not self._pairs or not text:
            return []
        normalized = normalize_text(text)
        found = [
            Hit(compiled.topic, compiled.term, hit.start(), hit.end(), hit.group())
            for compiled in self._candidates(normalized)
            for hit in compiled.pattern.finditer(normalized)
        ]
        found.sort(key=lambda h: (h.start, -h.end, h.topic, h.term))
        return found

    def match(self, *texts: str) -> Match:
        """Match every text (e.g. title and body) and merge what was found.

        Surface strings come in the order they appear (first text first)."""
        if not self._pairs:
            return Match(frozenset())
        found: list[tuple[int, int, str, str]] = []  # (text, offset, topic, surface)
        for text_index, text in enumerate(texts):
            if not text:
                continue
            normalized = normalize_text(text)
            for compiled in self._candidates(normalized):
                for hit in compiled.pattern.finditer(normalized):
                    found.append((text_index, hit.start(), compiled.topic, hit.group()))
        surfaces: dict[str, dict[str, None]] = {}
        for _, _, topic, surface in sorted(found):
            surfaces.setdefault(topic, {})[surface] = None
        return Match(
            topics=frozenset(surfaces),
            surfaces={topic: tuple(strings) for topic, strings in surfaces.items()},
        )
