"""What commands may touch: a reader and an editor, not the whole running bot.

``Reader`` is the read side: the configuration and matcher in force, what the store holds
(feeds' state and history, items, alerts, deliveries, mutes) and the last cycle's
heartbeat. ``Editor`` is the write side: an edit of ``feeds.yaml``, validated, saved and
applied at once; mutes; and the one network call a command makes, fetching a URL that is
about to be added as a feed (through the same fetcher and parser as a poll, with the same
limits). The app builds both; a handler gets them through its ``Context``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.commands.reply import CommandError
from bot.config import Config
from bot.config.edit import ConfigEditor, Edit
from bot.cycle import Heartbeat, read_heartbeat
from bot.ingest.fetch import Fetcher, FetchResult
from bot.ingest.parsepool import ParsePool
from bot.liveconfig import LiveConfig
from bot.models import ParsedFeed
from bot.store import Store

EDIT_LOCK = "feeds.yaml"  # Store.exclusive: one edit of the file at a time, any worker
EDIT_WAIT = 30.0  # seconds an edit waits for another worker's


@dataclass(frozen=True)
class Reader:
    live: LiveConfig
    store: Store  # reading commands call only its queries
    clock: Callable[[], datetime]

    async def last_cycle(self) -> Heartbeat | None:
        return await read_heartbeat(self.store)


@dataclass(frozen=True)
class Editor:
    file: ConfigEditor
    apply: Callable[[Config], Awaitable[object]]  # run on a saved configuration at once
    store: Store
    fetcher: Fetcher
    parser: ParsePool

    async def save(self, edit: Edit) -> Config:
        """Apply ``edit`` to feeds.yaml (ConfigError, nothing written, when the result is
        invalid) and run on the result. Edits are serialised across every worker of the
        database (``Store.exclusive``): each reads the file as the last one left it."""
        async with self.store.exclusive(EDIT_LOCK, wait=EDIT_WAIT) as lock:
            if not lock.held:
                raise CommandError(
                    "feeds.yaml is being edited by another worker; try again (nothing was changed)"
                )
            result = await self.file.apply(edit)
        await self.apply(result.config)
        return result.config

    async def mute(self, alert: str, until: datetime) -> None:
        await self.store.mute(alert, until)

    async def unmute(self, alert: str) -> bool:
        return await self.store.unmute(alert)

    async def fetch(self, url: str) -> FetchResult:
        """GET ``url`` as a poll would (FetchError for anything but a 200 or a 304)."""
        return await self.fetcher.fetch(url)

    async def parse(self, fetched: FetchResult) -> ParsedFeed:
        """Read a response as a feed (ParseError when it is not one)."""
        return await self.parser.parse(fetched.body, fetched.url, fetched.headers)


@dataclass(frozen=True)
class Services:
    """Both sides, as the app hands them to ``Commands``."""

    reader: Reader
    editor: Editor
