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

Matching is case-insensitive (full Unicode case folding) over NFKC-normalized text, and by
default ignores accents and the simplified/traditional difference of Chinese (``fold``).
A term written ``=EV`` is exact: same case, same accents, same Chinese form. A topic's
exclusions are phrases matched like terms: a hit of the topic's terms that lies inside a
match of one of its exclusions does not count ("小米" inside "小米粥").

An Aho-Corasick automaton over one literal word of every term finds the candidate terms in
one pass over the (folded, case-folded) text; only those candidates run their own regular
expression. That keeps the cost per item nearly flat however many terms a configuration has.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import regex

from bot.match.fold import DEFAULT_OPTIONS, MatchOptions, fold
from bot.models import Match

MAX_TERM_LENGTH = 200
EXACT_MARK = "="  # "=EV": this case, these accents, this Chinese form only

# Runs of these separate the words of a phrase (space, hyphen-minus, Unicode hyphens and dashes).
# Every repetition in a pattern is possessive and the continuation of a "*" is bounded, so
# a match attempt never backtracks and never runs further than MAX_CONTINUATION characters
# past its literal: matching costs O(text length × candidate terms) for every term shape,
# even on text built to trip it ("电动电动电动…" against "电动* 汽车").
_SEPARATOR_CHARS = r"\s\-\u2010-\u2015\u2212"
_SEPARATOR_RUN = f"[{_SEPARATOR_CHARS}]++"
MAX_CONTINUATION = 40  # letters a "*" may add to a word (German compounds fit)
_TERM_WORD_SPLIT = regex.compile(_SEPARATOR_RUN)
# Invisible characters that feeds put inside words (soft hyphen, zero-width space/joiners, BOM).
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))

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
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    # str.translate costs ~40 ns a character on non-ASCII text and most texts have nothing
    # to drop; six substring searches find out 6× faster than a character-class search
    if any(char in text for char in _INVISIBLE_CHARS):
        return text.translate(_INVISIBLE)
    return text


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
    """What may follow a word that ends with ``*``: more letters of its script, or digits
    (at most MAX_CONTINUATION, taken possessively)."""
    script = script_of(char)
    letters = _letters_of(script) if script else r"\p{N}"
    return f"{letters}{{0,{MAX_CONTINUATION}}}+"


def _english_suffixes(word: str) -> str:
    """Plural and possessive: "-es" after s, x, z, ch, sh (buses, boxes, Porsches), "-s"
    after anything else (EVs, not "Eves"; Gos, not "goes"), and "'s" / "’s"."""
    plural = "(?:es)" if word.lower().endswith(("s", "x", "z", "ch", "sh")) else "s"
    return f"(?:{plural}|['’]s)?"


@dataclass(frozen=True, slots=True)
class CompiledTerm:
    """A term checked and translated into a pattern's source; the regular expression itself
    is compiled the first time the term is a candidate in some text (most terms of a large
    rule set never are), and shared by every matcher of the process.

    The pattern of an exact term runs case-sensitively on the normalized text; any other
    runs case-insensitively on the folded text (same offsets)."""

    topic: str
    term: str
    key: str  # folded, casefolded literal that must occur in the folded text for a match
    source: str
    exact: bool = False
    exclude: bool = False  # an exclusion of its topic, not a term

    @property
    def pattern(self) -> regex.Pattern[str]:
        return _compiled(self.source, self.exact)


@lru_cache(maxsize=100_000)
def _compiled(source: str, exact: bool = False) -> regex.Pattern[str]:
    return regex.compile(source, 0 if exact else regex.IGNORECASE | regex.FULLCASE)


def compile_term(
    term: str,
    topic: str = "",
    *,
    options: MatchOptions = DEFAULT_OPTIONS,
    exclude: bool = False,
) -> CompiledTerm:
    """Check one term and translate it into a pattern; raise TermError with a readable
    reason. Cheap: no regular expression is compiled here."""
    text = normalize_text(term).strip()
    exact = text.startswith(EXACT_MARK)
    if exact:
        text = text[len(EXACT_MARK) :].strip()
    if not text:
        raise TermError("a term cannot be empty" + (f" after {EXACT_MARK!r}" if exact else ""))
    if len(text) > MAX_TERM_LENGTH:
        raise TermError(f"a term is limited to {MAX_TERM_LENGTH} characters")
    if not exact:
        text = fold(text, options)
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
    key = fold(max(literals, key=len), options).casefold()
    return CompiledTerm(topic, term, key, source, exact=exact, exclude=exclude)


