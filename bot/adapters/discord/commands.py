"""Slash commands on Discord, generated from the command table: ``/news``, ``/search``,
``/status``, ``/help``, and the groups ``/feeds``, ``/topics``, ``/alerts``; the commands
the table leaves out on Discord (``feeds import``, ``feeds export``) are not offered.

``SlashCommands`` registers them on a command tree; each callback turns the interaction
into a ``Caller`` and an ``Invocation`` and runs it through the command layer, which owns
the admin rule: on Discord a manager is a member with Manage Server (or Administrator) in
that guild. Replies answer within Discord's 3-second window: a command still running after
``DEFER_AFTER`` seconds is deferred and answered by a follow-up. Errors and edits are
ephemeral, ``/news`` answers in the channel, and a long list arrives as pages. A channel
picked in an option (``<#123…>``) reaches the command layer as ``discord:123…``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import shlex
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.render import NO_MENTIONS, reply_embeds
from bot.adapters.render import paginate
from bot.commands.reply import Caller, Reply
from bot.commands.service import Commands
from bot.commands.spec import NAME, Arguments, CommandSpec, Invocation, Param, offered_on

log = logging.getLogger(__name__)

DEFER_AFTER = 1.5  # seconds; Discord drops an interaction not answered within 3
ITEMS_PER_PAGE = 9  # one head embed plus nine items: Discord's ten embeds per message
CHARS_PER_PAGE = 3500  # of lines, in the head embed's 4096 after escaping
PLATFORM = "discord"
GROUP_HELP = {
    "feeds": "the feeds polled: list, health, add, remove, pause, resume, interval",
    "topics": "topics and their match terms",
    "alerts": "alert rules: list, add, remove, test, mute",
}
CHOICES_LIMIT = 25
Choice = app_commands.Choice[str]
_CHANNEL_MENTION = re.compile(r"<#(\d+)>")


class SlashCommands:
    """Runs slash commands through the command layer and answers them."""

    def __init__(self, commands: Commands) -> None:
        self.commands = commands

    def register(self, tree: app_commands.CommandTree[Any]) -> None:
        """Every command the table offers on Discord, in groups (``/feeds add``)."""
        groups: dict[str, app_commands.Group] = {}
        for spec in offered_on(PLATFORM):
            command = self._slash_command(spec)
            if len(spec.path) == 1:
                tree.add_command(command)
                continue
            group = groups.get(spec.path[0])
            if group is None:
                group = app_commands.Group(name=spec.path[0], description=GROUP_HELP[spec.path[0]])
                groups[spec.path[0]] = group
                tree.add_command(group)
            group.add_command(command)

    def _slash_command(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
        async def callback(interaction: discord.Interaction[Any], **options: Any) -> None:
            await self.answer(interaction, spec, options)

        parameters = [
            inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                              annotation=discord.Interaction)
        ]  # fmt: skip
        for param in spec.params:
            parameters.append(
                inspect.Parameter(
                    param.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=_annotation(param),
                    default=inspect.Parameter.empty if param.required else None,
                )
            )
        callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
            param.name: (param.help or _default_help(param))[:100] for param in spec.params
        }
        command: app_commands.Command[Any, ..., None] = app_commands.Command(
            name=spec.path[-1], description=spec.summary[:100], callback=callback
        )
        for param in spec.params:
            source = _choices_source(spec, param)
            if source is not None:
                command.autocomplete(param.name)(_autocomplete(self.commands, source))
        return command

    async def answer(
        self, interaction: discord.Interaction[Any], spec: CommandSpec, options: dict[str, Any]
    ) -> None:
        """Run the command; reply in time, deferring when it takes longer than DEFER_AFTER."""
        invocation = Invocation(spec, arguments(spec, options))
        work = asyncio.ensure_future(self.run(await self.caller(interaction), invocation))
        done, _ = await asyncio.wait({work}, timeout=DEFER_AFTER)
        if not done:
            await interaction.response.defer(ephemeral=spec.name != "news", thinking=True)
        reply = await work
        await send_reply(interaction, reply)

    async def run(self, caller: Caller, invocation: Invocation) -> Reply:
        """The command's reply; an unexpected error (a database problem…) still answers."""
        try:
            return await self.commands.run(caller, invocation)
        except Exception:
            log.exception("discord: /%s failed", invocation.spec.name)
            return Reply.failure(f"{invocation.spec.name} failed unexpectedly; see the bot's log")

    async def caller(self, interaction: discord.Interaction[Any]) -> Caller:
        """Who typed the command. Managing *a* server is not enough when
        ``settings.discord.guild_ids`` names the servers the bot serves: a stranger who adds
        the bot to their own server manages that one."""
        guild_ids = self.commands.config.settings.discord.guild_ids
        permissions = interaction.permissions
        in_guild = interaction.guild_id is not None and (
            not guild_ids or interaction.guild_id in guild_ids
        )
        return Caller(
            platform=PLATFORM,
            user_id=str(interaction.user.id),
            is_manager=in_guild and (permissions.manage_guild or permissions.administrator),
            channel=f"{PLATFORM}:{interaction.channel_id}" if interaction.channel_id else None,
            display_name=interaction.user.display_name,
        )


