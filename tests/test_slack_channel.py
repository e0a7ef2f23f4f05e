"""The Slack channels against a fake Slack Web API on 127.0.0.1, driven by slack_sdk's own
clients: alerts through the real pipeline and outbox, metadata, pacing, Retry-After, broken
channels, flood-control digests, look-ups before a resend (after a crash, in a real killed
process; after an answer that never came), edits, admin reports and incoming webhooks.
Every chat.postMessage / chat.update body is checked against Slack's Web API spec."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.channel import SlackChannel, SlackWebhookChannel
from bot.app import App
from bot.config import SlackSettings
from bot.models import DeliveryStatus, Digest
from tests.fake_slack import FakeSlack
from tests.feedserver import FeedServer, rss_item
from tests.helpers import Clock, apart, python
from tests.openapi_check import slack_request_errors
from tests.slack_support import (
    ADMIN_CHANNEL,
    CHANNEL,
    OTHER,
    PROXY_VARIABLES,
    TOKEN,
    message,
    slack_config,
)

ITEMS_ONE = (
    rss_item("Xiaomi SU7 EV deliveries double", "https://news.example/su7", guid="1",
             description="Xiaomi said its SU7 EV sold twice as many.", published=None),
)  # fmt: skip

ITEMS_FOUR = tuple(
    rss_item(f"Xiaomi EV story {n}: {apart(n)}", f"https://news.example/{n}", guid=str(n),
             description=f"Xiaomi EV news number {n}.", published=None)
    for n in range(4)
)  # fmt: skip


@pytest.fixture(autouse=True)
def slack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:  # slack_sdk would send every request through a proxy
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(valid_token=TOKEN) as server:
        yield server


def settings(fake: FakeSlack) -> SlackSettings:
    return SlackSettings(api_base=f"{fake.root}/api")


def assert_valid(method: str, body: dict[str, Any]) -> None:
    assert slack_request_errors(method, body) == []


async def statuses(app: App) -> dict[str, dict[str, int]]:
    return await app.store.delivery_counts()


# ------------------------------------------------------------------ alerts end to end


async def test_alerts_reach_slack_through_the_pipeline(
    tmp_path: Path, fake: FakeSlack, server: FeedServer
) -> None:
    config = slack_config(tmp_path, fake, server, f'["slack:{CHANNEL}"]')
    async with App.running(config) as app:
        report = await app.once()
        assert report.deliveries.sent == 2
        bodies = fake.bodies("chat.postMessage")
        assert len(bodies) == 2
        for body in bodies:
            assert_valid("chat.postMessage", body)
            assert body["channel"] == CHANNEL
            assert body["unfurl_links"] is False
            assert body["metadata"]["event_type"] == "dealbot_alert"
        calls = fake.calls_to("chat.postMessage")
        assert all(call.headers["Authorization"] == f"Bearer {TOKEN}" for call in calls)
        assert calls[1].at - calls[0].at >= 0.95  # one message a second per channel
        titles = [b["blocks"][0]["text"]["text"].split("\n")[0] for b in bodies]
        assert "*<https://news.example/su7|Xiaomi SU7 EV deliveries double>*" in titles
        # the ts is stored as the message id, under the outbox id the metadata carries
        for posted in fake.messages[CHANNEL]:
            outbox_id = posted["metadata"]["event_payload"]["id"]
            assert await app.store.sent_message_id(outbox_id) == posted["ts"]
        assert await statuses(app) == {f"slack:{CHANNEL}": {"sent": 2}}


async def test_a_long_retry_after_goes_back_to_the_outbox_and_is_honoured(
    tmp_path: Path, fake: FakeSlack, server: FeedServer
) -> None:
    config = slack_config(tmp_path, fake, server, f'["slack:{CHANNEL}"]',
                          items=ITEMS_ONE)  # fmt: skip
    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "600"})
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        report = await app.once()
        assert report.deliveries.retrying == 1
        assert fake.count("chat.postMessage") == 1  # not retried in place: the wait is long
        clock.advance(seconds=120)  # the outbox's own backoff (30s) has passed, not Slack's
        assert (await app.deliverer.drain()).sent == 0
        assert fake.count("chat.postMessage") == 1
        clock.advance(seconds=500)
        assert (await app.deliverer.drain()).sent == 1
        assert fake.count("chat.postMessage") == 2
        assert len(fake.messages[CHANNEL]) == 1


async def test_a_short_retry_after_is_waited_out_by_slack_sdk(fake: FakeSlack) -> None:
    channel = SlackChannel(f"slack:{CHANNEL}", CHANNEL, settings(fake))
    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
    result = await channel.send(message())
    assert result.status is DeliveryStatus.SENT
    first, second = fake.calls_to("chat.postMessage")
    assert second.at - first.at >= 1.0
    assert len(fake.messages[CHANNEL]) == 1


async def test_a_broken_channel_fails_alone_and_the_admins_are_told(
    tmp_path: Path, fake: FakeSlack, server: FeedServer
) -> None:
    fake.known_channels = {CHANNEL, ADMIN_CHANNEL}
    config = slack_config(
        tmp_path, fake, server, f'["slack:{OTHER}", "slack:{CHANNEL}"]',
        admin_channels=f'["slack:{ADMIN_CHANNEL}"]',
    )  # fmt: skip
    async with App.running(config) as app:
        report = await app.once()
        counts = await statuses(app)
        assert counts[f"slack:{OTHER}"] == {"failed": 2}
        assert counts[f"slack:{CHANNEL}"] == {"sent": 2}
        assert report.deliveries.failed == 2
        # one attempt to the broken channel: the rest of its queue failed with the reason
        assert [b["channel"] for b in fake.bodies("chat.postMessage")].count(OTHER) == 1
        reports = [m["text"] for m in fake.messages[ADMIN_CHANNEL]]
        assert len(reports) == 1
        assert f"alerts to slack:{OTHER} fail for good: Slack: channel_not_found" in reports[0]
        rows = await app.store._query("SELECT last_error FROM deliveries WHERE channel = ?",
                                      (f"slack:{OTHER}",))  # fmt: skip
        assert all("channel_not_found" in row["last_error"] for row in rows)


@pytest.mark.parametrize(
    ("error", "broken"),
    [
        ("not_in_channel", True),
        ("invalid_auth", True),
        ("account_inactive", True),
        ("token_revoked", True),
        ("is_archived", True),
        ("invalid_blocks", False),
        ("msg_too_long", False),
    ],
)
async def test_slack_errors_are_sorted(fake: FakeSlack, error: str, broken: bool) -> None:
    channel = SlackChannel(f"slack:{CHANNEL}", CHANNEL, settings(fake))
    fake.fail_next("chat.postMessage", error=error)
    result = await channel.send(message())
    assert result.status is DeliveryStatus.FAILED
    assert result.channel_broken is broken
    assert error in (result.reason or "")


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_retried(fake: FakeSlack, status: int) -> None:
    channel = SlackChannel(f"slack:{CHANNEL}", CHANNEL, settings(fake))
    fake.fail_next("chat.postMessage", status=status)
    result = await channel.send(message())
    assert result.status is DeliveryStatus.RETRY
    assert fake.count("chat.postMessage") == 1  # retried from the outbox, not in place


async def test_a_network_failure_is_retried(fake: FakeSlack) -> None:
    dead = SlackSettings(api_base=f"{fake.root}/api")
    await fake.stop()
    result = await SlackChannel(f"slack:{CHANNEL}", CHANNEL, dead).send(message())
    assert result.status is DeliveryStatus.RETRY
    assert "cannot reach Slack" in (result.reason or "")


async def test_no_token_keeps_alerts_waiting(
    fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    result = await SlackChannel(f"slack:{CHANNEL}", CHANNEL, settings(fake)).send(message())
    assert result.status is DeliveryStatus.RETRY
    assert result.reason == "SLACK_BOT_TOKEN is not set"
    assert fake.calls == []


async def test_an_answer_that_never_came_is_checked_before_a_resend(fake: FakeSlack) -> None:
    """A 5xx (or a timeout) may come after Slack posted the message: the next attempt reads
    the history first and finds it by its outbox id."""
    channel = SlackChannel(f"slack:{CHANNEL}", CHANNEL, settings(fake))
    alert = message()
    fake.fail_next("chat.postMessage", status=500)
    failed = await channel.send(alert)
    assert failed.status is DeliveryStatus.RETRY
    assert failed.uncertain  # the outbox will look before it resends (any process)
    # Slack had posted it after all
    fake.messages[CHANNEL].append(
        {"type": "message", "ts": "1732500000.000900", "text": "x", "bot_id": fake.bot_id,
         "metadata": {"event_type": "dealbot_alert", "event_payload": {"id": alert.id}}}
    )  # fmt: skip
    found = await channel.find_sent(alert)
    assert found is not None
    assert found.message_id == "1732500000.000900"
    assert fake.count("chat.postMessage") == 1
    history = fake.bodies("conversations.history")
    assert history == [{"channel": CHANNEL, "include_all_metadata": "1", "limit": "200"}]
    newer = {"include_all_metadata": "boolean"}  # added to Slack after its published spec
    assert slack_request_errors("conversations.history", history[0], json_body=False,
                                extra_params=newer) == []  # fmt: skip
    # a plain rejection, by contrast, is certain: nothing arrived
    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "60"})
    refused = await channel.send(message(id="b" * 25))
    assert refused.status is DeliveryStatus.RETRY
    assert not refused.uncertain


# ------------------------------------------------------------------------ crashes

CRASHING_RUN = """
import asyncio, os, sys
from bot.app import App
from bot.channels import build_channels
from bot.config import load_config

