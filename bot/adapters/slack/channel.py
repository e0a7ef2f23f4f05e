"""``slack:<channel id>`` and ``slack-webhook:${DEALBOT_…}``: alerts posted as Block Kit
messages over Slack's Web API (``chat.postMessage``) or an incoming webhook, without a
socket (``dealbot once`` works from cron).

Slack has no idempotency key, so every message carries its outbox id in message
``metadata``. Before an alert is sent again after a crash (the outbox's ``find_sent``) or
after an attempt whose fate is unknown (a timeout, a dropped connection, a 5xx: the message
may have been posted), the channel's recent history is read (``conversations.history``
with ``include_all_metadata``) and the alert is taken as sent when it is there. A webhook
answers no ``ts`` and cannot be read back: at-least-once.

At most one message a second goes to a channel (Slack's own rule for ``chat.postMessage``;
the channel waits its turn). Errors are sorted once here: a 429 is retried by slack_sdk
when Slack asks for a short wait, else handed to the outbox with its Retry-After; 5xx and
network errors are retried from the outbox; an unknown channel, a bot not in it, a bad or
revoked token or an archived channel breaks the channel (its deliveries fail with the
reason, other channels go on); anything else Slack refuses fails that message alone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import time
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient
from yarl import URL

from bot.adapters.channel import RecentMessages, bad_webhook, no_token, warn_literal_webhook
from bot.adapters.render import fit_plain
from bot.adapters.slack.render import (
    ALERT_EVENT,
    DIGEST_EVENT,
    FALLBACK_TEXT_LIMIT,
    MARKUP,
    alert_blocks,
    alert_metadata,
    alert_text,
    digest_blocks,
    digest_metadata,
    digest_text,
)
from bot.backoff import parse_retry_after
from bot.channels.base import Channel
from bot.config import SlackSettings
from bot.models import AlertMessage, DeliveryResult, Digest, MessageRef
from bot.variables import is_variable_reference, resolve_reference

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "SLACK_BOT_TOKEN"
REQUEST_TIMEOUT = 15  # seconds per Web API or webhook call
MESSAGE_INTERVAL = 1.0  # seconds between two messages to one channel
MAX_INLINE_WAIT = 5.0  # a 429 asking for longer goes back to the outbox instead of blocking
HISTORY_DEPTH = 200  # recent messages read back to find an alert already posted
HISTORY_FRESH = 10.0  # seconds a read of the history serves several look-ups (a recovery)

# Slack errors that mean the channel (or the token), not the message, is unusable.
BROKEN_CHANNEL_ERRORS = {
    "channel_not_found": "channel not found (use its id, like slack:C0123ABCD)",
    "not_in_channel": "the bot is not in the channel (invite it, or grant chat:write.public)",
    "is_archived": "the channel is archived",
    "invalid_auth": f"{TOKEN_VARIABLE} is not valid",
    "not_authed": f"{TOKEN_VARIABLE} is not valid",
    "account_inactive": "the bot's account is deactivated",
    "token_revoked": f"{TOKEN_VARIABLE} was revoked",
    "token_expired": f"{TOKEN_VARIABLE} has expired",
    "missing_scope": "the app lacks a scope (reinstall it from slack-manifest.yaml)",
    "restricted_action": "the workspace does not let the bot post there",
    "team_access_not_granted": "the token has no access to this workspace",
}
# Errors that may pass: the message was not posted, or (a server's trouble) may have been.
RATE_LIMIT_ERRORS = {"ratelimited", "rate_limited"}
SERVER_ERRORS = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
# Incoming-webhook errors (plain text) that mean the webhook itself is unusable.
BROKEN_WEBHOOK_ERRORS = {
    "invalid_token", "action_prohibited", "posting_to_general_channel_denied",
    "team_disabled", "channel_not_found", "channel_is_archived", "no_service",
    "no_service_id", "no_team", "team_not_found", "user_not_found", "expired_url",
}  # fmt: skip


# ---------------------------------------------------------------------- the web client


class ShortRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler (it sleeps for Retry-After and tries again), for short waits
    only: a longer one is left to the outbox, which keeps the alert pending meanwhile."""

    def __init__(self, max_wait: float = MAX_INLINE_WAIT) -> None:
        super().__init__(max_retry_count=1)
        self.max_wait = max_wait

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after(response.headers)
        return wait is not None and wait <= self.max_wait


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retries that cannot post a message twice: a short 429 (nothing was posted) and a
    connection that could not even be opened. A timeout or a 5xx may have posted it: those
    go back to the outbox, which checks the channel before sending again."""
    return [
        ShortRateLimitRetryHandler(),
        AsyncConnectionErrorRetryHandler(error_types=[aiohttp.ClientConnectorError]),
    ]


def web_client(token: str, api_base: str) -> AsyncWebClient:
    """A Web API client on ``api_base`` (``settings.slack.api_base``; slack_sdk wants the
    trailing slash)."""
    return AsyncWebClient(
        token=token,
        base_url=api_base.rstrip("/") + "/",
        timeout=REQUEST_TIMEOUT,
        retry_handlers=retry_handlers(),
    )


def retry_after(headers: Any) -> float | None:
    """Retry-After in seconds from a header mapping whose values may be lists."""
    for name in headers or ():
        if str(name).lower() == "retry-after":
            value = headers[name]
            if isinstance(value, list | tuple):
                value = value[0] if value else None
            return parse_retry_after(value)
    return None


# ----------------------------------------------------------------------------- pacing


class Pacer:
    """At most one message per ``interval`` seconds; callers wait their turn in order."""

    def __init__(self, interval: float = MESSAGE_INTERVAL) -> None:
        self.interval = interval
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            delay = self._next - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = time.monotonic() + self.interval


# ------------------------------------------------------------------------ errors


def classify(exc: BaseException) -> DeliveryResult:
    """A slack_sdk or network error as the outbox understands it."""
    if isinstance(exc, SlackApiError):
        return _api_error(exc)
    if isinstance(exc, aiohttp.ClientConnectorError):  # never connected: nothing was sent
        return DeliveryResult.retry(f"cannot reach Slack: {exc}")
    if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError | OSError):
        reason = f"Slack did not answer: {type(exc).__name__}: {exc}"
        return DeliveryResult.retry(reason, uncertain=True)
    if isinstance(exc, SlackClientError):  # refused by slack_sdk before anything was sent
        return DeliveryResult.failed(f"slack_sdk: {exc}")
    raise exc


def _api_error(exc: SlackApiError) -> DeliveryResult:
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    data = getattr(response, "data", None)
    error = str(data.get("error", "")) if isinstance(data, dict) else ""
    if status == 429:
        wait = retry_after(getattr(response, "headers", None))
        return DeliveryResult.retry("rate limited by Slack", retry_after=wait)
    if status >= 500 or not error:  # the message may have been posted
        detail = error or f"HTTP {status}"
        return DeliveryResult.retry(f"Slack server error: {detail}", uncertain=True)
    if error in BROKEN_CHANNEL_ERRORS:
        reason = f"Slack: {error}: {BROKEN_CHANNEL_ERRORS[error]}"
        return DeliveryResult.failed(reason, channel_broken=True)
    if error in RATE_LIMIT_ERRORS:
        return DeliveryResult.retry(f"Slack: {error}")
    if error in SERVER_ERRORS:
        return DeliveryResult.retry(f"Slack: {error}", uncertain=True)
    return DeliveryResult.failed(f"Slack refused the message: {error}")


# --------------------------------------------------------------------- bot channels


class SlackChannel(Channel):
    kind = "slack"
    flood_control = True

    def __init__(self, spec: str, channel_id: str, settings: SlackSettings) -> None:
        super().__init__(spec)
        self.channel_id = channel_id
        token = os.environ.get(TOKEN_VARIABLE, "")
        self.client: AsyncWebClient | None = web_client(token, settings.api_base) if token else None
        if self.client is None:
            log.warning("%s: %s is not set; its alerts wait", spec, TOKEN_VARIABLE)
        self.pacer = Pacer()
        self.recent = RecentMessages(
            self.label, self._read_recent, fresh=HISTORY_FRESH, describe=_short
        )

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        payload = {
            "text": alert_text(message),
            "blocks": alert_blocks(message),
            "metadata": alert_metadata(message),
        }
        return await self._post(payload)

    async def deliver_edit(self, ref: MessageRef, message: AlertMessage) -> DeliveryResult:
        """``chat.update`` of the alert's message (its ``ts``): the whole message again."""
        if self.client is None:
            return no_token(TOKEN_VARIABLE)
        await self.pacer.wait()
        try:
            await self.client.chat_update(
                channel=self.channel_id,
                ts=ref.message_id,
                text=alert_text(message),
                blocks=alert_blocks(message),
                metadata=alert_metadata(message),
            )
        except Exception as exc:
            return classify(exc)
        return DeliveryResult.sent(ref)

    async def deliver_digest(self, digest: Digest) -> DeliveryResult:
        payload = {
            "text": digest_text(digest),
            "blocks": digest_blocks(digest),
            "metadata": digest_metadata(digest),
        }
        return await self._post(payload)

    async def notify(self, text: str) -> DeliveryResult:
        return await self._post({"text": fit_plain(text, FALLBACK_TEXT_LIMIT, MARKUP)})

    async def _post(self, payload: dict[str, Any]) -> DeliveryResult:
        if self.client is None:
            return no_token(TOKEN_VARIABLE)
        await self.pacer.wait()
        self.recent.forget()  # posted or not, a later look-up reads the channel afresh
        try:
            answer = await self.client.chat_postMessage(
                channel=self.channel_id, unfurl_links=False, unfurl_media=False, **payload
            )
        except Exception as exc:
            return classify(exc)
        return DeliveryResult.sent(MessageRef(self.spec, str(answer["ts"])))

    async def find_sent(self, message: AlertMessage) -> MessageRef | None:
        """The alert among the channel's recent messages, by the outbox id in their
        metadata: its own message, or a digest that folded it."""
        if self.client is None:
            return None

        def sent_id(posted: dict[str, Any]) -> str | None:
            return str(posted.get("ts")) if message.id in _metadata_ids(posted) else None

        found = await self.recent.find(sent_id)
        return MessageRef(self.spec, found) if found else None

    async def _read_recent(self) -> list[dict[str, Any]]:
        assert self.client is not None
        answer = await self.client.conversations_history(
            channel=self.channel_id, include_all_metadata=True, limit=HISTORY_DEPTH
        )
        return list(answer.get("messages") or [])

    async def close(self) -> None:
        self.client = None  # slack_sdk opens a session per call: nothing is left open


