"""Slack slash commands through the real Bolt request pipeline: an ``AsyncApp`` with request
verification on, requests signed with a test signing secret (``X-Slack-Signature`` v0,
``X-Slack-Request-Timestamp``) and dispatched as ``AsyncBoltRequest``s, or sent over HTTP to
the aiohttp server of HTTP mode, or over a WebSocket in Socket Mode. The Web API calls
(``auth.test``, ``users.info``) and the answers (``response_url``) go to a fake Slack on
127.0.0.1. Also: the manifest, and which mode the tokens choose."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
import pytest
from aiohttp import web
from ruamel.yaml import YAML

from bot.adapters.slack.commands import SLASH_COMMANDS, command_text, send_reply, slack_text
from bot.adapters.slack.frontend import SlackFrontend, slack_frontend
from bot.app import App
from bot.commands.reply import Reply, ReplyItem
from tests.fake_slack import FakeSlack
from tests.feedserver import FeedServer, rss
from tests.helpers import REPO, write_config
from tests.openapi_check import slack_request_errors
from tests.slack_support import (
    ADMIN,
    APP_TOKEN,
    CHANNEL,
    ITEMS,
    LISTED,
    OTHER,
    PROXY_VARIABLES,
    SECRET,
    TOKEN,
    USER,
    Bot,
    assert_within_limits,
    bolt_request,
    signed_headers,
    slash_body,
)


@pytest.fixture(autouse=True)
def slack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:  # slack_sdk would send every request through a proxy
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)


def text_of(answer: dict[str, Any]) -> str:
    parts = []
    for block in answer["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [field["text"] for field in block.get("fields", [])]
        parts += [element["text"] for element in block.get("elements", [])]
    return "\n".join(parts)


def assert_answer(answer: dict[str, Any], response_type: str = "ephemeral") -> str:
    assert answer["response_type"] == response_type
    assert_within_limits(answer["blocks"], answer["text"])
    return text_of(answer)


# ------------------------------------------------------------------ every command


@pytest.mark.parametrize(
    ("command", "text", "expected", "response_type"),
    [
        ("/help", "", "Commands", "ephemeral"),
        ("/help", "feeds add", "/feeds add URL [name=NAME] [interval=INTERVAL]", "ephemeral"),
        ("/news", "", "Recent news (2, last 24h)", "in_channel"),
        ("/news", "xiaomi hours=48", "Xiaomi SU7 EV deliveries double", "in_channel"),
        ("/news", "help", "/news [QUERY…]", "ephemeral"),
        ("/search", "Exynos", "Search: Exynos (1)", "ephemeral"),
        ("/search", "help", "example: /search 小米 days=7", "ephemeral"),
        ("/status", "", "dealbot status", "ephemeral"),
        ("/status", "help", "/status — the bot's health at a glance", "ephemeral"),
        ("/feeds", "", "/feeds list — every feed with its health", "ephemeral"),
        ("/feeds", "help", "/feeds pause NAME — pause a feed (admins only)", "ephemeral"),
        ("/feeds", "add help", "example: /feeds add https://www.heise.de/", "ephemeral"),
        ("/feeds", "list", "Feeds (1)", "ephemeral"),
        ("/feeds", "status wire", "Feed wire: Test feed", "ephemeral"),
        ("/topics", "", "/topics add TOPIC TERMS…", "ephemeral"),
        ("/topics", "list", "xiaomi: Xiaomi, 샤오미, 小米", "ephemeral"),
        ("/alerts", "", "/alerts test MATCH…", "ephemeral"),
        ("/alerts", "list", "samsung-xiaomi-ev: (samsung or xiaomi) and (ev or exynos)",
         "ephemeral"),
        ("/alerts", "test “xiaomi and ev”", "would have matched 1 of the 2 items", "ephemeral"),
    ],
)  # fmt: skip
async def test_every_slash_command_answers(
    bot: Bot, command: str, text: str, expected: str, response_type: str
) -> None:
    (answer,) = await bot.slash(command, text)
    shown = assert_answer(answer, response_type)
    assert expected in shown
    assert "error" not in shown.split("\n")[0]


async def test_edits_from_a_workspace_admin_apply_and_persist(bot: Bot) -> None:
    other = bot.server.url("/other.xml")
    (added,) = await bot.slash("/feeds", f"add <{other}> name=extra interval=10m", user=ADMIN)
    assert "Added feed extra: Other wire" in assert_answer(added)
    (topic,) = await bot.slash("/topics", "add ev “electric car*” AT&amp;T", user=ADMIN)
    assert "Topic ev: " in assert_answer(topic)
    (alert,) = await bot.slash("/alerts", 'add chips "samsung and exynos"', user=ADMIN)
    assert f"Added alert chips: samsung and exynos → slack:{CHANNEL}" in assert_answer(alert)
    (mention,) = await bot.slash("/alerts", f'add cars "xiaomi and ev" <#{OTHER}|cars>', user=ADMIN)
    assert f"→ slack:{OTHER}" in assert_answer(mention)
    (muted,) = await bot.slash("/alerts", "mute chips 2h", user=ADMIN)
    assert "chips" in assert_answer(muted)
    (paused,) = await bot.slash("/feeds", "pause extra", user=ADMIN)
    assert "Feed extra paused." in assert_answer(paused)
    (interval,) = await bot.slash("/feeds", "interval wire 30m", user=ADMIN)
    assert "every 30m" in assert_answer(interval)
    text = bot.config.path.read_text(encoding="utf-8")
    assert f"url: {other}" in text
    assert '"electric car*"' in text or "electric car*" in text
    assert "AT&T" in text
    assert f"slack:{CHANNEL}" in text
    assert f"slack:{OTHER}" in text
    assert bot.fake.count("users.info") == 1  # asked once, then cached
    lookup = bot.fake.bodies("users.info")[0]
    assert slack_request_errors("users.info", lookup, json_body=False) == []
    assert {c.body["user"] for c in bot.fake.calls_to("users.info")} == {ADMIN}
    (removed,) = await bot.slash("/alerts", "remove chips", user=ADMIN)
    assert "Removed alert chips." in assert_answer(removed)


async def test_a_user_who_is_no_admin_is_refused_and_nothing_changes(bot: Bot) -> None:
    before = bot.config.path.read_text(encoding="utf-8")
    for command, text in [("/feeds", "pause wire"), ("/topics", "add ev EV6"),
                          ("/alerts", "remove samsung-xiaomi-ev")]:  # fmt: skip
        (answer,) = await bot.slash(command, text)
        shown = assert_answer(answer)
        assert ":warning: only admins can use" in shown
        assert "nothing was changed" in shown
    assert bot.config.path.read_text(encoding="utf-8") == before
    assert bot.fake.count("users.info") == 1  # one look-up, cached for the next two
    # reading needs no admin and asks nobody
    await bot.slash("/feeds", "list")
    assert bot.fake.count("users.info") == 1


async def test_settings_admins_need_no_lookup(bot: Bot) -> None:
    (answer,) = await bot.slash("/feeds", "pause wire", user=LISTED)
    assert "Feed wire paused." in assert_answer(answer)
    assert bot.fake.count("users.info") == 0


async def test_an_admin_of_another_workspace_is_no_admin_here(bot: Bot) -> None:
    bot.fake.add_user("U0GUEST", is_admin=True, team_id="T0OTHER")
    bot.fake.add_user("U0OWNER", is_owner=True, team_id=bot.fake.team_id)
    (guest,) = await bot.slash("/feeds", "pause wire", user="U0GUEST")
    assert "only admins" in assert_answer(guest)
    (owner,) = await bot.slash("/feeds", "pause wire", user="U0OWNER")
    assert "Feed wire paused." in assert_answer(owner)


async def test_feeds_import_is_refused_from_slack(bot: Bot) -> None:
    before = bot.config.path.read_text(encoding="utf-8")
    for text in ("import /etc/passwd", "import", "IMPORT subscriptions.opml"):
        (answer,) = await bot.slash("/feeds", text, user=ADMIN)
        shown = assert_answer(answer)
        assert "feeds import needs an OPML file" in shown
        assert "dealbot feeds import FILE" in shown
    assert bot.config.path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("/search", "", "missing TEXT; usage: /search TEXT… [days=DAYS] [limit=LIMIT]"),
        ("/news", "hours=soon", "hours must be a whole number"),
        ("/feeds", "status", "missing NAME; usage: /feeds status NAME"),
        ("/feeds", "frobnicate", "feeds needs one of: list, status, add"),
        ("/alerts", 'test "xiaomi and', "cannot read the command"),
        ("/feeds", "status wire extra", "unexpected 'extra'; usage: /feeds status NAME"),
    ],
)
async def test_bad_arguments_get_the_usage_line(
    bot: Bot, command: str, text: str, expected: str
) -> None:
    (answer,) = await bot.slash(command, text)
    shown = assert_answer(answer, "ephemeral")
    assert shown.startswith(":warning: ")
    assert expected in shown


# --------------------------------------------------------------- request verification


async def test_a_bad_signature_is_refused(bot: Bot) -> None:
    body = slash_body("/feeds", "pause wire", bot.fake.response_url("x"), user_id=LISTED)
    forged = signed_headers(body, secret="not-the-secret")
    response = await bot.bolt.async_dispatch(bolt_request(body, forged))
    assert response.status == 401
    tampered = signed_headers(body.replace("pause", "resume"))
    tampered_body = body.replace("resume", "pause")
    response = await bot.bolt.async_dispatch(bolt_request(tampered_body, tampered))
    assert response.status == 401
    unsigned = {"content-type": "application/x-www-form-urlencoded"}
    response = await bot.bolt.async_dispatch(bolt_request(body, unsigned))
    assert response.status == 401
    await asyncio.sleep(0.1)
    assert bot.fake.responses("x") == []
    assert "enabled: false" not in bot.config.path.read_text(encoding="utf-8")


async def test_a_stale_timestamp_is_refused(bot: Bot) -> None:
    body = slash_body("/status", "", bot.fake.response_url("old"))
    old = signed_headers(body, timestamp=int(time.time()) - 6 * 60)
    response = await bot.bolt.async_dispatch(bolt_request(body, old))
    assert response.status == 401
    await asyncio.sleep(0.1)
    assert bot.fake.responses("old") == []


# ------------------------------------------------------------------------- pages


async def test_long_replies_arrive_as_pages_within_slacks_five_answers() -> None:
    answers: list[dict[str, Any]] = []

    async def respond(**message: Any) -> None:
        answers.append(message)

    lines = tuple(f"feed-{n} — every 15m, ok" for n in range(100))
    await send_reply(respond, Reply("Feeds (100)", lines=lines))
    assert [a["blocks"][0]["text"]["text"] for a in answers] == [
        "Feeds (100) (page 1/3)", "Feeds (100) (page 2/3)", "Feeds (100) (page 3/3)",
    ]  # fmt: skip
    assert all(a["response_type"] == "ephemeral" for a in answers)
    answers.clear()
    items = tuple(ReplyItem(f"Story {n}", f"https://news.example/{n}") for n in range(70))
    await send_reply(respond, Reply("Recent news", items=items, ephemeral=False))
    assert len(answers) == 5
    assert all(a["response_type"] == "in_channel" for a in answers)
    for answer in answers:
        assert_within_limits(answer["blocks"], answer["text"])
    assert "2 more pages not shown" in text_of(answers[-1])


def test_the_text_of_a_slash_command_becomes_a_command() -> None:
    assert command_text("/feeds", "add <https://www.heise.de/> name=heise") == (
        "feeds add https://www.heise.de/ name=heise"
    )
    assert command_text("/feeds", "add <https://a.example/?x=1&amp;y=2|a.example>") == (
        "feeds add https://a.example/?x=1&y=2"
    )
    assert command_text("/help", "") == "help"
    assert command_text("/topics", "  ") == "help topics"
    assert command_text("/topics", "remove help") == "help topics remove"
    assert command_text("/topics", "add ev help") == "topics add ev help"  # a term "help"
    assert command_text("/news", "") == "news"
    assert slack_text("“samsung and ev” &lt;#C1|x&gt; a&amp;b") == '"samsung and ev" <#C1|x> a&b'


# -------------------------------------------------------------- HTTP and Socket Mode


def use_slack_settings(app: App, **changes: Any) -> None:
    settings = app.config.settings
    slack = settings.slack.model_copy(update=changes)
    app.live.config = dataclasses.replace(
        app.config, settings=settings.model_copy(update={"slack": slack})
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_http_mode_serves_signed_requests_end_to_end(bot: Bot) -> None:
    port = free_port()
    environ = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET}
    use_slack_settings(bot.app, mode="http", host="127.0.0.1", port=port)
    frontend = slack_frontend(bot.app, environ)
    assert isinstance(frontend, SlackFrontend)
    assert frontend.mode == "http"
    started = time.monotonic()
    await frontend.start()
    assert time.monotonic() - started < 2  # start does not block
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        async with aiohttp.ClientSession() as session:
            body = slash_body("/status", "", bot.fake.response_url("http"))
            async with session.post(url, data=body, headers=signed_headers(body)) as response:
                assert response.status == 200
            (answer,) = [c.body for c in await bot.fake.wait_for("/respond/http", within=10)]
            assert "dealbot status" in assert_answer(answer)
            forged = signed_headers(body, secret="wrong")
            async with session.post(url, data=body, headers=forged) as response:
                assert response.status == 401
            async with session.post(url.replace("/slack/events", "/other"), data=body,
                                    headers=signed_headers(body)) as response:  # fmt: skip
                assert response.status in (404, 405)
            await asyncio.sleep(0.05)
    finally:
        await frontend.stop()
    with pytest.raises(ConnectionRefusedError):  # the port is closed again
        await asyncio.open_connection("127.0.0.1", port)


class SocketModeServer:
    """Slack's Socket Mode end, as far as a slash command goes: hello, one envelope, the
    ack back."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.envelopes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.closed = asyncio.Event()
        self.acked = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> SocketModeServer:
        app = web.Application()
        app.router.add_get("/link", self.link)
        self.runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]
        return self

    async def link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})
        sender = asyncio.create_task(self.send_envelopes(ws))
        try:
            async for received in ws:
                if received.type == aiohttp.WSMsgType.TEXT:
                    self.acks.append(json.loads(received.data))
                    self.acked.set()
        finally:
            sender.cancel()
            self.closed.set()
        return ws

    async def send_envelopes(self, ws: web.WebSocketResponse) -> None:
        while True:
            await ws.send_json(await self.envelopes.get())

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


