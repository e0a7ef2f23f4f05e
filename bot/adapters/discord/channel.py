"""``discord:<channel id>`` and ``discord-webhook:${DEALBOT_…}``: alerts posted as embeds
over Discord's REST API, without the gateway (``dealbot once`` works from cron).

A bot channel sends the outbox id as the message ``nonce`` with ``enforce_nonce``, so a
resend within Discord's nonce window returns the first message instead of posting again;
after a longer outage, ``find_sent`` reads the channel's recent messages (Read Message
History) for the alert. A webhook channel cannot do either: at-least-once.

Errors are sorted once here: 429 and 5xx are retried by discord.py itself and then by the
outbox; a missing access, an unknown channel or a bad token breaks the channel (its
deliveries fail with the reason, other channels go on); a message Discord refuses (400)
fails alone.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, ClassVar

import aiohttp
import discord
from discord.http import HTTPClient, Route, handle_message_parameters

from bot.adapters.channel import RecentMessages, bad_webhook, no_token, warn_literal_webhook
from bot.adapters.discord.render import (
    CONTENT_LIMIT,
    MARKUP,
    NO_MENTIONS,
    alert_embed,
    digest_embed,
)
from bot.adapters.render import fit_plain
from bot.channels.base import Channel
from bot.config import DiscordSettings
from bot.models import AlertMessage, DeliveryResult, Digest, MessageRef
from bot.variables import is_variable_reference, resolve_reference

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "DISCORD_TOKEN"
HISTORY_DEPTH = 50  # messages read back after a crash to find an alert already posted
HISTORY_FRESH = 5.0  # seconds one read serves the lookups of one recovery
TOKEN_RETRY = 600.0  # seconds between tries while the token or the API base is wrong
MAX_RATE_LIMIT_WAIT = 30.0  # longer 429 waits go back to the outbox instead of blocking
# Discord's JSON error codes that mean the channel (not the message) is unusable.
BROKEN_CHANNEL_CODES = {
    10003: "unknown channel",
    10015: "unknown webhook",
    50001: "missing access (is the bot in the server, and can it see the channel?)",
    50013: "missing permissions (Send Messages, Embed Links)",
}


def use_api_base(api_base: str) -> None:
    """Point discord.py (bot client and webhooks) at ``api_base``; process-wide."""
    Route.BASE = api_base.rstrip("/")


def classify(exc: BaseException) -> DeliveryResult:
    """A discord.py or network error as the outbox understands it. Only Discord's own
    codes for a channel it will not serve break the channel; a bad token, a wrong API base
    or a proxy's 404 keep alerts waiting (fixing the set-up sends them)."""
    if isinstance(exc, discord.RateLimited):
        return DeliveryResult.retry("rate limited by Discord", retry_after=exc.retry_after)
    if isinstance(exc, discord.LoginFailure):
        return DeliveryResult.retry(f"{TOKEN_VARIABLE} is not valid", retry_after=TOKEN_RETRY)
    if isinstance(exc, discord.DiscordServerError):  # the message may have been posted
        return DeliveryResult.retry(f"Discord server error {exc.status}", uncertain=True)
    if isinstance(exc, discord.HTTPException):
        reason = BROKEN_CHANNEL_CODES.get(exc.code)
        if reason is not None:
            return DeliveryResult.failed(f"Discord: {reason}", channel_broken=True)
        if exc.status in (401, 404, 429):
            detail = exc.text or f"HTTP {exc.status}"
            return DeliveryResult.retry(f"Discord: {detail}", retry_after=TOKEN_RETRY)
        return DeliveryResult.failed(f"Discord refused the message: {exc.text or exc.status}")
    if isinstance(exc, aiohttp.ClientConnectorError):  # never connected: nothing was sent
        return DeliveryResult.retry(f"cannot reach Discord: {type(exc).__name__}")
    if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError | OSError):
        return DeliveryResult.retry(f"Discord did not answer: {type(exc).__name__}", uncertain=True)
    raise exc


class DiscordRest:
    """One logged-in discord.py HTTP client per token, shared by every bot channel."""

    _shared: ClassVar[dict[str, tuple[DiscordRest, int]]] = {}

    def __init__(self, token: str) -> None:
        self.token = token
        self.user_id: int | None = None
        self._http: HTTPClient | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def acquire(cls, token: str) -> DiscordRest:
        rest, users = cls._shared.get(token, (None, 0))
        if rest is None:
            rest = cls(token)
        cls._shared[token] = (rest, users + 1)
        return rest

    async def release(self) -> None:
        rest, users = self._shared.get(self.token, (self, 1))
        if users > 1:
            self._shared[self.token] = (rest, users - 1)
            return
        self._shared.pop(self.token, None)
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def client(self) -> HTTPClient:
        async with self._lock:
            if self._http is None:
                http = HTTPClient(
                    asyncio.get_running_loop(), max_ratelimit_timeout=MAX_RATE_LIMIT_WAIT
                )
                try:
                    me: Any = await http.static_login(self.token)
                except BaseException:
                    await http.close()
                    raise
                self.user_id = int(me["id"])
                self._http = http
            return self._http


