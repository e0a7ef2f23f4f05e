"""The route's date rules, as a table: the backfill window rules a feed's first poll,
``settings.max_age`` every later one (an old post back at the top of a feed never alerts);
and the message a channel gets for a story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Backfill
from bot.models import AlertDraft, Item
from bot.route import assemble_alert, may_alert

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def item(age: timedelta | None) -> Item:
    published = None if age is None else NOW - age
    return Item("id:1", "t", "x", None, None, published, "en")


H, D = timedelta(hours=1), timedelta(days=1)
DEFAULT = Backfill(24 * H, max_age=7 * D)


@pytest.mark.parametrize(
    ("age", "backfill", "first_poll", "expected"),
    [
        # first poll: the backfill window alone decides
        (3 * H, DEFAULT, True, True),
        (30 * H, DEFAULT, True, False),
        (None, DEFAULT, True, False),
        (60 * D, Backfill(None, everything=True, max_age=7 * D), True, True),
        # later polls: first seen now, at most max_age after its date
        (3 * H, DEFAULT, False, True),
        (3 * D, DEFAULT, False, True),
        (7 * D, DEFAULT, False, True),
        (7 * D + H, DEFAULT, False, False),
        (60 * D, DEFAULT, False, False),  # an edited post back at the top of its feed
        (None, DEFAULT, False, True),  # undated: as old as its first sight
        (-2 * H, DEFAULT, False, True),  # dated in the future
        (60 * D, Backfill(24 * H, max_age=None), False, True),  # max_age: off
        (60 * D, Backfill(None, max_age=30 * D), False, False),
    ],
)
def test_date_rules(
    age: timedelta | None, backfill: Backfill, first_poll: bool, expected: bool
) -> None:
    assert may_alert(item(age), backfill, NOW, first_poll=first_poll) is expected


def draft(rule: str, topics: tuple[str, ...], terms: tuple[str, ...]) -> AlertDraft:
    return AlertDraft(rule, "id:1", "https://x/1", topics, terms, f"by {rule}", ("console",))


def test_one_message_names_every_rule_and_folds_into_the_pending_one() -> None:
    story = Item("id:1", "Samsung EV", "x", "https://x/1", "https://x/1", None, "en", "Ann")
    drafts = [draft("ev", ("ev",), ("EV",)), draft("both", ("ev", "samsung"), ("EV", "Samsung"))]
    message = assemble_alert("feed", story, drafts, "console", message_id="m1", now=NOW)
    assert (message.id, message.channel, message.feed, message.rules) == (
        "m1", "console", "feed", ("ev", "both"),
    )  # fmt: skip
    assert (message.topics, message.terms, message.summary) == (
        ("ev", "samsung"), ("EV", "Samsung"), "by ev",
    )  # fmt: skip
    assert (message.title, message.url, message.author, message.language) == (
        "Samsung EV", "https://x/1", "Ann", "en",
    )  # fmt: skip
    assert message.published == NOW  # undated: the time it was first seen
    later = [draft("chips", ("chips",), ("chip",)), draft("ev", ("ev",), ("EV",))]
    merged = assemble_alert(
        "other", story, later, "console", message_id="m2", now=NOW + H, pending=message
    )
    assert (merged.id, merged.feed, merged.summary, merged.published) == (
        "m1", "feed", "by ev", NOW,
    )  # fmt: skip
    assert merged.rules == ("ev", "both", "chips")
    assert (merged.topics, merged.terms) == (("ev", "samsung", "chips"), ("EV", "Samsung", "chip"))