def _annotation(param: Param) -> Any:
    if param.kind == "int":
        return app_commands.Range[int, param.low, param.high]
    return app_commands.Range[str, 1, 500]


def _default_help(param: Param) -> str:
    return {
        "duration": "a duration like 30m, 2h or 1d",
        "words": "one or more words; quote a phrase",
        "text": "free text",
        "int": f"a number from {param.low} to {param.high}",
    }.get(param.kind, param.name)


def _choices_source(spec: CommandSpec, param: Param) -> str | None:
    """Which names autocomplete offers for a parameter: feeds, topics or alerts."""
    if param is NAME and spec.path[0] in ("feeds", "alerts"):
        return spec.path[0]
    if param.name == "topic":
        return "topics"
    if param.name == "alert":
        return "alerts"
    return None


def _autocomplete(
    commands: Commands, source: str
) -> Callable[[discord.Interaction[Any], str], Coroutine[Any, Any, list[Choice]]]:
    async def suggest(_interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        return [
            app_commands.Choice(name=name, value=name)
            for name in suggestions(commands, source, current)
        ]

    return suggest


def suggestions(commands: Commands, source: str, current: str) -> list[str]:
    config = commands.config
    names = {
        "feeds": [feed.name for feed in config.feeds],
        "topics": list(config.topics),
        "alerts": [alert.name for alert in config.alerts],
    }[source]
    typed = current.casefold().strip()
    starts = [name for name in names if name.startswith(typed)]
    inside = [name for name in names if typed in name and name not in starts]
    return (starts + inside)[:CHOICES_LIMIT]


def arguments(spec: CommandSpec, options: dict[str, Any]) -> Arguments:
    """Slash-command options as the command layer's raw arguments, channel mentions
    written as channels."""
    args: Arguments = {}
    for param in spec.params:
        value = options.get(param.name)
        if value is None:
            continue
        text = channel_mentions(str(value))
        if param.kind == "words":
            try:
                args[param.name] = shlex.split(text)
            except ValueError:
                args[param.name] = text.split()
        else:
            args[param.name] = text
    return args


def channel_mentions(text: str) -> str:
    """A channel mention (``<#123…>``, as Discord sends a channel picked in a command) as
    the channel the command layer knows: ``discord:123…``."""
    return _CHANNEL_MENTION.sub(lambda found: f"{PLATFORM}:{found.group(1)}", text)


def reply_pages(reply: Reply) -> list[Reply]:
    """A reply cut into pages that each fit one Discord message."""
    return paginate(reply, items_per_page=ITEMS_PER_PAGE, chars_per_page=CHARS_PER_PAGE)


async def send_reply(interaction: discord.Interaction, reply: Reply) -> None:
    """The reply as the interaction's answer, then follow-ups, one message a page."""
    ephemeral = reply.ephemeral or reply.error
    for page in reply_pages(reply):
        embeds = reply_embeds(page)
        if not interaction.response.is_done():
            await interaction.response.send_message(
                embeds=embeds, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.followup.send(
                embeds=embeds, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
            )
