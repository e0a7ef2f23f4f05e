"""``dealbot run``: every feed on its own interval (with jitter and backoff), and every
minute the close of a cycle (``Cycle.finish``: deliveries retried, housekeeping, the
heartbeat for the health check), the same steps ``dealbot once`` runs; a graceful stop.

On a database several workers share (``store.shared``: PostgreSQL) no worker keeps a timer
per feed: a claim loop leases the due feeds (``Store.claim_feeds``: the longest due first,
as many as this worker has room for, within ``per_host`` counted over every worker) and
polls them; the poll's result releases the lease, and a feed whose worker died is leased
again once ``settings.lease`` has run out. The close of a cycle then runs every
``settings.lease`` at most, so that deliveries a dead worker left in 'sending' are taken
over within that time too. A database that cannot be reached (PostgreSQL restarting) is
logged and tried again, never fatal.

APScheduler (3.x) owns the timetable. It cancels running jobs when it shuts down, so a job
only starts the real work as a task that this module tracks itself; on SIGINT/SIGTERM the
scheduler stops taking new work and in-flight polls and sends get ``grace`` seconds to
finish. Whatever is still running then is cancelled: a poll's writes are one transaction
(nothing half-saved, the feed is simply polled again) and a delivery left in 'sending' is
settled by the recovery step of the next start. Nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from datetime import timedelta
from functools import partial
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import App
from bot.config import Config, Feed
from bot.cycle import CycleReport, is_due
from bot.errors import ConfigError, DatabaseReplaced, StorageError
from bot.models import FeedState
from bot.pipeline import PollOutcome
from bot.reload import CHECK_EVERY, ConfigWatcher
from bot.tasks import TaskTracker
from bot.text import display_channel, plural
from bot.urls import host_of

log = logging.getLogger(__name__)

FEED_JOB = "feed:"  # job ids: feed:<name>
HOUSEKEEPING_EVERY = 60.0  # seconds: close the cycle (deliveries, housekeeping, heartbeat)
MAX_JITTER = 60.0  # seconds
CLAIM_IDLE = 1.0  # seconds between claims while nothing is due (shared database)


class Scheduler:
    def __init__(
        self,
        app: App,
        *,
        housekeeping_every: float | None = None,
        grace: float = 20.0,
        first_poll_spread: float = 10.0,
        reload_every: float = CHECK_EVERY,
    ) -> None:
        self.app = app
        self.housekeeping_every = housekeeping_every or HOUSEKEEPING_EVERY
        self.grace = grace
        self.first_poll_spread = first_poll_spread
        self.reload_every = reload_every
        self.tracker = TaskTracker()
        self._stopping = False
        self._scheduler: AsyncIOScheduler | None = None
        self._report = CycleReport()  # the polls since the last close of a cycle
        self._stop: asyncio.Event | None = None
        self.fatal: StorageError | None = None
        self._wake = asyncio.Event()  # a claimed poll ended: there is room to claim more
        self._claiming: asyncio.Task[None] | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set, then shut down gracefully; raise StorageError when
        the database became unusable (deleted or replaced under the bot)."""
        self._stop = stop
        loop = asyncio.get_running_loop()
        self._scheduler = AsyncIOScheduler(
            event_loop=loop,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        stats = await self.app.deliverer.recover()
        if stats.recovered:
            log.info("%s had been delivered before the last stop",
                     plural(stats.recovered, "alert"))  # fmt: skip
        self.tracker.spawn(self.app.deliverer.drain(everything=True))
        shared = self.app.store.shared
        every = self.housekeeping_every
        if shared:
            log.info("sharing the feeds with the other workers of the database, as worker %s",
                     self.app.store.worker_id)  # fmt: skip
            self._claiming = asyncio.create_task(self._claim_loop())
            every = min(every, self.app.lease.total_seconds())
        else:
            for feed in self.app.enabled_feeds():
                self._schedule(feed)
        self._scheduler.add_job(
            self._job(self._housekeeping),
            IntervalTrigger(seconds=every),
            id="housekeeping",
            next_run_time=self._in(1.0),
        )
        self._scheduler.start()
        channels = ", ".join(display_channel(spec) for spec in self.app.config.channels())
        log.info("running: %s scheduled; alerts go to %s; Ctrl-C (or SIGTERM) stops",
                 plural(len(self.app.enabled_feeds()), "feed"),
                 channels or "no channel (feeds.yaml has no alerts)")  # fmt: skip
        self.app.config_listeners.append(self._reschedule)
        watcher = ConfigWatcher(
            self.app.config.path,
            self.app.apply_config,
            self._not_applied,
            every=self.reload_every,
            kinds=self.app.config.kinds,
        )
        watching = asyncio.create_task(watcher.run(stop))
        try:
            await stop.wait()
        finally:
            await watching
            self.app.config_listeners.remove(self._reschedule)
            await self.shutdown()
        if self.fatal is not None:
            raise self.fatal

    async def shutdown(self) -> None:
        self._stopping = True
        if self._claiming is not None:
            self._claiming.cancel()
            await asyncio.wait({self._claiming})
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        running = len(self.tracker) + self.app.polls.running
        if running:
            log.info("stopping: waiting up to %.0fs for %s", self.grace,
                     plural(running, "task"))  # fmt: skip
        polls, others = await asyncio.gather(
            self.app.polls.close(self.grace), self.tracker.finish(self.grace)
        )
        cancelled = polls + others
        if cancelled:
            log.warning("stopping: %s cancelled; they resume on the next start",
                        plural(cancelled, "task"))  # fmt: skip
        log.info("stopped")

    def _schedule(self, feed: Feed) -> None:
        assert self._scheduler is not None
        interval = feed.interval.total_seconds()
        self._scheduler.add_job(
            self._job(self._submit, feed.name),
            self._trigger(feed),
            id=FEED_JOB + feed.name,
            next_run_time=self._in(random.uniform(0, min(interval, self.first_poll_spread))),
        )

    @staticmethod
    def _trigger(feed: Feed) -> IntervalTrigger:
        interval = feed.interval.total_seconds()
        return IntervalTrigger(seconds=interval, jitter=min(interval * 0.1, MAX_JITTER))

    async def _reschedule(self, config: Config) -> None:
        """After a configuration change: new feeds scheduled (first poll soon), removed and
        paused ones unscheduled, changed intervals applied."""
        if self._scheduler is None or self._stopping:
            return
        wanted = {feed.name: feed for feed in config.enabled_feeds()}
        if self.app.store.shared:  # the claim loop reads the feeds at each claim
            log.info("now %s to share", plural(len(wanted), "feed"))
            return
        for job in self._scheduler.get_jobs():
            if job.id.startswith(FEED_JOB) and job.id.removeprefix(FEED_JOB) not in wanted:
                job.remove()
        for name, feed in wanted.items():
            job = self._scheduler.get_job(FEED_JOB + name)
            if job is None:
                self._schedule(feed)
            elif job.trigger.interval != feed.interval:
                job.reschedule(self._trigger(feed))
        log.info("now %s scheduled", plural(len(wanted), "feed"))

    async def _not_applied(self, error: ConfigError) -> None:
        problems = "; ".join(str(problem) for problem in error.problems[:5])
        await self.app.send_reports([f"feeds.yaml was changed but not applied: {problems}"])

    def _in(self, seconds: float) -> Any:
        return self.app.clock() + timedelta(seconds=seconds)

    def _job(self, function: Any, *args: Any) -> Any:
        """An APScheduler job that runs ``function`` as a tracked task, shielded from the
        cancellation APScheduler applies at shutdown."""

        async def job() -> None:
            if self._stopping:
                return
            self.tracker.spawn(function(*args))  # returns at once: nothing to cancel

        job.__name__ = getattr(function, "__name__", "job")
        return job

    async def _submit(self, name: str) -> None:
        """A feed's timer fired: queue its poll (unless it still waits or runs)."""
        feed = self.app.config.feed(name)
        if feed is None or self._stopping:
            return
        self.app.polls.submit(name, host_of(feed.url), partial(self._poll, name))

    async def _poll(self, name: str) -> PollOutcome | None:
        feed = self.app.config.feed(name)
        state = await self.app.store.feed_state(name)
        if feed is None or state is None or not feed.enabled:
            return None
        if not is_due(feed, state, self.app.clock()):
            return None  # backing off after failures, or a Retry-After
        outcome = await self.app.cycle.poll_one(feed, state)
        self._report.add(outcome)
        if outcome.status == "failed":
            await self._retry_at_backoff(feed)
        if outcome.messages:  # also while stopping: the grace period is for finishing work
            await self.app.deliverer.drain()
        return outcome

    async def _retry_at_backoff(self, feed: Feed) -> None:
        """Fire the feed's next poll when its backoff ends, not at the next jittered tick
        (which may fall just before the end and cost a whole extra interval)."""
        state = await self.app.store.feed_state(feed.name)
        job = self._scheduler.get_job(FEED_JOB + feed.name) if self._scheduler else None
        if state is None or state.next_poll_at is None or job is None or self._stopping:
            return
        job.modify(next_run_time=state.next_poll_at)

    async def _housekeeping(self) -> None:
        """Close the cycle of the last minute's polls, as ``once`` closes its own."""
        report, self._report = self._report, CycleReport()
        try:
            await self.app.cycle.finish(report, time.monotonic())
        except StorageError as exc:
            if self.app.store.shared and not isinstance(exc, DatabaseReplaced):
                log.warning("closing the cycle failed: %s", exc)  # a server restarting
                return
            log.error("%s", exc)  # deleted or replaced: stop before anything is resent
            self.fatal = exc
            if self._stop is not None:
                self._stop.set()

    # ------------------------------------------------------- a shared database: claims

    async def _claim_loop(self) -> None:
        """Lease due feeds while this worker has room for their polls; otherwise wait for
        a poll to end, or ``CLAIM_IDLE``."""
        while not self._stopping:
            self._wake.clear()
            polls = self.app.polls
            room = polls.concurrency - polls.running - polls.waiting()
            claimed = await self._claim(room) if room > 0 else 0
            if claimed and claimed == room:
                continue  # more may be due
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), CLAIM_IDLE)

    async def _claim(self, room: int) -> int:
        """Lease up to ``room`` due feeds and queue their polls; how many were leased."""
        settings = self.app.config.settings
        names = [feed.name for feed in self.app.enabled_feeds()]
        try:
            states = await self.app.store.claim_feeds(
                names, self.app.clock(), lease=self.app.lease, limit=room,
                per_host=settings.per_host,
            )  # fmt: skip
        except StorageError as exc:
            log.warning("cannot claim feeds: %s; trying again", exc)
            await asyncio.sleep(CLAIM_IDLE)
            return 0
        for state in states:
            feed = self.app.config.feed(state.name)
            host = host_of(feed.url) if feed is not None else ""
            if self.app.polls.submit(state.name, host, partial(self._poll_claimed, state)) is None:
                await self._release(state)  # stopping
        return len(states)

    async def _poll_claimed(self, state: FeedState) -> PollOutcome | None:
        """Poll a feed this worker leased; its result releases the lease."""
        try:
            feed = self.app.config.feed(state.name)
            if feed is None or not feed.enabled:  # removed or paused since the claim
                await self._release(state)
                return None
            try:
                outcome = await self.app.cycle.poll_one(feed, state)
            except StorageError as exc:
                log.warning("feed %s: %s; polled again once its lease runs out", feed.name, exc)
                return None
            except asyncio.CancelledError:  # stopping: let another worker have it at once
                await asyncio.shield(self._release(state))
                raise
            self._report.add(outcome)
            if outcome.messages:
                try:
                    await self.app.deliverer.drain()
                except StorageError as exc:  # they wait in the outbox for the next drain
                    log.warning("delivering failed: %s", exc)
            return outcome
        finally:
            self._wake.set()

    async def _release(self, state: FeedState) -> None:
        with contextlib.suppress(StorageError):  # else the lease simply runs out
            await self.app.store.release_feeds([state.id])
