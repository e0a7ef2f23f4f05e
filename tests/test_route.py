"""The route's date rules, as a table: the backfill window rules a feed's first poll,
``settings.max_age`` every later one (an old post back at the top of a feed never alerts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Backfill
from bot.models import Item
from bot.route import may_alert

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
