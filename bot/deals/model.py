"""The deal record: what an item (or a story of several items) says about one deal, and its
one-line rendering.

JSON form::

    null | {"kind": "acquisition", "stage": "agreed",
            "parties": [{"name": "Samsung Electronics", "topic": "samsung"}, ...],
            "amounts": [{"text": "80억 달러", "value": 8000000000.0, "currency": "USD"}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast, get_args

Kind = Literal[
    "acquisition",
    "merger",
    "stake",
    "funding",
    "partnership",
    "joint-venture",
    "supply",
    "licensing",
    "divestiture",
]
Stage = Literal["rumoured", "talks", "agreed", "approved", "completed", "cancelled"]
KINDS: tuple[Kind, ...] = get_args(Kind)
STAGES: tuple[Stage, ...] = get_args(Stage)
# Kinds between equals: parties are listed, not ordered buyer -> target.
SYMMETRIC_KINDS = frozenset({"merger", "partnership", "joint-venture"})


@dataclass(frozen=True, slots=True)
class Party:
    """A company that is a party to the deal; ``topic`` is the configured topic naming it."""

    name: str
    topic: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "topic": self.topic}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Party:
        topic = data.get("topic")
        return cls(name=str(data["name"]), topic=str(topic) if topic is not None else None)


@dataclass(frozen=True, slots=True)
class Amount:
    """A money figure of the deal: the text as written, its value and ISO 4217 currency."""

    text: str
    value: float
    currency: str

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "currency": self.currency}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Amount:
        return cls(str(data["text"]), float(data["value"]), str(data["currency"]))


@dataclass(frozen=True, slots=True)
class Deal:
    """One deal. For directed kinds the first party acts (buyer, investor, seller, supplier
    or licensor named first by the text) and the second is acted on."""

    kind: Kind
    stage: Stage
    parties: tuple[Party, ...] = ()
    amounts: tuple[Amount, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stage": self.stage,
            "parties": [party.to_json() for party in self.parties],
            "amounts": [amount.to_json() for amount in self.amounts],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Deal | None:
        if data is None:
            return None
        kind, stage = data["kind"], data["stage"]
        if kind not in KINDS or stage not in STAGES:
            raise ValueError(f"unknown deal kind or stage: {kind!r}, {stage!r}")
        return cls(
            kind=cast(Kind, kind),
            stage=cast(Stage, stage),
            parties=tuple(Party.from_json(p) for p in data.get("parties", ())),
            amounts=tuple(Amount.from_json(a) for a in data.get("amounts", ())),
        )


def format_amount(amount: Amount) -> str:
    """Compact, with the currency: "US$8.0 bn", "€1.5 bn", "₩4.5 tn", "CN¥300 m"."""
    from babel.numbers import get_currency_symbol  # CLDR data: loaded when a card is drawn

    symbol = get_currency_symbol(amount.currency, locale="en_CA")
    if symbol.isalpha():
        symbol += " "
    value = amount.value
    for size, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if value >= size:
            return f"{symbol}{value / size:.1f} {word}"
    return f"{symbol}{value:,.0f}"


def describe(deal: Deal, subjects: Iterable[str] = ()) -> str:
    """One line: "acquisition · agreed · Samsung Electronics → Harman · US$8.0 bn"; the
    ``subjects`` (e.g. the item's other matched topics, "EV") are appended."""
    arrow = " ⇄ " if deal.kind in SYMMETRIC_KINDS else " → "
    parts: list[str] = [deal.kind, deal.stage]
    if deal.parties:
        parts.append(arrow.join(party.name for party in deal.parties))
    parts += [format_amount(amount) for amount in deal.amounts]
    parts += list(subjects)
    return " · ".join(parts)
