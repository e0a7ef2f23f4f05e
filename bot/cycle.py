"""One cycle of the bot's clock: poll → deliver → housekeeping → heartbeat.

``dealbot once`` runs a whole cycle at once (``Cycle.run``). ``dealbot run`` polls each
feed on its own timer, adds each outcome to the open ``CycleReport`` and closes the cycle
every minute with the same ``Cycle.finish``: the same delivery, housekeeping and heartbeat
steps, in the same order, for both. Which feeds are due is decided here too (``is_due``).

On a database several workers share (``store.shared``: PostgreSQL), no worker decides alone
what to poll: ``once`` polls the feeds it can lease (``Store.claim_feeds``, a batch at a
time, as its polls end: ``per_host`` holds over all workers), and the
housekeeping (retention) runs on the one worker that holds the ``housekeeping`` lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
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
CLAIM_IDLE = 1.0  # seconds: a shared database's feeds another worker holds are asked again


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


def due_feeds(feeds: Sequence[Feed], states: Mapping[str, FeedState], now: datetime) -> list[Feed]:
    """Those of ``feeds`` that are due at ``now`` (``is_due``), by their ``states``."""
    return [
        feed
        for feed in feeds
        if (state := states.get(feed.name)) is not None and is_due(feed, state, now)
    ]


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
        await self.store.check_database()
        report.deliveries.add(await self.deliverer.recover_then_drain())
        if self.store.shared:  # the feeds no other worker polls now, as room allows
            await self.poll_leased(report.add, due_only=due_only)
        else:
            feeds = self.live.config.enabled_feeds()
            if due_only:  # the rows that may be due, by the widest slack
                now = self.clock()
                states = await self.store.poll_states(due_by=now + timedelta(seconds=DUE_SLACK_MAX))
                feeds = due_feeds(feeds, states, now)
            else:
                states = await self.store.poll_states()
            if feeds:
                log.info("polling %s", plural(len(feeds), "feed"))
            await self.poll_each(feeds, report.add, states)
        return await self.finish(report, started)

    async def poll_leased(self, take: Callable[[PollOutcome], object], *, due_only: bool) -> None:
        """Poll the enabled feeds (the due ones, by ``is_due``) on a database other workers
        share, each once: lease as many as this process has room for (``per_host``
        counted over every worker), lease more as polls end, until every feed was polled
        here or by another worker since the start. Leases are taken in small batches, so
        none runs out while it waits here. Each outcome goes to ``take`` as its poll ends."""
        started = self.clock()
        feeds = {feed.name: feed for feed in self.live.config.enabled_feeds()}
        left = set(feeds)
        waiting: set[asyncio.Future[PollOutcome | None]] = set()
        ended = 0
        async with self._progress(lambda: ended, lambda: ended + len(waiting)):
            while left or waiting:
                room = self.polls.concurrency - self.polls.running - self.polls.waiting()
                # a claim for half the slots at least (one per poll that ends would cost a
                # transaction per feed), or for whatever room there is when nothing runs
                batch = room >= max(1, self.polls.concurrency // 2) or (room > 0 and not waiting)
                states = await self.claim(feeds, left, due_only, room, started) if batch else []
                for state in states:
                    feed = feeds[state.name]
                    job = partial(self.poll_one, feed, state)
                    if (future := self.polls.submit(feed.name, host_of(feed.url), job)) is None:
                        await self.store.release_feeds([state.id])  # stopping
                    else:
                        waiting.add(future)
                if waiting:
                    done, waiting = await asyncio.wait(
                        waiting, timeout=None if left else CLAIM_IDLE,
                        return_when=asyncio.FIRST_COMPLETED,
                    )  # fmt: skip
                    for future in done:
                        ended += 1
                        if outcome := future.result():
                            take(outcome)
                elif not states and left:  # leased by others, or their hosts full: wait
                    await self._forget_polled(feeds, left, due_only, started)
                    if left:
                        await asyncio.sleep(CLAIM_IDLE)

    async def claim(
        self,
        feeds: Mapping[str, Feed],
        left: set[str],
        due_only: bool,
        limit: int,
        started: datetime,
    ) -> list[FeedState]:
        """Lease up to ``limit`` of the feeds named in ``left`` that no other worker has
        leased or polled since ``started`` (the due ones, by ``is_due``), within
        ``per_host`` over every worker; what is leased leaves ``left``."""
        if not left:
            return []
        now = self.clock()
        settings = self.live.config.settings
        claimed = await self.store.claim_feeds(
            list(left), now, lease=settings.lease, due_only=due_only, limit=limit,
            per_host=settings.per_host, early=timedelta(seconds=DUE_SLACK_MAX),
            unpolled_since=started,
        )  # fmt: skip
        left.difference_update(state.name for state in claimed)
        early = [
            state for state in claimed if due_only and not is_due(feeds[state.name], state, now)
        ]
        if early:  # due by the widest slack, not by their own interval's
            await self.store.release_feeds([state.id for state in early])
        return [state for state in claimed if state not in early]

    async def _forget_polled(
        self, feeds: Mapping[str, Feed], left: set[str], due_only: bool, started: datetime
    ) -> None:
        """Take out of ``left`` the feeds another worker polled since ``started``, and
        (``due_only``) those no longer due; the rest waits for a lease or a host slot."""
        states = await self.store.poll_states()
        now = self.clock()
        for name in list(left):
            state, feed = states.get(name), feeds.get(name)
            polled = state is not None and state.last_poll_at is not None and (
                state.last_poll_at >= started)  # fmt: skip
            if (
                state is None
                or feed is None
                or polled
                or (due_only and not is_due(feed, state, now))
            ):
                left.discard(name)

    async def finish(self, report: CycleReport, started: float) -> CycleReport:
        """Close a cycle: deliver what waits (settling first what a process that is gone
        left half-sent), housekeeping, heartbeat. Raises StorageError when the database
        file was deleted or replaced meanwhile: nothing is sent from a database that is
        not the one the bot opened."""
        await self.store.check_database()
        report.deliveries.add(await self.deliverer.recover())
        report.deliveries.add(await self.deliverer.drain())
        await self.prune()
        self.log_congestion()
        report.pending = await self.pending_deliveries()
        report.duration = time.monotonic() - started
        await self.write_heartbeat(report)
        return report

    async def poll(self, feeds: Sequence[Feed]) -> list[PollOutcome]:
        """``poll_each``, the outcomes returned in a list (in the order the polls ended)."""
        outcomes: list[PollOutcome] = []
        await self.poll_each(feeds, outcomes.append)
        return outcomes

    async def poll_each(
        self,
        feeds: Sequence[Feed],
        take: Callable[[PollOutcome], object],
        states: dict[str, FeedState] | None = None,
    ) -> None:
        """Poll ``feeds`` through the poll queue (fair over hosts, bounded in all), from
        ``states`` (read now when not given; each state is taken out of it as its poll is
        queued, to live only as long as the poll); each outcome goes to ``take`` as its poll
        ends, and the admin reports of each poll are sent then. The first exception a
        poll raises (StorageError) is raised here, as ``asyncio.gather`` would.

        Nothing of a poll is kept once it has ended: its state, its future and its
        outcome go with it (a whole cycle's, held to its end, were about 1 KB a feed)."""
        if not feeds:
            return
        if states is None:
            states = await self.store.poll_states()
        waiting: set[asyncio.Future[PollOutcome | None]] = set()
        for feed in feeds:
            job = partial(self.poll_one, feed, states.pop(feed.name))
            if (future := self.polls.submit(feed.name, host_of(feed.url), job)) is not None:
                waiting.add(future)
        total = len(waiting)
        if not total:
            return
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def ended(future: asyncio.Future[PollOutcome | None]) -> None:
            waiting.discard(future)
            if finished.done():
                if not future.cancelled():
                    future.exception()  # retrieved: raised or not, it is not logged
                return
            if future.cancelled():
                finished.set_exception(asyncio.CancelledError())
            elif (exc := future.exception()) is not None:
                finished.set_exception(exc)
            else:
                if outcome := future.result():
                    take(outcome)
                if not waiting:
                    finished.set_result(None)

        for future in list(waiting):
            future.add_done_callback(ended)
        async with self._progress(lambda: total - len(waiting), lambda: total):
            try:
                await finished
            except asyncio.CancelledError:
                if finished.cancelled():  # this poll was cancelled, not one of the polls
                    for future in list(waiting):
                        future.cancel()
                raise

    @contextlib.asynccontextmanager
    async def _progress(
        self, done: Callable[[], int], total: Callable[[], int]
    ) -> AsyncIterator[None]:
        """A progress line (and the congested hosts) every ``PROGRESS_EVERY`` seconds of a
        long poll."""

        async def report() -> None:
            while True:
                await asyncio.sleep(PROGRESS_EVERY)
                log.info("polled %d of %s…", done(), plural(total(), "feed"))
                self.log_congestion()

        reporter = asyncio.create_task(report())
        try:
            yield
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
