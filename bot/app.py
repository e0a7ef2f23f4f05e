"""The running bot, wired once: the composition root.

``App.running(config)`` opens the store, the fetcher, the parse pool and the channels,
builds the pipeline, the outbox, the cycle and the commands' services on one
``LiveConfig``, and closes everything again. ``apply_config`` is a reload: the new
configuration goes into the ``LiveConfig`` (which every part reads), and what was built
from a changed setting is rebuilt (fetch policy, poll limits, parse pool, channels); a
setting read only at start is named in the log as needing a restart.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from bot.channels import Channel, build_channel, build_channels
from bot.commands.services import Editor, Reader, Services
from bot.config import Config, Feed
from bot.config.edit import ConfigEditor
from bot.cycle import Cycle, CycleReport, Heartbeat, read_heartbeat
from bot.deliver import Deliverer
from bot.ingest.fetch import Fetcher, FetchPolicy
from bot.ingest.parsepool import ParsePool, resolve_workers
from bot.liveconfig import Change, LiveConfig
from bot.match import Matcher
from bot.models import utcnow
from bot.pipeline import Pipeline, PollOutcome
from bot.pollqueue import PollQueue
from bot.store import FeedIdentity, Store, open_store
from bot.text import plural

log = logging.getLogger(__name__)


def fetch_policy(config: Config) -> FetchPolicy:
    settings = config.settings
    return FetchPolicy(
        timeout=settings.timeout.total_seconds(),
        max_bytes=settings.max_response_size,
        max_redirects=settings.max_redirects,
        allow_private=settings.allow_private_networks,
    )


def parse_workers(config: Config) -> int:
    return resolve_workers(config.settings.parse_workers)


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
        self.live = LiveConfig(config)
        self.store = store
        self.fetcher = fetcher
        self.parser = parser
        self.channels = channels
        self.clock = clock
        settings = config.settings
        self.pipeline = Pipeline(self.live, store, fetcher, parser, clock=clock)
        self.polls: PollQueue[PollOutcome | None] = PollQueue(
            settings.concurrency, settings.per_host
        )
        self.deliverer = Deliverer(
            store,
            channels,
            clock=clock,
            max_per_minute=lambda: self.live.config.settings.max_per_minute,
            report=self._report,
        )
        self.cycle = Cycle(
            self.live, store, self.pipeline, self.polls, self.deliverer, self.send_reports, clock
        )
        self.services = Services(
            Reader(self.live, store, clock),
            Editor(
                ConfigEditor(config.path, config.kinds), self.apply_config, store, fetcher, parser
            ),
        )
        self.config_listeners: list[Callable[[Config], Awaitable[None]]] = []

    @property
    def config(self) -> Config:
        return self.live.config

    @property
    def matcher(self) -> Matcher:
        return self.live.matcher

    @property
    def lease(self) -> timedelta:
        """How long a claim on a feed lasts (``settings.lease``), read at each claim."""
        return self.live.config.settings.lease

    async def apply_config(self, config: Config) -> Change:
        """Run on ``config`` from now on, without a restart: what was built from a changed
        setting rebuilt, new channels opened, feeds matched to their stored state, and every
        listener (the scheduler) told. Polls already running finish on the old one."""
        change = await self.live.replace(config)
        settings = config.settings
        if change.touches("timeout", "max_response_size", "max_redirects",
                          "allow_private_networks"):  # fmt: skip
            self.fetcher.apply(fetch_policy(config))
        if change.touches("concurrency", "per_host"):
            self.polls.set_limits(settings.concurrency, settings.per_host)
        self.parser.resize(parse_workers(config))
        await self._open_channels(config)
        for name in change.needs_restart:
            log.warning("settings.%s changed: it applies at the next start (restart the bot)",
                        name)  # fmt: skip
        await self.sync_feeds()
        for listener in self.config_listeners:
            await listener(config)
        return change

    async def _open_channels(self, config: Config) -> None:
        wanted = set(config.channels())
        for spec in wanted - set(self.channels):
            self.channels[spec] = build_channel(spec, config.settings, config.folder, config.kinds)
        for spec in set(self.channels) - wanted:  # pending ones to it fail as "unknown"
            await self.channels.pop(spec).close()

    @classmethod
    @contextlib.asynccontextmanager
    async def running(
        cls,
        config: Config,
        *,
        clock: Callable[[], datetime] = utcnow,
        channels: dict[str, Channel] | None = None,
    ) -> AsyncIterator[App]:
        store = await open_store(config.database)
        workers = parse_workers(config)
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

    async def sync_feeds(self) -> None:
        identities = [FeedIdentity(feed.name, feed.url) for feed in self.config.feeds]
        await self.store.sync_feeds(identities, self.clock())

    def enabled_feeds(self) -> list[Feed]:
        return self.config.enabled_feeds()

    async def once(self, *, due_only: bool = False) -> CycleReport:
        """One full cycle (``Cycle.run``)."""
        return await self.cycle.run(due_only=due_only)

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
