"""The Discord gateway connection for ``dealbot run``: slash commands in, nothing else.

Alerts do not need it (they go over REST, see ``channel``); it exists for interactions.
It asks for no privileged intents. On start it logs in, syncs the slash commands (to
``settings.discord.guild_ids`` when given: instant; else globally: up to an hour to show)
and connects in the background; a bad token is logged and the bot goes on without Discord.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.adapters.discord.channel import use_api_base
from bot.adapters.discord.commands import install_commands
from bot.commands.service import Commands

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


class DealbotClient(discord.Client):
    def __init__(self, commands: Commands, guild_ids: tuple[int, ...]) -> None:
        super().__init__(intents=discord.Intents.none())
        self.guild_ids = guild_ids
        self.tree: app_commands.CommandTree[Any] = app_commands.CommandTree(self)
        install_commands(self.tree, commands)

    async def setup_hook(self) -> None:
        await sync_commands(self.tree, self.guild_ids)


async def sync_commands(tree: app_commands.CommandTree[Any], guild_ids: tuple[int, ...]) -> None:
    if not guild_ids:
        synced = await tree.sync()
        log.info("discord: %d slash commands synced globally (may take an hour)", len(synced))
        return
    for guild_id in guild_ids:
        guild = discord.Object(id=guild_id)
        tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
        log.info("discord: %d slash commands synced to guild %d", len(synced), guild_id)


class DiscordFrontend:
    name = "discord"

    def __init__(self, app: App, token: str) -> None:
        self.app = app
        self.token = token
        self.client: DealbotClient | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        settings = self.app.config.settings.discord
        use_api_base(settings.api_base)
        client = DealbotClient(Commands(self.app), settings.guild_ids)
        try:
            await client.login(self.token)
        except (discord.LoginFailure, discord.HTTPException, OSError) as exc:
            log.error("discord: cannot log in (%s); running without slash commands", exc)
            await client.close()
            return
        self.client = client
        self._task = asyncio.create_task(self._connect(client))

    async def _connect(self, client: DealbotClient) -> None:
        try:
            await client.connect(reconnect=True)
        except Exception:
            log.exception("discord: the gateway connection ended")

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.close()
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=5)
            self._task.cancel()
