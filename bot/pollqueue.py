"""Which feed is polled next: a fair queue over hosts.

At most ``per_host`` polls run at once against one host and ``concurrency`` in all; hosts
take turns, so a host that answers slowly (or not at all) holds only its own share while
every other host is served at once. A poll holds its place from the request to the stored
result, so no more bodies are fetched than can be worked on. A feed waits in the queue at
most once: asking for it again while it waits or runs changes nothing (and is counted, so
that the log can say once per cycle that a host is slow, instead of once per feed).

Both ``once`` and ``run`` poll through it: ``once`` submits the due feeds and waits for
their outcomes; ``run`` submits each feed when its timer fires.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bot.tasks import finish_within

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class _Job(Generic[T]):
    key: str
    host: str
    work: Callable[[], Awaitable[T]]
    done: asyncio.Future[T] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


@dataclass(frozen=True, slots=True)
class Congestion:
    """A host whose feeds had to wait, as the log reports it once per cycle."""

    host: str
    waiting: int  # feeds queued for it now
    repeated: int  # polls asked for while the feed was still queued or running


class PollQueue(Generic[T]):
    def __init__(self, concurrency: int, per_host: int) -> None:
        self.concurrency = concurrency
        self.per_host = per_host
        self._waiting: dict[str, deque[_Job[T]]] = {}
        self._turns: deque[str] = deque()  # hosts with waiting jobs, in turn order
        self._running_by_host: dict[str, int] = {}
        self._running = 0
        self._keys: set[str] = set()  # queued or running
        self._repeated: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    def set_limits(self, concurrency: int, per_host: int) -> None:
        """New limits (a reloaded configuration); polls running now finish as they are."""
        self.concurrency, self.per_host = concurrency, per_host
        self._dispatch()

    def submit(
        self, key: str, host: str, work: Callable[[], Awaitable[T]]
    ) -> asyncio.Future[T] | None:
        """Queue ``work`` (one poll of the feed ``key`` on ``host``); None when that feed is
        already queued or running, or the queue is closed."""
        if self._closed:
            return None
        if key in self._keys:
            self._repeated[host] = self._repeated.get(host, 0) + 1
            return None
        job: _Job[T] = _Job(key, host, work)
        self._keys.add(key)
        if host not in self._waiting or not self._waiting[host]:
            self._waiting[host] = deque()
            self._turns.append(host)
        self._waiting[host].append(job)
        self._dispatch()
        return job.done

    def _dispatch(self) -> None:
        """Start waiting jobs while there is room, one host at a time in turn."""
        skipped = 0  # hosts looked at in this round that are at their limit
        while self._running < self.concurrency and self._turns and skipped < len(self._turns):
            host = self._turns[0]
            self._turns.rotate(-1)
            if self._running_by_host.get(host, 0) >= self.per_host:
                skipped += 1
                continue
            skipped = 0
            job = self._waiting[host].popleft()
            if not self._waiting[host]:
                del self._waiting[host]
                self._turns.remove(host)
            self._start(job)

    def _start(self, job: _Job[T]) -> None:
        self._running += 1
        self._running_by_host[job.host] = self._running_by_host.get(job.host, 0) + 1
        task = asyncio.create_task(self._run(job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, job: _Job[T]) -> None:
        try:
            result = await job.work()
        except BaseException as exc:
            if not job.done.done():
                if isinstance(exc, asyncio.CancelledError):
                    job.done.cancel()
                else:
                    job.done.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
        else:
            if not job.done.done():
                job.done.set_result(result)
        finally:
            self._running -= 1
            self._running_by_host[job.host] -= 1
            if not self._running_by_host[job.host]:
                del self._running_by_host[job.host]
            self._keys.discard(job.key)
            if not self._closed:
                self._dispatch()

    @property
    def running(self) -> int:
        return self._running

    def waiting(self) -> int:
        return sum(len(jobs) for jobs in self._waiting.values())

    def congestion(self) -> list[Congestion]:
        """Hosts whose feeds wait or were asked for again since the last call (then reset):
        what the log says once per cycle."""
        hosts = {h for h, jobs in self._waiting.items() if jobs} | set(self._repeated)
        report = [
            Congestion(host, len(self._waiting.get(host, ())), self._repeated.get(host, 0))
            for host in sorted(hosts)
        ]
        self._repeated.clear()
        return report

    async def close(self, grace: float) -> int:
        """Stop taking work: waiting jobs are dropped (cancelled), running ones get ``grace``
        seconds, then are cancelled. Return how many were cancelled while running."""
        self._closed = True
        for jobs in self._waiting.values():
            for job in jobs:
                job.done.cancel()
                self._keys.discard(job.key)
        self._waiting.clear()
        self._turns.clear()
        return await finish_within(self._tasks, grace)
