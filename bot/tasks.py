"""Background tasks that must be let finish at a stop: tracked, given a grace period, then
cancelled (a poll's writes are one transaction and a delivery left in 'sending' is settled
by the next start's recovery, so cancelling loses nothing)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from typing import Any


async def finish_within(tasks: Iterable[asyncio.Task[Any]], grace: float) -> int:
    """Wait up to ``grace`` seconds for ``tasks``, then cancel the rest; return how many
    were cancelled."""
    running = set(tasks)
    if not running:
        return 0
    _done, pending = await asyncio.wait(running, timeout=grace)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    return len(pending)


class TaskTracker:
    """Tasks that must be allowed to finish (or be cancelled deliberately) at shutdown."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    async def finish(self, grace: float) -> int:
        """Wait up to ``grace`` seconds, then cancel the rest; return how many were cancelled."""
        return await finish_within(self._tasks, grace)
