"""The Discord gateway connection for ``dealbot run``: slash commands in, nothing else.

Alerts do not need it (they go over REST, see ``channel``); it exists for interactions.
It asks for no privileged intents (guilds only). On start it logs in, syncs the slash commands (to
``settings.discord.guild_ids`` when given: instant; else globally: up to an hour to show)
and connects in the background; a bad token is logged and the bot goes on without Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.adapters.discord.channel import use_api_base
from bot.adapters.discord.commands import SlashCommands
from bot.backoff import RECONNECT_BACKOFF
from bot.commands.service import Commands

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

LOGIN_WAIT = 10.0  # seconds start() waits for the login before going on
RECONNECT = RECONNECT_BACKOFF  # between tries while Discord cannot be reached


class DealbotClient(discord.Client):
    def __init__(self, commands: Commands, guild_ids: tuple[int, ...]) -> None:
        # Guilds only (not privileged): interactions need no more, and no voice.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(intents=discord.Intents(guilds=True))
        self.guild_ids = guild_ids
        self.tree: app_commands.CommandTree[Any] = app_commands.CommandTree(self)
        SlashCommands(commands).register(self.tree)

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
        """Log in (syncing the commands) and connect, in the background: a network that is
        not up yet is retried with backoff; a token Discord refuses is not."""
        use_api_base(self.app.config.settings.discord.api_base)
        self._task = asyncio.create_task(self._login_then_connect())
        await asyncio.wait({self._task}, timeout=LOGIN_WAIT)  # a quick start logs in now

    async def _login_then_connect(self) -> None:
        for attempt in itertools.count(1):
            settings = self.app.config.settings.discord
            client = DealbotClient(Commands(self.app.services), settings.guild_ids)
            try:
                await client.login(self.token)
            except discord.LoginFailure:
                log.error("discord: DISCORD_TOKEN was refused; running without slash commands")
                await client.close()
                return
            except (discord.HTTPException, OSError) as exc:
                await client.close()
                delay = RECONNECT.delay(attempt)
                log.error("discord: cannot log in (%s); trying again in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                continue
            self.client = client
            await self._connect(client)
            return

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
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
