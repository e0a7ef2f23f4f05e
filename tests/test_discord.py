"""The Discord adapter against a fake Discord REST API on 127.0.0.1, driven by discord.py's
own HTTP client: alerts through the real pipeline, the outbox's retry and failure rules,
webhooks, limits, mention injection, command sync and every slash command's callback.
Every body sent is checked against Discord's OpenAPI spec."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest
from discord.http import Route

from bot.adapters import frontends
from bot.adapters.discord.channel import DiscordChannel, DiscordWebhookChannel
from bot.adapters.discord.commands import suggestions
from bot.adapters.discord.frontend import DealbotClient, DiscordFrontend
from bot.adapters.discord.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    alert_embed,
    digest_embed,
    escape,
    safe_url,
)
from bot.app import App
from bot.backoff import Backoff
from bot.commands import Caller, Commands
from bot.config import Config, DiscordSettings, load_config
from bot.errors import ConfigError
from bot.models import AlertMessage, DeliveryStatus, Digest
from tests.fake_discord import FakeDiscord
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import apart, dealbot, sample_alert, write_rule_config
from tests.openapi_check import discord_request_errors

CHANNEL = "111111111111111111"
OTHER = "222222222222222222"
ADMIN = "333333333333333333"
GUILD = "444444444444444444"
HOOK_TOKEN = "s3cr3t-" + "t0ken" * 12  # Discord's webhook tokens are 68 characters
HOOK = f"https://discord.com/api/webhooks/555555555555555555/{HOOK_TOKEN}"
MESSAGES = "/channels/{channel_id}/messages"
WEBHOOK = "/webhooks/{webhook_id}/{webhook_token}"
MANAGE_GUILD = 1 << 5
INTERACTION_IDS = itertools.count(900000000000000000)

ITEMS = (
    rss_item("Xiaomi SU7 EV deliveries double", "https://news.example/su7", guid="1",
             description="Xiaomi said its SU7 EV sold twice as many.", published=None),
    rss_item("Samsung shows Exynos for EV makers", "https://news.example/exynos", guid="2",
             description="Samsung showed an Exynos chip for EV makers.", published=None),
)  # fmt: skip


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setattr(Route, "BASE", Route.BASE)  # restored after the test
    monkeypatch.setenv("DISCORD_TOKEN", "test-token")
    monkeypatch.setenv("DEALBOT_DISCORD_HOOK", HOOK)
    async with FakeDiscord() as server:
        yield server


def discord_config(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer, channels: str, **settings: str
) -> Config:
    url = server.route("/feed.xml", rss(*ITEMS))
    merged = {"backfill": "all", "discord": f"{{api_base: '{fake.base}', guild_ids: [{GUILD}]}}"}
    return write_rule_config(tmp_path, {"wire": url}, channels, merged | settings)


def message(**changes: Any) -> AlertMessage:
    return sample_alert(f"discord:{CHANNEL}", **changes)


def assert_valid(path: str, body: dict[str, Any]) -> None:
    assert discord_request_errors("POST", path, body) == []


# ------------------------------------------------------------------ alerts end to end


async def test_alerts_reach_discord_as_embeds_through_the_pipeline(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer
) -> None:
    config = discord_config(tmp_path, fake, server, f'["discord:{CHANNEL}"]')
    async with App.running(config) as app:
        report = await app.once()
        counts = await app.store.delivery_counts()
        stored = await app.store.recent_alerts(datetime(2000, 1, 1, tzinfo=UTC), limit=10)
    assert report.deliveries.sent == 2
    assert counts[f"discord:{CHANNEL}"] == {"sent": 2}
    posted = fake.channel_messages(CHANNEL)
    assert len(posted) == 2
    bodies = fake.bodies("POST", f"/channels/{CHANNEL}/messages")
    for body in bodies:
        assert_valid(MESSAGES, body)
        assert body["enforce_nonce"] is True
        assert len(body["nonce"]) <= 25
        assert body["allowed_mentions"] == {"parse": []}
        embed = body["embeds"][0]
        assert embed["url"].startswith("https://news.example/")
        assert {field["name"] for field in embed["fields"]} == {"Topics", "Source", "Published"}
        # the rule, and the story's id for `/story ID`
        assert re.fullmatch(r"alert: samsung-xiaomi-ev · story s[0-9a-f]{10}",
                            embed["footer"]["text"])  # fmt: skip
    descriptions = sorted(body["embeds"][0]["description"] for body in bodies)
    assert descriptions == [
        "**Samsung** showed an **Exynos** chip for **EV** makers.",
        "**Xiaomi** said its SU7 **EV** sold twice as many.",
    ]
    assert fake.requests_for("GET", "/users/@me")  # logged in over REST, no gateway
    assert stored  # and the news command sees them


async def test_a_resend_with_the_same_outbox_id_posts_once(fake: FakeDiscord) -> None:
    channel = DiscordChannel(
        f"discord:{CHANNEL}", int(CHANNEL), DiscordSettings(api_base=fake.base)
    )
    try:
        first = await channel.send(message())
        again = await channel.send(message())  # a lost response, a crash: same nonce
        assert await channel.find_sent(message()) == first.ref
        assert await channel.find_sent(message(id="another", title="Other")) is None
    finally:
        await channel.close()
    assert first.status is again.status is DeliveryStatus.SENT
    assert first.ref == again.ref
    assert len(fake.channel_messages(CHANNEL)) == 1


async def test_a_429_is_waited_out_as_discord_says(fake: FakeDiscord) -> None:
    fake.fail_next("POST", rf"/channels/{CHANNEL}/messages", 429, json_body={
        "message": "You are being rate limited.", "retry_after": 0.4, "global": False})  # fmt: skip
    channel = DiscordChannel(
        f"discord:{CHANNEL}", int(CHANNEL), DiscordSettings(api_base=fake.base)
    )
    try:
        result = await channel.send(message())
    finally:
        await channel.close()
    attempts = fake.requests_for("POST", f"/channels/{CHANNEL}/messages")
    assert result.status is DeliveryStatus.SENT
    assert len(attempts) == 2
    assert attempts[1].received - attempts[0].received >= 0.35


async def test_a_long_rate_limit_goes_back_to_the_outbox(fake: FakeDiscord) -> None:
    fake.fail_next("POST", rf"/channels/{CHANNEL}/messages", 429, json_body={
        "message": "You are being rate limited.", "retry_after": 120.0})  # fmt: skip
    channel = DiscordChannel(
        f"discord:{CHANNEL}", int(CHANNEL), DiscordSettings(api_base=fake.base)
    )
    try:
        result = await channel.send(message())
    finally:
        await channel.close()
    assert result.status is DeliveryStatus.RETRY
    assert result.retry_after == pytest.approx(120.0, abs=1)


async def test_missing_access_fails_that_channel_only_and_tells_the_admins(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer
) -> None:
    fake.fail_next("POST", rf"/channels/{CHANNEL}/messages", 403,
                   json_body={"message": "Missing Access", "code": 50001})  # fmt: skip
    config = discord_config(
        tmp_path, fake, server, f'["discord:{CHANNEL}", "discord:{OTHER}"]',
        admin_channels=f'["discord:{ADMIN}"]',
    )  # fmt: skip
    async with App.running(config) as app:
        report = await app.once()
        counts = await app.store.delivery_counts()
        again = await app.once()
        status = await Commands(app.services).run_text(Caller.cli(), "status")
    assert counts[f"discord:{CHANNEL}"] == {"failed": 2}
    assert (
        f"→ discord:{CHANNEL}: 0 sent, 0 pending, 2 failed (last error: Discord: missing access"
        in (status.plain_text())
    )
    assert counts[f"discord:{OTHER}"] == {"sent": 2}
    assert report.deliveries.failed == 2
    assert again.deliveries.failed == 0
    assert len(fake.requests_for("POST", f"/channels/{CHANNEL}/messages")) == 1  # not 2
    reports = fake.channel_messages(ADMIN)
    assert len(reports) == 1
    assert "missing access" in reports[0]["content"]
    assert_valid(MESSAGES, fake.bodies("POST", f"/channels/{ADMIN}/messages")[0])


async def test_without_a_token_discord_alerts_wait_and_others_go_on(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN")
    config = discord_config(tmp_path, fake, server, f'["discord:{CHANNEL}", "jsonl:a.jsonl"]')
    async with App.running(config) as app:
        await app.once()
        counts = await app.store.delivery_counts()
    assert counts[f"discord:{CHANNEL}"] == {"pending": 2}
    assert counts["jsonl:a.jsonl"] == {"sent": 2}
    assert fake.requests == []


async def test_flood_control_folds_the_rest_into_one_digest(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer
) -> None:
    items = [
        rss_item(f"Samsung EV story {n}: {apart(n)}", f"https://news.example/{n}", guid=str(n),
                 description="Samsung EV news.", published=None)
        for n in range(7)
    ]  # fmt: skip
    config = discord_config(tmp_path, fake, server, f'["discord:{CHANNEL}"]', max_per_minute="3")
    server.route("/feed.xml", rss(*items))
    async with App.running(config) as app:
        report = await app.once()
        later = await app.deliverer.drain(everything=True)
    posted = fake.channel_messages(CHANNEL)
    assert report.deliveries.sent == 7
    assert later.sent == 0
    assert len(posted) == 3  # two alerts, then one digest of five
    digest = posted[2]["embeds"][0]
    assert digest["title"] == "5 more alerts this minute"
    assert digest["description"].count("• [") == 5
    assert_valid(MESSAGES, fake.bodies("POST", f"/channels/{CHANNEL}/messages")[2])


# ------------------------------------------------------------------------------ webhooks


async def test_webhook_channels_post_with_wait_and_keep_the_url_secret(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    config = discord_config(tmp_path, fake, server, '["discord-webhook:${DEALBOT_DISCORD_HOOK}"]')
    async with App.running(config) as app:
        report = await app.once()
    assert report.deliveries.sent == 2
    calls = fake.requests_for("POST", f"/webhooks/555555555555555555/{HOOK_TOKEN}")
    assert len(calls) == 2
    assert all(call.query.get("wait") in ("true", "1") for call in calls)
    for call in calls:
        assert_valid(WEBHOOK, call.json)
        assert call.json["allowed_mentions"] == {"parse": []}
        assert "nonce" not in call.json
    database = (tmp_path / "state" / "dealbot.db").read_bytes()
    assert b"s3cr3t" not in database
    assert "s3cr3t" not in caplog.text


async def test_a_literal_webhook_url_works_but_warns(
    fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    channel = DiscordWebhookChannel(
        f"discord-webhook:{HOOK}", HOOK, DiscordSettings(api_base=fake.base)
    )
    try:
        result = await channel.send(message())
    finally:
        await channel.close()
    assert result.status is DeliveryStatus.SENT
    assert result.ref is not None
    assert "secret" in caplog.text
    assert "s3cr3t" not in caplog.text


# --------------------------------------------------------------------- limits, escaping


async def test_oversized_alerts_are_cut_to_discords_limits(fake: FakeDiscord) -> None:
    big = message(
        title="Samsung " * 70,  # 560 characters
        summary=("Samsung EV news sentence. " * 400)[:10_000],
        topics=tuple(f"topic-{n:02d}-{'x' * 30}" for n in range(40)),
        terms=("Samsung", "EV"),
    )
    embed = alert_embed(big).to_dict()
    assert len(embed["title"]) <= TITLE_LIMIT
    assert embed["title"].endswith("…")
    assert len(embed["description"]) <= DESCRIPTION_LIMIT
    assert all(len(field["value"]) <= FIELD_VALUE_LIMIT for field in embed["fields"])
    assert len(discord.Embed.from_dict(embed)) <= EMBED_TOTAL_LIMIT
    channel = DiscordChannel(
        f"discord:{CHANNEL}", int(CHANNEL), DiscordSettings(api_base=fake.base)
    )
    try:
        result = await channel.send(big)
    finally:
        await channel.close()
    assert result.status is DeliveryStatus.SENT  # the fake refuses what Discord refuses
    assert_valid(MESSAGES, fake.bodies("POST", f"/channels/{CHANNEL}/messages")[0])


async def test_feed_text_cannot_ping_or_format(fake: FakeDiscord) -> None:
    hostile = message(
        title="@everyone <@123456789012345678> **Samsung** [bank](https://evil.example)",
        summary="# Xiaomi ||EV|| @here <@&123456789012345678>\n> quote",
        terms=("Xiaomi", "EV"),
    )
    channel = DiscordChannel(
        f"discord:{CHANNEL}", int(CHANNEL), DiscordSettings(api_base=fake.base)
    )
    try:
        await channel.send(hostile)
    finally:
        await channel.close()
    body = fake.bodies("POST", f"/channels/{CHANNEL}/messages")[0]
    embed = body["embeds"][0]
    assert body["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in embed["title"]
    assert "@here" not in embed["description"]
    assert re.search(r"<@[!&]?\d", embed["title"] + embed["description"]) is None
    assert "\\*\\*Samsung\\*\\*" in embed["title"]
    assert "\\[bank\\](https://evil.example)" in embed["title"]
    assert embed["description"].startswith("\\# **Xiaomi** \\|\\|**EV**\\|\\|")
    assert "\n\\> quote" in embed["description"]
    assert "**Xiaomi**" in embed["description"]  # our own bold survives


def test_escape_leaves_plain_text_alone() -> None:
    assert escape("Samsung Exynos 2500 ships in Q3") == "Samsung Exynos 2500 ships in Q3"
    assert escape("小米 SU7") == "小米 SU7"


def test_discord_channels_are_validated_at_load(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        'alerts:\n  - name: a\n    match: x\n    channels: ["discord:general", '
        '"discord-webhook:https://evil.example/x"]\n'
        "topics:\n  x: [x]\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = [str(problem) for problem in caught.value.problems]
    assert problems[0].endswith(
        "feeds.yaml:4: alerts[0].channels[0]: discord:general is not a channel id; copy it "
        "with Developer Mode on (a number like discord:123456789012345678)"
    )
    assert "alerts[0].channels[1]: discord-webhook: needs ${DEALBOT_" in problems[1]
    path.write_text(path.read_text().replace("https://evil.example/x", "${HOME}"))
    with pytest.raises(ConfigError, match="only DEALBOT_"):
        load_config(path)


# --------------------------------------------------------------------- slash commands


@pytest.fixture
async def client(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer
) -> AsyncIterator[tuple[DealbotClient, App]]:
    config = discord_config(tmp_path, fake, server, f'["discord:{CHANNEL}"]')
    async with App.running(config) as app:
        await app.once()
        bot = DealbotClient(Commands(app.services), config.settings.discord.guild_ids)
        await bot.login("test-token")  # runs setup_hook: the command sync
        try:
            yield bot, app
        finally:
            await bot.close()


def interaction(
    bot: DealbotClient, command: str, options: list[dict[str, Any]], *, manager: bool = False,
    kind: int = 2,
) -> discord.Interaction:  # fmt: skip
    words = command.split()
    if len(words) == 2:
        options = [{"type": 1, "name": words[1], "options": options}]
    payload = {
        "id": str(next(INTERACTION_IDS)),
        "application_id": str(bot.application_id),
        "type": kind,
        "token": f"interaction-token-{next(INTERACTION_IDS)}",
        "version": 1,
        "channel_id": CHANNEL,
        "channel": {"id": CHANNEL, "type": 0, "guild_id": GUILD, "name": "deals",
                    "position": 0, "permission_overwrites": [], "nsfw": False},
        "guild_id": GUILD,
        "locale": "en-US",
        "guild_locale": "en-US",
        "app_permissions": "0",
        "attachment_size_limit": 10485760,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "context": 0,
        "member": {
            "user": {"id": "777777777777777777", "username": "ana", "discriminator": "0",
                     "global_name": "Ana", "avatar": None},
            "roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False,
            "mute": False, "flags": 0,
            "permissions": str(MANAGE_GUILD if manager else 0),
        },
        "data": {"id": "1", "name": words[0], "type": 1, "options": options},
    }  # fmt: skip
    return discord.Interaction(data=payload, state=bot._connection)  # type: ignore[arg-type]


async def slash(
    bot: DealbotClient, fake: FakeDiscord, command: str, manager: bool = False, **options: Any
) -> dict[str, Any]:
    """Run a slash command's callback; return what was sent back to Discord."""
    typed = [
        {"name": key, "type": 4 if isinstance(value, int) else 3, "value": value}
        for key, value in options.items()
    ]
    before = len(fake.requests)
    await bot.tree._call(interaction(bot, command, typed, manager=manager))
    answers = [
        r for r in fake.requests[before:]
        if r.path.startswith(("/interactions/", "/webhooks/")) and r.method in ("POST", "PATCH")
    ]  # fmt: skip
    assert answers, f"{command} answered nothing"
    for answer in answers:  # the callback, and follow-ups or edits of the original
        assert answer.route is not None
        assert discord_request_errors(answer.method, answer.route, answer.json) == []
    return answers[0].json


