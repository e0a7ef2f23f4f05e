"""The Slack channel kinds: ``slack:<channel id>`` (posted by the bot over the Web API) and
``slack-webhook:${DEALBOT_…}`` (an incoming webhook, whose URL is a secret).

Imports no SDK: slack_sdk comes with the channel, when one is built.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.channels.base import Channel
from bot.channels.kinds import chat_kinds

if TYPE_CHECKING:
    from bot.config import Settings

WEBHOOK_URL = re.compile(r"https://hooks\.slack\.com/services/[\w/]+")


def check_channel(target: str) -> None:
    if not re.fullmatch(r"[CGD][A-Z0-9]{6,}", target):
        raise ValueError(
            f"slack:{target} is not a channel id; use the id from the channel's details "
            "(like slack:C0123ABCD), not its name"
        )


def build_channel(spec: str, target: str, settings: Settings, _folder: Path) -> Channel:
    from bot.adapters.slack.channel import SlackChannel

    return SlackChannel(spec, target, settings.slack)


def build_webhook(spec: str, target: str, settings: Settings, _folder: Path) -> Channel:
    from bot.adapters.slack.channel import SlackWebhookChannel

    return SlackWebhookChannel(spec, target, settings.slack)


KINDS = chat_kinds(
    "slack",
    check_channel=check_channel,
    build_channel=build_channel,
    build_webhook=build_webhook,
    webhook_url=WEBHOOK_URL,
    example="https://hooks.slack.com/services/…",
)
