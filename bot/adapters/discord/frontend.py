"""The Discord gateway connection for ``dealbot run``: slash commands in, nothing else.

Alerts do not need it (they go over REST, see ``channel``); it exists for interactions.
It asks for no privileged intents (guilds only). On start it logs in, syncs the slash commands (to
``settings.discord.guild_ids`` when given: instant; else globally: up to an hour to show)
and connects in the background; a bad token is logged and the bot goes on without Discord.

One bot token has one gateway session: when several workers share a database
(``store.shared``), only the worker holding the store's ``discord-gateway`` lock connects.
The others try for the lock every few seconds; when its holder dies, its session and lock
go with it and another worker connects. A holder that loses its database session (and so
the lock) closes its gateway connection, since another worker may take over meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.adapters.discord.channel import use_api_base
from bot.adapters.discord.commands import SlashCommands
from bot.backoff import RECONNECT_BACKOFF
from bot.commands.service import Commands
from bot.errors import StorageError

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

LOGIN_WAIT = 10.0  # seconds start() waits for the login before going on
GATEWAY_LOCK = "discord-gateway"  # Store.exclusive: the worker that holds the gateway
LEADER_CHECK = 5.0  # seconds between checks of the lock, by its holder and by the others
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
        not up yet is retried with backoff; a token Discord refuses is not. On a shared
        database, only while this worker holds the gateway lock."""
        use_api_base(self.app.config.settings.discord.api_base)
        if self.app.store.shared:
            self._task = asyncio.create_task(self._lead())
            return
        self._task = asyncio.create_task(self._login_then_connect())
        await asyncio.wait({self._task}, timeout=LOGIN_WAIT)  # a quick start logs in now

    async def _lead(self) -> None:
        """Hold the gateway while this worker holds the lock; try for it otherwise. Ends
        when the gateway connection ends for good (a refused token)."""
        while True:
            try:
                async with self.app.store.exclusive(GATEWAY_LOCK) as lock:
                    if lock.held and not await self._hold(lock.alive):
                        return
            except StorageError as exc:
                log.warning("discord: cannot ask for the gateway lock: %s", exc)
            await asyncio.sleep(LEADER_CHECK)

    async def _hold(self, alive: Callable[[], Awaitable[bool]]) -> bool:
        """Connect and stay connected while ``alive()``; False when the connection ended
        by itself (nothing to take over), True when the lock was lost."""
        log.info("discord: this worker holds the gateway connection")
        connecting = asyncio.create_task(self._login_then_connect())
        try:
            while await alive():
                done, _ = await asyncio.wait({connecting}, timeout=LEADER_CHECK)
                if done:
                    return False
            log.warning("discord: the gateway lock was lost; disconnecting")
            return True
        finally:
            if self.client is not None:
                await self.client.close()
                self.client = None
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await connecting

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