def reply_text(answer: dict[str, Any]) -> str:
    embeds = answer.get("data", answer).get("embeds", [])
    return "\n".join(
        str(embed.get("title", "")) + "\n" + str(embed.get("description", ""))
        + "".join(f"\n{f['name']}: {f['value']}" for f in embed.get("fields", []))
        for embed in embeds
    )  # fmt: skip


def is_ephemeral(answer: dict[str, Any]) -> bool:
    return bool(answer.get("data", answer).get("flags", 0) & 64)


async def test_login_syncs_the_commands_to_the_configured_guild(
    client: tuple[DealbotClient, App], fake: FakeDiscord
) -> None:
    bot, _app = client
    puts = [r for r in fake.requests if r.method == "PUT"]
    assert len(puts) == 1
    assert puts[0].path == f"/applications/{bot.application_id}/guilds/{GUILD}/commands"
    names = {command["name"] for command in puts[0].json}
    assert names == {
        "help",
        "news",
        "story",
        "deals",
        "search",
        "status",
        "feeds",
        "topics",
        "alerts",
    }
    errors = discord_request_errors(
        "PUT", "/applications/{application_id}/guilds/{guild_id}/commands", puts[0].json
    )
    assert errors == []
    feeds = next(c for c in puts[0].json if c["name"] == "feeds")
    assert {o["name"] for o in feeds["options"]} == {
        "list", "status", "add", "remove", "pause", "resume", "interval"}  # fmt: skip


