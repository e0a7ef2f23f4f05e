"""Where the pipeline's CPU-bound steps run off the event loop: one thread for them all.

Parsing, matching, reading deals and placing items in stories are pure Python (or C that
keeps the GIL), so two threads doing them never run at once; they only take the GIL from
each other. ``asyncio.to_thread`` hands them to the loop's default pool (up to six threads
on two CPUs), where a cycle's sixteen polls in flight kept several parses and matches
switching on the GIL: about a tenth of a first cycle's CPU went to that (README,
"Benchmark"). Here they queue for one thread and run one after the other, in the order they
came. Blocking I/O (files, locks) stays on ``asyncio.to_thread``: it must not wait behind
the parses.

Work given to this thread must never wait for this thread itself.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _cpu_executor() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dealbot-cpu")
        return _executor


async def run_cpu(function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """``function(*args, **kwargs)`` on the CPU thread, with the caller's context variables
    (as ``asyncio.to_thread``)."""
    loop = asyncio.get_running_loop()
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await loop.run_in_executor(_cpu_executor(), call)
