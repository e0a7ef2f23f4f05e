"""The Discord channel kinds: ``discord:<channel id>`` (posted by the bot over REST) and
``discord-webhook:${DEALBOT_…}`` (an incoming webhook, whose URL is a secret).

Imports no SDK: discord.py comes with the channel, when one is built.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.channels.base import Channel
from bot.channels.kinds import chat_kinds

if TYPE_CHECKING:
    from bot.config import Settings

WEBHOOK_URL = re.compile(
    r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d+)?/webhooks/\d{15,21}/[\w-]+"
)


def check_channel(target: str) -> None:
    if not re.fullmatch(r"\d{15,21}", target):
        raise ValueError(
            f"discord:{target} is not a channel id; copy it with Developer Mode on "
            "(a number like discord:123456789012345678)"
        )


def build_channel(spec: str, target: str, settings: Settings, _folder: Path) -> Channel:
    from bot.adapters.discord.channel import DiscordChannel

    return DiscordChannel(spec, int(target), settings.discord)


def build_webhook(spec: str, target: str, settings: Settings, _folder: Path) -> Channel:
    from bot.adapters.discord.channel import DiscordWebhookChannel

    return DiscordWebhookChannel(spec, target, settings.discord)


KINDS = chat_kinds(
    "discord",
    check_channel=check_channel,
    build_channel=build_channel,
    build_webhook=build_webhook,
    webhook_url=WEBHOOK_URL,
    example="https://discord.com/api/webhooks/…",
)
