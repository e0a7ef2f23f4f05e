"""The chat platforms: Discord and Slack, each a package of its own with the same shape
(``kinds`` declares its channel kinds, ``render`` draws messages, ``channel`` posts alerts,
``commands`` turns slash commands into command-layer calls, ``frontend`` listens for them).

The core knows the platforms' channel kinds by the name of their ``kinds`` module
(``bot.channels.kinds``), which imports no SDK: a platform's SDK is only imported when one
of its channels or front ends is built. ``frontends()`` lists the listeners to start for
``dealbot run``, one per platform whose tokens are set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from bot.adapters.slack import choose_mode
from bot.config import Config
from bot.text import plural

if TYPE_CHECKING:
    from bot.app import App


class Frontend(Protocol):
    """A platform's listener for slash commands, run beside the scheduler."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


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
        mode = choose_mode(config.settings.slack.mode, environ)
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
