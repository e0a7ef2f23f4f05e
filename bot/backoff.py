"""The one retry policy: exponential backoff with a cap and jitter; and the one reading of
a server's own ``Retry-After``.

Used for feeds that fail (base: the feed's interval, cap 24h), for deliveries that may
pass (base 30s, cap 1h), and for a chat platform that cannot be reached at start (base
30s, cap 10m).
"""

from __future__ import annotations

import email.utils
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float  # seconds before the first retry
    cap: float  # never wait longer than this
    factor: float = 2.0
    jitter: float = 0.1  # +/- this share of the delay, so retries do not arrive in step

    def delay(self, failures: int, *, rng: random.Random | None = None) -> float:
        """Seconds to wait after the ``failures``-th failure in a row (1 = the first)."""
        exponent = max(failures - 1, 0)
        delay = min(self.base * self.factor ** min(exponent, 64), self.cap)
        spread = delay * self.jitter
        offset = (rng or random).uniform(-spread, spread) if spread else 0.0
        return max(0.0, min(delay + offset, self.cap))


DELIVERY_BACKOFF = Backoff(base=30.0, cap=3600.0)
RECONNECT_BACKOFF = Backoff(base=30.0, cap=600.0)
FEED_BACKOFF_CAP = 24 * 3600.0


def feed_backoff(interval: float) -> Backoff:
    return Backoff(base=interval, cap=max(FEED_BACKOFF_CAP, interval))


MAX_RETRY_AFTER = 7 * 86400.0  # a longer wait asked for is taken as a week


def parse_retry_after(value: object, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds (whole, or decimal as Slack
    and Discord send them) or an HTTP date; at most a week; None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - (now or datetime.now(UTC))).total_seconds()
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
