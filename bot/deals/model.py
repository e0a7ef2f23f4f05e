"""The deal record's one-line rendering, and the record itself under the deals package's
name (it is defined in ``bot.models``, beside the other values that cross modules: the
matcher's deal atoms and the stored alerts read it without the deals package).

JSON form::

    null | {"kind": "acquisition", "stage": "agreed",
            "parties": [{"name": "Samsung Electronics", "topic": "samsung"}, ...],
            "amounts": [{"text": "80억 달러", "value": 8000000000.0, "currency": "USD"}]}
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import KINDS, STAGES, SYMMETRIC_KINDS, Amount, Deal, Kind, Party, Stage

__all__ = [
    "KINDS",
    "STAGES",
    "SYMMETRIC_KINDS",
    "Amount",
    "Deal",
    "Kind",
    "Party",
    "Stage",
    "describe",
    "format_amount",
]


def format_amount(amount: Amount) -> str:
    """Compact, with the currency: "US$8.0 bn", "€1.5 bn", "₩4.5 tn", "CN¥300 m"."""
    from bot import cldr  # the CLDR table: read when a card is drawn

    symbol = cldr.currency_symbol(amount.currency, "en_CA")
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