def _metadata_ids(posted: dict[str, Any]) -> list[str]:
    """The outbox ids a message's metadata names: an alert's, or a digest's and its alerts'."""
    metadata = posted.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") not in (
        ALERT_EVENT,
        DIGEST_EVENT,
    ):
        return []
    payload = metadata.get("event_payload")
    if not isinstance(payload, dict):
        return []
    ids = [str(payload.get("id") or "")]
    ids += str(payload.get("alerts") or "").split()
    return [key for key in ids if key]


def _short(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        data = getattr(exc.response, "data", None)
        if isinstance(data, dict) and data.get("error"):
            return str(data["error"])
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


# ------------------------------------------------------------------ webhook channels


class SlackWebhookChannel(Channel):
    kind = "slack-webhook"
    flood_control = True

    def __init__(self, spec: str, target: str, settings: SlackSettings) -> None:
        super().__init__(spec)
        if not is_variable_reference(target):
            warn_literal_webhook(self.label, self.kind)
        self._target = target
        self.pacer = Pacer()

    def _client(self) -> AsyncWebhookClient:
        url = resolve_reference(self._target)  # read at each send: a rotated URL applies
        try:
            parsed = URL(url)
            valid = parsed.scheme in ("https", "http") and bool(parsed.host) and parsed.port
        except ValueError:
            valid = False
        if not valid:  # the message never names the URL: it is a secret
            raise ValueError("the webhook URL is not an https:// URL")
        return AsyncWebhookClient(url, timeout=REQUEST_TIMEOUT, retry_handlers=retry_handlers())

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        return await self._post({"text": alert_text(message), "blocks": alert_blocks(message)})

    async def deliver_digest(self, digest: Digest) -> DeliveryResult:
        return await self._post({"text": digest_text(digest), "blocks": digest_blocks(digest)})

    async def notify(self, text: str) -> DeliveryResult:
        return await self._post({"text": fit_plain(text, FALLBACK_TEXT_LIMIT, MARKUP)})

    async def _post(self, body: dict[str, Any]) -> DeliveryResult:
        try:
            client = self._client()
        except ValueError as exc:  # the variable is not set, or not allowed
            return bad_webhook(exc)
        await self.pacer.wait()
        try:
            response = await client.send_dict(body | {"unfurl_links": False, "unfurl_media": False})
        except aiohttp.InvalidURL:
            return DeliveryResult.failed("bad webhook: not a valid URL", channel_broken=True)
        except Exception as exc:
            # the exception's text may quote the URL (a secret): keep only its kind
            result = classify(exc)
            return dataclasses.replace(result, reason=f"Slack webhook: {type(exc).__name__}")
        return webhook_result(response)


def webhook_result(response: WebhookResponse) -> DeliveryResult:
    """An incoming webhook's answer (a status and a plain-text error) as a delivery result."""
    status, error = response.status_code, (response.body or "").strip()
    if status == 200:
        return DeliveryResult.sent(None)  # no ts: the message cannot be edited or found
    if status == 429:
        return DeliveryResult.retry(
            "rate limited by Slack", retry_after=retry_after(response.headers)
        )
    if status >= 500:
        return DeliveryResult.retry(f"Slack webhook: HTTP {status} {error[:100]}".rstrip())
    if error in BROKEN_WEBHOOK_ERRORS or status in (401, 403, 404, 410):
        return DeliveryResult.failed(f"Slack webhook: {error[:100] or status}", channel_broken=True)
    return DeliveryResult.failed(f"Slack refused the message: {error[:100] or status}")
