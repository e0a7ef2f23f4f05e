"""A later report moving a deal on: the same deal (same kind, same parties, however the
reports name them) alerted earlier at a stage behind this one (talks, then agreed); and a
story's deal, read from all its reports, moving on as later ones join (``story_deal``).

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
    """The furthest stage earlier reports of ``deal`` had reached (``earlier``: any order),
    when ``deal`` has moved on from it; None when there is none, or when this report is not
    further along. A report that lagged behind (talks, after an agreement) is not where the
    deal was: "completed, was agreed", never "was talks"."""
    if not deal.parties:
        return None
    key = deal_key(deal)
    reached = [previous.stage for previous in earlier if deal_key(previous) == key]
    if not reached:
        return None
    furthest = max(reached, key=lambda stage: _ORDER[stage])
    return furthest if _ORDER[deal.stage] > _ORDER[furthest] else None


def story_deal(readings: Sequence[Deal]) -> Deal | None:
    """A story's deal from the deals its reports read (oldest first): the best-supported
    reading (``bot.deals.extract.combine_deals``: the kind, parties and figures most reports
    agree on), at the furthest stage a report of that same deal reached. A story moves on
    as later reports join (talks, then agreed), while a report that lags behind, or a
    single reading of another deal, moves nothing."""
    if not readings:
        return None
    from bot.deals.extract import combine_deals  # loaded already where deals were read

    combined = combine_deals(readings)
    if combined is None:
        return None
    key = deal_key(combined)
    stages = [deal.stage for deal in readings if deal_key(deal) == key]
    furthest = max((combined.stage, *stages), key=lambda stage: _ORDER[stage])
    return replace(combined, stage=furthest)


def moved_on(before: Deal | None, after: Deal) -> bool:
    """Whether ``after`` is ``before`` (same kind and parties) at a stage further along."""
    if before is None or deal_key(before) != deal_key(after):
        return False
    return _ORDER[after.stage] > _ORDER[before.stage]


def same_deal(one: Deal | None, other: Deal | None) -> bool:
    """Whether two readings are of one deal (same kind and parties), whatever the stage."""
    if one is None or other is None:
        return False
    return deal_key(one) == deal_key(other)


def with_stage_changes(drafts: Sequence[AlertDraft], earlier: Sequence[Deal]) -> list[AlertDraft]:
    """``drafts``, each whose deal moved on from the ``earlier`` ones naming the stage it
    moved from."""
    return [
        replace(draft, stage_was=stage_before(draft.deal, earlier)) if draft.deal else draft
        for draft in drafts
    ]
