"""The Slack channel kinds: ``slack:<channel id>`` (posted by the bot over the Web API) and
``slack-webhook:${DEALBOT_…}`` (an incoming webhook, whose URL is a secret).

Imports no SDK: slack_sdk comes with the channel, when one is built.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.channels.base import Channel
from bot.channels.kinds import ChannelKind, reference_or_url

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


KINDS = (
    ChannelKind("slack", build=build_channel, check=check_channel),
    ChannelKind(
        "slack-webhook",
        build=build_webhook,
        check=reference_or_url("slack-webhook", WEBHOOK_URL, "https://hooks.slack.com/services/…"),
        secret_target=True,
    ),
)
