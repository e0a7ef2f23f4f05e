"""``dealbot run``'s scheduler: feeds on their intervals, housekeeping, graceful stop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bot.app import App
from bot.scheduler import Scheduler
from bot.tasks import TaskTracker
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import apart, jsonl_records, write_config

ITEM = rss_item(
    "Xiaomi EV deliveries double", "https://news.example/su7", guid="su7", published=None
)


async def wait_for(condition: Callable[[], object]) -> None:
    """Poll outside state (a server's request log, a file) until ``condition`` holds."""
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - the state is not ours to signal
            await asyncio.sleep(0.02)


async def test_in_flight_poll_finishes_within_the_grace_period(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/slow.xml", rss(ITEM), delay=1.0)
    config = write_config(tmp_path, {"slow": url}, settings={"backfill": "all"})
    async with App.running(config) as app:
        scheduler = Scheduler(app, grace=10, first_poll_spread=0, housekeeping_every=0.2)
        stop = asyncio.Event()
        running = asyncio.create_task(scheduler.run(stop))
        await wait_for(lambda: server.hits("/slow.xml"))
        stop.set()  # the server is still answering
        await asyncio.wait_for(running, timeout=15)
        state = (await app.store.feed_states())["slow"]
    assert state.last_success_at is not None
    assert state.items_seen == 1
    assert [r["title"] for r in jsonl_records(tmp_path / "alerts.jsonl")] == [
        "Xiaomi EV deliveries double"
    ]


async def test_work_past_the_grace_period_is_cancelled_and_resumes(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/slow.xml", rss(ITEM), delay=3.0)
    config = write_config(tmp_path, {"slow": url}, settings={"backfill": "all"})
    async with App.running(config) as app:
        scheduler = Scheduler(app, grace=0.1, first_poll_spread=0)
        stop = asyncio.Event()
        running = asyncio.create_task(scheduler.run(stop))
        await wait_for(lambda: server.hits("/slow.xml"))
        stop.set()
        await asyncio.wait_for(running, timeout=5)
        state = (await app.store.feed_states())["slow"]
        assert state.last_poll_at is None  # nothing half-saved
        assert state.items_seen == 0
    server.route("/slow.xml", rss(ITEM))
    async with App.running(config) as app:  # the next start picks it up
        report = await app.once()
    assert (report.ok, report.alerts) == (1, 1)
    assert len(jsonl_records(tmp_path / "alerts.jsonl")) == 1


async def test_housekeeping_writes_heartbeats_and_retries_deliveries(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(ITEM))
    config = write_config(tmp_path, {"f": url}, settings={"backfill": "all"})
    blocked = tmp_path / "alerts.jsonl"
    blocked.mkdir()
    async with App.running(config) as app:
        app.deliverer.backoff = type(app.deliverer.backoff)(base=0.05, cap=0.05)
        scheduler = Scheduler(app, first_poll_spread=0, housekeeping_every=0.1)
        stop = asyncio.Event()
        running = asyncio.create_task(scheduler.run(stop))
        await wait_for(lambda: server.hits("/feed.xml"))
        beats = [await app.store.get_meta("last_cycle")]
        async with asyncio.timeout(10):
            while len(set(beats) - {None}) < 2:  # two cycles closed while the disk was full
                await asyncio.sleep(0.05)
                beats.append(await app.store.get_meta("last_cycle"))
        blocked.rmdir()  # the disk is writable again: housekeeping delivers
        await wait_for(lambda: bool(jsonl_records(tmp_path / "alerts.jsonl")))
        stop.set()
        await asyncio.wait_for(running, timeout=5)
    assert len(jsonl_records(tmp_path / "alerts.jsonl")) == 1


async def test_task_tracker_cancels_only_what_overstays() -> None:
    tracker = TaskTracker()
    quick = tracker.spawn(asyncio.sleep(0.01))
    slow = tracker.spawn(asyncio.sleep(30))
    assert await tracker.finish(0.5) == 1
    assert quick.done()
    assert not quick.cancelled()
    assert slow.cancelled()
    assert len(tracker) == 0


async def test_hot_reload_applies_valid_edits_and_keeps_the_last_good_one(
    tmp_path: Path, server: FeedServer
) -> None:
    a = server.route("/a.xml", rss(ITEM))
    other = rss_item(f"Samsung Exynos EV chip: {apart(3)}", "https://news.example/b1",
                     guid="b1", published=None)  # fmt: skip
    b = server.route("/b.xml", rss(other))
    config = write_config(tmp_path, {"a": a}, settings={"backfill": "all"})
    reports: list[str] = []
    async with App.running(config) as app:

        async def capture(texts: list[str]) -> None:
            reports.extend(texts)

        app.send_reports = capture  # type: ignore[method-assign,assignment]
        scheduler = Scheduler(app, first_poll_spread=0, reload_every=0.05)
        stop = asyncio.Event()
        running = asyncio.create_task(scheduler.run(stop))
        await wait_for(lambda: server.hits("/a.xml"))
        text = config.path.read_text()
        config.path.write_text(
            text.replace("feeds:\n", f"feeds:\n  - name: b\n    url: {b}\n"), encoding="utf-8"
        )
        await wait_for(lambda: server.hits("/b.xml"))  # the new feed is polled
        assert [feed.name for feed in app.config.feeds] == ["b", "a"]
        config.path.write_text(text.replace("interval", "intervall") + "feeds: [", "utf-8")
        await wait_for(lambda: reports)
        assert reports[0].startswith("feeds.yaml was changed but not applied:")
        assert [feed.name for feed in app.config.feeds] == ["b", "a"]  # still running
        assert {job.id for job in scheduler._scheduler.get_jobs()} >= {"feed:a", "feed:b"}  # type: ignore[union-attr]
        config.path.write_text(text, encoding="utf-8")  # b removed again
        await wait_for(lambda: scheduler._scheduler.get_job("feed:b") is None)  # type: ignore[union-attr]
        assert [f.name for f in app.config.feeds] == ["a"]
        stop.set()
        await asyncio.wait_for(running, timeout=5)
    assert len(jsonl_records(tmp_path / "alerts.jsonl")) == 2
