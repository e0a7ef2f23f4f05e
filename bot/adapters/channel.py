"""What both chat platforms' channels share: finding a message already sent among a
channel's recent messages, and the answers every chat channel gives the same way (no
token yet, a webhook that cannot be used, a webhook URL written in the file)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from bot.models import DeliveryResult

log = logging.getLogger(__name__)

Posted = TypeVar("Posted")


class RecentMessages(Generic[Posted]):
    """A channel's recent messages, read at most once every ``fresh`` seconds: a recovery
    after a crash looks up many alerts, and one read of the history serves them all."""

    def __init__(
        self,
        label: str,
        read: Callable[[], Awaitable[Sequence[Posted]]],
        *,
        fresh: float,
        describe: Callable[[Exception], str] = str,
    ) -> None:
        self.label = label
        self.read = read
        self.fresh = fresh
        self.describe = describe  # an error as the log may show it
        self._read: tuple[float, Sequence[Posted]] | None = None

    async def find(self, sent_id: Callable[[Posted], str | None]) -> str | None:
        """The id of the first recent message ``sent_id`` recognizes (it answers the
        message's id, or None); None when none is, or the history cannot be read."""
        messages = await self._messages()
        for posted in messages or ():
            found = sent_id(posted)
            if found:
                return found
        return None

    def forget(self) -> None:
        """The channel changed (a message was posted, or may have been): read it afresh."""
        self._read = None

    async def _messages(self) -> Sequence[Posted] | None:
        now = time.monotonic()
        if self._read is not None and now - self._read[0] < self.fresh:
            return self._read[1]
        try:
            messages = await self.read()
        except Exception as exc:
            shown = self.describe(exc)
            log.warning("%s: cannot read back recent messages (%s); an alert interrupted "
                        "while sending may be posted twice", self.label, shown)  # fmt: skip
            return None
        self._read = (time.monotonic(), messages)
        return messages


def no_token(variable: str) -> DeliveryResult:
    """The answer of a bot channel whose token is not set: its alerts wait for it."""
    return DeliveryResult.retry(f"{variable} is not set")


def bad_webhook(exc: ValueError) -> DeliveryResult:
    """The answer of a webhook channel whose URL cannot be used (its variable is not set,
    or not allowed; not a webhook URL): the channel is broken until feeds.yaml changes."""
    return DeliveryResult.failed(f"bad webhook: {exc}", channel_broken=True)


def warn_literal_webhook(label: str, prefix: str) -> None:
    log.warning(
        "%s: the webhook URL is written in feeds.yaml; a webhook URL is a secret, keep it "
        "in an environment variable (%s:${DEALBOT_…})",
        label,
        prefix,
    )
