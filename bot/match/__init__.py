"""Matching: topic terms compiled into one matcher (``terms``) and the alert expressions
over topic names (``expression``)."""

from bot.match.terms import CompiledTerm, Hit, Matcher, TermError, compile_term, normalize_text

__all__ = ["CompiledTerm", "Hit", "Matcher", "TermError", "compile_term", "normalize_text"]
