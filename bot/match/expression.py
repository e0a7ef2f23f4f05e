"""Alert match expressions: ``and`` / ``or`` / ``not`` and parentheses over topic names and
the deal an item reports.

    expr     := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | atom
    atom     := TOPIC | "deal" | "deal:" KIND | "stage:" STAGE | "(" expr ")"

Keywords are case-insensitive; topic names follow ``[a-z0-9_-]+``. An expression is evaluated
over a set of facts: the names of the topics that matched, and ``deal_facts`` of the deal read
from the item (facts with a colon, which no topic name has).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import ExpressionError
from bot.models import KINDS, STAGES

KEYWORDS = frozenset({"and", "or", "not"})
DEAL_WORD = "deal"  # the atom "any deal": no topic may take this name
TOPIC_NAME = re.compile(r"[a-z0-9_-]+")
_TOKEN = re.compile(
    r"\s*(?:(?P<paren>[()])|(?P<word>[A-Za-z0-9_-]+(?::[A-Za-z0-9_-]*)?)|(?P<bad>\S))"
)
_ANY_DEAL = "deal:"
MAX_EXPRESSION_LENGTH = 1000
MAX_EXPRESSION_DEPTH = 32  # parentheses and "not" nested in one another


@dataclass(frozen=True, slots=True)
class Topic:
    name: str

    def evaluate(self, topics: frozenset[str]) -> bool:
        return self.name in topics

    def names(self) -> frozenset[str]:
        return frozenset({self.name})

    def __str__(self) -> str:
        return self.name

    def wants_deal(self) -> bool:
        return False


def deal_facts(kind: str | None, stage: str | None) -> frozenset[str]:
    """The facts a deal adds to an item's topics: any deal, its kind, its stage (nothing
    without a deal)."""
    if kind is None:
        return frozenset()
    return frozenset({_ANY_DEAL, f"deal:{kind}", f"stage:{stage}"})


@dataclass(frozen=True, slots=True)
class DealAtom:
    """``deal`` (any deal), ``deal:KIND`` or ``stage:STAGE``."""

    kind: str | None = None
    stage: str | None = None

    @property
    def fact(self) -> str:
        if self.stage is not None:
            return f"stage:{self.stage}"
        return f"deal:{self.kind}" if self.kind is not None else _ANY_DEAL

    def evaluate(self, topics: frozenset[str]) -> bool:
        return self.fact in topics

    def names(self) -> frozenset[str]:
        return frozenset()

    def wants_deal(self) -> bool:
        return True

    def __str__(self) -> str:
        return DEAL_WORD if self.fact == _ANY_DEAL else self.fact


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expression

    def evaluate(self, topics: frozenset[str]) -> bool:
        return not self.operand.evaluate(topics)

    def names(self) -> frozenset[str]:
        return self.operand.names()

    def wants_deal(self) -> bool:
        return self.operand.wants_deal()

    def __str__(self) -> str:
        return f"not {_wrap(self.operand)}"


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expression, ...]

    def evaluate(self, topics: frozenset[str]) -> bool:
        return all(op.evaluate(topics) for op in self.operands)

    def names(self) -> frozenset[str]:
        return frozenset().union(*(op.names() for op in self.operands))

    def wants_deal(self) -> bool:
        return any(op.wants_deal() for op in self.operands)

    def __str__(self) -> str:
        return " and ".join(_wrap(op) for op in self.operands)


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expression, ...]

    def evaluate(self, topics: frozenset[str]) -> bool:
        return any(op.evaluate(topics) for op in self.operands)

    def names(self) -> frozenset[str]:
        return frozenset().union(*(op.names() for op in self.operands))

    def wants_deal(self) -> bool:
        return any(op.wants_deal() for op in self.operands)

    def __str__(self) -> str:
        return " or ".join(_wrap(op) for op in self.operands)


Expression = Topic | DealAtom | Not | And | Or


def _wrap(expr: Expression) -> str:
    return f"({expr})" if isinstance(expr, And | Or) else str(expr)


def parse_expression(
    text: str, known_topics: set[str] | frozenset[str] | None = None
) -> Expression:
    """Parse ``text``; when ``known_topics`` is given, every name must be one of them."""
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_EXPRESSION_LENGTH} characters")
    parser = _Parser(_tokenize(text))
    expr = parser.parse()
    if known_topics is not None:
        unknown = sorted(expr.names() - set(known_topics))
        if unknown:
            listed = ", ".join(unknown)
            noun = "topic" if len(unknown) == 1 else "topics"
            raise ExpressionError(f"unknown {noun}: {listed}")
    return expr


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None:  # only trailing whitespace is left
            break
        if found.group("bad"):
            raise ExpressionError(
                f"unexpected character {found.group('bad')!r} at position {found.start('bad') + 1}"
            )
        token = found.group("paren") or found.group("word")
        tokens.append(token.lower() if token.lower() in KEYWORDS else token)
        pos = found.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(f"nested deeper than {MAX_EXPRESSION_DEPTH} levels")

    def parse(self) -> Expression:
        if not self.tokens:
            raise ExpressionError("expression is empty")
        expr = self._or()
        if self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token == ")":
                raise ExpressionError("unbalanced parentheses: unexpected ')'")
            raise ExpressionError(f"expected 'and' or 'or' before {token!r}")
        return expr

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _or(self) -> Expression:
        operands = [self._and()]
        while self._peek() == "or":
            self.pos += 1
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Expression:
        operands = [self._not()]
        while self._peek() == "and":
            self.pos += 1
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _not(self) -> Expression:
        if self._peek() == "not":
            self.pos += 1
            self._deeper()
            operand = self._not()
            self.depth -= 1
            return Not(operand)
        return self._atom()

    def _atom(self) -> Expression:
        token = self._peek()
        if token is None:
            raise ExpressionError("expression ends where a topic name was expected")
        self.pos += 1
        if token == "(":
            self._deeper()
            expr = self._or()
            if self._peek() != ")":
                raise ExpressionError("unbalanced parentheses: missing ')'")
            self.pos += 1
            self.depth -= 1
            return expr
        if token == ")":
            raise ExpressionError("unexpected ')' where a topic name was expected")
        if token in KEYWORDS:
            raise ExpressionError(f"'{token}' where a topic name was expected")
        if token.lower() == DEAL_WORD or ":" in token:
            return _deal_atom(token)
        if not TOPIC_NAME.fullmatch(token):
            raise ExpressionError(
                f"topic name {token!r} must be lower case letters, digits, '_' or '-'"
            )
        return Topic(token)


def _deal_atom(token: str) -> DealAtom:
    """``deal``, ``deal:KIND`` or ``stage:STAGE``, each name checked against the lists."""
    prefix, colon, value = token.lower().partition(":")
    if prefix == DEAL_WORD and not colon:
        return DealAtom()
    if prefix == DEAL_WORD:
        if value not in KINDS:
            raise ExpressionError(
                f"unknown deal kind {value!r} in {token!r}; kinds: {', '.join(KINDS)}"
            )
        return DealAtom(kind=value)
    if prefix == "stage":
        if value not in STAGES:
            raise ExpressionError(
                f"unknown deal stage {value!r} in {token!r}; stages: {', '.join(STAGES)}"
            )
        return DealAtom(stage=value)
    raise ExpressionError(
        f"{token!r}: only deal:KIND and stage:STAGE take a colon (topic names cannot)"
    )
