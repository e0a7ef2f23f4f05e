"""Deal cards: what kind of deal an item reports, at which stage, between which companies and
for how much (``extract``), the record that carries it (``model``), how alerts read it
(``alerting``) and how a later report moves its stage (``stages``).

The extractor compiles a company table, lexicons and an amount grammar: it is imported on
first use (``bot.deals.extract_deal``), not with the package, so that the record and the rule
atoms cost nothing at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bot.deals.model import Amount, Deal, Party, describe, format_amount

if TYPE_CHECKING:
    from bot.deals.extract import combine_deals, extract_deal

__all__ = ["Amount", "Deal", "Party", "combine_deals", "describe", "extract_deal", "format_amount"]

_LAZY = {"combine_deals": "bot.deals.extract", "extract_deal": "bot.deals.extract"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
