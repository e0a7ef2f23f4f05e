"""The CPU thread: one thread, in order, the caller's context, errors back to the caller."""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import threading
import time

import pytest

from bot.cputhread import run_cpu

_REQUEST: contextvars.ContextVar[str] = contextvars.ContextVar("request", default="none")


def _record(log: list[tuple[str, str, float, float]], name: str) -> str:
    started = time.monotonic()
    time.sleep(0.02)  # long enough that two threads would overlap
    log.append((name, threading.current_thread().name, started, time.monotonic()))
    return name


async def test_work_runs_on_one_thread_one_after_the_other_in_order() -> None:
    log: list[tuple[str, str, float, float]] = []
    names = [f"w{i}" for i in range(6)]
    results = await asyncio.gather(*(run_cpu(_record, log, name) for name in names))
    assert results == names
    assert [entry[0] for entry in log] == names  # in the order given
    assert {entry[1] for entry in log} == {log[0][1]}  # one thread
    assert log[0][1].startswith("dealbot-cpu")
    assert log[0][1] != threading.current_thread().name  # not the event loop's
    for before, after in itertools.pairwise(log):
        assert after[2] >= before[3]  # never two at once


async def test_the_callers_context_variables_are_seen() -> None:
    _REQUEST.set("poll 7")
    assert await run_cpu(_REQUEST.get) == "poll 7"


async def test_an_error_reaches_the_caller_and_the_thread_goes_on() -> None:
    def fail() -> None:
        raise ValueError("bad document")

    with pytest.raises(ValueError, match="bad document"):
        await run_cpu(fail)
    assert await run_cpu(sum, [1, 2, 3]) == 6


async def test_a_parse_runs_on_the_cpu_thread() -> None:
    import bot.ingest.parsepool as parsepool
    from bot.ingest.parsepool import ParsePool

    seen: list[str] = []
    rss = (
        b"<rss version='2.0'><channel><title>t</title><item><title>a</title></item></channel></rss>"
    )

    original = parsepool.parse_feed

    def spying(body: bytes, url: str, headers: dict[str, str]) -> object:
        seen.append(threading.current_thread().name)
        return original(body, url, headers)

    parsepool.parse_feed = spying  # type: ignore[assignment]
    try:
        parsed = await ParsePool(0).parse(rss, "http://127.0.0.1/f.xml", {})
    finally:
        parsepool.parse_feed = original
    assert [item.title for item in parsed.items] == ["a"]
    assert len(seen) == 1
    assert seen[0].startswith("dealbot-cpu")
