"""Where feed parsing runs: a worker thread, or a pool of processes.

feedparser is pure Python and CPU-bound: on the event loop it would stall every other feed.
A thread keeps the loop responsive; processes also parse in parallel, on every core, at
the price of their memory (about 60 MB each, with lxml, selectolax and fastText loaded), a
second or so to start and the pickling of every result. ``parse_workers: auto`` (the
default) parses in a thread at every size: since the parsers got cheap, processes save
wall time only, and cost the process tree more than its memory budget (README,
"Benchmark"). A number starts that many processes (0: a thread).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.config import AUTO
from bot.errors import ParseError
from bot.models import ParsedFeed

if TYPE_CHECKING:  # asyncio and the process pool come with the first parse, not at start-up
    from concurrent.futures import Executor


def parse_feed(body: bytes, url: str, headers: Mapping[str, str]) -> ParsedFeed:
    """``bot.ingest.parse.parse_feed``, imported by the first parse in the process that
    parses: a start with nothing to parse pays nothing for feedparser and its helpers."""
    from bot.ingest.parse import parse_feed as parse

    return parse(body, url, headers)


def resolve_workers(setting: int) -> int:
    """The number of parse processes for ``settings.parse_workers`` (0: a thread)."""
    return 0 if setting == AUTO else setting


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

        from bot.cputhread import run_cpu

        if not self.workers:
            return await run_cpu(parse_feed, body, url, dict(headers))
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
