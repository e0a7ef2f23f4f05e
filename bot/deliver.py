"""Draining the outbox through the channels: send, retry with backoff, give up, recover.

Edits of sent messages (a story's later reports, an updated entry: ``bot.store.sqlite.stories``)
drain after the sends: each is claimed, handed to its channel's ``edit``, and marked done,
retried with the same backoff, or failed; one a process left in 'sending' goes back to
pending at start (an edit sets the whole message, so repeating it is harmless).

A delivery moves pending -> sending -> sent, or back to pending (an error that may pass,
with backoff), or to failed (an error that cannot pass, with the reason). A process claims
a delivery (pending -> sending, owned by it) in one statement before the channel is called,
so two processes on one database (``once`` beside ``run``) never send the same one, and
after a crash ``recover`` knows which messages may or may not have arrived: it takes over
what a dead process left in 'sending', asks the channel (``find_sent``), and marks each one
sent or puts it back in the queue (to be sent again with the same outbox id, which
idempotent channels use to drop the repeat).

On a database several workers share (``store.shared``), a channel is drained by one worker
at a time (the ``channel:<spec>`` lock of ``Store.exclusive``, held while it sends): the
flood control's count (``messages_sent_since``) and a channel's order then hold across
workers, a worker that takes a channel over waits for the pacing second after the last
message, and a channel's Retry-After is kept in the database (``pause:<spec>``), so every
worker waits for it. A worker that dies while sending loses the lock with its session.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.backoff import DELIVERY_BACKOFF, Backoff
from bot.channels import Channel
from bot.errors import StorageError
from bot.models import (
    DeliveryResult,
    DeliveryStatus,
    Digest,
    EditEntry,
    MessageRef,
    OutboxEntry,
    iso_utc,
    utcnow,
)
from bot.redact import redact
from bot.store import DueDelivery, Store
from bot.text import display_channel, plural

log = logging.getLogger(__name__)

FLOOD_WINDOW = timedelta(minutes=1)
PACE = timedelta(seconds=1)  # a chat channel's message rate across workers (Slack's)
PAUSE_KEY = "pause:"  # meta key of a channel's Retry-After end: pause:<spec>
BROKEN_KEY = "broken:"  # meta key of the time a broken channel was reported: broken:<spec>
BROKEN_REPORT_LASTS = timedelta(days=1)  # then a channel still broken is reported again
CHANNEL_LOCK = "channel:"  # Store.exclusive name of a channel's sender: channel:<spec>


@dataclass
class DeliveryStats:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    recovered: int = 0  # found already delivered after a crash
    edited: int = 0  # sent messages edited (a story's reports joined, an entry updated)

    def count(self, result: DeliveryResult, alerts: int) -> None:
        if result.status is DeliveryStatus.SENT:
            self.sent += alerts
        elif result.status is DeliveryStatus.FAILED:
            self.failed += alerts
        else:
            self.retrying += alerts

    def add(self, other: DeliveryStats) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.recovered += other.recovered
        self.edited += other.edited


class Deliverer:
    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        *,
        clock: Callable[[], datetime] = utcnow,
        backoff: Backoff = DELIVERY_BACKOFF,
        max_per_minute: Callable[[], int] = lambda: 10,
        report: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self.max_per_minute = max_per_minute  # read at each drain: a reload changes it
        self.report = report  # where "a channel fails for good" goes (the admin channels)
        self._failing: set[str] = set()  # channels reported broken, until a send works
        self._not_before: dict[str, datetime] = {}  # channel -> end of its Retry-After
        self.channels = channels
        self.clock = clock
        self.backoff = backoff
        self._draining = asyncio.Lock()
        # sent or tried, but the database could not be told (it was unreachable): still
        # 'sending' and this process's own, so nobody else settles them; recover does
        self._unsettled: dict[str, OutboxEntry] = {}

    async def recover(self) -> DeliveryStats:
        """Settle deliveries a process that is gone left in 'sending', and this process's
        own whose outcome the database could not be told."""
        stats = DeliveryStats()
        for entry in list(self._unsettled.values()):
            await self._settle_lost(entry, stats)
        released = await self.store.release_stale_edits()
        if released:
            log.info("%s interrupted by a restart will be made again", plural(released, "edit"))
        for entry in await self.store.take_over_stale_deliveries():
            await self._settle_lost(entry, stats)
        return stats

    async def _settle_lost(self, entry: OutboxEntry, stats: DeliveryStats) -> None:
        """A delivery in 'sending' whose attempt's outcome is unknown: sent when the channel
        has it, else back in the queue."""
        message = entry.message
        channel = self.channels.get(message.channel)
        if channel is None:
            await self._unknown_channel(entry)
            stats.failed += 1
        elif (ref := await channel.find_sent(message)) is not None:
            log.info("alert %s had reached %s before a restart", message.id, channel.label)
            await self.store.mark_sent(message.id, ref.message_id, self.clock())
            stats.recovered += 1
        else:
            await self.store.mark_retry(
                message.id, "interrupted while sending", self.clock(), self.clock()
            )
        self._unsettled.pop(message.id, None)

    async def recover_then_drain(self) -> DeliveryStats:
        """What a process does on start: settle the past, then send everything pending."""
        stats = await self.recover()
        stats.add(await self.drain(everything=True))
        return stats

    async def drain(self, *, everything: bool = False) -> DeliveryStats:
        """Send what is due (everything pending with ``everything``), channel by channel in
        parallel, in order within a channel. A channel that asks to retry is left alone for
        the rest of this round. Then make the edits that are due (``edited``)."""
        async with self._draining:
            due = await self.store.due_deliveries(self.clock(), everything=everything)
            queues: dict[str, list[DueDelivery]] = {}
            for delivery in due:
                queues.setdefault(delivery.channel, []).append(delivery)
            results = await asyncio.gather(
                *(self._drain_channel(spec, queue) for spec, queue in queues.items())
            )
            total = DeliveryStats()
            for stats in results:
                total.add(stats)
            total.edited = await self._edit_due()
        return total

    async def _edit_due(self) -> int:
        """Make the due edits of sent messages; return how many reached their channel."""
        edited = 0
        for delivery_id in await self.store.due_edits(self.clock()):
            paused_until = None
            entry = await self.store.claim_edit(delivery_id, self.clock())
            if entry is None:
                continue
            channel = self.channels.get(entry.message.channel)
            if channel is not None:
                paused_until = await self._paused_until(channel.spec)
            if channel is None or entry.message_id is None or entry.digest:
                # gone from feeds.yaml, or a message that cannot be edited (no id: a
                # webhook; a digest shows other alerts too): nothing more to do
                await self.store.mark_edit_done(delivery_id, entry.version, self.clock())
                continue
            if paused_until is not None and self.clock() < paused_until:
                await self.store.mark_edit_retry(
                    delivery_id, "the channel asked to wait", paused_until, self.clock()
                )
                continue
            if await self._edit(channel, entry):
                edited += 1
        return edited

    async def _edit(self, channel: Channel, entry: EditEntry) -> bool:
        assert entry.message_id is not None
        result = await channel.edit(MessageRef(channel.spec, entry.message_id), entry.message)
        now = self.clock()
        if result.status is DeliveryStatus.SENT:
            await self.store.mark_edit_done(entry.delivery_id, entry.version, now)
            return True
        reason = redact(result.reason or "refused by the channel")
        if result.status is DeliveryStatus.FAILED:
            log.error("edit of alert %s on %s failed for good: %s", entry.delivery_id,
                      channel.label, reason)  # fmt: skip
            await self.store.mark_edit_failed(entry.delivery_id, reason, now)
            return False
        delay = self.backoff.delay(entry.attempts + 1)
        if result.retry_after is not None:
            delay = max(delay, result.retry_after)
            await self._pause(channel.spec, now + timedelta(seconds=result.retry_after))
        log.warning("edit of alert %s on %s will be retried in %.0fs: %s", entry.delivery_id,
                    channel.label, delay, reason)  # fmt: skip
        await self.store.mark_edit_retry(
            entry.delivery_id, reason, now + timedelta(seconds=delay), now
        )
        return False

    async def _drain_channel(self, spec: str, queue: list[DueDelivery]) -> DeliveryStats:
        if not self.store.shared:
            return await self._drain_channel_now(spec, queue)
        async with self.store.exclusive(CHANNEL_LOCK + spec) as lock:
            if not lock.held:
                return DeliveryStats()  # another worker is sending to it now
            channel = self.channels.get(spec)
            if channel is not None and channel.flood_control:
                since = self.clock() - PACE
                if await self.store.messages_sent_since(spec, since):
                    await asyncio.sleep(PACE.total_seconds())
            return await self._drain_channel_now(spec, queue)

    async def _drain_channel_now(self, spec: str, queue: list[DueDelivery]) -> DeliveryStats:
        stats = DeliveryStats()
        channel = self.channels.get(spec)
        if channel is None:
            for candidate in queue:
                entry = await self.store.claim_delivery(candidate.id, self.clock())
                if entry is not None:
                    await self._unknown_channel(entry)
                    stats.failed += 1
            return stats
        paused_until = await self._paused_until(spec)
        if paused_until is not None and self.clock() < paused_until:
            return stats  # the channel asked us to wait (a 429's Retry-After)
        for batch in await self._plan(channel, queue):
            claimed = [
                entry
                for candidate in batch
                if (entry := await self.store.claim_delivery(candidate.id, self.clock()))
            ]
            claimed = await self._settle_arrived(channel, claimed, stats)
            if not claimed:
                continue  # another process took them, or they had arrived
            if len(claimed) > 1 and claimed[0].digest is None:
                digest = Digest.of(tuple(entry.message for entry in claimed))
                await self.store.assign_digest([e.message.id for e in claimed], digest.id)
            result = await self._send(channel, claimed)
            stats.count(result, len(claimed))
            if result.status is DeliveryStatus.RETRY:
                break
            if result.status is DeliveryStatus.FAILED and result.channel_broken:
                stats.failed += await self._channel_broken(channel, result)
                break
        return stats

    async def _settle_arrived(
        self, channel: Channel, entries: list[OutboxEntry], stats: DeliveryStats
    ) -> list[OutboxEntry]:
        """Entries whose last attempt may have arrived are looked up in the channel first
        (in any process: the flag is in the outbox); those found are marked sent."""
        left: list[OutboxEntry] = []
        for entry in entries:
            ref = await channel.find_sent(entry.message) if entry.maybe_sent else None
            if ref is None:
                left.append(entry)
                continue
            log.info("alert %s had reached %s after all", entry.message.id, channel.label)
            await self.store.mark_sent(entry.message.id, ref.message_id, self.clock())
            stats.recovered += 1
        return left

    async def _plan(self, channel: Channel, queue: list[DueDelivery]) -> list[list[DueDelivery]]:
        """The messages to send now, in order: each a list of one alert, or of several
        folded into a digest. A digest made before goes out again as it was. A chat
        channel gets at most ``max_per_minute`` messages a minute: when more alerts wait,
        the last message is a digest of the rest; with nothing left this minute, all wait."""
        digests: dict[str, list[DueDelivery]] = {}
        singles: list[DueDelivery] = []
        for entry in queue:
            if entry.digest:
                digests.setdefault(entry.digest, []).append(entry)
            else:
                singles.append(entry)
        batches = list(digests.values())
        if not channel.flood_control:
            return batches + [[entry] for entry in singles]
        since = self.clock() - FLOOD_WINDOW
        room = self.max_per_minute() - await self.store.messages_sent_since(channel.spec, since)
        if room < len(batches) + len(singles):
            log.info("%s: %s wait or are folded into a digest (%s left this minute)",
                     channel.label, plural(len(queue), "alert"),
                     plural(max(room, 0), "message"))  # fmt: skip
        if room <= 0:
            return []
        batches = batches[:room]
        room -= len(batches)
        if len(singles) <= room:
            return batches + [[entry] for entry in singles]
        if room == 0:
            return batches
        return batches + [[entry] for entry in singles[: room - 1]] + [singles[room - 1 :]]

    async def _send(self, channel: Channel, entries: list[OutboxEntry]) -> DeliveryResult:
        """Send one alert, or several as a digest, and settle them in the outbox."""
        first = entries[0]
        if len(entries) == 1 and first.digest is None:
            result = await channel.send(first.message)
        else:
            messages = tuple(entry.message for entry in entries)
            digest = (
                Digest(first.digest, first.message.channel, messages)
                if first.digest
                else Digest.of(messages)
            )
            result = await channel.send_digest(digest)
        try:
            await self._record(channel, entries, result)
        except StorageError:
            self._unsettled.update((entry.message.id, entry) for entry in entries)
            raise
        return result

    async def _record(
        self, channel: Channel, entries: list[OutboxEntry], result: DeliveryResult
    ) -> None:
        """Settle a send's ``entries`` in the outbox by its ``result``."""
        now = self.clock()
        label = entries[0].message.id if len(entries) == 1 else f"digest of {len(entries)}"
        if result.status is DeliveryStatus.SENT:
            message_id = result.ref.message_id if result.ref else None
            for entry in entries:
                await self.store.mark_sent(entry.message.id, message_id, now)
            if channel.spec in self._failing:
                self._failing.discard(channel.spec)
                if self.store.shared:  # works again: the next break is reported
                    await self.store.delete_meta(BROKEN_KEY + channel.spec)
        elif result.status is DeliveryStatus.FAILED:
            reason = redact(result.reason or "refused by the channel")
            log.error("alert %s to %s failed for good: %s", label, channel.label, reason)
            for entry in entries:
                await self.store.mark_failed(entry.message.id, reason, now)
        else:
            delay = self.backoff.delay(max(entry.attempts for entry in entries) + 1)
            if result.retry_after is not None:
                delay = max(delay, result.retry_after)
            reason = redact(result.reason or "temporary failure")
            log.warning("alert %s to %s will be retried in %.0fs: %s", label, channel.label,
                        delay, reason)  # fmt: skip
            for entry in entries:
                await self.store.mark_retry(
                    entry.message.id,
                    reason,
                    now + timedelta(seconds=delay),
                    now,
                    maybe_sent=result.uncertain,
                )
            if result.retry_after is not None:  # the whole channel waits, not just these
                await self._pause(channel.spec, now + timedelta(seconds=result.retry_after))

    async def _pause(self, spec: str, until: datetime) -> None:
        """The channel asked to wait until ``until``: this worker waits, and so does every
        other on a shared database."""
        self._not_before[spec] = until
        if self.store.shared:
            await self.store.set_meta(PAUSE_KEY + spec, iso_utc(until))

    async def _paused_until(self, spec: str) -> datetime | None:
        """When the channel's last Retry-After ends (another worker's too, when shared)."""
        until = self._not_before.get(spec)
        if self.store.shared and (stored := await self.store.get_meta(PAUSE_KEY + spec)):
            shared = datetime.fromisoformat(stored)
            until = shared if until is None else max(until, shared)
        return until

    async def _channel_broken(self, channel: Channel, result: DeliveryResult) -> int:
        """The channel itself refuses (no access, deleted): fail what waits for it, tell
        the admins once (until it works again), and go on with the other channels."""
        reason = redact(result.reason or "refused by the channel")
        now = self.clock()
        failed = await self.store.fail_pending(channel.spec, reason, now)
        if channel.spec not in self._failing:
            self._failing.add(channel.spec)
            if self.report is not None and await self._first_to_report(channel.spec, now):
                await self.report(f"alerts to {channel.label} fail for good: {reason}")
        return failed

    async def _first_to_report(self, spec: str, now: datetime) -> bool:
        """Whether this worker tells the admins that ``spec`` is broken: on a shared
        database only the first worker to find it broken does (until a send works again,
        or a day has passed)."""
        if not self.store.shared:
            return True
        return await self.store.set_meta_once(
            BROKEN_KEY + spec, iso_utc(now), replaces_below=iso_utc(now - BROKEN_REPORT_LASTS)
        )

    async def _unknown_channel(self, entry: OutboxEntry) -> None:
        shown = display_channel(entry.message.channel)  # a literal webhook URL is a secret
        reason = f"unknown channel {shown!r} (no longer in feeds.yaml)"
        log.error("alert %s failed: %s", entry.message.id, reason)
        await self.store.mark_failed(entry.message.id, reason, self.clock())
