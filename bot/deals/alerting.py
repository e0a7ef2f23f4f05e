"""Deals where alerts are drafted: reading an item's deal within a time budget, and the rules
that fire once the deal is known (the ``deal``, ``deal:KIND`` and ``stage:STAGE`` atoms).

Runs where matching runs (a worker thread, never the event loop). The deal is read only when
it can matter: a rule fired on its topics (the card shows the deal), or a rule with deal atoms
could fire for some deal. A reading is bounded twice: the text is cut to its lead (a deal is
told at the top; the cost of extraction grows with the text), and one batch stops reading
deals once its budget is spent (the remaining items alert without a deal, logged once).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Sequence

from bot.deals.model import KINDS, STAGES, Deal
from bot.match import Matcher
from bot.match.expression import Expression, deal_facts

log = logging.getLogger(__name__)

LEAD_CHARACTERS = 4000  # of an item's text read for its deal
BATCH_BUDGET = 5.0  # seconds of deal reading one batch (a poll, an `alerts test`) may take

# every deal a rule can see, and none: enough to tell whether a deal atom can make it fire
_EVERY_DEAL = (
    frozenset(),
    *(deal_facts(kind, stage) for kind, stage in itertools.product(KINDS, STAGES)),
)


class DealReader:
    """Reads items' deals for one batch, within ``budget`` seconds in all."""

    def __init__(
        self,
        topics: Matcher | None,
        *,
        budget: float = BATCH_BUDGET,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.topics = topics
        self.clock = clock
        self.deadline = clock() + budget
        self.skipped = 0  # items left without a deal because the budget ran out

    def read(self, title: str, text: str, language: str | None) -> Deal | None:
        """The deal the item reports, or None (also when the budget is spent, or when the
        extractor fails on it: an alert without a deal beats no alert)."""
        if self.clock() > self.deadline:
            if not self.skipped:
                log.warning("deal reading stopped: its time budget for this batch is spent")
            self.skipped += 1
            return None
        from bot.deals.extract import extract_deal  # heavy: compiled on first use

        try:
            return extract_deal(title, text[:LEAD_CHARACTERS], language, topics=self.topics)
        except Exception:  # a bug in one reading must not stop the alert
            log.exception("deal reading failed on %r", title[:80])
            return None


def firing(
    expressions: Sequence[Expression],
    topics: frozenset[str],
    read: Callable[[], Deal | None],
) -> tuple[list[bool], Deal | None]:
    """Which of ``expressions`` fire on an item with these ``topics``, and its deal (read by
    ``read``, only when it can matter: a rule fires without it, or a deal atom could make one
    fire). Without a reading the deal is None."""
    plain = [expression.evaluate(topics) for expression in expressions]
    could = any(
        expression.wants_deal()
        and any(expression.evaluate(topics | facts) for facts in _EVERY_DEAL)
        for expression in expressions
    )
    if not any(plain) and not could:
        return plain, None
    deal = read()
    if not any(expression.wants_deal() for expression in expressions):
        return plain, deal
    facts = topics | (deal_facts(deal.kind, deal.stage) if deal else frozenset())
    return [expression.evaluate(facts) for expression in expressions], deal


def needs_every_item(expressions: Sequence[Expression]) -> bool:
    """Whether a rule may fire on an item that matched no topic (``deal`` alone)."""
    return any(
        expression.wants_deal() and any(expression.evaluate(facts) for facts in _EVERY_DEAL)
        for expression in expressions
    )