async def test_news_answers_in_the_channel(
    client: tuple[DealbotClient, App], fake: FakeDiscord
) -> None:
    bot, _app = client
    answer = await slash(bot, fake, "news", query="xiaomi", hours=48)
    assert answer["type"] == 4
    assert not is_ephemeral(answer)
    assert "Xiaomi SU7 EV deliveries double" in reply_text(answer)
    assert answer["data"]["allowed_mentions"] == {"parse": []}


@pytest.mark.parametrize(
    ("command", "options", "expected"),
    [
        ("search", {"text": "exynos"}, "Samsung shows Exynos"),
        ("status", {}, "1 ok"),
        ("help", {}, "feeds add"),
        ("feeds list", {}, "wire"),
        ("feeds status", {"name": "wire"}, "wire"),
        ("topics list", {}, "xiaomi"),
        ("alerts list", {}, "samsung-xiaomi-ev"),
        ("alerts test", {"match": "xiaomi"}, "Xiaomi SU7"),
    ],
)
async def test_reading_commands_answer_everyone(
    client: tuple[DealbotClient, App],
    fake: FakeDiscord,
    command: str,
    options: dict[str, Any],
    expected: str,
) -> None:
    bot, _app = client
    answer = await slash(bot, fake, command, **options)
    assert expected in reply_text(answer)
    assert answer["data"]["embeds"][0].get("color") != 15548997  # not an error


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("feeds pause", {"name": "wire"}),
        ("feeds resume", {"name": "wire"}),
        ("feeds interval", {"name": "wire", "interval": "30m"}),
        ("feeds remove", {"name": "wire"}),
        ("topics add", {"topic": "chips", "terms": 'Exynos "Snapdragon X"'}),
        ("topics remove", {"topic": "ev", "terms": "E-Auto*"}),
        ("alerts add", {"name": "chips", "match": "samsung and exynos"}),
        ("alerts remove", {"name": "samsung-xiaomi-ev"}),
        ("alerts mute", {"name": "samsung-xiaomi-ev", "duration": "2h"}),
        ("alerts unmute", {"name": "samsung-xiaomi-ev"}),
    ],
)
async def test_edits_need_manage_server(
    client: tuple[DealbotClient, App],
    fake: FakeDiscord,
    command: str,
    options: dict[str, Any],
) -> None:
    bot, app = client
    before = app.config.path.read_text()
    refused = await slash(bot, fake, command, **options)
    assert is_ephemeral(refused)
    assert "only admins" in reply_text(refused)
    assert app.config.path.read_text() == before
    done = await slash(bot, fake, command, manager=True, **options)
    assert is_ephemeral(done)
    assert "only admins" not in reply_text(done)
    assert done["data"]["embeds"][0].get("color") != 0xED4245, reply_text(done)


