"""Deal cards: what kind of deal an item reports, at which stage, between which companies and
for how much (``extract``), and the record that carries it (``model``)."""

from bot.deals.extract import combine_deals, extract_deal
from bot.deals.model import Amount, Deal, Party, describe, format_amount

__all__ = ["Amount", "Deal", "Party", "combine_deals", "describe", "extract_deal", "format_amount"]
