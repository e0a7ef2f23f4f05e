"""The alert pipeline end to end: a real HTTP server on 127.0.0.1, a real database (a SQLite
file, and again a PostgreSQL database on a real server: ``backend``), the real jsonl
channel. Covers dedupe across runs and feeds, backfill, conditional GET, and feeds that
fail in every way while the others carry on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import App
from bot.commands import Caller, Commands
from tests import helpers
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import OLD, RECENT, Clock, count_parses, jsonl_records

DAYS = "Sun, 22 Nov 2026 09:00:00 +0000"  # 3 days before NOW: past the backfill, within max_age

MATCHING = rss_item(
    "Xiaomi's EV -Segment wächst",
    "https://news.example/xiaomi-ev?utm_source=rss",
    description="<p>Xiaomi baut ein neues EV-Produktionswerk. Das Werk liegt in Peking.</p>",
    guid="x1",
    published=RECENT,
)
NOT_MATCHING = rss_item(
    "Every level of revenue", "https://news.example/other", guid="x2", published=RECENT
)

write_config = helpers.write_config  # on the database of the test's ``backend``


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test on SQLite (write_config's file), then on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").fresh_database()

        def on_postgres(*args: Any, settings: dict[str, str] | None = None, **more: Any) -> Any:
            return helpers.write_config(*args, settings={"database": url} | (settings or {}),
                                        **more)  # fmt: skip

        monkeypatch.setitem(globals(), "write_config", on_postgres)
    return str(request.param)


async def test_matching_item_alerts_once_across_runs(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(MATCHING, NOT_MATCHING))
    config = write_config(tmp_path, {"techwire": url})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        first = await app.once()
    assert (first.ok, first.failed, first.new_items, first.alerts) == (1, 0, 2, 1)
    assert first.deliveries.sent == 1
    clock.advance(hours=1)
    async with App.running(config, clock=clock) as app:  # a restart: state is in SQLite
        second = await app.once()
    assert (second.new_items, second.alerts) == (0, 0)

    (record,) = jsonl_records(tmp_path / "alerts.jsonl")
    assert record["alert"] == "samsung-xiaomi-ev"
    assert record["feed"] == "techwire"
    assert record["title"] == "Xiaomi's EV -Segment wächst"
    assert record["url"] == "https://news.example/xiaomi-ev?utm_source=rss"
    assert record["canonical_url"] == "https://news.example/xiaomi-ev"
    assert record["published"] == "2026-11-25T09:00:00Z"
    assert (
        record["summary"] == "Xiaomi baut ein neues EV-Produktionswerk. Das Werk liegt in Peking."
    )
    assert record["topics"] == ["ev", "xiaomi"]
    assert record["terms"] == ["EV", "Xiaomi's", "Xiaomi"]
    assert record["language"] == "de"  # German text in a feed that says "en"
    assert len(record["id"]) <= 25


async def test_same_story_in_two_feeds_alerts_once(tmp_path: Path, server: FeedServer) -> None:
    a = server.route("/a.xml", rss(MATCHING))
    b = server.route(
        "/b.xml",
        rss(
            rss_item(
                "Xiaomi EV news (syndicated)",
                "https://NEWS.example/xiaomi-ev?fbclid=zzz#comments",
                guid="other-guid",
                published=RECENT,
            )
        ),
    )
    config = write_config(tmp_path, {"a": a, "b": b})
    async with App.running(config, clock=Clock()) as app:
        report = await app.once()
    assert report.new_items == 2
    assert report.alerts == 1
    assert len(jsonl_records(tmp_path / "alerts.jsonl")) == 1


async def test_several_rules_to_one_channel_make_one_message(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(MATCHING))
    config = write_config(
        tmp_path,
        {"techwire": url},
        alerts="""alerts:
  - name: xiaomi-ev
    match: xiaomi and ev
    channels: ["jsonl:alerts.jsonl", "jsonl:ev.jsonl"]
  - name: any-ev
    match: ev
    channels: ["jsonl:alerts.jsonl"]
