"""The running bot: configuration, storage, fetcher, parser, matcher, channels, wired once.

``App.running(config)`` opens everything and closes it again; ``once`` is one full cycle
(recover and retry deliveries, poll feeds, deliver, report, heartbeat) and the scheduler
calls the same pieces on its own timetable.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from yarl import URL

from bot.channels import Channel, build_channel, build_channels
from bot.config import Config, Feed, format_duration
from bot.deliver import Deliverer, DeliveryStats
from bot.ingest.fetch import Fetcher, FetchPolicy
from bot.ingest.parsepool import ParsePool, resolve_workers
from bot.match import Matcher
from bot.models import FeedState, iso_utc, utcnow
from bot.pipeline import Pipeline, PollOutcome
from bot.pollqueue import PollQueue
from bot.store import FeedIdentity, Store
from bot.text import plural

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "last_cycle"
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


def host_of(url: str) -> str:
    """The host a feed's polls count against (its URL's host, lower case)."""
    try:
        return (URL(url).host or "").lower()
    except ValueError:
        return ""


def fetch_policy(config: Config) -> FetchPolicy:
    settings = config.settings
    return FetchPolicy(
        timeout=settings.timeout.total_seconds(),
        max_bytes=settings.max_response_size,
        max_redirects=settings.max_redirects,
        concurrency=settings.concurrency,
        per_host=settings.per_host,
        allow_private=settings.allow_private_networks,
    )


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


class App:
    def __init__(
        self,
        config: Config,
        store: Store,
        fetcher: Fetcher,
        parser: ParsePool,
        channels: dict[str, Channel],
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.parser = parser
        self.channels = channels
        self.clock = clock
        self.matcher = Matcher(config.topics)
        self.pipeline = Pipeline(config, store, fetcher, parser, self.matcher, clock=clock)
        self.polls: PollQueue[PollOutcome | None] = PollQueue(
            config.settings.concurrency, config.settings.per_host
        )
        self.deliverer = Deliverer(
            store,
            channels,
            clock=clock,
            max_per_minute=config.settings.max_per_minute,
            report=self._report,
        )
        self.config_listeners: list[Callable[[Config], Awaitable[None]]] = []

    async def apply_config(self, config: Config) -> None:
        """Run on ``config`` from now on, without a restart: the matcher recompiled, new
        channels opened, feeds matched to their stored state, and every listener (the
        scheduler) told. Polls already running finish on the old configuration."""
        if config.topics != self.config.topics:  # tens of thousands of terms: off the loop
            self.matcher = await asyncio.to_thread(Matcher, config.topics)
        wanted = set(config.channels())
        for spec in wanted - set(self.channels):
            self.channels[spec] = build_channel(spec, config.settings, config.folder, config.kinds)
        for spec in set(self.channels) - wanted:  # pending ones to it fail as "unknown"
            await self.channels.pop(spec).close()
        self.config = config
        self.deliverer.max_per_minute = config.settings.max_per_minute
        self.pipeline.config = config
        self.pipeline.matcher = self.matcher
        await self.sync_feeds()
        for listener in self.config_listeners:
            await listener(config)

    @classmethod
    @contextlib.asynccontextmanager
    async def running(
        cls,
        config: Config,
        *,
        clock: Callable[[], datetime] = utcnow,
        channels: dict[str, Channel] | None = None,
    ) -> AsyncIterator[App]:
        store = await Store.open(config.database)
        workers = resolve_workers(config.settings.parse_workers, len(config.enabled_feeds()))
        parser = ParsePool(workers)
        if workers:
            log.info("parsing in %s", plural(workers, "process", "processes"))
        channels = (
            channels
            if channels is not None
            else build_channels(config.channels(), config.settings, config.folder, config.kinds)
        )
        try:
            async with Fetcher(fetch_policy(config)) as fetcher:
                app = cls(config, store, fetcher, parser, channels, clock=clock)
                await app.sync_feeds()
                yield app
        finally:
            for channel in channels.values():
                await channel.close()
            parser.close()
            await store.close()

    async def sync_feeds(self) -> dict[str, FeedState]:
        identities = [FeedIdentity(feed.name, feed.url) for feed in self.config.feeds]
        return await self.store.sync_feeds(identities, self.clock())

    def enabled_feeds(self) -> list[Feed]:
        return self.config.enabled_feeds()

    async def due_feeds(self) -> list[Feed]:
        states = await self.store.feed_states()
        now = self.clock()
        return [
            feed
            for feed in self.enabled_feeds()
            if (state := states.get(feed.name)) is not None and is_due(feed, state, now)
        ]

    async def poll_feeds(self, feeds: Sequence[Feed]) -> list[PollOutcome]:
        """Poll ``feeds`` through the poll queue (fair over hosts, bounded in all)."""
        states = await self.store.feed_states()
        waiting = [
            future
            for feed in feeds
            if (future := self.polls.submit(feed.name, host_of(feed.url),
                                            partial(self.pipeline.poll, feed, states[feed.name])))
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

    def log_congestion(self) -> None:
        """Once per cycle: which hosts make feeds wait (not once per feed)."""
        for busy in self.polls.congestion():
            log.warning("host %s is slow: %s waiting for one of its %d slots (per_host)%s",
                        busy.host, plural(busy.waiting, "feed"), self.polls.per_host,
                        f"; {plural(busy.repeated, 'poll')} skipped while the last one ran"
                        if busy.repeated else "")  # fmt: skip

    async def once(self, *, due_only: bool = False) -> CycleReport:
        """One full cycle. Pending deliveries are retried first, whatever their backoff."""
        started = time.monotonic()
        report = CycleReport()
        self.store.check_file()
        report.deliveries.add(await self.deliverer.recover_then_drain())
        feeds = await self.due_feeds() if due_only else self.enabled_feeds()
        if feeds:
            log.info("polling %s", plural(len(feeds), "feed"))
        outcomes = await self.poll_feeds(feeds)
        for outcome in outcomes:
            report.add(outcome)
        report.deliveries.add(await self.deliverer.drain())
        await self.send_reports([text for outcome in outcomes for text in outcome.reports])
        await self.prune()
        report.pending = await self.pending_deliveries()
        self.store.check_file()
        report.duration = time.monotonic() - started
        await self.write_heartbeat(
            duration=report.duration,
            polled=report.polled,
            failed=report.failed,
            alerts=report.alerts,
        )
        return report

    async def prune(self) -> None:
        """Forget item text older than ``settings.retention`` (dedupe keys stay)."""
        pruned = await self.store.prune(self.clock() - self.config.settings.retention)
        if pruned:
            log.info("pruned the text of %s older than %s", plural(pruned, "item"),
                     format_duration(self.config.settings.retention))  # fmt: skip

    async def pending_deliveries(self) -> int:
        counts = await self.store.delivery_counts()
        return sum(by_status.get("pending", 0) for by_status in counts.values())

    async def send_reports(self, texts: Sequence[str]) -> None:
        """Admin reports: logged, and posted to ``settings.admin_channels``."""
        for text in texts:
            log.warning("report: %s", text)
            for spec in self.config.settings.admin_channels:
                channel = self.channels.get(spec)
                if channel is not None:
                    await channel.notify(text)

    async def _report(self, text: str) -> None:
        await self.send_reports([text])

    async def last_cycle(self) -> Heartbeat | None:
        return await read_heartbeat(self.store)

    async def write_heartbeat(
        self, *, duration: float, polled: int, failed: int, alerts: int
    ) -> None:
        """Record that a cycle completed; ``dealbot health`` reads it."""
        beat = {"finished_at": iso_utc(self.clock()), "duration": round(duration, 3)}
        beat |= {"polled": polled, "failed": failed, "alerts": alerts}
        await self.store.set_meta(HEARTBEAT_KEY, json.dumps(beat))
