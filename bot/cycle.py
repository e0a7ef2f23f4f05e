"""One cycle of the bot's clock: poll → deliver → housekeeping → heartbeat.

``dealbot once`` runs a whole cycle at once (``Cycle.run``). ``dealbot run`` polls each
feed on its own timer, adds each outcome to the open ``CycleReport`` and closes the cycle
every minute with the same ``Cycle.finish``: the same delivery, housekeeping and heartbeat
steps, in the same order, for both. Which feeds are due is decided here too (``is_due``).

On a database several workers share (``store.shared``: PostgreSQL), no worker decides alone
what to poll: ``once`` polls the feeds it could lease (``Store.claim_feeds``), and the
housekeeping (retention) runs on the one worker that holds the ``housekeeping`` lock.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from bot.config import Feed, format_duration
from bot.deliver import Deliverer, DeliveryStats
from bot.liveconfig import LiveConfig
from bot.models import FeedState, iso_utc
from bot.pipeline import Pipeline, PollOutcome
from bot.pollqueue import PollQueue
from bot.store import Store
from bot.text import plural
from bot.urls import host_of

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "last_cycle"
HOUSEKEEPING_LOCK = "housekeeping"  # Store.exclusive: retention on one worker at a time
PROGRESS_EVERY = 5.0  # seconds between progress lines of a long poll
DUE_SLACK_SHARE = 0.1  # a healthy feed is due this share of its interval early (max 60s)
DUE_SLACK_MAX = 60.0


def is_due(feed: Feed, state: FeedState, now: datetime) -> bool:
    """Whether a feed should be polled now.

    A failing feed waits for its backoff (or Retry-After) strictly. A healthy one is due a
    little early, so that a jittered trigger or a cron job that fires a few seconds before
    "last poll + interval" does not skip a whole interval."""
    if state.next_poll_at is None:
        return True
    if state.failures:
        return state.next_poll_at <= now
    slack = min(feed.interval.total_seconds() * DUE_SLACK_SHARE, DUE_SLACK_MAX)
    return state.next_poll_at <= now + timedelta(seconds=slack)


@dataclass(frozen=True)
class Heartbeat:
    finished_at: datetime
    duration: float


async def read_heartbeat(store: Store) -> Heartbeat | None:
    """When the last cycle (of ``run`` or ``once``) finished, and how long it took."""
    beat = await store.get_meta(HEARTBEAT_KEY)
    if beat is None:
        return None
    data = json.loads(beat)
    return Heartbeat(datetime.fromisoformat(data["finished_at"]), float(data["duration"]))


@dataclass
class CycleReport:
    polled: int = 0
    ok: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0
    alerts: int = 0
    deliveries: DeliveryStats = field(default_factory=DeliveryStats)
    pending: int = 0
    duration: float = 0.0

    def add(self, outcome: PollOutcome) -> None:
        self.polled += 1
        if outcome.status == "ok":
            self.ok += 1
        elif outcome.status == "not-modified":
            self.not_modified += 1
        else:
            self.failed += 1
        self.new_items += outcome.new_items
        self.alerts += len(outcome.messages)

    def summary(self) -> str:
        d = self.deliveries
        return (
            f"{plural(self.polled, 'feed')} polled: {self.ok + self.not_modified} ok "
            f"({self.not_modified} not modified), {self.failed} failed; "
            f"{plural(self.new_items, 'new item')}, {plural(self.alerts, 'new alert')}; "
            f"deliveries: {d.sent} sent, {self.pending} pending, {d.failed} failed "
            f"({self.duration:.1f}s)"
        )


class Cycle:
    def __init__(
        self,
        live: LiveConfig,
        store: Store,
        pipeline: Pipeline,
        polls: PollQueue[PollOutcome | None],
        deliverer: Deliverer,
        report: Callable[[Sequence[str]], Awaitable[None]],
        clock: Callable[[], datetime],
    ) -> None:
        self.live = live
        self.store = store
        self.pipeline = pipeline
        self.polls = polls
        self.deliverer = deliverer
        self.report = report  # admin reports: the log and settings.admin_channels
        self.clock = clock

    async def run(self, *, due_only: bool = False) -> CycleReport:
        """A whole cycle: earlier deliveries first (whatever their backoff), then the
        feeds (every enabled one, or the due ones), then ``finish``."""
        started = time.monotonic()
        report = CycleReport()
        self.store.check_file()
        report.deliveries.add(await self.deliverer.recover_then_drain())
        states: dict[str, FeedState] | None = None
        if self.store.shared:  # the feeds no other worker polls now
            states = await self.claim(due_only=due_only)
            feeds = [feed for feed in self.live.config.enabled_feeds() if feed.name in states]
        else:
            feeds = await self.due_feeds() if due_only else self.live.config.enabled_feeds()
        if feeds:
            log.info("polling %s", plural(len(feeds), "feed"))
        for outcome in await self.poll(feeds, states):
            report.add(outcome)
        return await self.finish(report, started)

    async def claim(self, *, due_only: bool) -> dict[str, FeedState]:
        """Lease the enabled feeds (the due ones, by ``is_due``) that no other worker has
        leased."""
        feeds = {feed.name: feed for feed in self.live.config.enabled_feeds()}
        now = self.clock()
        claimed = await self.store.claim_feeds(
            list(feeds), now, lease=self.live.config.settings.lease, due_only=due_only,
            early=timedelta(seconds=DUE_SLACK_MAX),
        )  # fmt: skip
        early = [
            state for state in claimed if due_only and not is_due(feeds[state.name], state, now)
        ]
        if early:  # due by the widest slack, not by their own interval's
            await self.store.release_feeds([state.id for state in early])
        return {state.name: state for state in claimed if state not in early}

    async def finish(self, report: CycleReport, started: float) -> CycleReport:
        """Close a cycle: deliver what waits (settling first what a process that is gone
        left half-sent), housekeeping, heartbeat. Raises StorageError when the database
        file was deleted or replaced meanwhile: nothing is sent from a database that is
        not the one the bot opened."""
        self.store.check_file()
        report.deliveries.add(await self.deliverer.recover())
        report.deliveries.add(await self.deliverer.drain())
        await self.prune()
        self.log_congestion()
        report.pending = await self.pending_deliveries()
        report.duration = time.monotonic() - started
        await self.write_heartbeat(report)
        return report

    async def due_feeds(self) -> list[Feed]:
        states = await self.store.feed_states()
        now = self.clock()
        return [
            feed
            for feed in self.live.config.enabled_feeds()
            if (state := states.get(feed.name)) is not None and is_due(feed, state, now)
        ]

    async def poll(
        self, feeds: Sequence[Feed], states: Mapping[str, FeedState] | None = None
    ) -> list[PollOutcome]:
        """Poll ``feeds`` through the poll queue (fair over hosts, bounded in all), from
        ``states`` (read now when not given); the admin reports of each poll are sent as
        it ends."""
        if states is None:
            states = await self.store.feed_states()
        waiting = [
            future
            for feed in feeds
            if (future := self.polls.submit(feed.name, host_of(feed.url),
                                            partial(self.poll_one, feed, states[feed.name])))
        ]  # fmt: skip

        async def progress() -> None:
            while True:
                await asyncio.sleep(PROGRESS_EVERY)
                done = sum(future.done() for future in waiting)
                log.info("polled %d of %s…", done, plural(len(waiting), "feed"))
                self.log_congestion()

        reporter = asyncio.create_task(progress())
        try:
            return [outcome for outcome in await asyncio.gather(*waiting) if outcome]
        finally:
            reporter.cancel()

    async def poll_one(self, feed: Feed, state: FeedState) -> PollOutcome:
        """One feed through the pipeline; its admin reports (a feed turned unhealthy or
        recovered) are sent as it ends."""
        outcome = await self.pipeline.poll(feed, state)
        if outcome.reports:
            await self.report(outcome.reports)
        return outcome

    def log_congestion(self) -> None:
        """Once per cycle: which hosts make feeds wait (not once per feed)."""
        for busy in self.polls.congestion():
            log.warning("host %s is slow: %s waiting for one of its %d slots (per_host)%s",
                        busy.host, plural(busy.waiting, "feed"), self.polls.per_host,
                        f"; {plural(busy.repeated, 'poll')} skipped while the last one ran"
                        if busy.repeated else "")  # fmt: skip

    async def prune(self) -> None:
        """Forget item text older than ``settings.retention`` (dedupe keys stay), on one
        worker at a time (another holding the lock is doing it now)."""
        async with self.store.exclusive(HOUSEKEEPING_LOCK) as lock:
            if not lock.held:
                return
            retention = self.live.config.settings.retention
            pruned = await self.store.prune(self.clock() - retention)
            if pruned:
                log.info("pruned the text of %s older than %s", plural(pruned, "item"),
                         format_duration(retention))  # fmt: skip

    async def pending_deliveries(self) -> int:
        counts = await self.store.delivery_counts()
        return sum(by_status.get("pending", 0) for by_status in counts.values())

    async def write_heartbeat(self, report: CycleReport) -> None:
        """Record that a cycle completed; ``dealbot health`` reads it."""
        beat = {"finished_at": iso_utc(self.clock()), "duration": round(report.duration, 3)}
        beat |= {"polled": report.polled, "failed": report.failed, "alerts": report.alerts}
        await self.store.set_meta(HEARTBEAT_KEY, json.dumps(beat))