""",
    )
    async with App.running(config, clock=Clock()) as app:
        report = await app.once()
    assert report.alerts == 2  # one message per channel
    (record,) = jsonl_records(tmp_path / "alerts.jsonl")
    assert record["alerts"] == ["xiaomi-ev", "any-ev"]
    assert "alert" not in record
    (only,) = jsonl_records(tmp_path / "ev.jsonl")
    assert only["alert"] == "xiaomi-ev"
    async with App.running(config, clock=Clock()) as app:
        news = await app.store.recent_alerts(Clock()() - timedelta(days=1))
    assert [alert.rules for alert in news] == [("any-ev", "xiaomi-ev")]


async def test_backfill_window_on_first_poll(tmp_path: Path, server: FeedServer) -> None:
    items = [
        rss_item("Samsung Exynos recent", "https://n.example/1", guid="1", published=RECENT),
        rss_item("Samsung Exynos old", "https://n.example/2", guid="2", published=OLD),
        rss_item("Samsung Exynos undated", "https://n.example/3", guid="3", published=None),
    ]
    url = server.route("/feed.xml", rss(*items))
    config = write_config(tmp_path, {"f": url})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        report = await app.once()
    assert report.new_items == 3  # all recorded as seen…
    assert [r["title"] for r in jsonl_records(tmp_path / "alerts.jsonl")] == [
        "Samsung Exynos recent"  # …but only the one within 24h alerts
    ]
    # later polls: a new item alerts unless it is older than max_age (7 days by default)
    items.append(rss_item("Samsung Exynos stale", "https://n.example/4", guid="4", published=OLD))
    items.append(rss_item("Samsung Exynos late", "https://n.example/5", guid="5", published=DAYS))
    server.route("/feed.xml", rss(*items))
    clock.advance(minutes=20)
    async with App.running(config, clock=clock) as app:
        report = await app.once()
    assert report.new_items == 2
    assert report.alerts == 1
    assert jsonl_records(tmp_path / "alerts.jsonl")[-1]["title"] == "Samsung Exynos late"


async def test_max_age_off_alerts_on_every_new_item(tmp_path: Path, server: FeedServer) -> None:
    items = [rss_item("Samsung Exynos recent", "https://n.example/1", guid="1", published=RECENT)]
    url = server.route("/feed.xml", rss(*items))
    config = write_config(tmp_path, {"f": url}, settings={"max_age": "off"})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once()
    items.append(rss_item("Samsung Exynos stale", "https://n.example/4", guid="4", published=OLD))
    server.route("/feed.xml", rss(*items))
    clock.advance(minutes=20)
    async with App.running(config, clock=clock) as app:
        report = await app.once()
    assert report.alerts == 1
    assert jsonl_records(tmp_path / "alerts.jsonl")[-1]["title"] == "Samsung Exynos stale"


async def test_backfill_all_and_none(tmp_path: Path, server: FeedServer) -> None:
    items = rss(
        rss_item("Samsung Exynos old", "https://n.example/2", guid="2", published=OLD),
        rss_item("Samsung Exynos undated", "https://n.example/3", guid="3", published=None),
    )
    url = server.route("/feed.xml", items)
    for backfill, expected in (("all", 2), ("none", 0)):
        folder = tmp_path / backfill
        folder.mkdir()
        config = write_config(folder, {"f": url}, settings={"backfill": backfill})
        async with App.running(config, clock=Clock()) as app:
            report = await app.once()
        assert report.alerts == expected, backfill


async def test_conditional_get_parses_nothing_on_304(
    tmp_path: Path, server: FeedServer, monkeypatch: object
) -> None:
    async def conditional(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(
            text=rss(MATCHING),
            headers={"ETag": '"v1"', "Last-Modified": "Wed, 25 Nov 2026 08:00:00 GMT"},
        )

    url = server.route("/feed.xml", handler=conditional)
    config = write_config(tmp_path, {"f": url})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once()
        parsed = count_parses(app)
        clock.advance(minutes=20)
        report = await app.once()
    assert report.not_modified == 1
    assert parsed == []
    second = server.requests[1].headers
    assert second["If-None-Match"] == '"v1"'
    assert second["If-Modified-Since"] == "Wed, 25 Nov 2026 08:00:00 GMT"


async def test_failing_feeds_do_not_stop_the_others(tmp_path: Path, server: FeedServer) -> None:
    good = server.route("/good.xml", rss(MATCHING))
    feeds = {
        "good": good,
        "broken": server.route("/500", "oops", status=500),
        "html": server.route("/page", "<!doctype html><html><body>shop</body></html>"),
        "hangs": server.route("/slow", rss(MATCHING), delay=30),
        "huge": server.route("/huge", b"<rss>" + b"x" * 200_000),
        "missing": server.route("/gone", "no", status=404),
    }
    config = write_config(tmp_path, feeds, settings={"timeout": "1s", "max_response_size": "100KB"})
    async with App.running(config, clock=Clock()) as app:
        report = await app.once()
        states = await app.store.feed_states()
    assert (report.ok, report.failed, report.alerts) == (1, 5, 1)
    assert states["good"].last_error is None
    assert states["broken"].last_error == "HTTP 500 Internal Server Error"
    assert states["html"].last_error == "not a feed: the URL returned an HTML page"
    assert states["hangs"].last_error == "timed out after 1s"
    assert states["huge"].last_error is not None
    assert "too large" in states["huge"].last_error
    assert states["missing"].last_error == "HTTP 404 Not Found"
    for name in ("broken", "html", "hangs", "huge", "missing"):
        assert states[name].failures == 1
        assert states[name].next_poll_at is not None


async def test_refused_private_address_is_an_error_on_that_feed(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(MATCHING))
    config = write_config(tmp_path, {"inside": url}, settings={"allow_private_networks": "false"})
    async with App.running(config, clock=Clock()) as app:
        report = await app.once()
        state = (await app.store.feed_states())["inside"]
    assert report.failed == 1
    assert state.last_error == "refused address 127.0.0.1 (loopback)"
    assert server.requests == []


async def test_backoff_and_retry_after_with_once_due(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/busy", status=503, headers={"Retry-After": "7200"})
    config = write_config(tmp_path, {"busy": url})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once()
        clock.advance(minutes=30)  # past the 15m interval, inside Retry-After
        report = await app.once(due_only=True)
        assert report.polled == 0
        clock.advance(minutes=91)
        report = await app.once(due_only=True)
        assert report.polled == 1
        state = (await app.store.feed_states())["busy"]
    assert state.failures == 2
    assert len(server.requests) == 2


async def test_once_due_polls_healthy_feeds_a_little_early(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(NOT_MATCHING))
    config = write_config(tmp_path, {"f": url})  # interval 15m: 60s of slack
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once(due_only=True)
        clock.advance(minutes=13)
        assert (await app.once(due_only=True)).polled == 0
        clock.advance(minutes=1, seconds=30)  # cron fired 30s before "last poll + 15m"
        assert (await app.once(due_only=True)).polled == 1
    assert len(server.requests) == 2


async def test_unhealthy_feed_is_reported_once(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/broken", status=500)
    config = write_config(tmp_path, {"broken": url}, settings={"unhealthy_after": "1h"})
    clock = Clock()
    reports: list[str] = []
    async with App.running(config, clock=clock) as app:

        async def capture(texts: list[str]) -> None:
            reports.extend(texts)

        app.cycle.report = capture  # type: ignore[assignment]
        for _ in range(4):
            await app.once()
            clock.advance(minutes=40)
        assert len(reports) == 1
        assert reports[0].startswith("feed broken is unhealthy: failing since 2026-11-25 12:00")
        server.route("/broken", rss(NOT_MATCHING))
        await app.once()
    assert reports[-1] == "feed broken has recovered"


async def test_permanent_redirect_updates_the_stored_url(
    tmp_path: Path, server: FeedServer
) -> None:
    old = server.route("/old.xml", status=301, headers={"Location": "/new.xml"})
    new = server.route("/new.xml", rss(NOT_MATCHING))
    config = write_config(tmp_path, {"moved": old})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once()
        state = (await app.store.feed_states())["moved"]
        assert state.url == new
        assert state.config_url == old
        clock.advance(minutes=20)
        await app.once()
    assert [r.path for r in server.requests] == ["/old.xml", "/new.xml", "/new.xml"]


async def test_renamed_feed_keeps_its_dedupe_keys(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(MATCHING))
    async with App.running(write_config(tmp_path, {"before": url}), clock=Clock()) as app:
        assert (await app.once()).alerts == 1
    async with App.running(write_config(tmp_path, {"after": url}), clock=Clock()) as app:
        report = await app.once()
        states = await app.store.feed_states()
    assert (report.new_items, report.alerts) == (0, 0)
    assert list(states) == ["after"]
    assert states["after"].items_seen == 1


async def test_channel_failure_keeps_the_alert_pending(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(MATCHING))
    config = write_config(tmp_path, {"f": url})
    blocked = tmp_path / "alerts.jsonl"
    blocked.mkdir()  # the channel's path is briefly unwritable
    async with App.running(config, clock=Clock()) as app:
        report = await app.once()
        assert (report.alerts, report.deliveries.sent, report.pending) == (1, 0, 1)
        blocked.rmdir()
        report = await app.once()  # retried at the start of every once, whatever the backoff
        assert (report.deliveries.sent, report.pending) == (1, 0)
    assert len(jsonl_records(tmp_path / "alerts.jsonl")) == 1


async def test_removed_channel_marks_its_deliveries_failed(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(MATCHING))
    (tmp_path / "alerts.jsonl").mkdir()  # keep the first delivery pending
    async with App.running(write_config(tmp_path, {"f": url}), clock=Clock()) as app:
        assert (await app.once()).pending == 1
    elsewhere = """alerts:
  - name: samsung-xiaomi-ev
    match: (samsung or xiaomi) and (ev or exynos)
    channels: ["jsonl:other.jsonl"]