async def main(path, mode, spec):
    config = load_config(path)
    channels = build_channels(config.channels(), config.settings, config.folder)
    slack = channels[spec]
    real = slack.deliver

    async def deliver(message):
        if mode == "before-post":
            os._exit(17)
        result = await real(message)
        if mode == "after-post":
            os._exit(17)
        return result

    slack.deliver = deliver
    async with App.running(config, channels=channels) as app:
        await app.once()

asyncio.run(main(*sys.argv[1:]))
"""


@pytest.mark.parametrize(("mode", "recovered"), [("after-post", 1), ("before-post", 0)])
async def test_a_crash_while_sending_never_posts_twice(
    tmp_path: Path, fake: FakeSlack, server: FeedServer, mode: str, recovered: int
) -> None:
    """The process is killed (os._exit) with the alert in 'sending', after or before Slack
    took it; on restart it is looked up in the channel by its metadata, and sent only if
    it is not there."""
    config = slack_config(tmp_path, fake, server, f'["slack:{CHANNEL}"]', items=ITEMS_ONE)
    script = tmp_path / "crashing_run.py"
    script.write_text(CRASHING_RUN, encoding="utf-8")
    status, _out, err = await python(str(script), str(config.path), mode, f"slack:{CHANNEL}",
                                     env={"SLACK_BOT_TOKEN": TOKEN})  # fmt: skip
    assert status == 17, err
    assert fake.count("chat.postMessage") == (1 if mode == "after-post" else 0)
    async with App.running(config) as app:
        assert await statuses(app) == {f"slack:{CHANNEL}": {"sending": 1}}
        report = await app.once()
        assert report.deliveries.recovered == recovered
        assert await statuses(app) == {f"slack:{CHANNEL}": {"sent": 1}}
    assert fake.count("chat.postMessage") == 1
    assert len(fake.messages[CHANNEL]) == 1
    history = fake.bodies("conversations.history")
    assert history
    assert history[0]["include_all_metadata"] == "1"


# --------------------------------------------------------------------- flood control


async def test_a_flood_becomes_a_digest_in_slack(
    tmp_path: Path, fake: FakeSlack, server: FeedServer
) -> None:
    config = slack_config(tmp_path, fake, server, f'["slack:{CHANNEL}"]', items=ITEMS_FOUR,
                          max_per_minute="2")  # fmt: skip
    async with App.running(config) as app:
        report = await app.once()
        assert report.deliveries.sent == 4
        single, digest = fake.bodies("chat.postMessage")
        for body in (single, digest):
            assert_valid("chat.postMessage", body)
        assert single["metadata"]["event_type"] == "dealbot_alert"
        assert digest["metadata"]["event_type"] == "dealbot_digest"
        folded = digest["metadata"]["event_payload"]["alerts"].split()
        assert len(folded) == 3
        assert digest["blocks"][0]["text"]["text"] == "3 more alerts this minute"
        ts = fake.messages[CHANNEL][1]["ts"]
        for outbox_id in folded:
            assert await app.store.sent_message_id(outbox_id) == ts
        # an alert folded into a digest is found by its own id too
        channel = app.channels[f"slack:{CHANNEL}"]
        entry = message(id=folded[1])
        ref = await channel.find_sent(entry)
        assert ref is not None
        assert ref.message_id == ts


# ------------------------------------------------------------------------ reports


async def test_admin_reports_are_escaped_text(fake: FakeSlack) -> None:
    channel = SlackChannel(f"slack:{ADMIN_CHANNEL}", ADMIN_CHANNEL, settings(fake))
    result = await channel.notify("feed <!channel> & co is unhealthy")
    assert result.status is DeliveryStatus.SENT
    body = fake.bodies("chat.postMessage")[0]
    assert_valid("chat.postMessage", body)
    assert body["text"] == "feed &lt;!channel&gt; &amp; co is unhealthy"


# -------------------------------------------------------------------------- webhooks


async def test_webhook_channels_post_the_same_blocks(
    fake: FakeSlack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DEALBOT_SLACK_HOOK", fake.webhook_url())
    channel = SlackWebhookChannel("slack-webhook:${DEALBOT_SLACK_HOOK}",
                                  "${DEALBOT_SLACK_HOOK}", settings(fake))  # fmt: skip
    result = await channel.send(message())
    assert result.status is DeliveryStatus.SENT
    assert result.ref is None  # a webhook answers no ts
    body = fake.webhook_bodies()[0]
    bot = SlackChannel(f"slack:{CHANNEL}", CHANNEL, settings(fake))
    await bot.send(message())
    posted = fake.bodies("chat.postMessage")[0]
    assert body["blocks"] == posted["blocks"]
    assert body["text"] == posted["text"]
    assert "metadata" not in body
    digest = await channel.send_digest(Digest.of((message(), message(id="c" * 25))))
    assert digest.status is DeliveryStatus.SENT
    assert fake.webhook_bodies()[1]["blocks"][0]["type"] == "header"
    assert "webhook URL is written in feeds.yaml" not in caplog.text


async def test_a_literal_webhook_url_works_but_warns(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        channel = SlackWebhookChannel("slack-webhook:" + fake.webhook_url(), fake.webhook_url(),
                                      settings(fake))  # fmt: skip
    assert "keep it in an environment variable" in caplog.text
    assert "XXXX" not in caplog.text  # the secret part of the URL is not logged
    assert (await channel.send(message())).status is DeliveryStatus.SENT


@pytest.mark.parametrize(
    ("failure", "status", "broken"),
    [
        ({"error": "channel_not_found"}, DeliveryStatus.FAILED, True),
        ({"error": "invalid_token"}, DeliveryStatus.FAILED, True),
        ({"error": "no_service"}, DeliveryStatus.FAILED, True),
        ({"error": "channel_is_archived"}, DeliveryStatus.FAILED, True),
        ({"error": "invalid_payload"}, DeliveryStatus.FAILED, False),
        ({"status": 500}, DeliveryStatus.RETRY, False),
        ({"status": 429, "headers": {"Retry-After": "90"}}, DeliveryStatus.RETRY, False),
    ],
)
async def test_webhook_errors_are_sorted(
    fake: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    failure: dict[str, Any],
    status: DeliveryStatus,
    broken: bool,
) -> None:
    monkeypatch.setenv("DEALBOT_SLACK_HOOK", fake.webhook_url())
    channel = SlackWebhookChannel("slack-webhook:${DEALBOT_SLACK_HOOK}",
                                  "${DEALBOT_SLACK_HOOK}", settings(fake))  # fmt: skip
    fake.fail_next("/services/", **failure)
    result = await channel.send(message())
    assert result.status is status
    assert result.channel_broken is broken
    if failure.get("status") == 429:
        assert result.retry_after == 90.0


async def test_a_missing_webhook_variable_breaks_the_channel(
    fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEALBOT_SLACK_HOOK", raising=False)
    channel = SlackWebhookChannel("slack-webhook:${DEALBOT_SLACK_HOOK}",
                                  "${DEALBOT_SLACK_HOOK}", settings(fake))  # fmt: skip
    result = await channel.send(message())
    assert result.status is DeliveryStatus.FAILED
    assert result.channel_broken
    assert "DEALBOT_SLACK_HOOK" in (result.reason or "")


async def test_webhook_alerts_through_the_pipeline_pace_and_digest(
    tmp_path: Path, fake: FakeSlack, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALBOT_SLACK_HOOK", fake.webhook_url())
    config = slack_config(tmp_path, fake, server, '["slack-webhook:${DEALBOT_SLACK_HOOK}"]',
                          items=ITEMS_FOUR, max_per_minute="2")  # fmt: skip
    async with App.running(config) as app:
        report = await app.once()
        assert report.deliveries.sent == 4
        bodies = fake.webhook_bodies()
        assert len(bodies) == 2
        assert bodies[1]["blocks"][0]["text"]["text"] == "3 more alerts this minute"
        calls = [call for call in fake.calls if call.kind == "webhook"]
        assert calls[1].at - calls[0].at >= 0.95


async def test_a_malformed_webhook_url_fails_the_channel_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DEALBOT_BAD_HOOK", "https://hooks.slack.com:99999/services/T0/B0/SECRETxyz")
    spec = "slack-webhook:${DEALBOT_BAD_HOOK}"
    channel = SlackWebhookChannel(spec, "${DEALBOT_BAD_HOOK}", SlackSettings())
    result = await channel.send(message(channel=spec))
    assert result.status is DeliveryStatus.FAILED
    assert result.channel_broken
    assert "SECRET" not in (result.reason or "")
    assert "SECRET" not in caplog.text
