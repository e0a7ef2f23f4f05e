"""A story's message on Discord and Slack: the alert names the story's other reports (each
linked) and its id in the footer; a join or an update edits the message (Discord: PATCH of
a bot message and of a webhook message posted with wait=true; Slack: chat.update), every
body checked against the platform's API spec. A Slack incoming webhook cannot edit: the
story gets no further message there."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from discord.http import Route

from bot.adapters.discord.channel import DiscordChannel, DiscordWebhookChannel
from bot.adapters.slack.channel import SlackChannel
from bot.app import App
from bot.config import DiscordSettings, SlackSettings
from bot.models import AlertMessage, DeliveryStatus, StorySource
from tests.fake_discord import FakeDiscord
from tests.fake_slack import FakeSlack
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import Clock, sample_alert, write_rule_config
from tests.openapi_check import discord_request_errors, slack_request_errors
from tests.slack_support import CHANNEL as SLACK_CHANNEL
from tests.slack_support import PROXY_VARIABLES, TOKEN

CHANNEL = "111111111111111111"
HOOK_ID = "555555555555555555"
HOOK_TOKEN = "s3cr3t-" + "t0ken" * 12
HOOK = f"https://discord.com/api/webhooks/{HOOK_ID}/{HOOK_TOKEN}"
AT = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
FIRST = StorySource("wire", "Xiaomi SU7 EV deliveries double", "https://news.example/su7", "en",
                    AT)  # fmt: skip
HEISE = StorySource("heise", "Xiaomi verdoppelt SU7", "https://heise.example/su7", "de", AT)
KR = StorySource("36Kr", "小米SU7交付量翻倍", "https://36kr.example/su7", "zh", AT)
YNA = StorySource("연합뉴스", "샤오미 SU7 인도 두 배", "https://yna.example/su7", "ko", AT)
MORE = tuple(
    StorySource(f"outlet{n}", "Xiaomi SU7", f"https://o{n}.example/su7", "en", AT) for n in range(2)
)


def alert(channel: str, *sources: StorySource, **changes: Any) -> AlertMessage:
    return sample_alert(channel, story="s0a1b2c3d4e", sources=(FIRST, *sources), **changes)


@pytest.fixture
async def discord_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setenv("DISCORD_TOKEN", "test-token")
    monkeypatch.setenv("DEALBOT_DISCORD_HOOK", HOOK)
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
async def slack_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeSlack]:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    async with FakeSlack(valid_token=TOKEN) as server:
        yield server


def fields(embed: dict[str, Any]) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed["fields"]}


async def test_a_discord_bot_message_is_edited_as_reports_join(discord_fake: FakeDiscord) -> None:
    channel = DiscordChannel(f"discord:{CHANNEL}", int(CHANNEL),
                             DiscordSettings(api_base=discord_fake.base))  # fmt: skip
    try:
        sent = await channel.send(alert(f"discord:{CHANNEL}", HEISE))
        assert sent.ref is not None
        joined = alert(f"discord:{CHANNEL}", HEISE, KR, YNA, *MORE, changed=("sources",))
        edited = await channel.edit(sent.ref, joined)
        updated = replace(joined, title="Xiaomi SU7 deliveries triple", changed=("title",))
        assert (await channel.edit(sent.ref, updated)).status is DeliveryStatus.SENT
    finally:
        await channel.close()
    assert edited.status is DeliveryStatus.SENT
    [posted] = discord_fake.channel_messages(CHANNEL)  # edited in place, never a second one
    path = f"/channels/{CHANNEL}/messages/{sent.ref.message_id}"
    patches = discord_fake.bodies("PATCH", path)
    assert len(patches) == 2
    for body in patches:
        assert discord_request_errors("PATCH", "/channels/{c}/messages/{m}", body) == []
    first = discord_fake.bodies("POST", f"/channels/{CHANNEL}/messages")[0]["embeds"][0]
    assert fields(first)["Also reported by"] == "[heise (de)](https://heise.example/su7)"
    assert first["footer"]["text"] == "alert: samsung-xiaomi-ev · story s0a1b2c3d4e"
    also = fields(patches[0]["embeds"][0])["Also reported by"]
    assert also == (
        "[heise (de)](https://heise.example/su7) · [36Kr (zh)](https://36kr.example/su7) · "
        "[연합뉴스 (ko)](https://yna.example/su7) +2"
    )
    assert posted["embeds"][0]["title"] == "Updated: Xiaomi SU7 deliveries triple"


async def test_a_discord_webhook_message_posted_with_wait_is_edited_through_the_webhook(
    discord_fake: FakeDiscord,
) -> None:
    channel = DiscordWebhookChannel("discord-webhook:${DEALBOT_DISCORD_HOOK}",
                                    "${DEALBOT_DISCORD_HOOK}",
                                    DiscordSettings(api_base=discord_fake.base))  # fmt: skip
    try:
        sent = await channel.send(alert("discord-webhook:x"))
        assert sent.ref is not None  # wait=true: Discord answered the message and its id
        result = await channel.edit(sent.ref, alert("discord-webhook:x", HEISE))
    finally:
        await channel.close()
    assert result.status is DeliveryStatus.SENT
    [call] = discord_fake.requests_for(
        "PATCH", f"/webhooks/{HOOK_ID}/{HOOK_TOKEN}/messages/{sent.ref.message_id}"
    )
    template = "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
    assert discord_request_errors("PATCH", template, call.json) == []
    assert fields(call.json["embeds"][0])["Also reported by"].startswith("[heise (de)]")


async def test_slack_chat_update_edits_the_alert(slack_fake: FakeSlack) -> None:
    settings = SlackSettings(api_base=f"{slack_fake.root}/api")
    channel = SlackChannel(f"slack:{SLACK_CHANNEL}", SLACK_CHANNEL, settings)
    sent = await channel.send(alert(f"slack:{SLACK_CHANNEL}"))
    assert sent.ref is not None
    joined = alert(f"slack:{SLACK_CHANNEL}", HEISE, KR, changed=("sources",))
    result = await channel.edit(sent.ref, joined)
    assert result.status is DeliveryStatus.SENT
    [body] = slack_fake.bodies("chat.update")
    assert slack_request_errors("chat.update", body) == []
    assert (body["channel"], body["ts"]) == (SLACK_CHANNEL, sent.ref.message_id)
    [posted] = slack_fake.messages[SLACK_CHANNEL]
    texts = [e["text"] for block in posted["blocks"] if block["type"] == "context"
             for e in block["elements"]]  # fmt: skip
    assert "Also reported by: <https://heise.example/su7|heise (de)> · " \
           "<https://36kr.example/su7|36Kr (zh)>" in texts  # fmt: skip
    assert any(text.endswith("story s0a1b2c3d4e") for text in texts)


SOLD = "Xiaomi said its SU7 EV sold 137,000 cars."
ITEMS_ONE = rss_item("Xiaomi SU7 EV deliveries double", "https://news.example/su7", guid="1",
                     description=SOLD, published=None)  # fmt: skip
ITEMS_TWO = rss_item("Xiaomi SU7 EV deliveries double, to 137,000",
                     "https://other.example/xiaomi-su7", guid="2",
                     description=SOLD, published=None)  # fmt: skip


@pytest.mark.parametrize("kind", ["bot", "webhook"])
async def test_a_join_edits_the_slack_message_and_a_webhook_gets_nothing_more(
    tmp_path: Path, slack_fake: FakeSlack, server: FeedServer, kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Through the pipeline: a second feed's report of the story a cycle later."""
    monkeypatch.setenv("DEALBOT_SLACK_HOOK", slack_fake.webhook_url())
    spec = f"slack:{SLACK_CHANNEL}" if kind == "bot" else "slack-webhook:${DEALBOT_SLACK_HOOK}"
    a = server.route("/a.xml", rss(ITEMS_ONE))
    b = server.route("/b.xml", rss())
    settings = {"backfill": "all", "slack": f"{{api_base: '{slack_fake.root}/api'}}"}
    config = write_rule_config(tmp_path, {"a": a, "b": b}, f'["{spec}"]', settings)
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once()
        server.route("/b.xml", rss(ITEMS_TWO))
        clock.advance(minutes=16)
        report = await app.once()
        assert await app.store.due_edits(clock.now) == []
        [summary] = await app.store.stories(datetime(2000, 1, 1, tzinfo=UTC))
    assert summary.sources == 2
    if kind == "bot":
        assert report.deliveries.edited == 1
        assert len(slack_fake.bodies("chat.postMessage")) == 1
        [body] = slack_fake.bodies("chat.update")
        assert slack_request_errors("chat.update", body) == []
        assert "Also reported by: <https://other.example/xiaomi-su7|b (en)>" in str(body["blocks"])
    else:
        assert report.deliveries.edited == 0
        assert len(slack_fake.webhook_bodies()) == 1  # no second message for the story
        assert slack_fake.bodies("chat.update") == []
    assert re.search(r"story s[0-9a-f]{10}", str(slack_fake.bodies("chat.postMessage")
                                                  or slack_fake.webhook_bodies()))  # fmt: skip
