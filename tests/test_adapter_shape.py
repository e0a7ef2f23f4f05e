"""The two chat adapters have one shape: the same files, the same classes and method names,
one mapping of errors into ``DeliveryResult``, one helper that finds a sent message, the
commands they leave out declared in the command table, and channel mentions read by the
adapter (the command layer gets ``discord:…``/``slack:…``)."""

from __future__ import annotations

import inspect
import logging
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.channel import RecentMessages
from bot.adapters.discord import channel as discord_channel
from bot.adapters.discord import commands as discord_commands
from bot.adapters.slack import channel as slack_channel
from bot.adapters.slack import commands as slack_commands
from bot.commands.spec import BY_NAME, offered_on
from bot.models import DeliveryResult, DeliveryStatus

ADAPTERS = Path(__file__).resolve().parent.parent / "bot" / "adapters"


def test_both_platforms_have_the_same_files_classes_and_methods() -> None:
    files = {platform: sorted(p.name for p in (ADAPTERS / platform).glob("*.py"))
             for platform in ("discord", "slack")}  # fmt: skip
    assert files["discord"] == files["slack"]
    assert files["discord"] == [
        "__init__.py", "channel.py", "commands.py", "frontend.py", "kinds.py", "render.py"
    ]  # fmt: skip
    for module in (discord_commands, slack_commands):
        methods = {name for name, _ in inspect.getmembers(module.SlashCommands, callable)}
        assert {"register", "answer", "run", "caller"} <= methods, module.__name__
        assert callable(module.send_reply)
        assert callable(module.reply_pages)
        assert callable(module.channel_mentions)
    for module, bot, hook in (
        (discord_channel, discord_channel.DiscordChannel, discord_channel.DiscordWebhookChannel),
        (slack_channel, slack_channel.SlackChannel, slack_channel.SlackWebhookChannel),
    ):
        for cls in (bot, hook):
            for name in ("deliver", "deliver_digest", "notify"):
                assert name in vars(cls), (cls.__name__, name)
            assert "edit" not in vars(cls)  # no caller: gone
        assert "find_sent" in vars(bot)
        assert "close" in vars(bot)
        assert inspect.signature(module.classify).return_annotation in (
            "DeliveryResult", DeliveryResult
        )  # fmt: skip
    assert not hasattr(slack_channel, "Outcome")


async def refused_connection() -> aiohttp.ClientConnectorError:
    """A real refused connection: nothing listens on 127.0.0.1:9."""
    async with aiohttp.ClientSession() as session:
        try:
            await session.get("http://127.0.0.1:9/")
        except aiohttp.ClientConnectorError as exc:
            return exc
    raise AssertionError("something listens on 127.0.0.1:9")


@pytest.mark.parametrize("module", [discord_channel, slack_channel])
async def test_network_errors_map_the_same_on_both_platforms(module: object) -> None:
    classify = module.classify  # type: ignore[attr-defined]
    never_sent = classify(await refused_connection())
    assert never_sent.status is DeliveryStatus.RETRY
    assert not never_sent.uncertain
    maybe_sent = classify(TimeoutError())
    assert maybe_sent.status is DeliveryStatus.RETRY
    assert maybe_sent.uncertain  # the channel is asked before a resend
    with pytest.raises(KeyError):
        classify(KeyError("a bug is not a delivery result"))


def test_the_commands_a_platform_leaves_out_are_data_in_the_table() -> None:
    discord = {spec.name for spec in offered_on("discord")}
    slack = {spec.name for spec in offered_on("slack")}
    assert "feeds import" not in discord
    assert "feeds export" not in discord
    assert "feeds import" not in slack
    assert "feeds export" in slack
    assert set(BY_NAME) - discord == {"feeds import", "feeds export"}
    assert set(BY_NAME) - slack == {"feeds import"}
    reason = BY_NAME["feeds import"].left_out_on("slack")
    assert reason is not None
    refusal = slack_commands.refused("FEEDS Import <opml/>")
    assert refusal is not None
    assert refusal.error
    assert refusal.title == reason
    assert slack_commands.refused("help feeds import") is None
    assert slack_commands.refused("feeds export") is None
    assert slack_commands.refused('feeds add "unclosed') is None  # the layer says what is wrong


def test_channel_mentions_are_read_by_the_adapters() -> None:
    assert slack_commands.command_text("/alerts", 'add cars "xiaomi and ev" <#C0456EFGH|cars>') == (
        'alerts add cars "xiaomi and ev" slack:C0456EFGH'
    )
    assert slack_commands.channel_mentions("<#C0456EFGH>") == "slack:C0456EFGH"
    assert discord_commands.channel_mentions("ev <#222222222222222222>") == (
        "ev discord:222222222222222222"
    )
    spec = BY_NAME["alerts add"]
    args = discord_commands.arguments(spec, {"name": "cars", "match": "ev <#222222222222222222>"})
    assert args == {"name": "cars", "match": "ev discord:222222222222222222"}


async def test_recent_messages_are_read_once_per_recovery_and_afresh_after_a_post(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reads: list[int] = []
    history = [{"id": "1", "key": "a"}, {"id": "2", "key": "b"}]

    async def read() -> list[dict[str, str]]:
        reads.append(1)
        return history

    recent = RecentMessages("chat:general", read, fresh=60.0)

    def by_key(key: str) -> object:
        return lambda posted: posted["id"] if posted["key"] == key else None

    assert await recent.find(by_key("b")) == "2"  # type: ignore[arg-type]
    assert await recent.find(by_key("a")) == "1"  # type: ignore[arg-type]
    assert await recent.find(by_key("z")) is None  # type: ignore[arg-type]
    assert len(reads) == 1
    recent.forget()
    assert await recent.find(by_key("a")) == "1"  # type: ignore[arg-type]
    assert len(reads) == 2

    async def unreadable() -> list[dict[str, str]]:
        raise PermissionError("missing access")

    blind = RecentMessages("chat:secret", unreadable, fresh=60.0)
    with caplog.at_level(logging.WARNING):
        assert await blind.find(by_key("a")) is None  # type: ignore[arg-type]
    assert "chat:secret: cannot read back recent messages (missing access)" in caplog.text