class DiscordChannel(Channel):
    kind = "discord"
    flood_control = True

    def __init__(self, spec: str, channel_id: int, settings: DiscordSettings) -> None:
        super().__init__(spec)
        self.channel_id = channel_id
        use_api_base(settings.api_base)
        token = os.environ.get(TOKEN_VARIABLE, "")
        self.rest = DiscordRest.acquire(token) if token else None
        self.recent = RecentMessages(self.label, self._read_recent, fresh=HISTORY_FRESH)
        if self.rest is None:
            log.warning("%s: %s is not set; its alerts wait", spec, TOKEN_VARIABLE)

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        return await self._post({"embed": alert_embed(message)}, nonce=message.id)

    async def deliver_digest(self, digest: Digest) -> DeliveryResult:
        return await self._post({"embed": digest_embed(digest)}, nonce=digest.id)

    async def deliver_edit(self, ref: MessageRef, message: AlertMessage) -> DeliveryResult:
        """``PATCH /channels/{id}/messages/{id}``: the alert's embed again, as it reads now."""
        if self.rest is None:
            return no_token(TOKEN_VARIABLE)
        try:
            http = await self.rest.client()
            with handle_message_parameters(
                embed=alert_embed(message), allowed_mentions=NO_MENTIONS
            ) as params:
                await http.edit_message(self.channel_id, int(ref.message_id), params=params)
        except Exception as exc:
            return classify(exc)
        return DeliveryResult.sent(ref)

    async def notify(self, text: str) -> DeliveryResult:
        return await self._post({"content": fit_plain(text, CONTENT_LIMIT, MARKUP)}, nonce=None)

    async def _post(self, parts: dict[str, Any], *, nonce: str | None) -> DeliveryResult:
        if self.rest is None:
            return no_token(TOKEN_VARIABLE)
        self.recent.forget()
        try:
            http = await self.rest.client()
            with handle_message_parameters(
                **parts, nonce=nonce, allowed_mentions=NO_MENTIONS
            ) as params:
                data: Any = await http.send_message(self.channel_id, params=params)
        except Exception as exc:
            return classify(exc)
        return DeliveryResult.sent(MessageRef(self.spec, str(data["id"])))

    async def find_sent(self, message: AlertMessage) -> MessageRef | None:
        """The alert among the channel's recent messages by this bot: an embed with the
        same title, link and time, or a digest linking to it."""
        if self.rest is None:
            return None
        wanted = alert_embed(message).to_dict()

        def sent_id(posted: Any) -> str | None:
            if self.rest is None or str(posted.get("author", {}).get("id")) != str(
                self.rest.user_id
            ):
                return None
            for embed in posted.get("embeds", []):
                if _same_alert(embed, wanted) or _digest_links(embed, wanted.get("url")):
                    return str(posted["id"])
            return None

        found = await self.recent.find(sent_id)
        return MessageRef(self.spec, found) if found else None

    async def _read_recent(self) -> list[Any]:
        assert self.rest is not None
        http = await self.rest.client()
        return list(await http.logs_from(self.channel_id, HISTORY_DEPTH))

    async def close(self) -> None:
        if self.rest is not None:
            await self.rest.release()
            self.rest = None


def _same_alert(embed: dict[str, Any], wanted: Any) -> bool:
    return (
        embed.get("title") == wanted.get("title")
        and embed.get("url") == wanted.get("url")
        and str(embed.get("timestamp", ""))[:19] == str(wanted.get("timestamp", ""))[:19]
    )


def _digest_links(embed: dict[str, Any], url: str | None) -> bool:
    return bool(url) and f"]({url})" in str(embed.get("description", ""))


class DiscordWebhookChannel(Channel):
    kind = "discord-webhook"
    flood_control = True

    def __init__(self, spec: str, target: str, settings: DiscordSettings) -> None:
        super().__init__(spec)
        use_api_base(settings.api_base)
        if not is_variable_reference(target):
            warn_literal_webhook(self.label, self.kind)
        self._target = target
        self._session: aiohttp.ClientSession | None = None

    def _webhook(self) -> discord.Webhook:
        url = resolve_reference(self._target)  # read at each send: a rotated URL applies
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return discord.Webhook.from_url(url, session=self._session)

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        return await self._post(alert_embed(message))

    async def deliver_digest(self, digest: Digest) -> DeliveryResult:
        return await self._post(digest_embed(digest))

    async def deliver_edit(self, ref: MessageRef, message: AlertMessage) -> DeliveryResult:
        """``PATCH /webhooks/{id}/{token}/messages/{id}``: alerts are posted with
        ``wait=true``, so their id is known and the webhook may edit them."""
        try:
            await self._webhook().edit_message(
                int(ref.message_id), embed=alert_embed(message), allowed_mentions=NO_MENTIONS
            )
        except Exception as exc:
            return _webhook_problem(exc)
        return DeliveryResult.sent(ref)

    async def notify(self, text: str) -> DeliveryResult:
        try:
            await self._webhook().send(
                content=fit_plain(text, CONTENT_LIMIT, MARKUP), allowed_mentions=NO_MENTIONS
            )
        except Exception as exc:
            return _webhook_problem(exc)
        return DeliveryResult.sent(None)

    async def _post(self, embed: discord.Embed) -> DeliveryResult:
        try:
            sent = await self._webhook().send(embed=embed, allowed_mentions=NO_MENTIONS, wait=True)
        except Exception as exc:
            return _webhook_problem(exc)
        return DeliveryResult.sent(MessageRef(self.spec, str(sent.id)))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _webhook_problem(exc: Exception) -> DeliveryResult:
    if isinstance(exc, ValueError):  # no variable, or not a webhook URL
        return bad_webhook(exc)
    return classify(exc)
