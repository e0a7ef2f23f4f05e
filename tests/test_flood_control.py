"""Flood control and broken channels in the outbox, with a recording chat channel: at most
``max_per_minute`` messages a minute per chat channel, the last one a digest; a channel
that breaks fails its own queue once and lets the others go on."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.app import App
from bot.channels import DEFAULT_KINDS, Channel, ChannelKind
from bot.config import Config
from bot.models import AlertMessage, DeliveryResult, Digest, MessageRef
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import Clock, apart, write_config
from tests.pg_support import PostgresServer

ARRIVED: set[str] = set()  # what a channel has "received", across channel objects


class ChatChannel(Channel):
    kind = "floodchat"
    flood_control = True
    posted: list[str]  # "alert <title>" or "digest <n>"

    def __init__(self, spec: str) -> None:
        super().__init__(spec)
        self.posted = []
        self.broken: str | None = None
        self.digests: list[str] = []
        self.lose_next_digest = False
        self.time_out_next = False
        self.rate_limited = False
        self.no_message_ids = False
        self.lookups = 0

    async def find_sent(self, message: AlertMessage) -> MessageRef | None:
        self.lookups += 1
        return MessageRef(self.spec, "found") if message.id in ARRIVED else None

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        if self.time_out_next:  # posted, but no answer came
            self.time_out_next = False
            ARRIVED.add(message.id)
            self.posted.append(f"alert {message.title}")
            return DeliveryResult.retry("timeout", uncertain=True)
        if self.broken:
            return DeliveryResult.failed(self.broken, channel_broken=True)
        if self.rate_limited:
            self.rate_limited = False
            return DeliveryResult.retry("429", retry_after=600)
        self.posted.append(f"alert {message.title}")
        if self.no_message_ids:
            return DeliveryResult.sent(None)
        return DeliveryResult.sent(MessageRef(self.spec, f"m{len(self.posted)}"))

    async def deliver_digest(self, digest: Digest) -> DeliveryResult:
        self.digests.append(digest.id)
        if self.lose_next_digest:  # posted, but the answer was lost
            self.lose_next_digest = False
            return DeliveryResult.retry("timeout")
        self.posted.append(f"digest {len(digest.messages)}")
        if self.no_message_ids:
            return DeliveryResult.sent(None)
        return DeliveryResult.sent(MessageRef(self.spec, f"m{len(self.posted)}"))

    async def notify(self, text: str) -> DeliveryResult:
        self.posted.append(f"report {text}")
        return DeliveryResult.sent(None)


KINDS = DEFAULT_KINDS.with_kinds(
    ChannelKind("floodchat", build=lambda spec, _t, _s, _f: ChatChannel(spec))
)


def items(first: int, count: int) -> bytes:
    return rss(*(
        rss_item(f"Samsung EV {n}: {apart(n)}", f"https://news.example/{n}", guid=str(n),
                 description="Samsung EV news.", published=None)
        for n in range(first, first + count)
    ))  # fmt: skip


def chat(app: App, spec: str) -> ChatChannel:
    channel = app.channels[spec]
    assert isinstance(channel, ChatChannel)
    return channel


def config_for(tmp_path: Path, server: FeedServer, channels: str) -> Config:
    return write_config(
        tmp_path,
        {"wire": server.route("/feed.xml", items(0, 6))},
        settings={
            "backfill": "all",
            "max_per_minute": "4",
            "admin_channels": '["floodchat:admins"]',
        },
        alerts=f"alerts:\n  - name: ev\n    match: samsung and ev\n    channels: {channels}\n",
        kinds=KINDS,
    )


async def test_a_burst_becomes_alerts_then_one_digest_and_the_next_minute_waits(
    tmp_path: Path, server: FeedServer
) -> None:
    config = config_for(tmp_path, server, '["floodchat:deals"]')
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        channel = chat(app, "floodchat:deals")
        await app.once()
        assert [text.split()[0] for text in channel.posted] == ["alert"] * 3 + ["digest"]
        assert channel.posted[3] == "digest 3"
        server.route("/feed.xml", items(6, 2))
        clock.advance(seconds=30)  # same minute: the channel has had its four messages
        await app.once()
        assert len(channel.posted) == 4
        assert (await app.store.delivery_counts())["floodchat:deals"]["pending"] == 2
        clock.advance(seconds=31)  # a minute after the burst: room again
        await app.deliverer.drain()
        assert sorted(channel.posted[4:]) == [
            f"alert Samsung EV 6: {apart(6)}", f"alert Samsung EV 7: {apart(7)}",
        ]  # fmt: skip


async def test_a_broken_channel_fails_its_queue_reports_once_and_spares_the_others(
    tmp_path: Path, server: FeedServer
) -> None:
    config = config_for(tmp_path, server, '["floodchat:deals", "floodchat:other"]')
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        broken = chat(app, "floodchat:deals")
        broken.broken = "missing access"
        await app.once()
        server.route("/feed.xml", items(6, 2))
        clock.advance(minutes=2)
        await app.once()
        counts = await app.store.delivery_counts()
        admins = chat(app, "floodchat:admins")
    assert counts["floodchat:deals"] == {"failed": 8}
    assert counts["floodchat:other"]["sent"] == 8
    reports = [text for text in admins.posted if text.startswith("report alerts to")]
    assert reports == ["report alerts to floodchat:deals fail for good: missing access"]


async def test_a_digest_that_must_be_retried_goes_out_as_the_same_digest(
    tmp_path: Path, server: FeedServer
) -> None:
    config = config_for(tmp_path, server, '["floodchat:deals"]')
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        channel = chat(app, "floodchat:deals")
        channel.lose_next_digest = True
        await app.once()
        clock.advance(minutes=10)  # the window is empty again: room for three alerts
        await app.deliverer.drain()
        counts = await app.store.delivery_counts()
    assert channel.digests[0] == channel.digests[1]  # the same id: an idempotent resend
    assert channel.posted[3:] == ["digest 3"]  # not three single alerts
    assert counts["floodchat:deals"] == {"sent": 6}


async def test_an_attempt_that_may_have_arrived_is_looked_up_even_after_a_restart(
    tmp_path: Path, server: FeedServer
) -> None:
    config = config_for(tmp_path, server, '["floodchat:deals"]')
    server.route("/feed.xml", items(0, 1))
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        first = chat(app, "floodchat:deals")
        first.time_out_next = True
        await app.once()
        assert (await app.store.delivery_counts())["floodchat:deals"] == {"pending": 1}
    clock.advance(hours=1)
    async with App.running(config, clock=clock) as app:  # a new process
        second = chat(app, "floodchat:deals")
        stats = await app.deliverer.drain()
        counts = await app.store.delivery_counts()
    assert stats.recovered == 1
    assert second.lookups == 1
    assert second.posted == []  # not posted a second time
    assert counts["floodchat:deals"] == {"sent": 1}


async def test_a_retry_after_holds_the_whole_channel(tmp_path: Path, server: FeedServer) -> None:
    config = config_for(tmp_path, server, '["floodchat:deals"]')
    server.route("/feed.xml", items(0, 2))
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        channel = chat(app, "floodchat:deals")
        channel.rate_limited = True
        await app.once()
        server.route("/feed.xml", items(0, 3))  # a new alert for the same channel
        clock.advance(minutes=5)
        await app.once()
        assert channel.posted == []  # Retry-After (10 min) not over: nothing tried
        clock.advance(minutes=6)
        await app.deliverer.drain()
    assert len(channel.posted) == 3


async def test_a_digest_without_a_message_id_counts_as_one_message(
    tmp_path: Path, server: FeedServer
) -> None:
    config = config_for(tmp_path, server, '["floodchat:hook"]')
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        channel = chat(app, "floodchat:hook")
        channel.no_message_ids = True  # like a webhook
        await app.once()
        sent = await app.store.messages_sent_since("floodchat:hook", clock() - timedelta(minutes=1))
    assert channel.posted[3] == "digest 3"
    assert sent == 4


async def test_workers_on_one_database_report_a_broken_channel_once(
    tmp_path: Path, server: FeedServer, postgres: PostgresServer
) -> None:
    """Two workers on one PostgreSQL database each find the channel broken: the admins
    hear it once. Once a send works again, the next break is reported again."""
    url = postgres.fresh_database()
    config = write_config(
        tmp_path,
        {"wire": server.route("/feed.xml", items(0, 2))},
        settings={
            "database": json.dumps(url),
            "backfill": "all",
            "admin_channels": '["floodchat:admins"]',
        },
        alerts="alerts:\n  - name: ev\n    match: samsung and ev\n"
        '    channels: ["floodchat:deals"]\n',
        kinds=KINDS,
    )
    clock = Clock()
    first_worker, second_worker = App.running(config, clock=clock), App.running(config, clock=clock)
    async with first_worker as first, second_worker as second:
        for worker in (first, second):
            chat(worker, "floodchat:deals").broken = "missing access"
        await first.once()
        server.route("/feed.xml", items(2, 2))
        clock.advance(minutes=2)
        await second.once()
        assert (await first.store.delivery_counts())["floodchat:deals"] == {"failed": 4}
        reports = [
            text
            for worker in (first, second)
            for text in chat(worker, "floodchat:admins").posted
            if text.startswith("report alerts to")
        ]
        assert reports == ["report alerts to floodchat:deals fail for good: missing access"]
        chat(second, "floodchat:deals").broken = None  # it works again (for the second)
        server.route("/feed.xml", items(4, 1))
        clock.advance(minutes=2)
        await second.once()
        chat(second, "floodchat:deals").broken = "deleted"
        server.route("/feed.xml", items(5, 1))
        clock.advance(minutes=2)
        await second.once()
        again = [t for t in chat(second, "floodchat:admins").posted if t.startswith("report")]
        assert again == ["report alerts to floodchat:deals fail for good: deleted"]