async def test_socket_mode_takes_slash_commands_and_stops_cleanly(
    tmp_path: Path, server: FeedServer
) -> None:
    socket_server = await SocketModeServer().start()
    fake = await FakeSlack().start()
    try:
        opened: list[str | None] = []

        def open_connection(call: Any) -> dict[str, Any]:
            opened.append(call.token)
            return {"ok": True, "url": f"ws://127.0.0.1:{socket_server.port}/link"}

        fake.handle("apps.connections.open", open_connection)
        config = write_config(
            tmp_path,
            {"wire": server.route("/feed.xml", rss(*ITEMS))},
            settings={"slack": f"{{api_base: '{fake.root}/api', mode: socket}}"},
        )
        async with App.running(config) as app:
            frontend = slack_frontend(app, {"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": APP_TOKEN})
            assert isinstance(frontend, SlackFrontend)
            started = time.monotonic()
            await frontend.start()
            assert time.monotonic() - started < 1  # connects in the background
            try:
                payload = dict(parse_qsl(slash_body("/status", "", fake.response_url("ws"))))
                await socket_server.envelopes.put(
                    {"envelope_id": "e-1", "type": "slash_commands", "payload": payload,
                     "accepts_response_payload": True}
                )  # fmt: skip
                (answer,) = [c.body for c in await fake.wait_for("/respond/ws", within=10)]
                assert "dealbot status" in assert_answer(answer)
                async with asyncio.timeout(5):
                    await socket_server.acked.wait()
                assert socket_server.acks[0]["envelope_id"] == "e-1"
                assert opened == [APP_TOKEN]
            finally:
                stopping = time.monotonic()
                await frontend.stop()
                assert time.monotonic() - stopping < 3
            async with asyncio.timeout(3):
                await socket_server.closed.wait()
    finally:
        await fake.stop()
        await socket_server.stop()


