"""Hot reload: the running bot watches feeds.yaml and applies every valid change.

The file is checked every couple of seconds (a stat; the bytes only when the stat changed),
which also works on bind mounts and network filesystems where inotify does not. A valid
new configuration is handed to ``on_valid`` (the app applies it: new feeds scheduled,
removed ones unscheduled, intervals changed, the matcher recompiled). An invalid one is
handed to ``on_invalid`` and the last good configuration keeps running.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.channels.kinds import DEFAULT_KINDS, ChannelKinds
from bot.config import Config, load_config
from bot.errors import ConfigError, ConfigProblem

log = logging.getLogger(__name__)

CHECK_EVERY = 2.0


class ConfigWatcher:
    def __init__(
        self,
        path: Path,
        on_valid: Callable[[Config], Awaitable[object]],
        on_invalid: Callable[[ConfigError], Awaitable[None]],
        *,
        every: float = CHECK_EVERY,
        kinds: ChannelKinds = DEFAULT_KINDS,
    ) -> None:
        self.path = path
        self.kinds = kinds  # the channel kinds a changed file is validated with
        self.on_valid = on_valid
        self.on_invalid = on_invalid
        self.every = every
        self._stat = self._stat_now()
        self._digest = self._digest_now()

    async def run(self, stop: asyncio.Event) -> None:
        """Watch until ``stop`` is set; whatever one check raises, the next one runs."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.every)
            if stop.is_set():
                break
            try:
                await self.check()
            except Exception:
                log.exception("checking feeds.yaml failed; still watching")

    async def check(self) -> bool:
        """Reload if the file changed; return whether a new configuration was applied."""
        stat = self._stat_now()
        if stat == self._stat:
            return False
        self._stat = stat
        digest = await asyncio.to_thread(self._digest_now)
        if digest == self._digest:
            return False  # touched, or rewritten with the same bytes
        self._digest = digest
        try:
            config = await asyncio.to_thread(load_config, self.path, self.kinds)
        except ConfigError as exc:
            log.error("feeds.yaml changed but is invalid; still running the last good one:\n%s",
                      exc)  # fmt: skip
            await self.on_invalid(exc)
            return False
        except Exception as exc:  # a bug must not stop hot reload for good
            log.exception("feeds.yaml changed but could not be read; still running the last "
                          "good one")  # fmt: skip
            problem = ConfigProblem(str(self.path), None, "", f"cannot be read: {exc!r}")
            await self.on_invalid(ConfigError([problem]))
            return False
        log.info("feeds.yaml changed: applying it")
        try:
            await self.on_valid(config)
        except Exception:
            log.exception("feeds.yaml changed but applying it failed; still watching")
            return False
        return True

    def _stat_now(self) -> tuple[int, int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def _digest_now(self) -> str | None:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:
            return None
