"""A later report moving a deal on: the same deal (same kind, same parties, however the
reports name them) alerted earlier at a stage behind this one (talks, then agreed).

Pure; the company table is compiled on first use, so call it from a thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.deals.model import Deal
from bot.models import AlertDraft

WINDOW_DAYS = 30  # how far back an earlier report of the same deal is looked for
# How far along each stage is; a cancellation moves on from any stage.
_ORDER = {"rumoured": 1, "talks": 2, "agreed": 3, "approved": 4, "completed": 5, "cancelled": 6}


def deal_key(deal: Deal) -> tuple[str, frozenset[str]]:
    """What makes two reports one deal: the kind and the parties, each party by its company
    in the table (삼성전자 and Samsung Electronics are one) or else by its name."""
    from bot.companies import company_table  # compiled on first use

    table = company_table()
    parties = set()
    for party in deal.parties:
        company = table.lookup(party.name)
        parties.add(company.id if company is not None else party.name.casefold())
    return deal.kind, frozenset(parties)


def stage_before(deal: Deal, earlier: Iterable[Deal]) -> str | None:
    """The stage the newest earlier report of ``deal`` had (``earlier``: newest first), when
    ``deal`` has moved on from it; None when there is none, or when this report is not
    further along."""
    if not deal.parties:
        return None
    key = deal_key(deal)
    for previous in earlier:
        if previous.kind != deal.kind or deal_key(previous) != key:
            continue
        if _ORDER[deal.stage] > _ORDER[previous.stage]:
            return previous.stage
        return None
    return None


def with_stage_changes(drafts: Sequence[AlertDraft], earlier: Sequence[Deal]) -> list[AlertDraft]:
    """``drafts``, each whose deal moved on from an ``earlier`` one (newest first) naming the
    stage it moved from."""
    return [
        replace(draft, stage_was=stage_before(draft.deal, earlier)) if draft.deal else draft
        for draft in drafts
    ]
