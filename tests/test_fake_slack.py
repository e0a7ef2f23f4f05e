"""The Slack fake against the real slack_sdk clients, so adapter tests can trust it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.fake_slack import FakeSlack

TOKEN = "xoxb-test-token"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Samsung* buys a thing"}}]
METADATA = {"event_type": "dealbot_alert", "event_payload": {"alert": "samsung", "item": "42"}}


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk sends every request through HTTPS_PROXY/HTTP_PROXY if set, ignoring NO_PROXY.
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(valid_token=TOKEN) as server:
        yield server


def client(fake: FakeSlack, token: str = TOKEN) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=fake.base_url, timeout=5)


async def test_post_with_blocks_and_metadata_then_history(fake: FakeSlack) -> None:
    web = client(fake)
    assert (await web.auth_test())["user_id"] == fake.bot_user_id
    first = await web.chat_postMessage(channel="C1", text="one", blocks=BLOCKS, metadata=METADATA)
    second = await web.chat_postMessage(channel="C1", text="two")
    assert first["channel"] == "C1"
    assert float(first["ts"]) < float(second["ts"])
    assert first["message"]["metadata"] == METADATA
    assert first["message"]["blocks"] == BLOCKS
    assert first["message"]["bot_id"] == fake.bot_id

    call = fake.calls_to("chat.postMessage")[0]
    assert call.headers["Content-Type"].startswith("application/json")
    assert call.headers["Authorization"] == f"Bearer {TOKEN}"
    assert fake.bodies("chat.postMessage")[0]["metadata"] == METADATA
    assert [m["text"] for m in fake.messages["C1"]] == ["one", "two"]

    history = await web.conversations_history(channel="C1", include_all_metadata=True, limit=10)
    assert [m["text"] for m in history["messages"]] == ["two", "one"]  # newest first
    assert history["messages"][1]["metadata"] == METADATA
    assert history["has_more"] is False
    assert fake.calls_to("conversations.history")[0].http_verb == "GET"

    plain = await web.conversations_history(channel="C1", limit=1)
    assert [m["text"] for m in plain["messages"]] == ["two"]
    assert plain["has_more"] is True
    older = await web.conversations_history(channel="C1", latest=second["ts"])
    assert [m.get("metadata") for m in older["messages"]] == [None]

    updated = await web.chat_update(channel="C1", ts=first["ts"], text="one, edited")
    assert updated["message"]["text"] == "one, edited"
    assert fake.messages["C1"][0]["metadata"] == METADATA
    with pytest.raises(SlackApiError) as missing:
        await web.chat_update(channel="C1", ts="1.000000", text="x")
    assert missing.value.response["error"] == "message_not_found"


async def test_form_encoded_fields_are_decoded(fake: FakeSlack) -> None:
    web = client(fake)
    form = {"channel": "C2", "text": "hi", "blocks": json.dumps(BLOCKS)}
    await web.api_call("chat.postMessage", data=form | {"metadata": json.dumps(METADATA)})
    body = fake.bodies("chat.postMessage")[0]
    assert body["blocks"] == BLOCKS
    assert body["metadata"] == METADATA
    assert fake.messages["C2"][0]["metadata"] == METADATA


async def test_rate_limited_call_is_retried_after_retry_after(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
    web = client(fake)
    web.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    async with asyncio.timeout(4.5):  # slack_sdk waits Retry-After plus up to 1 s of jitter
        response = await web.chat_postMessage(channel="C1", text="hello")
    assert response["ok"] is True
    first, second = fake.calls_to("chat.postMessage")
    assert first.status == 429
    assert first.response == {"ok": False, "error": "ratelimited"}
    assert second.at - first.at >= 0.95
    assert len(fake.messages["C1"]) == 1


async def test_errors_raise_slack_api_error(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", error="channel_not_found")
    web = client(fake)
    with pytest.raises(SlackApiError) as failed:
        await web.chat_postMessage(channel="C404", text="hello")
    assert failed.value.response["error"] == "channel_not_found"
    assert not fake.messages.get("C404")

    fake.fail_next("chat.postMessage", status=503)
    with pytest.raises(SlackApiError) as unavailable:
        await web.chat_postMessage(channel="C1", text="hello")
    assert unavailable.value.response.status_code == 503

    with pytest.raises(SlackApiError) as bad_token:
        await client(fake, token="xoxb-wrong").auth_test()
    assert bad_token.value.response["error"] == "invalid_auth"

    with pytest.raises(SlackApiError) as unknown:
        await web.api_call("no.suchMethod")
    assert unknown.value.response["error"] == "unknown_method"
    assert fake.count("no.suchMethod") == 1


async def test_users_info_and_call_counting(fake: FakeSlack) -> None:
    fake.add_user("U1", is_admin=True)
    web = client(fake)
    user = (await web.users_info(user="U1"))["user"]
    assert (user["id"], user["is_admin"], user["is_owner"]) == ("U1", True, False)
    with pytest.raises(SlackApiError) as missing:
        await web.users_info(user="U2")
    assert missing.value.response["error"] == "user_not_found"
    assert [body["user"] for body in fake.bodies("users.info")] == ["U1", "U2"]
    assert fake.count("users.info") == 2


async def test_webhook_and_response_url(fake: FakeSlack) -> None:
    hook = AsyncWebhookClient(url=fake.webhook_url(), timeout=5)
    sent = await hook.send(text="deal", blocks=BLOCKS)
    assert (sent.status_code, sent.body) == (200, "ok")
    assert fake.webhook_bodies() == [{"text": "deal", "blocks": BLOCKS}]
    assert fake.bodies("/services/T000/B000/XXXX") == [{"text": "deal", "blocks": BLOCKS}]

    fake.fail_next("/services/", error="channel_not_found")
    failed = await hook.send(text="again")
    assert (failed.status_code, failed.body) == (404, "channel_not_found")

    reply = AsyncWebhookClient(url=fake.response_url("abc"), timeout=5)
    answered = await reply.send(text="done", response_type="ephemeral")
    assert (answered.status_code, answered.body) == (200, "ok")
    assert fake.responses("abc") == [{"text": "done", "response_type": "ephemeral"}]