async def test_a_manager_adds_a_topic_with_quoted_terms(
    client: tuple[DealbotClient, App], fake: FakeDiscord
) -> None:
    bot, app = client
    await slash(bot, fake, "topics add", manager=True, topic="chips",
                terms='Exynos "Snapdragon X"')  # fmt: skip
    assert app.config.topics["chips"] == ("Exynos", "Snapdragon X")


async def test_a_channel_picked_in_alerts_add_becomes_a_discord_channel(
    client: tuple[DealbotClient, App], fake: FakeDiscord
) -> None:
    bot, app = client
    answer = await slash(bot, fake, "alerts add", manager=True, name="chips",
                         match=f"samsung and exynos <#{OTHER}>")  # fmt: skip
    assert f"Added alert chips: samsung and exynos → discord:{OTHER}" in reply_text(answer)
    assert app.config.alerts[-1].channels == (f"discord:{OTHER}",)
    here = await slash(bot, fake, "alerts add", manager=True, name="here", match="samsung")
    assert f"→ discord:{CHANNEL}" in reply_text(here)  # no channel given: where it was typed


async def test_feeds_add_from_discord_fetches_the_feed(
    client: tuple[DealbotClient, App], fake: FakeDiscord, server: FeedServer
) -> None:
    bot, app = client
    url = server.route("/more.xml", rss(*ITEMS))
    answer = await slash(bot, fake, "feeds add", manager=True, url=url, name="more")
    assert "more" in reply_text(answer)
    assert app.config.feed("more") is not None