"""
    async with App.running(write_config(tmp_path, {"f": url}, alerts=elsewhere)) as app:
        report = await app.once()
        counts = await app.store.delivery_counts()
    assert report.deliveries.failed == 1
    assert counts == {"jsonl:alerts.jsonl": {"failed": 1}}


async def test_an_unchanged_body_is_not_parsed_again(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(MATCHING))  # no ETag, no Last-Modified
    config = write_config(tmp_path, {"f": url})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once()
        calls = count_parses(app)
        clock.advance(minutes=20)
        report = await app.once()
        assert (report.not_modified, calls) == (1, [])
        server.route("/feed.xml", rss(MATCHING, NOT_MATCHING.replace("x2", "x3")))
        clock.advance(minutes=20)
        report = await app.once()  # a changed body is parsed
        assert (report.ok, report.new_items, len(calls)) == (1, 1, 1)


async def test_parsing_in_worker_processes(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(MATCHING, NOT_MATCHING))
    config = write_config(tmp_path, {"f": url}, settings={"parse_workers": "1"})
    async with App.running(config, clock=Clock()) as app:
        assert app.parser.workers == 1
        report = await app.once()
    assert (report.ok, report.new_items, report.alerts) == (1, 2, 1)
    assert len(jsonl_records(tmp_path / "alerts.jsonl")) == 1


def test_auto_parses_in_a_thread_at_every_size_and_a_number_forces_processes() -> None:
    """Worker processes cost the tree ~60 MB each and saved no CPU (README, "Benchmark");
    with the sentence model they do not fit issue 13's memory budget either."""
    from bot.config import AUTO
    from bot.ingest import parsepool

    assert parsepool.resolve_workers(AUTO) == 0
    assert parsepool.resolve_workers(0) == 0
    assert parsepool.resolve_workers(2) == 2