async def test_socket_mode_that_cannot_connect_still_stops(
    tmp_path: Path, server: FeedServer
) -> None:
    async with FakeSlack() as fake:  # apps.connections.open: unknown_method
        config = write_config(
            tmp_path,
            {"wire": server.route("/feed.xml", rss(*ITEMS))},
            settings={"slack": f"{{api_base: '{fake.root}/api'}}"},
        )
        async with App.running(config) as app:
            frontend = slack_frontend(app, {"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": APP_TOKEN})
            assert frontend is not None
            await frontend.start()
            await fake.wait_for("apps.connections.open", within=5)
            started = time.monotonic()
            await frontend.stop()
            assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("mode", "environ", "chosen", "warning"),
    [
        ("auto", {"SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": SECRET}, "socket", ""),
        ("auto", {"SLACK_SIGNING_SECRET": SECRET}, "http", ""),
        ("auto", {}, None, "set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET"),
        ("socket", {"SLACK_SIGNING_SECRET": SECRET}, None, "Socket Mode needs SLACK_APP_TOKEN"),
        ("http", {"SLACK_APP_TOKEN": APP_TOKEN}, None, "HTTP mode needs SLACK_SIGNING_SECRET"),
        ("http", {"SLACK_SIGNING_SECRET": SECRET}, "http", ""),
    ],
)  # fmt: skip
async def test_the_tokens_choose_the_mode(
    bot: Bot,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    environ: dict[str, str],
    chosen: str | None,
    warning: str,
) -> None:
    use_slack_settings(bot.app, mode=mode)
    with caplog.at_level(logging.WARNING):
        frontend = slack_frontend(bot.app, {"SLACK_BOT_TOKEN": TOKEN, **environ})
    if chosen is None:
        assert frontend is None
        assert warning in caplog.text
        assert "running without Slack slash commands" in caplog.text
    else:
        assert frontend is not None
        assert frontend.mode == chosen
    with caplog.at_level(logging.WARNING):
        assert slack_frontend(bot.app, environ) is None  # no bot token, no front end
    assert "SLACK_BOT_TOKEN is not set" in caplog.text


