"""Slack slash commands for ``dealbot run``: Socket Mode or HTTP mode, on slack-bolt.

Alerts do not need it (they go over the Web API, see ``channel``); it exists for slash
commands. ``settings.slack.mode`` chooses: ``socket`` connects out to Slack with the app
token ``SLACK_APP_TOKEN`` (no public URL needed); ``http`` serves Bolt's default path
``/slack/events`` on ``settings.slack.host:port`` and verifies every request with
``SLACK_SIGNING_SECRET`` (a bad or stale signature is answered 401); ``auto`` takes Socket
Mode when the app token is set, else HTTP mode when the signing secret is. Without the
tokens a mode needs, a warning is logged and the bot runs without Slack commands.
``start`` returns at once (Socket Mode connects, and reconnects, in the background);
``stop`` closes the socket or the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Literal

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_server import AsyncSlackAppServer
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import choose_mode
from bot.adapters.slack.channel import web_client
from bot.adapters.slack.commands import Managers, SlashCommands
from bot.commands.service import Commands

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"  # Bolt's default; the manifest's request URLs point here
STOP_WAIT = 5.0  # seconds stop() waits for a connection attempt to end
AUTH_TEST_WAIT = 1.5  # seconds the first command may spend asking who the app is

Mode = Literal["socket", "http"]


class _ClientTokenNotice(logging.Filter):
    """Quiets Bolt where it repeats itself. Bolt reads SLACK_BOT_TOKEN from the environment
    and warns that it goes unused when a client (or an authorize function) is given; both
    hold that same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Failed to connect"):  # retried every 10 s: one line, no trace
            record.exc_info = record.exc_text = None
        return "`token` will be unused" not in message and "will be ignored" not in message


def bolt_logger() -> logging.Logger:
    logger = logging.getLogger("bot.adapters.slack.bolt")
    if not any(isinstance(f, _ClientTokenNotice) for f in logger.filters):
        logger.addFilter(_ClientTokenNotice())
    return logger


def bolt_app(commands: Commands, *, bot_token: str, signing_secret: str, api_base: str) -> AsyncApp:
    """A Bolt app with every slash command, whose Web API calls go to ``api_base``."""
    client = web_client(bot_token, api_base)
    bolt = AsyncApp(
        name="dealbot",
        client=client,
        signing_secret=signing_secret,
        request_verification_enabled=True,  # HTTP mode: signature and timestamp checked
        authorize=cached_identity(client),  # type: ignore[arg-type]  # None: not authorized
        logger=bolt_logger(),
    )
    SlashCommands(commands, Managers(client)).register(bolt)
    return bolt


def cached_identity(
    client: AsyncWebClient,
) -> Callable[[], Awaitable[AuthorizeResult | None]]:
    """Bolt's authorization step, which runs before a command is acknowledged: the app's
    identity (``auth.test``) asked once, within ``AUTH_TEST_WAIT``, then remembered, so no
    command waits on a slow or rate-limited ``auth.test`` past Slack's 3 seconds."""
    known: list[AuthorizeResult] = []

    async def authorize() -> AuthorizeResult | None:
        if not known:
            try:
                answer = await asyncio.wait_for(client.auth_test(), AUTH_TEST_WAIT)
            except (TimeoutError, SlackApiError, SlackClientError, OSError) as exc:
                log.warning("slack: auth.test failed (%s); the command is refused, the next "
                            "one asks again", type(exc).__name__)  # fmt: skip
                return None  # Bolt answers the user that the app cannot act right now
            known.append(
                AuthorizeResult.from_auth_test_response(
                    bot_token=client.token, auth_test_response=answer
                )
            )
        return known[0]

    return authorize


class SlackFrontend:
    name = "slack"

    def __init__(
        self,
        bolt: AsyncApp,
        mode: Mode,
        *,
        app_token: str = "",
        host: str = "0.0.0.0",
        port: int = 3000,
    ) -> None:
        self.bolt = bolt
        self.mode: Mode = mode
        self.app_token = app_token
        self.host = host
        self.port = port
        self._socket: AsyncSocketModeHandler | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        if self.mode == "socket":
            self._socket = AsyncSocketModeHandler(self.bolt, self.app_token)
            self._connecting = asyncio.create_task(self._connect(self._socket))
            return
        await self._serve()

    async def _connect(self, handler: AsyncSocketModeHandler) -> None:
        """slack_sdk's Socket Mode client retries until it is connected or closed."""
        try:
            await handler.connect_async()  # type: ignore[no-untyped-call]
            log.info("slack: connected in Socket Mode")
        except Exception:
            log.exception("slack: the Socket Mode connection failed")

    async def _serve(self) -> None:
        server = AsyncSlackAppServer(port=self.port, path=EVENTS_PATH, app=self.bolt,
                                     host=self.host)  # fmt: skip
        runner = web.AppRunner(server.web_app, handle_signals=False, shutdown_timeout=2.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            log.error("slack: cannot listen on %s:%d (%s); running without slash commands",
                      self.host, self.port, exc)  # fmt: skip
            return
        self._runner = runner
        log.info("slack: HTTP mode, serving %s on %s:%d", EVENTS_PATH, self.host, self.port)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._connecting, STOP_WAIT)
            self._connecting = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def slack_frontend(app: App, environ: Mapping[str, str]) -> SlackFrontend | None:
    """The slash-command listener ``settings.slack.mode`` asks for, or None (with a
    warning) when a token it needs is missing."""
    settings = app.config.settings.slack
    bot_token = environ.get("SLACK_BOT_TOKEN", "")
    app_token = environ.get("SLACK_APP_TOKEN", "")
    secret = environ.get("SLACK_SIGNING_SECRET", "")
    mode = choose_mode(settings.mode, environ)
    problem = None
    if not bot_token:
        problem = "SLACK_BOT_TOKEN is not set"
    elif mode is None:
        problem = ("set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for HTTP "
                   "mode")  # fmt: skip
    elif mode == "socket" and not app_token:
        problem = "Socket Mode needs SLACK_APP_TOKEN (an xapp-… app-level token)"
    elif mode == "http" and not secret:
        problem = "HTTP mode needs SLACK_SIGNING_SECRET"
    if problem is not None or mode is None:
        log.warning("slack: %s; running without Slack slash commands", problem)
        return None
    bolt = bolt_app(Commands(app.services), bot_token=bot_token, signing_secret=secret,
                    api_base=settings.api_base)  # fmt: skip
    return SlackFrontend(bolt, mode, app_token=app_token, host=settings.host, port=settings.port)
