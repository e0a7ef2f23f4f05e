"""The test doubles themselves: the fake Discord API driven by the real discord.py client, and
the spec checks used on what the adapters send."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.http import HTTPClient, Route, handle_message_parameters
from discord.webhook.async_ import async_context, interaction_response_params

from tests.fake_discord import FakeDiscord
from tests.openapi_check import discord_request_errors, slack_request_errors

pytestmark = pytest.mark.timeout(30)

CHANNEL = "123456789012345678"
MESSAGES = f"/channels/{CHANNEL}/messages"
WEBHOOK_ID = "223456789012345678"
WEBHOOK_TOKEN = "t" * 68  # discord.Webhook.from_url insists on 17-20 digits and 60+ characters


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token="token") as server:
        monkeypatch.setattr(Route, "BASE", server.base)
        yield server


@pytest.fixture
async def http(fake: FakeDiscord) -> AsyncIterator[HTTPClient]:
    client = HTTPClient(asyncio.get_running_loop())
    try:
        me = await client.static_login("token")
        assert me["id"] == fake.bot_user["id"]
        yield client
    finally:
        await client.close()


def deal_embed() -> discord.Embed:
    embed = discord.Embed(
        title="RTX 5090 at $1,499",
        url="https://deals.example/rtx-5090",
        description="Lowest price in 90 days.",
        colour=0x2ECC71,
    )
    embed.add_field(name="Store", value="Example Store")
    embed.set_footer(text="via news.example")
    return embed


async def test_send_message_with_nonce_is_created_once(fake: FakeDiscord, http: HTTPClient) -> None:
    params = handle_message_parameters(content="New deal", embed=deal_embed(), nonce="deal-42")
    first = await http.send_message(CHANNEL, params=params)
    second = await http.send_message(CHANNEL, params=params)

    assert first["id"] == second["id"]
    assert second["nonce"] == "deal-42"
    assert len(fake.channel_messages(CHANNEL)) == 1
    stored = fake.channel_messages(CHANNEL)[0]
    assert stored["embeds"][0]["title"] == "RTX 5090 at $1,499"
    assert stored["author"]["id"] == fake.bot_user["id"]

    bodies = fake.bodies("POST", MESSAGES)
    assert len(bodies) == 2
    assert bodies[0]["enforce_nonce"] is True
    assert discord_request_errors("POST", "/channels/{channel_id}/messages", bodies[0]) == []
    assert fake.requests_for("POST", MESSAGES)[0].headers["Authorization"] == "Bot token"


async def test_multipart_records_payload_json_and_files(
    fake: FakeDiscord, http: HTTPClient
) -> None:
    upload = discord.File(io.BytesIO(b"price,store\n1499,Example\n"), filename="deals.csv")
    sent = await http.send_message(
        CHANNEL, params=handle_message_parameters(content="Export", files=[upload])
    )

    seen = fake.requests_for("POST", MESSAGES)[0]
    assert seen.headers["Content-Type"].startswith("multipart/form-data")
    assert seen.json["content"] == "Export"
    assert [(f.field, f.filename) for f in seen.files] == [("files[0]", "deals.csv")]
    assert sent["attachments"][0]["filename"] == "deals.csv"
    assert discord_request_errors("POST", "/channels/{channel_id}/messages", seen.json) == []


async def test_rate_limit_is_waited_out(fake: FakeDiscord, http: HTTPClient) -> None:
    retry_after = 0.3
    fake.fail_next(
        "POST",
        MESSAGES,
        429,
        {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
    )
    await http.send_message(CHANNEL, params=handle_message_parameters(content="hello"))

    attempts = fake.requests_for("POST", MESSAGES)
    assert [attempt.status for attempt in attempts] == [429, 200]
    assert attempts[1].received - attempts[0].received >= retry_after
    assert len(fake.channel_messages(CHANNEL)) == 1


async def test_scripted_errors_and_unknown_routes(fake: FakeDiscord, http: HTTPClient) -> None:
    fake.fail_next("POST", MESSAGES, 403)
    with pytest.raises(discord.Forbidden) as forbidden:
        await http.send_message(CHANNEL, params=handle_message_parameters(content="x"))
    assert forbidden.value.code == 50001

    fake.fail_next(
        "*", r"/channels/\d+/messages", 404, {"message": "Unknown Channel", "code": 10003}
    )
    with pytest.raises(discord.NotFound) as missing:
        await http.send_message(CHANNEL, params=handle_message_parameters(content="x"))
    assert missing.value.code == 10003

    with pytest.raises(discord.HTTPException) as empty:
        await http.send_message(CHANNEL, params=handle_message_parameters(content=""))
    assert empty.value.code == 50006

    with pytest.raises(discord.NotFound):
        await http.request(Route("GET", "/no/such/route"))
    assert fake.requests[-1].path == "/no/such/route"
    assert fake.requests[-1].route is None
    assert fake.channel_messages(CHANNEL) == []


async def test_edit_and_history(fake: FakeDiscord, http: HTTPClient) -> None:
    ids = []
    for n in range(3):
        sent = await http.send_message(CHANNEL, params=handle_message_parameters(content=f"m{n}"))
        ids.append(sent["id"])
    edited = await http.edit_message(
        CHANNEL, ids[0], params=handle_message_parameters(content="m0 (price dropped)")
    )
    assert edited["edited_timestamp"] is not None

    history = await http.logs_from(CHANNEL, limit=2)
    assert [message["id"] for message in history] == [ids[2], ids[1]]
    fetched = await http.get_message(CHANNEL, ids[0])
    assert fetched["content"] == "m0 (price dropped)"
    patch = fake.bodies("PATCH", f"{MESSAGES}/{ids[0]}")[0]
    assert (
        discord_request_errors("PATCH", "/channels/{channel_id}/messages/{message_id}", patch) == []
    )


async def test_login_and_command_sync_parse(fake: FakeDiscord) -> None:
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)

    @tree.command(name="deals", description="Show recent deals")
    async def deals(interaction: discord.Interaction, limit: int = 5) -> None: ...

    try:
        await client.login("token")
        assert client.user is not None
        assert client.user.name == "dealbot"
        assert client.application_id == int(fake.application_id)
        synced = await tree.sync()
        again = await tree.sync()
    finally:
        await client.close()

    assert [command.name for command in synced] == ["deals"]
    assert synced[0].id == again[0].id
    assert synced[0].options[0].name == "limit"
    body = fake.bodies("PUT", f"/applications/{fake.application_id}/commands")[0]
    assert discord_request_errors("PUT", "/applications/{application_id}/commands", body) == []


async def test_webhook_execute_with_wait(fake: FakeDiscord) -> None:
    url = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"
    fake.webhook_channel_ids[WEBHOOK_ID] = CHANNEL
    async with aiohttp.ClientSession() as session:
        webhook = discord.Webhook.from_url(url, session=session)
        sent = await webhook.send("New deal", embed=deal_embed(), username="Deals", wait=True)
        await webhook.send("no wait")
        edited = await sent.edit(content="Deal expired", embeds=[])

    assert sent.id == int(fake.channel_messages(CHANNEL)[0]["id"])
    assert sent.author.name == "Deals"
    requests = fake.requests_for("POST", f"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}")
    assert [r.query["wait"] for r in requests] == ["1", "0"]
    assert [r.status for r in requests] == [200, 204]
    assert requests[0].route == "/webhooks/{webhook_id}/{webhook_token}"
    assert discord_request_errors("POST", requests[0].route, requests[0].json) == []
    assert edited.content == "Deal expired"
    assert edited.embeds == []
    edit = fake.requests_for("PATCH", f"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}/messages/{sent.id}")
    assert discord_request_errors("PATCH", edit[0].route or "", edit[0].json) == []


async def test_interaction_callback_answers_with_response(fake: FakeDiscord) -> None:
    adapter = async_context.get()
    params = interaction_response_params(4, handle_message_parameters(content="Pong").payload)
    async with aiohttp.ClientSession() as session:
        answer = await adapter.create_interaction_response(
            1, "itoken", session=session, proxy=None, proxy_auth=None, params=params
        )
        with pytest.raises(discord.HTTPException) as twice:
            await adapter.create_interaction_response(
                1, "itoken", session=session, proxy=None, proxy_auth=None, params=params
            )
    assert twice.value.code == 40060
    assert answer["interaction"]["response_message_id"] == answer["resource"]["message"]["id"]
    assert answer["resource"]["type"] == 4
    seen = fake.requests_for("POST", "/interactions/1/itoken/callback")[0]
    assert seen.query == {"with_response": "1"}
    assert discord_request_errors("POST", seen.route or "", seen.json) == []


def test_spec_check_rejects_bad_discord_bodies() -> None:
    template = "/channels/{channel_id}/messages"
    assert discord_request_errors("POST", template, {"embeds": "x"})
    typo = discord_request_errors("POST", template, {"content": "x", "embed": {"title": "t"}})
    assert any("'embed' was unexpected" in error for error in typo)
    assert discord_request_errors("POST", template, {"embed": {}}, strict=False) == []
    too_long = discord_request_errors("POST", template, {"embeds": [{"title": "t" * 300}]})
    assert any("$.embeds[0].title" in error for error in too_long)


def test_slack_request_errors() -> None:
    good = {
        "channel": "C0123456789",
        "text": "New deal",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*RTX 5090*"}}],
        "unfurl_links": False,
        "metadata": {"event_type": "deal_posted", "event_payload": {"id": "42"}},
    }
    assert slack_request_errors("chat.postMessage", good) == []
    assert slack_request_errors("chat.update", {"channel": "C1", "ts": "1.2", "text": "x"}) == []

    errors = slack_request_errors(
        "chat.postMessage", {"txt": "typo", "blocks": [{"text": "no type"}], "unfurl_links": "no"}
    )
    assert any(error.startswith("txt: not a parameter") for error in errors)
    assert any(error.startswith("blocks:") for error in errors)
    assert any(error.startswith("unfurl_links:") for error in errors)
    assert "channel: required by chat.postMessage but missing" in errors