async def test_nonsense_arguments_get_a_polite_ephemeral_error(
    client: tuple[DealbotClient, App], fake: FakeDiscord
) -> None:
    bot, _app = client
    answer = await slash(bot, fake, "feeds interval", manager=True, name="wire",
                         interval="soon")  # fmt: skip
    assert is_ephemeral(answer)
    assert answer["data"]["embeds"][0]["color"] == 0xED4245
    unknown = await slash(bot, fake, "feeds status", name="nope")
    assert is_ephemeral(unknown)
    assert "nope" in reply_text(unknown)


async def test_a_slow_command_is_deferred_then_followed_up(
    client: tuple[DealbotClient, App], fake: FakeDiscord, server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    bot, _app = client
    monkeypatch.setattr("bot.adapters.discord.commands.DEFER_AFTER", 0.1)
    url = server.route("/slow.xml", rss(*ITEMS), delay=0.5)
    started = time.monotonic()
    first = await slash(bot, fake, "feeds add", manager=True, url=url, name="slow")
    assert time.monotonic() - started >= 0.5
    assert first["type"] == 5  # deferred: "dealbot is thinking…"
    followups = [r for r in fake.requests if r.path.startswith("/webhooks/")]
    assert followups
    assert "slow" in reply_text(followups[-1].json)


async def test_long_lists_arrive_as_pages(
    client: tuple[DealbotClient, App], fake: FakeDiscord, server: FeedServer
) -> None:
    bot, app = client
    items = [
        rss_item(f"Samsung EV story {n}: {apart(n)}", f"https://news.example/{n}", guid=f"p{n}",
                 description="Samsung EV news.", published=None)
        for n in range(25)
    ]  # fmt: skip
    server.route("/feed.xml", rss(*items))
    await app.once()
    before = len(fake.requests)
    await bot.tree._call(interaction(bot, "news", [{"name": "limit", "type": 4, "value": 25}]))
    answers = [
        r.json
        for r in fake.requests[before:]
        if r.path.startswith(("/interactions/", "/webhooks/"))
    ]
    assert len(answers) == 3  # 25 items, 9 per page
    assert "(page 1/3)" in reply_text(answers[0])
    for answer in answers:
        embeds = answer.get("data", answer)["embeds"]
        assert len(embeds) <= 10
        assert sum(len(discord.Embed.from_dict(e)) for e in embeds) <= EMBED_TOTAL_LIMIT


async def test_autocomplete_offers_feed_topic_and_alert_names(
    client: tuple[DealbotClient, App], fake: FakeDiscord
) -> None:
    bot, _app = client
    commands = Commands(_app.services)
    assert suggestions(commands, "feeds", "wi") == ["wire"]
    assert "xiaomi" in suggestions(commands, "topics", "xia")
    assert suggestions(commands, "alerts", "ev") == ["samsung-xiaomi-ev"]
    before = len(fake.requests)
    focused = [{"name": "name", "type": 3, "value": "wi", "focused": True}]
    await bot.tree._call(interaction(bot, "feeds status", focused, kind=4))
    answer = next(r.json for r in fake.requests[before:] if r.path.startswith("/interactions/"))
    assert answer["type"] == 8
    assert answer["data"]["choices"] == [{"name": "wire", "value": "wire"}]


async def test_a_command_run_while_the_bot_works_does_not_block_the_loop(
    client: tuple[DealbotClient, App], fake: FakeDiscord
) -> None:
    bot, _app = client
    answers = await asyncio.gather(*(slash(bot, fake, "status") for _ in range(3)))
    assert all("1 ok" in reply_text(answer) for answer in answers)


async def test_a_bad_token_leaves_the_bot_running_without_slash_commands(
    tmp_path: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    async with FakeDiscord(token="the-real-token") as strict:
        config = discord_config(tmp_path, strict, server, '["jsonl:a.jsonl"]')
        async with App.running(config) as app:
            frontend = DiscordFrontend(app, "a-wrong-token")
            await frontend.start()
            await frontend.stop()
            report = await app.once()
    assert frontend.client is None
    assert "DISCORD_TOKEN was refused" in caplog.text
    assert "a-wrong-token" not in caplog.text
    assert report.deliveries.sent == 2


async def test_after_a_crash_an_alert_already_posted_is_found_not_resent(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer
) -> None:
    config = discord_config(tmp_path, fake, server, f'["discord:{CHANNEL}"]')
    async with App.running(config) as app:  # polls, claims, posts, then "dies" before marking
        await app.cycle.poll(app.enabled_feeds())
        for due in await app.store.due_deliveries(app.clock(), everything=True):
            claimed = await app.store.claim_delivery(due.id, app.clock())
            assert claimed is not None
            await app.channels[f"discord:{CHANNEL}"].send(claimed.message)
    posts = len(fake.requests_for("POST", f"/channels/{CHANNEL}/messages"))
    async with App.running(config) as app:
        stats = await app.deliverer.recover_then_drain()
        counts = await app.store.delivery_counts()
    assert stats.recovered == 2
    assert counts[f"discord:{CHANNEL}"] == {"sent": 2}
    assert len(fake.requests_for("POST", f"/channels/{CHANNEL}/messages")) == posts == 2
    reads = fake.requests_for("GET", f"/channels/{CHANNEL}/messages")
    assert len(reads) == 1  # read back once for both alerts, and nothing resent


def test_bold_terms_cannot_split_a_masked_link_into_a_live_one() -> None:
    summary = "Claim your [Samsung EV voucher](https://evil.example/login) today."
    embed = alert_embed(message(summary=summary, terms=("Samsung", "EV"))).to_dict()
    assert embed["description"] == (
        "Claim your \\[**Samsung** **EV** voucher\\](https://evil.example/login) today."
    )


def test_a_digest_title_cannot_close_its_link() -> None:
    hostile = message(title="Sale](https://evil.example) [x", url="https://news.example/a(1)")
    digest = digest_embed(Digest.of((hostile, message(id="second"))))
    assert "\\[x" in digest.description  # type: ignore[operator]
    assert "Sale\\](https://evil.example)" in digest.description  # type: ignore[operator]
    assert "(https://news.example/a%281%29)" in digest.description  # type: ignore[operator]


def test_links_keep_their_query_but_not_their_credentials() -> None:
    assert safe_url("https://news.ycombinator.com/item?id=42") == (
        "https://news.ycombinator.com/item?id=42"
    )
    assert safe_url("https://user:pw@news.example/a?b=1") == "https://news.example/a?b=1"
    assert safe_url("https://exa mple.com/x") is None
    assert safe_url("javascript:alert(1)") is None


def test_only_webhook_channels_keep_their_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALBOT_OUT", "out")
    monkeypatch.setenv("DEALBOT_CHANNEL", CHANNEL)
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "topics:\n  x: [x]\nalerts:\n  - name: a\n    match: x\n    channels: "
        '["jsonl:${DEALBOT_OUT}/a.jsonl", "discord:${DEALBOT_CHANNEL}", '
        '"discord-webhook:${DEALBOT_DISCORD_HOOK}"]\n'
    )
    monkeypatch.setenv("DEALBOT_DISCORD_HOOK", HOOK)
    assert load_config(path).alerts[0].channels == (
        "jsonl:out/a.jsonl", f"discord:{CHANNEL}", "discord-webhook:${DEALBOT_DISCORD_HOOK}"
    )  # fmt: skip


async def test_dealbot_once_delivers_to_discord_over_rest_alone(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer
) -> None:
    config = discord_config(tmp_path, fake, server, f'["discord:{CHANNEL}"]')
    status, _out, err = await dealbot("once", "--config", str(config.path),
                                      env={"DISCORD_TOKEN": "test-token"})  # fmt: skip
    assert status == 0, err
    assert len(fake.channel_messages(CHANNEL)) == 2
    assert "test-token" not in err
    assert not [r for r in fake.requests if "gateway" in r.path]  # no gateway opened


async def test_run_starts_a_listener_only_for_platforms_with_tokens(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer
) -> None:
    config = discord_config(tmp_path, fake, server, '["jsonl:a.jsonl"]')
    async with App.running(config) as app:
        assert frontends(app, {}) == []
        (listener,) = frontends(app, {"DISCORD_TOKEN": "test-token"})
        assert isinstance(listener, DiscordFrontend)
        started = time.monotonic()
        await listener.start()  # logs in and syncs; the gateway connects in the background
        await listener.stop()
        assert time.monotonic() - started < 10
    assert [r.path for r in fake.requests if r.method == "PUT"] == [
        f"/applications/{fake.application_id}/guilds/{GUILD}/commands"
    ]


async def test_check_says_which_platform_tokens_are_set_never_their_values(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer
) -> None:
    config = discord_config(tmp_path, fake, server, f'["discord:{CHANNEL}", "slack:C0123ABCD"]')
    status, out, err = await dealbot(
        "check", "--config", str(config.path),
        env={"DISCORD_TOKEN": "s3cr3t-token", "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""},
    )  # fmt: skip
    assert status == 0, err
    assert "discord: DISCORD_TOKEN set; 1 channel; slash commands on run" in out
    assert "slack: SLACK_BOT_TOKEN not set; alerts to 1 channel wait" in out
    assert "s3cr3t" not in out + err


async def test_discord_unreachable_at_start_is_tried_again(
    tmp_path: Path, fake: FakeDiscord, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.adapters.discord.frontend.RECONNECT", Backoff(base=0.2, cap=600.0))
    monkeypatch.setattr("bot.adapters.discord.frontend.LOGIN_WAIT", 0.5)
    config = discord_config(tmp_path, fake, server, '["jsonl:a.jsonl"]')
    text = config.path.read_text().replace(fake.base, "http://127.0.0.1:9/api/v10")
    config.path.write_text(text)
    async with App.running(load_config(config.path)) as app:
        listener = DiscordFrontend(app, "test-token")
        await listener.start()  # nothing listens on port 9: the login fails, start returns
        assert listener.client is None
        Route.BASE = fake.base  # the network comes up
        for _ in range(50):
            if listener.client is not None:
                break
            await asyncio.sleep(0.1)
        await listener.stop()
    assert listener.client is not None
    assert [r for r in fake.requests if r.method == "PUT"]  # logged in and synced
