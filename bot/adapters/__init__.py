"""The chat platforms: Discord and Slack, each a package of its own with the same shape
(``render`` draws messages, ``channel`` posts alerts, ``commands`` turns slash commands
into command-layer calls, ``frontend`` listens for them).

``install()`` teaches the core the chat channel kinds (``discord:…``, ``discord-webhook:…``,
``slack:…``, ``slack-webhook:…``) without importing any SDK: a platform's package is only
imported when one of its channels or front ends is built. ``frontends()`` lists the
listeners to start for ``dealbot run``, one per platform whose tokens are set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from bot.channels import FACTORIES, Channel
from bot.config import (
    CHANNEL_KINDS,
    SECRET_TARGET_KINDS,
    Config,
    Settings,
    is_variable_reference,
)
from bot.text import plural

if TYPE_CHECKING:
    from bot.app import App

DISCORD_WEBHOOK_URL = re.compile(
    r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d+)?/webhooks/\d{15,21}/[\w-]+"
)
SLACK_WEBHOOK_URL = re.compile(r"https://hooks\.slack\.com/services/[\w/]+")


class Frontend(Protocol):
    """A platform's listener for slash commands, run beside the scheduler."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def check_discord_channel(target: str) -> None:
    if not re.fullmatch(r"\d{15,21}", target):
        raise ValueError(
            f"discord:{target} is not a channel id; copy it with Developer Mode on "
            "(a number like discord:123456789012345678)"
        )


def check_slack_channel(target: str) -> None:
    if not re.fullmatch(r"[CGD][A-Z0-9]{6,}", target):
        raise ValueError(
            f"slack:{target} is not a channel id; use the id from the channel's details "
            "(like slack:C0123ABCD), not its name"
        )


def _webhook_check(kind: str, pattern: re.Pattern[str], example: str) -> Callable[[str], None]:
    def check(target: str) -> None:
        if is_variable_reference(target) or pattern.fullmatch(target):
            return
        raise ValueError(
            f"{kind}: needs ${{DEALBOT_…}} naming an environment variable that holds the "
            f"webhook URL (or the URL itself, {example})"
        )

    return check


def _discord_channel(spec: str, target: str, settings: Settings, _folder: Path) -> Channel:
    from bot.adapters.discord.channel import DiscordChannel

    return DiscordChannel(spec, int(target), settings.discord)


def _discord_webhook(spec: str, target: str, settings: Settings, _folder: Path) -> Channel:
    from bot.adapters.discord.channel import DiscordWebhookChannel

    return DiscordWebhookChannel(spec, target, settings.discord)


def _slack_channel(spec: str, target: str, settings: Settings, _folder: Path) -> Channel:
    from bot.adapters.slack.channel import SlackChannel

    return SlackChannel(spec, target, settings.slack)


def _slack_webhook(spec: str, target: str, settings: Settings, _folder: Path) -> Channel:
    from bot.adapters.slack.channel import SlackWebhookChannel

    return SlackWebhookChannel(spec, target, settings.slack)


def install() -> None:
    """Register the chat channel kinds (idempotent)."""
    CHANNEL_KINDS.update(
        {
            "discord": check_discord_channel,
            "discord-webhook": _webhook_check(
                "discord-webhook", DISCORD_WEBHOOK_URL, "https://discord.com/api/webhooks/…"
            ),
            "slack": check_slack_channel,
            "slack-webhook": _webhook_check(
                "slack-webhook", SLACK_WEBHOOK_URL, "https://hooks.slack.com/services/…"
            ),
        }
    )
    SECRET_TARGET_KINDS.update({"discord-webhook", "slack-webhook"})
    FACTORIES.update(
        {
            "discord": _discord_channel,
            "discord-webhook": _discord_webhook,
            "slack": _slack_channel,
            "slack-webhook": _slack_webhook,
        }
    )


def choose_slack_mode(setting: str, environ: Mapping[str, str]) -> Literal["socket", "http"] | None:
    """``settings.slack.mode`` resolved: ``auto`` is Socket Mode with an app token, else
    HTTP mode with a signing secret, else none."""
    if setting == "socket":
        return "socket"
    if setting == "http":
        return "http"
    if environ.get("SLACK_APP_TOKEN"):
        return "socket"
    if environ.get("SLACK_SIGNING_SECRET"):
        return "http"
    return None


def platform_status(config: Config, environ: Mapping[str, str] | None = None) -> list[str]:
    """What ``dealbot check`` says of the chat platforms: which tokens are set (never their
    values) and what that means for the channels in feeds.yaml."""
    environ = os.environ if environ is None else environ
    kinds = [spec.partition(":")[0] for spec in config.channels()]
    lines = []
    discord = sum(kind.startswith("discord") for kind in kinds)
    if environ.get("DISCORD_TOKEN"):
        lines.append(f"discord: DISCORD_TOKEN set; {plural(discord, 'channel')}; slash commands "
                     "on run")  # fmt: skip
    elif discord:
        lines.append(f"discord: DISCORD_TOKEN not set; alerts to {plural(discord, 'channel')} wait")
    slack = sum(kind.startswith("slack") for kind in kinds)
    if environ.get("SLACK_BOT_TOKEN"):
        mode = choose_slack_mode(config.settings.slack.mode, environ)
        how = {
            "socket": "Socket Mode",
            "http": f"HTTP mode on port {config.settings.slack.port}",
            None: "none (set SLACK_APP_TOKEN or SLACK_SIGNING_SECRET)",
        }[mode]
        lines.append(
            f"slack: SLACK_BOT_TOKEN set; {plural(slack, 'channel')}; slash commands: {how}"
        )
    elif slack:
        lines.append(f"slack: SLACK_BOT_TOKEN not set; alerts to {plural(slack, 'channel')} wait")
    return lines


def frontends(app: App, environ: Mapping[str, str] | None = None) -> list[Frontend]:
    """The slash-command listeners whose tokens are set in the environment."""
    environ = os.environ if environ is None else environ
    found: list[Frontend] = []
    if environ.get("DISCORD_TOKEN"):
        from bot.adapters.discord.frontend import DiscordFrontend

        found.append(DiscordFrontend(app, environ["DISCORD_TOKEN"]))
    if environ.get("SLACK_BOT_TOKEN"):
        from bot.adapters.slack.frontend import slack_frontend

        frontend = slack_frontend(app, environ)
        if frontend is not None:
            found.append(frontend)
    return found
