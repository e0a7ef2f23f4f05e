"""Matching: topic terms compiled into one matcher (``terms``), the differences it may ignore
(``fold``), a configuration's topics with their exclusions and options (``topics``), the
alert expressions over topic names (``expression``), and where matched terms stand in a text
to be shown (``highlight``)."""

from bot.match.fold import DEFAULT_OPTIONS, MatchOptions
from bot.match.terms import CompiledTerm, Hit, Matcher, TermError, compile_term, normalize_text
from bot.match.topics import Topics

__all__ = [
    "DEFAULT_OPTIONS",
    "CompiledTerm",
    "Hit",
    "MatchOptions",
    "Matcher",
    "TermError",
    "Topics",
    "compile_term",
    "normalize_text",
]
