"""Regression tests for defects found in review: each failed before its fix."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.channels import JsonlChannel
from bot.ingest.parse import parse_feed
from bot.match import Matcher
from bot.models import AlertMessage, DeliveryResult, DeliveryStatus, Item
from bot.store import FeedIdentity
from bot.store.sqlite import SQLiteStore
from bot.summary import summarize
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import Clock, jsonl_records, synced, write_config

ITEM = rss_item(
    "Samsung Exynos in a new EV", "https://news.example/exynos-ev", guid="e1", published=None
)


async def test_two_processes_on_one_database_send_each_alert_once(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(ITEM))
    config = write_config(tmp_path, {"f": url}, settings={"backfill": "all"})
    async with App.running(config) as first, App.running(config) as second:
        await first.cycle.poll(first.enabled_feeds())  # one pending alert in the outbox
        for app in (first, second):  # a slow channel widens the window between claim and send
            channel = app.channels["jsonl:alerts.jsonl"]
            real = channel.deliver

            async def slow(message: AlertMessage, real: object = real) -> DeliveryResult:
                await asyncio.sleep(0.2)
                return await real(message)  # type: ignore[operator]

            channel.deliver = slow  # type: ignore[method-assign]
        a, b = await asyncio.gather(
            first.deliverer.drain(everything=True),
            second.deliverer.recover_then_drain(),
        )
    assert a.sent + b.sent == 1
    assert len(jsonl_records(tmp_path / "alerts.jsonl")) == 1


async def test_recovery_leaves_a_live_process_sending_alone(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    alive, other = await SQLiteStore.open(path), await SQLiteStore.open(path)
    try:
        await alive.sync_feeds([FeedIdentity("f", "https://f.example/")], datetime.now(UTC))
        now = datetime.now(UTC)
        await alive._db.execute(  # a row that `alive` is sending right now
            "INSERT INTO deliveries (id, story, channel, message, status, owner, "
            "next_attempt_at, created_at, updated_at) "
            "VALUES ('d1', 's', 'console', '{}', 'sending', ?, 0, 0, 0)",
            (alive.owners.me,),
        )
        assert await other.take_over_stale_deliveries() == []
        assert not await other.mark_sent("d1", None, now)  # not its delivery to settle
    finally:
        await alive.close()
        await other.close()


async def test_a_new_feed_from_the_same_host_does_not_inherit_an_old_identity(
    tmp_path: Path,
) -> None:
    store = await SQLiteStore.open(tmp_path / "db.sqlite")
    now = datetime.now(UTC)
    try:
        v1 = await synced(store, [FeedIdentity("heise-de", "https://heise.de/a.xml")], now)
        await store._db.execute("UPDATE feeds SET first_success_at = 1")
        v2 = await synced(
            store,
            [  # a feed added above it takes the derived name "heise-de"
                FeedIdentity("heise-de", "https://heise.de/new.xml"),
                FeedIdentity("heise-de-2", "https://heise.de/a.xml"),
            ],
            now,
        )
    finally:
        await store.close()
    assert v2["heise-de-2"].id == v1["heise-de"].id
    assert v2["heise-de"].id != v1["heise-de"].id
    assert v2["heise-de"].is_first_poll  # backfill applies to the new feed


async def test_an_edited_url_starts_over_with_backfill(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "db.sqlite")
    now = datetime.now(UTC)
    try:
        await store.sync_feeds([FeedIdentity("f", "https://a.example/feed")], now)
        await store._db.execute("UPDATE feeds SET first_success_at = 1")
        states = await synced(store, [FeedIdentity("f", "https://b.example/feed")], now)
    finally:
        await store.close()
    assert states["f"].is_first_poll


MESSAGE = AlertMessage(
    id="abc", channel="jsonl:x", rules=("r",), feed="f", title="Xiaomi EV " * 30,
    url=None, canonical_url=None, published=datetime(2026, 1, 1, tzinfo=UTC), summary="",
    topics=("ev",), terms=("EV",), language=None,
)  # fmt: skip


async def test_a_short_write_keeps_the_alert_pending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "alerts.jsonl"
    real_write = os.write
    calls = {"n": 0}

    def disk_fills_up(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, data[:40])  # part of the line, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.channels.jsonl.os.write", disk_fills_up)
    result = await JsonlChannel("jsonl:x", path).send(MESSAGE)
    assert result.status is DeliveryStatus.RETRY
    monkeypatch.setattr("bot.channels.jsonl.os.write", real_write)
    assert (await JsonlChannel("jsonl:x", path).send(MESSAGE)).status is DeliveryStatus.SENT
    lines = path.read_bytes().split(b"\n")
    assert lines[1:] == [b""]  # the torn part was cut away (issue 10, point 10)
    assert json.loads(lines[0])["id"] == "abc"
    assert await JsonlChannel("jsonl:x", path).find_sent(MESSAGE) is not None


def test_a_fallback_link_never_carries_the_feeds_secrets() -> None:
    document = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>private</title><entry><id>1</id><title>no link</title></entry></feed>"""
    (item,) = parse_feed(document, "https://user:pw@private.example/feed.xml?token=s3cr3t").items
    assert item.link is not None
    assert "pw" not in item.link
    assert "s3cr3t" not in item.link


def test_one_bad_json_entry_does_not_cost_the_feed() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {"id": "late", "title": "a", "date_published": "9999-12-31T23:00:00-05:00"},
            {"id": "early", "title": "b", "date_published": "0001-01-01T00:00:00+01:00"},
            {"id": 10**4000, "title": "huge id"},
            {"id": "good", "title": "Xiaomi EV", "url": "https://x.example/1"},
        ],
    }
    text = json.dumps(document, default=str)
    items = parse_feed(text.encode(), "https://x.example/feed.json").items
    assert "Xiaomi EV" in [item.title for item in items]
    with pytest.raises(Exception, match="nested too deeply"):
        parse_feed(b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "https://x/")


def test_a_hostile_item_still_gets_a_short_summary() -> None:
    item = Item("k", "t", "EV? " * 12_500, None, None, None, "en")
    summary = summarize(item, ["EV"])
    assert 0 < len(summary) <= 400


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("EV", "Christmas Eves are quiet", False),
        ("Go", "it goes on", False),
        ("Go", "two Gos", True),
        ("bus", "electric buses", True),
        ("Porsche", "two Porsches", True),
        ("box", "set-top boxes", True),
    ],
)
def test_plural_es_only_where_english_uses_it(term: str, text: str, expected: bool) -> None:
    assert bool(Matcher({"t": [term]}).match(text).topics) is expected


async def test_entries_sharing_one_link_are_separate_stories(
    tmp_path: Path, server: FeedServer
) -> None:
    home = "https://blog.example/"
    url = server.route(
        "/feed.xml",
        rss(
            # two stories that only their shared link (the blog's home page) could join
            rss_item("Samsung Exynos EV chip ships 137,000 units", home, guid="1", published=None),
            rss_item("Samsung Exynos EV plant to hire 2,400", home, guid="2", published=None),
        ),
    )
    config = write_config(tmp_path, {"f": url}, settings={"backfill": "all"})
    async with App.running(config, clock=Clock()) as app:
        assert (await app.once()).alerts == 2


async def test_cancelled_writes_leave_the_connection_usable(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "db.sqlite")
    try:
        for pause in range(6):  # cancel at different points of the transaction
            task = asyncio.create_task(store.set_meta("k", "v"))
            for _ in range(pause):
                await asyncio.sleep(0)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await store.set_meta("k", "after")
        assert await store.get_meta("k") == "after"
    finally:
        await store.close()
