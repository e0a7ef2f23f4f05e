"""The channel interface: what every destination of alerts implements, chat adapters included.

A channel sends an ``AlertMessage`` and answers with a ``DeliveryResult`` instead of raising:
sent (with a reference for later edits), retry later (the error may pass), or failed (it
cannot pass). After a crash, ``find_sent`` tells whether a message already arrived, where
the channel can be read back; ``idempotent`` says whether a resend with the same outbox id is
ignored by the channel itself.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import ClassVar

from bot.models import AlertMessage, DeliveryResult, MessageRef

log = logging.getLogger(__name__)


class Channel(ABC):
    kind: ClassVar[str]
    # What a crash between "sending" and "sent" costs on this channel, for README and status.
    guarantee: ClassVar[str] = "at-least-once"

    def __init__(self, spec: str) -> None:
        self.spec = spec

    async def send(self, message: AlertMessage) -> DeliveryResult:
        """Post ``message``; never raises (an unexpected error becomes a retry)."""
        try:
            return await self.deliver(message)
        except Exception as exc:  # the Apprise habit: a channel reports, it does not raise
            log.exception("channel %s failed unexpectedly", self.spec)
            return DeliveryResult.retry(f"unexpected error: {type(exc).__name__}: {exc}")

    @abstractmethod
    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        """Post ``message``; may raise, ``send`` translates."""

    async def find_sent(self, message: AlertMessage) -> MessageRef | None:
        """The message as the channel already has it, or None when it has not (or cannot
        tell). Called only for deliveries a crash left in 'sending'."""
        return None

    async def notify(self, text: str) -> DeliveryResult:
        """Post an admin report (a feed turned unhealthy…); best effort."""
        return DeliveryResult.sent(None)

    async def close(self) -> None:  # noqa: B027 - most channels hold nothing to release
        """Release connections; the channel is not used afterwards."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec}>"
