"""Draining the outbox through the channels: send, retry with backoff, give up, recover.

A delivery moves pending -> sending -> sent, or back to pending (an error that may pass,
with backoff), or to failed (an error that cannot pass, with the reason). A process claims
a delivery (pending -> sending, owned by it) in one statement before the channel is called,
so two processes on one database (``once`` beside ``run``) never send the same one, and
after a crash ``recover`` knows which messages may or may not have arrived: it takes over
what a dead process left in 'sending', asks the channel (``find_sent``), and marks each one
sent or puts it back in the queue (to be sent again with the same outbox id, which
idempotent channels use to drop the repeat).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.backoff import DELIVERY_BACKOFF, Backoff
from bot.channels import Channel
from bot.models import DeliveryStatus, OutboxEntry, utcnow
from bot.store import Store

log = logging.getLogger(__name__)


@dataclass
class DeliveryStats:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    recovered: int = 0  # found already delivered after a crash

    def add(self, other: DeliveryStats) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.recovered += other.recovered


class Deliverer:
    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        *,
        clock: Callable[[], datetime] = utcnow,
        backoff: Backoff = DELIVERY_BACKOFF,
    ) -> None:
        self.store = store
        self.channels = channels
        self.clock = clock
        self.backoff = backoff
        self._draining = asyncio.Lock()

    async def recover(self) -> DeliveryStats:
        """Settle deliveries a process that is gone left in 'sending'."""
        stats = DeliveryStats()
        for entry in await self.store.take_over_stale_deliveries():
            message = entry.message
            channel = self.channels.get(message.channel)
            if channel is None:
                await self._unknown_channel(entry)
                stats.failed += 1
                continue
            ref = await channel.find_sent(message)
            if ref is not None:
                log.info("alert %s had reached %s before a restart", message.id, channel.spec)
                await self.store.mark_sent(message.id, ref.message_id, self.clock())
                stats.recovered += 1
            else:
                await self.store.mark_retry(
                    message.id, "interrupted while sending", self.clock(), self.clock()
                )
        return stats

    async def recover_then_drain(self) -> DeliveryStats:
        """What a process does on start: settle the past, then send everything pending."""
        stats = await self.recover()
        stats.add(await self.drain(everything=True))
        return stats

    async def drain(self, *, everything: bool = False) -> DeliveryStats:
        """Send what is due (everything pending with ``everything``), channel by channel in
        parallel, in order within a channel. A channel that asks to retry is left alone for
        the rest of this round."""
        async with self._draining:
            entries = await self.store.due_deliveries(self.clock(), everything=everything)
            queues: dict[str, list[OutboxEntry]] = {}
            for entry in entries:
                queues.setdefault(entry.message.channel, []).append(entry)
            results = await asyncio.gather(
                *(self._drain_channel(spec, queue) for spec, queue in queues.items())
            )
        total = DeliveryStats()
        for stats in results:
            total.add(stats)
        return total

    async def _drain_channel(self, spec: str, queue: list[OutboxEntry]) -> DeliveryStats:
        stats = DeliveryStats()
        channel = self.channels.get(spec)
        for candidate in queue:
            entry = await self.store.claim_delivery(candidate.message.id, self.clock())
            if entry is None:
                continue  # another process took it
            if channel is None:
                await self._unknown_channel(entry)
                stats.failed += 1
                continue
            status = await self._send(channel, entry)
            if status is DeliveryStatus.SENT:
                stats.sent += 1
            elif status is DeliveryStatus.FAILED:
                stats.failed += 1
            else:
                stats.retrying += 1
                break
        return stats

    async def _send(self, channel: Channel, entry: OutboxEntry) -> DeliveryStatus:
        message = entry.message
        result = await channel.send(message)
        now = self.clock()
        if result.status is DeliveryStatus.SENT:
            await self.store.mark_sent(
                message.id, result.ref.message_id if result.ref else None, now
            )
        elif result.status is DeliveryStatus.FAILED:
            reason = result.reason or "refused by the channel"
            log.error("alert %s to %s failed for good: %s", message.id, channel.spec, reason)
            await self.store.mark_failed(message.id, reason, now)
        else:
            delay = self.backoff.delay(entry.attempts + 1)
            if result.retry_after is not None:
                delay = max(delay, result.retry_after)
            reason = result.reason or "temporary failure"
            log.warning(
                "alert %s to %s will be retried in %.0fs: %s",
                message.id,
                channel.spec,
                delay,
                reason,
            )
            await self.store.mark_retry(message.id, reason, now + timedelta(seconds=delay), now)
        return result.status

    async def _unknown_channel(self, entry: OutboxEntry) -> None:
        reason = f"unknown channel {entry.message.channel!r} (no longer in feeds.yaml)"
        log.error("alert %s failed: %s", entry.message.id, reason)
        await self.store.mark_failed(entry.message.id, reason, self.clock())
