"""How a deal shows on an alert, the same on every channel: a headline with an icon per kind
("🤝 partnership · talks"), the parties ("Samsung Electronics ⇄ Xiaomi"), the value
("US$8.0 bn"), the whole line (``bot.deals.describe``), and the stage it moved from."""

from __future__ import annotations

from bot.deals.model import SYMMETRIC_KINDS, Deal, describe, format_amount

ICONS: dict[str, str] = {
    "acquisition": "🛒",
    "merger": "🔗",
    "stake": "📈",
    "funding": "💰",
    "partnership": "🤝",
    "joint-venture": "🏗️",
    "supply": "📦",
    "licensing": "📜",
    "divestiture": "✂️",
}


def headline(deal: Deal) -> str:
    """The kind's icon, kind and stage: "🤝 partnership · talks"."""
    return f"{ICONS.get(deal.kind, '💼')} {deal.kind} · {deal.stage}"


def parties(deal: Deal) -> str:
    """The parties, "⇄" between equals, "→" from the one who acts; "" without parties."""
    arrow = " ⇄ " if deal.kind in SYMMETRIC_KINDS else " → "
    return arrow.join(party.name for party in deal.parties)


def value(deal: Deal) -> str:
    """The deal's money figures ("US$8.0 bn"), "" without any."""
    return ", ".join(format_amount(amount) for amount in deal.amounts)


def line(deal: Deal) -> str:
    """The whole deal: "acquisition · agreed · Samsung Electronics → Harman · US$8.0 bn"."""
    return describe(deal)


def stage_change(deal: Deal, stage_was: str | None) -> str:
    """When an earlier alert of the deal had another stage: "stage: talks → agreed"."""
    return f"stage: {stage_was} → {deal.stage}" if stage_was else ""
