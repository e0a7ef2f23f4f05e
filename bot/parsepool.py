"""Where feed parsing runs: a worker thread by default, or a pool of processes.

feedparser is pure Python and CPU-bound: on the event loop it would stall every other feed.
A thread keeps the loop responsive; ``settings.parse_workers: N`` moves parsing to N
processes, which also parse in parallel (see README, "Benchmark", for what each gives).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.errors import ParseError
from bot.models import ParsedFeed
from bot.parse import parse_feed


class ParsePool:
    def __init__(self, workers: int = 0) -> None:
        self.workers = workers
        self._executor: Executor | None = None

    def _processes(self) -> Executor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._executor

    async def parse(self, body: bytes, url: str, headers: Mapping[str, str]) -> ParsedFeed:
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

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
