"""The ``deals`` command, ``news deal=KIND`` and the deal tag of search hits: through the
command line (a subprocess), the Discord slash commands (the fake Discord, bodies checked
against its spec) and the Slack ones (signed requests through Bolt, answers to the fake
Slack)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.discord.frontend import DealbotClient
from bot.app import App
from bot.commands import Caller, Commands
from tests.fake_discord import FakeDiscord
from tests.feedserver import FeedServer, rss
from tests.helpers import Clock, dealbot, write_config, write_rule_config
from tests.slack_support import ADMIN, Bot
from tests.slack_support import bot as bot
from tests.test_deals_alerts import GERMAN, KOREAN, NO_DEAL
from tests.test_discord import CHANNEL, GUILD, is_ephemeral, reply_text, slash
from tests.test_discord import fake as fake
from tests.test_slack_commands import assert_answer
from tests.test_slack_commands import slack_environment as slack_environment

DEAL_RULES = """alerts:
  - name: everything
    match: samsung or xiaomi
    channels: ["jsonl:alerts.jsonl"]
"""
HARMAN_LINE = "acquisition · agreed · Samsung Electronics → Harman · US$8.0 bn"
SEED_LINE = "partnership · talks · Samsung Electronics ⇄ Xiaomi"


async def test_deals_and_news_deal_on_the_command_line(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(GERMAN, KOREAN, NO_DEAL, language=None))
    config = write_config(tmp_path, {"wire": url}, settings={"backfill": "all"}, alerts=DEAL_RULES)
    path = str(config.path)
    assert (await dealbot("once", "--config", path))[0] == 0

    async def run(*args: str) -> tuple[int, str, str]:
        return await dealbot(*args, "--config", path)

    status, out, err = await run("deals")
    assert status == 0, err
    assert "Recent deals (2, last 30 days)" in out
    assert HARMAN_LINE in out
    assert SEED_LINE in out
    assert "Samsung Exynos 2600" not in out  # no deal, not listed
    assert "wire · " in out  # the source
    _, out, _ = await run("deals", "samsung", "kind=acquisition")
    assert HARMAN_LINE in out
    assert SEED_LINE not in out
    _, out, _ = await run("deals", "삼성전자", "--stage", "talks")  # the table's names count
    assert SEED_LINE in out
    assert HARMAN_LINE not in out
    _, out, _ = await run("deals", "Harman")
    assert "Recent deals (1, last 30 days, Harman)" in out
    _, out, _ = await run("deals", "tesla")
    assert "No deals (tesla) in the last 30 days." in out
    status, _, err = await run("deals", "kind=wedding")
    assert status == 1
    assert err.strip() == (
        "error: unknown deal kind 'wedding'; kinds: acquisition, merger, stake, funding, "
        "partnership, joint-venture, supply, licensing, divestiture"
    )
    status, _, err = await run("deals", "stage=soon")
    assert "unknown deal stage 'soon'; stages: rumoured, talks," in err
    _, out, _ = await run("news", "deal=acquisition", "--hours", "8760")
    assert HARMAN_KO_TITLE in out
    assert "Samsung und Xiaomi" not in out
    assert "🛒 acquisition · agreed" in out  # the deal tag
    _, out, _ = await run("news", "--deal", "any", "--hours", "8760")
    assert "Samsung und Xiaomi" in out
    assert HARMAN_KO_TITLE in out
    assert "Samsung Exynos 2600" not in out
    status, _, err = await run("news", "deal=takeover")
    assert status == 1
    assert "unknown deal kind 'takeover'; kinds: acquisition," in err
    assert err.strip().endswith("divestiture, any")
    # search tags each hit with the deal of its story, as news does
    status, out, err = await run("search", "하만")
    assert status == 0, err
    assert HARMAN_KO_TITLE in out
    assert "🛒 acquisition · agreed" in out
    _, out, _ = await run("search", "Exynos")
    assert "Samsung Exynos 2600" in out
    assert "acquisition" not in out
    assert "partnership" not in out  # no deal, no tag
    status, out, _ = await run("help", "deals")
    assert "dealbot deals [COMPANY…] [days=DAYS] [kind=KIND] [stage=STAGE] [limit=LIMIT]" in out


HARMAN_KO_TITLE = "삼성전자, 하만 인수"


async def test_deals_limit_counts_deals_and_lists_newest_first(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(GERMAN, NO_DEAL, language=None))
    config = write_config(tmp_path, {"wire": url}, alerts=DEAL_RULES)
    clock = Clock()
    async with App.running(config, clock=clock) as app:
        await app.once()
        clock.advance(hours=1)
        server.route("/feed.xml", rss(GERMAN, NO_DEAL, KOREAN, language=None))
        await app.once()
        commands = Commands(app.services, clock=app.clock)
        everything = await commands.run_text(Caller.cli(), "deals")
        one = await commands.run_text(Caller.cli(), "deals limit=1")
        old = await commands.run_text(Caller.cli(), "deals days=1 stage=completed")
    assert [item.title for item in everything.items] == [HARMAN_LINE, SEED_LINE]
    assert [item.title for item in one.items] == [HARMAN_LINE]
    assert old.title == "No deals (completed) in the last 1 day."
    assert not everything.ephemeral  # answers in the channel, like news


# ---------------------------------------------------------------------------- Discord


@pytest.fixture
async def discord_client(
    tmp_path: Path,
    fake: FakeDiscord,
    server: FeedServer,
) -> AsyncIterator[DealbotClient]:
    url = server.route("/feed.xml", rss(GERMAN, KOREAN, language=None))
    settings = {"backfill": "all", "discord": f"{{api_base: '{fake.base}', guild_ids: [{GUILD}]}}"}
    config = write_rule_config(tmp_path, {"wire": url}, f'["discord:{CHANNEL}"]', settings)
    async with App.running(config) as app:
        await app.once()
        client = DealbotClient(Commands(app.services), config.settings.discord.guild_ids)
        await client.login("test-token")
        try:
            yield client
        finally:
            await client.close()


async def test_deals_and_news_deal_as_discord_slash_commands(
    discord_client: DealbotClient,
    fake: FakeDiscord,
) -> None:
    answer = await slash(discord_client, fake, "deals", company="samsung", days=7)
    assert not is_ephemeral(answer)
    shown = reply_text(answer)
    assert "Recent deals (1, last 7 days, samsung)" in shown
    assert SEED_LINE in shown
    news = reply_text(await slash(discord_client, fake, "news", deal="partnership", hours=8760))
    assert "Samsung und Xiaomi" in news
    assert "🤝 partnership · talks" in news
    found = reply_text(await slash(discord_client, fake, "search", text="Xiaomi"))
    assert "Samsung und Xiaomi" in found
    assert "🤝 partnership · talks" in found  # the story's deal tag, as in news
    wrong = await slash(discord_client, fake, "deals", kind="wedding")
    assert is_ephemeral(wrong)
    assert "unknown deal kind 'wedding'" in reply_text(wrong)
    # the deal reached the channel too
    (posted,) = fake.bodies("POST", f"/channels/{CHANNEL}/messages")
    assert posted["embeds"][0]["description"].startswith("**🤝 partnership · talks**\n")


# ------------------------------------------------------------------------------ Slack


async def test_deals_and_news_deal_as_slack_slash_commands(bot: Bot) -> None:
    deals_feed = bot.server.route("/deals.xml", rss(GERMAN, KOREAN, language=None))
    (added,) = await bot.slash("/feeds", f"add <{deals_feed}> name=deals", user=ADMIN)
    assert "Added feed deals" in assert_answer(added)
    (rule,) = await bot.slash("/alerts", 'add takeovers "samsung and deal:acquisition"', user=ADMIN)
    assert "Added alert takeovers: samsung and deal:acquisition" in assert_answer(rule)
    await bot.app.once()
    (answer,) = await bot.slash("/deals", "")
    shown = assert_answer(answer, "in_channel")
    assert "Recent deals (2, last 30 days)" in shown
    assert HARMAN_LINE in shown
    assert SEED_LINE in shown
    (only,) = await bot.slash("/deals", "samsung kind=acquisition")
    assert SEED_LINE not in assert_answer(only, "in_channel")
    (news,) = await bot.slash("/news", "deal=acquisition hours=8760")
    assert "🛒 acquisition · agreed" in assert_answer(news, "in_channel")
    (found,) = await bot.slash("/search", "하만")
    assert "🛒 acquisition · agreed" in assert_answer(found)
    (wrong,) = await bot.slash("/deals", "stage=soon")
    assert "unknown deal stage 'soon'" in assert_answer(wrong)
    (usage,) = await bot.slash("/deals", "help")
    assert "/deals [COMPANY…] [days=DAYS]" in assert_answer(usage)
