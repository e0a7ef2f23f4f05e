"""The channel interface: what every destination of alerts implements, chat adapters included.

A channel sends an ``AlertMessage`` and answers with a ``DeliveryResult`` instead of raising:
sent (with where the message is), retry later (the error may pass), or failed (it
cannot pass). After a crash, ``find_sent`` tells whether a message already arrived, where
the channel can be read back.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import ClassVar

from bot.models import AlertMessage, DeliveryResult, Digest, MessageRef
from bot.text import display_channel

log = logging.getLogger(__name__)


class Channel(ABC):
    kind: ClassVar[str]
    # Chat channels: more than ``settings.max_per_minute`` alerts in a minute are folded
    # into one digest (``deliver_digest``). Files and the console take every alert as is.
    flood_control: ClassVar[bool] = False

    def __init__(self, spec: str) -> None:
        self.spec = spec

    async def send(self, message: AlertMessage) -> DeliveryResult:
        """Post ``message``; never raises (an unexpected error becomes a retry)."""
        try:
            return await self.deliver(message)
        except Exception as exc:  # the Apprise habit: a channel reports, it does not raise
            log.exception("channel %s failed unexpectedly", self.label)
            return DeliveryResult.retry(f"unexpected error: {type(exc).__name__}: {exc}")

    @abstractmethod
    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        """Post ``message``; may raise, ``send`` translates."""

    async def send_digest(self, digest: Digest) -> DeliveryResult:
        """Post several alerts as one message; never raises."""
        try:
            return await self.deliver_digest(digest)
        except Exception as exc:
            log.exception("channel %s failed unexpectedly", self.label)
            return DeliveryResult.retry(f"unexpected error: {type(exc).__name__}: {exc}")

    async def deliver_digest(self, digest: Digest) -> DeliveryResult:
        """Post a digest; only channels with ``flood_control`` are asked to."""
        raise NotImplementedError(f"{self.kind} channels take no digests")

    async def edit(self, ref: MessageRef, message: AlertMessage) -> DeliveryResult:
        """Make the sent message ``ref`` read as ``message`` now (a story's report joined,
        or its entry was updated: ``message.changed`` says which); never raises. Setting
        the whole message, an edit may be repeated."""
        try:
            return await self.deliver_edit(ref, message)
        except Exception as exc:
            log.exception("channel %s failed unexpectedly", self.label)
            return DeliveryResult.retry(f"unexpected error: {type(exc).__name__}: {exc}")

    async def deliver_edit(self, ref: MessageRef, message: AlertMessage) -> DeliveryResult:
        """Edit a sent message; may raise. A channel that cannot edit (a Slack incoming
        webhook, a Discord webhook posted without ``wait=true``) does nothing: the story
        gets no further message there (``news`` and ``story ID`` have it all)."""
        return DeliveryResult.sent(None)

    async def find_sent(self, message: AlertMessage) -> MessageRef | None:
        """The message as the channel already has it, or None when it has not (or cannot
        tell). Called only for deliveries a crash left in 'sending'."""
        return None

    async def notify(self, text: str) -> DeliveryResult:
        """Post an admin report (a feed turned unhealthy…); best effort."""
        return DeliveryResult.sent(None)

    async def close(self) -> None:  # noqa: B027 - most channels hold nothing to release
        """Release connections; the channel is not used afterwards."""

    @property
    def label(self) -> str:
        """The channel for logs and lists: a webhook URL written literally shows only
        its host."""
        return display_channel(self.spec)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label}>"