# ------------------------------------------------------------------------ manifest


def test_the_manifest_asks_for_exactly_the_scopes_and_commands() -> None:
    manifest = YAML(typ="safe").load((REPO / "slack-manifest.yaml").read_text(encoding="utf-8"))
    scopes = manifest["oauth_config"]["scopes"]
    assert scopes == {"bot": ["chat:write", "chat:write.public", "commands", "users:read",
                              "channels:history", "groups:history"]}  # fmt: skip
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [f"/{name}" for name in SLASH_COMMANDS]
    for command in commands:
        assert command["url"] == "https://YOUR-HOST/slack/events"
        assert command["description"]
        assert command["should_escape"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["bot_user"]["display_name"]
    with contextlib.suppress(KeyError):
        assert "event_subscriptions" not in manifest["settings"]


async def test_a_slow_auth_test_cannot_delay_the_acknowledgment(bot: Bot) -> None:
    bot.fake.fail_next("auth.test", status=429, headers={"Retry-After": "4"})
    body = slash_body("/status", "", bot.fake.response_url("slow"), user_id=USER)
    started = time.monotonic()
    response = await bot.bolt.async_dispatch(bolt_request(body, signed_headers(body)))
    assert time.monotonic() - started < 2.5  # answered (with an error) well within 3 s
    assert response.status == 200
    (answer,) = await bot.slash("/status")  # Slack's limit passed: the identity is asked
    assert "dealbot status" in text_of(answer)
    await bot.slash("/status")
    assert bot.fake.count("auth.test") == 2  # then remembered: once per process