async def test_retention_prunes_text_but_never_re_alerts(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(MATCHING, NOT_MATCHING))
    config = write_config(tmp_path, {"f": url}, settings={"retention": "2d"})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once()
        assert len(await app.store.search('"peking"', clock() - timedelta(days=1), clock())) == 1
        clock.advance(days=3)
        await app.once()  # the same items, still listed by the feed (a 200 each time)
        assert await app.store.search('"peking"', clock() - timedelta(days=9), clock()) == []
        server.route("/feed.xml", rss(MATCHING, NOT_MATCHING) + " ")  # a changed body
        clock.advance(hours=1)
        report = await app.once()
    assert (report.new_items, report.alerts) == (0, 0)
    assert len(jsonl_records(tmp_path / "alerts.jsonl")) == 1


async def test_feeds_status_says_what_cleaning_removed_and_how_the_document_was_read(
    tmp_path: Path, server: FeedServer
) -> None:
    """Boilerplate is out of matching (the aside's Samsung does not alert) and its record is
    in the feed's history, with the charset that had to be guessed."""
    body = (
        "<p>Xiaomi opens a new EV plant in Beijing. 小米在北京開設新的電動汽車工廠。</p>"
        "<aside>Related: Samsung Galaxy S26 deal of the week</aside>"
        "<p>The post Xiaomi EV plant appeared first on TechWire.</p>"
    )
    document = rss(rss_item("Xiaomi EV plant", "https://news.example/plant", guid="p",
                            description=body), language=None)  # fmt: skip
    big5 = document.replace(' encoding="utf-8"', "").encode("big5")
    url = server.route("/feed.xml", big5, headers={"Content-Type": "application/rss+xml"})
    config = write_config(tmp_path, {"wire": url}, settings={"backfill": "all"}, alerts="""alerts:
  - name: samsung
    match: samsung
    channels: ["jsonl:alerts.jsonl"]
""")  # fmt: skip
    async with App.running(config) as app:
        await app.once()
        reply = await Commands(app.services).run_text(Caller.cli(), "feeds status wire")
    assert jsonl_records(tmp_path / "alerts.jsonl") == []  # the aside's Samsung is not news
    (line,) = reply.lines
    assert "1 new item; no charset declared, read as big5" in line
    assert "removed aside: Related: Samsung Galaxy S26 deal of the week" in line
    assert "first appeared" in line or "The post Xiaomi EV plant" in line
