"""The ``deals`` command (recent deals, one line each: kind, stage, parties, value, sources)
and the deal filters it shares with ``news deal=KIND``. Open to everyone, like reading."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.commands.context import Context, Handler
from bot.commands.reply import CommandError, Reply, ReplyItem
from bot.commands.spec import BY_NAME, Arguments
from bot.config import format_duration
from bot.deals import Deal, card
from bot.deals.model import KINDS, STAGES
from bot.text import plural

ANY_DEAL = "any"  # news deal=any: every alert that reports a deal


def deal_kinds(value: str, *, allow_any: bool = False) -> frozenset[str] | None:
    """The kinds a ``deal=``/``kind=`` value names (None when empty); refused in one line,
    with the kinds listed, when it names none."""
    value = value.strip().lower()
    if not value:
        return None
    if allow_any and value == ANY_DEAL:
        return frozenset(KINDS)
    if value not in KINDS:
        listed = ", ".join((*KINDS, ANY_DEAL) if allow_any else KINDS)
        raise CommandError(f"unknown deal kind {value!r}; kinds: {listed}")
    return frozenset({value})


def deal_tag(deal: Deal | None) -> str:
    """What a listed alert shows of its deal: " · 🛒 acquisition · agreed"; "" without one."""
    return f" · {card.headline(deal)}" if deal is not None else ""


def deal_stages(value: str) -> frozenset[str] | None:
    value = value.strip().lower()
    if not value:
        return None
    if value not in STAGES:
        raise CommandError(f"unknown deal stage {value!r}; stages: {', '.join(STAGES)}")
    return frozenset({value})


def company_names(ctx: Context, company: str) -> frozenset[str]:
    """What a party may be called for ``company``: as typed, the topic of that name, and
    every name the company table gives the same company (삼성전자, 005930.KS: Samsung
    Electronics)."""
    from bot.companies import company_table  # compiled on first use

    names = {company}
    found = company_table().lookup(company)
    if found is not None:
        names |= {found.name, *found.names}
    if company.lower() in ctx.config.topics:
        names.add(company.lower())
    return frozenset(names)


async def deals(ctx: Context, args: Arguments) -> Reply:
    company = ctx.text(args, "company").strip()
    days = ctx.integer(args, "days")
    limit = ctx.integer(args, "limit")
    kinds = deal_kinds(ctx.text(args, "kind"))
    stages = deal_stages(ctx.text(args, "stage"))
    parties = await asyncio.to_thread(company_names, ctx, company) if company else None
    found = await ctx.reader.store.recent_alerts(
        ctx.now - timedelta(days=days),
        limit=limit,
        kinds=kinds or frozenset(KINDS),
        stages=stages,
        parties=parties,
    )
    wanted = " ".join(part for part in (company, *(kinds or ()), *(stages or ())) if part)
    if not found:
        about = f" ({wanted})" if wanted else ""
        return Reply(f"No deals{about} in the last {plural(days, 'day')}.", ephemeral=False)
    items = tuple(
        ReplyItem(
            title=card.line(alert.deal),
            url=alert.url,
            meta=f"{alert.title} — {alert.feed} · "
            f"{format_duration(ctx.now - alert.published, units=1)} ago",
        )
        for alert in found
        if alert.deal is not None
    )
    about = f", {wanted}" if wanted else ""
    return Reply(
        f"Recent deals ({len(items)}, last {plural(days, 'day')}{about})",
        items=items,
        ephemeral=False,
    )


DEALS: dict[str, Handler] = {"deals": deals}
assert set(DEALS) <= set(BY_NAME)