def compile_literal(
    text: str, topic: str = "", options: MatchOptions = DEFAULT_OPTIONS
) -> CompiledTerm:
    """``text`` itself as an exact term: no ``*``, no ``=``, no plural or possessive, but
    the boundaries of a term of its script. ``text`` is something the matcher found (a
    surface), looked for again where it stands in another text (highlighting); the matcher
    it goes into must have the same ``options``."""
    normalized = normalize_text(text).strip()
    words = [w for w in _TERM_WORD_SPLIT.split(normalized) if w]
    if not words:
        raise TermError(f"{text!r} has no letters or digits")
    body = _SEPARATOR_RUN.join(regex.escape(word) for word in words)
    source = _leading_guard(words[0][0]) + body + _trailing_guard(words[-1][-1])
    key = fold(max(words, key=len), options).casefold()
    return CompiledTerm(topic, text, key, source, exact=True)


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of one term, found by ``Matcher.find``: offsets into the normalized text."""

    topic: str
    term: str
    start: int
    end: int
    surface: str


class Matcher:
    """Every topic's terms and exclusions, checked once; ``match`` returns the topics a
    text mentions, ``find`` every counted match with its place. A term's regular expression
    is compiled the first time its key occurs in a text (see ``CompiledTerm``).

    ``topics`` may be a ``Topics`` (what the configuration gives): its exclusions and
    options are then used unless given here."""

    def __init__(
        self,
        topics: Mapping[str, Iterable[str]],
        *,
        exclude: Mapping[str, Iterable[str]] | None = None,
        options: MatchOptions | None = None,
    ) -> None:
        if exclude is None:
            exclude = getattr(topics, "exclusions", None) or {}
        if options is None:
            options = getattr(topics, "options", None) or DEFAULT_OPTIONS
        self._build(
            options,
            tuple(
                compile_term(term, topic, options=options)
                for topic, terms in topics.items()
                for term in terms
            ),
            tuple(
                compile_term(phrase, topic, options=options, exclude=True)
                for topic, phrases in exclude.items()
                for phrase in phrases
            ),
        )

    @classmethod
    def of_compiled(
        cls, terms: Iterable[CompiledTerm], options: MatchOptions = DEFAULT_OPTIONS
    ) -> Matcher:
        """A matcher of terms compiled already (``compile_literal``'s, say)."""
        matcher = cls.__new__(cls)
        listed = tuple(terms)
        matcher._build(
            options,
            tuple(t for t in listed if not t.exclude),
            tuple(t for t in listed if t.exclude),
        )
        return matcher

    def _build(
        self,
        options: MatchOptions,
        terms: tuple[CompiledTerm, ...],
        exclusions: tuple[CompiledTerm, ...],
    ) -> None:
        self.options: MatchOptions = options
        self.terms: tuple[CompiledTerm, ...] = terms
        self.exclusions: tuple[CompiledTerm, ...] = exclusions
        self._all = self.terms + self.exclusions
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[int]] = {}
        for index, compiled in enumerate(self._all):
            by_key.setdefault(compiled.key, []).append(index)
        for key, indexes in by_key.items():
            self._automaton.add_word(key, tuple(indexes))
        if by_key:
            self._automaton.make_automaton()

    def _candidates(self, folded: str) -> list[CompiledTerm]:
        hits = {indexes for _, indexes in self._automaton.iter(folded.casefold())}
        return [self._all[i] for i in sorted({i for indexes in hits for i in indexes})]

    def _scan(self, normalized: str) -> list[tuple[int, int, str, str]]:
        """The counted hits in a normalized text as (start, end, topic, term), unordered
        (tuples: ``match`` needs no more, and runs for every item)."""
        folded = fold(normalized, self.options)
        hits: list[tuple[int, int, str, str]] = []
        excluded: dict[str, list[tuple[int, int]]] = {}
        for compiled in self._candidates(folded):
            target = normalized if compiled.exact else folded
            for found in compiled.pattern.finditer(target):
                if compiled.exclude:
                    excluded.setdefault(compiled.topic, []).append(found.span())
                else:
                    hits.append((*found.span(), compiled.topic, compiled.term))
        if excluded:
            hits = [
                hit
                for hit in hits
                if not any(s <= hit[0] and hit[1] <= e for s, e in excluded.get(hit[2], ()))
            ]
        return hits

    def find(self, text: str) -> list[Hit]:
        """Every counted match of every term in one text, ordered by start (longest first).

        Offsets refer to ``normalize_text(text)``, which is ``text`` itself whenever the
        text is already normalized (NFKC, no invisible characters): normalize first to use
        them. A surface is the text's own letters (``Eléctricos``, ``電動汽車``), whatever
        the term's."""
        if not self.terms or not text:
            return []
        normalized = normalize_text(text)
        found = [
            Hit(topic, term, start, end, normalized[start:end])
            for start, end, topic, term in self._scan(normalized)
        ]
        found.sort(key=lambda h: (h.start, -h.end, h.topic, h.term))
        return found

    def match(self, *texts: str) -> Match:
        """Match every text (e.g. title and body) and merge what was found.

        Surface strings come in the order they appear (first text first)."""
        if not self.terms:
            return Match(frozenset())
        found: list[tuple[int, int, str, str]] = []  # (text, offset, topic, surface)
        for text_index, text in enumerate(texts):
            if not text:
                continue
            normalized = normalize_text(text)
            for start, end, topic, _ in self._scan(normalized):
                found.append((text_index, start, topic, normalized[start:end]))
        surfaces: dict[str, dict[str, None]] = {}
        for _, _, topic, surface in sorted(found):
            surfaces.setdefault(topic, {})[surface] = None
        return Match(
            topics=frozenset(surfaces),
            surfaces={topic: tuple(strings) for topic, strings in surfaces.items()},
        )
