"""A fake of the bits of Slack a bot uses, as a real HTTP server on 127.0.0.1.

Point ``slack_sdk.web.async_client.AsyncWebClient(base_url=fake.base_url)`` at it, and
``AsyncWebhookClient(url=fake.webhook_url())`` / ``fake.response_url("x")`` for incoming
webhooks and slash-command replies. Every request is kept in ``fake.calls`` (method, parsed
body, headers, monotonic time received), so tests can prove what was or was not sent.

What it answers like Slack does:

* ``auth.test``; ``chat.postMessage`` / ``chat.update`` / ``chat.delete`` (messages kept per
  channel in ``fake.messages``, oldest first); ``conversations.history`` (newest first,
  ``limit``/``oldest``/``latest``/``cursor``, ``metadata`` only with ``include_all_metadata``);
  ``users.info`` from ``fake.users``; anything else is ``unknown_method``.
* a token check when ``fake.valid_token`` is set (``not_authed`` / ``invalid_auth``).
* bodies either as JSON (what slack_sdk sends for chat.*) or form-encoded / query string (what
  it sends for everything else); form fields ``blocks``/``attachments``/``metadata`` are
  JSON-decoded.
* ``fail_next(...)`` scripts failures: 429 with ``Retry-After``, ``{"ok": false, "error": ...}``,
  5xx, or webhook errors as plain text with Slack's status codes.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl

from aiohttp import web

JsonDict = dict[str, Any]
MethodHandler = Callable[["Call"], JsonDict]

# The fields Slack accepts as JSON text inside a form-encoded body.
JSON_FORM_FIELDS = ("blocks", "attachments", "metadata")

# Slack's HTTP status for each plain-text error an incoming webhook or response_url answers.
WEBHOOK_ERROR_STATUS = {
    "invalid_payload": 400,
    "no_text": 400,
    "too_many_attachments": 400,
    "invalid_token": 403,
    "action_prohibited": 403,
    "posting_to_general_channel_denied": 403,
    "team_disabled": 403,
    "channel_not_found": 404,
    "no_service": 404,
    "no_service_id": 404,
    "no_team": 404,
    "team_not_found": 404,
    "user_not_found": 404,
    "expired_url": 404,
    "used_url": 404,
    "channel_is_archived": 410,
    "rate_limited": 429,
    "internal_error": 500,
    "service_unavailable": 503,
}

# The error a Web API method reports with a bare status.
API_ERROR_FOR_STATUS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}
WEBHOOK_ERROR_FOR_STATUS = {429: "rate_limited", 500: "internal_error", 503: "service_unavailable"}


@dataclass
class Call:
    """One request the fake received."""

    method: str  # "chat.postMessage", or the path for webhooks/response_url ("/services/…")
    kind: str  # "api", "webhook", "response_url" or "other"
    path: str
    http_verb: str
    body: JsonDict  # query string and body merged, form JSON fields decoded
    headers: dict[str, str]
    at: float  # time.monotonic() when received
    status: int = 0  # the status answered
    response: Any = None  # the JSON (dict) or text answered

    @property
    def token(self) -> str | None:
        """The bearer token from Authorization, else a ``token`` body field."""
        for name, value in self.headers.items():
            if name.lower() == "authorization" and value.startswith("Bearer "):
                return value.removeprefix("Bearer ").strip()
        token = self.body.get("token")
        return token if isinstance(token, str) else None


@dataclass
class Failure:
    status: int
    error: str | None
    headers: dict[str, str]
    body: str | None
    delay: float
    times: int


@dataclass
class FakeSlack:
    """The fake server and what it has seen. ``await start()`` or ``async with FakeSlack() as
    fake``; every attribute below may be set or read by tests."""

    team_id: str = "T000FAKE"
    team: str = "Fake Team"
    bot_user_id: str = "U000BOT"
    bot_user: str = "dealbot"
    bot_id: str = "B000BOT"
    app_id: str = "A000APP"
    # When set, API calls with any other token answer invalid_auth (no token: not_authed).
    valid_token: str | None = None
    # When set, chat.* and conversations.history on other channels answer channel_not_found.
    known_channels: set[str] | None = None

    calls: list[Call] = field(default_factory=list)
    messages: defaultdict[str, list[JsonDict]] = field(default_factory=lambda: defaultdict(list))
    users: dict[str, JsonDict] = field(default_factory=dict)
    handlers: dict[str, MethodHandler] = field(default_factory=dict)
    port: int = 0

    def __post_init__(self) -> None:
        self._failures: dict[str, list[Failure]] = {}
        self._runner: web.AppRunner | None = None
        self._arrived = asyncio.Event()
        self._ts_micros = 1_732_500_000_000_000

    # -------------------------------------------------------------- lifecycle

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_route("*", "/services/{tail:.*}", self._webhook)
        app.router.add_route("*", "/respond/{id}", self._webhook)
        app.router.add_route("*", "/{tail:.*}", self._other)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -------------------------------------------------------------- addresses

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``AsyncWebClient(base_url=...)``; ends with ``/api/``."""
        return f"{self.root}/api/"

    def webhook_url(self, path: str = "T000/B000/XXXX") -> str:
        """An incoming-webhook URL: ``http://127.0.0.1:PORT/services/<path>``."""
        return f"{self.root}/services/{path.lstrip('/')}"

    def response_url(self, response_id: str = "1") -> str:
        """A slash-command ``response_url``: ``http://127.0.0.1:PORT/respond/<id>``."""
        return f"{self.root}/respond/{response_id}"

    # -------------------------------------------------------------- scripting

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
        body: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail; queued after earlier scripts.

        ``method`` is a Web API method ("chat.postMessage") or a path: an exact one
        ("/services/T000/B000/XXXX", "/respond/1") or a prefix ending in "/" ("/services/").
        Web API: ``status`` defaults to 200 and the body is ``{"ok": false, "error": ...}``
        (``error`` defaults by status: 429 ratelimited, 500 internal_error, 503
        service_unavailable). Webhooks answer ``error`` as plain text with Slack's status for it
        (channel_not_found 404, invalid_token 403, ...). A 429 gets ``Retry-After: 1`` unless
        ``headers`` is given. ``body`` replaces the answer with raw text/html (a proxy's error
        page); ``delay`` holds the answer back that many seconds.
        """
        is_path = method.startswith("/")
        if status is None:
            if is_path:
                if error is None:
                    raise ValueError("fail_next on a webhook path needs a status or an error")
                status = WEBHOOK_ERROR_STATUS.get(error, 400)
            else:
                status = 200
        if error is None and body is None:
            table = WEBHOOK_ERROR_FOR_STATUS if is_path else API_ERROR_FOR_STATUS
            error = table.get(status, "fatal_error" if status >= 500 else None)
            if error is None:
                raise ValueError(f"fail_next({method!r}, status={status}) needs an error")
        if headers is None:
            headers = {"Retry-After": "1"} if status == 429 else {}
        failure = Failure(status, error, dict(headers), body, delay, times)
        self._failures.setdefault(method, []).append(failure)

    def handle(self, method: str, handler: MethodHandler) -> None:
        """Answer ``method`` with ``handler(call)`` (a JSON dict), for methods the fake lacks."""
        self.handlers[method] = handler

    def add_user(
        self, user_id: str, *, is_admin: bool = False, is_owner: bool = False, **fields: Any
    ) -> JsonDict:
        """Put a user in ``fake.users`` for ``users.info``; returns the stored dict."""
        user: JsonDict = {"is_admin": is_admin, "is_owner": is_owner, **fields}
        self.users[user_id] = user
        return user

    # -------------------------------------------------------------- inspection

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def bodies(self, method: str) -> list[JsonDict]:
        """The parsed bodies of every call of ``method`` (a Web API method or a path)."""
        return [call.body for call in self.calls_to(method)]

    def count(self, method: str) -> int:
        return len(self.calls_to(method))

    def webhook_bodies(self, path: str | None = None) -> list[JsonDict]:
        """Bodies posted to incoming webhooks, all of them or those to one ``/services/...``."""
        return [
            call.body
            for call in self.calls
            if call.kind == "webhook" and (path is None or call.path == path)
        ]

    def responses(self, response_id: str) -> list[JsonDict]:
        """Bodies posted to ``response_url(response_id)``."""
        return self.bodies(f"/respond/{response_id}")

    async def wait_for(self, method: str, n: int = 1, *, within: float = 5.0) -> list[Call]:
        """Wait until at least ``n`` calls of ``method`` arrived; TimeoutError after ``within``
        seconds, so a test never hangs on a message that is not coming."""
        async with asyncio.timeout(within):
            while self.count(method) < n:
                self._arrived.clear()
                await self._arrived.wait()
        return self.calls_to(method)

    # -------------------------------------------------------------- request handling

    async def _read(self, request: web.Request, method: str, kind: str) -> tuple[Call, str | None]:
        """Record the request; the second item names a body that could not be parsed."""
        received = time.monotonic()
        body: JsonDict = dict(request.query)
        problem: str | None = None
        if request.content_type == "multipart/form-data":  # files.upload and the like
            form = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
            body.update(_decode_json_fields(form))
        elif raw := await request.read():
            text = raw.decode("utf-8", "replace")
            if request.content_type == "application/json" or text.lstrip()[:1] in ("{", "["):
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = None
                if isinstance(parsed, dict):
                    body.update(parsed)
                else:
                    problem = text
            else:  # application/x-www-form-urlencoded, or no content type at all
                form = dict(parse_qsl(text, keep_blank_values=True))
                body.update(_decode_json_fields(form))
        call = Call(
            method=method,
            kind=kind,
            path=request.path,
            http_verb=request.method,
            body=body,
            headers=dict(request.headers),
            at=received,
        )
        self.calls.append(call)
        self._arrived.set()
        return call, problem

    def _take_failure(self, method: str, path: str) -> Failure | None:
        keys = [method, path] + [
            k for k in self._failures if k.endswith("/") and path.startswith(k)
        ]
        for key in keys:
            queue = self._failures.get(key)
            if queue:
                failure = queue[0]
                failure.times -= 1
                if failure.times <= 0:
                    queue.pop(0)
                return failure
        return None

    async def _fail(self, call: Call, failure: Failure) -> web.Response:
        if failure.delay:
            await asyncio.sleep(failure.delay)
        call.status = failure.status
        if failure.body is not None:
            call.response = failure.body
            return web.Response(
                text=failure.body,
                status=failure.status,
                headers=failure.headers,
                content_type="text/html",
            )
        if call.kind == "api":
            return _json(
                call, {"ok": False, "error": failure.error}, failure.status, failure.headers
            )
        return _text(call, failure.error or "", failure.status, failure.headers)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call, problem = await self._read(request, method, "api")
        failure = self._take_failure(method, request.path)
        if failure is not None:
            return await self._fail(call, failure)
        if problem is not None:
            return _json(call, {"ok": False, "error": "invalid_json"})
        handler = self.handlers.get(method) or self._builtin.get(method)
        if handler is None:
            return _json(call, {"ok": False, "error": "unknown_method", "req_method": method})
        if self.valid_token is not None:
            token = call.token
            if not token:
                return _json(call, {"ok": False, "error": "not_authed"})
            if token != self.valid_token:
                return _json(call, {"ok": False, "error": "invalid_auth"})
        answer = getattr(self, handler)(call) if isinstance(handler, str) else handler(call)
        return _json(call, answer)

    async def _webhook(self, request: web.Request) -> web.Response:
        kind = "response_url" if request.path.startswith("/respond/") else "webhook"
        call, problem = await self._read(request, request.path, kind)
        failure = self._take_failure(request.path, request.path)
        if failure is not None:
            return await self._fail(call, failure)
        if request.method != "POST" or problem is not None:
            return _text(call, "invalid_payload", 400)
        body = call.body
        has_content = any(body.get(k) for k in ("text", "blocks", "attachments"))
        if not has_content and not _truthy(body.get("delete_original")):
            return _text(call, "no_text", 400)
        return _text(call, "ok", 200)

    async def _other(self, request: web.Request) -> web.Response:
        call, _ = await self._read(request, request.path, "other")
        return _text(call, "not found", 404)

    # -------------------------------------------------------------- Web API methods

    _builtin: ClassVar[dict[str, str]] = {  # method name to the FakeSlack method answering it
        "auth.test": "_auth_test",
        "chat.postMessage": "_chat_post_message",
        "chat.update": "_chat_update",
        "chat.delete": "_chat_delete",
        "conversations.history": "_conversations_history",
        "users.info": "_users_info",
    }

    def _next_ts(self) -> str:
        self._ts_micros += 100
        return f"{self._ts_micros // 1_000_000}.{self._ts_micros % 1_000_000:06d}"

    def _channel_error(self, channel: str) -> JsonDict | None:
        if not channel or (self.known_channels is not None and channel not in self.known_channels):
            return {"ok": False, "error": "channel_not_found"}
        return None

    def _auth_test(self, call: Call) -> JsonDict:
        return {
            "ok": True,
            "url": "https://fake-team.slack.com/",
            "team": self.team,
            "user": self.bot_user,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, call: Call) -> JsonDict:
        body = call.body
        channel = str(body.get("channel") or "")
        if error := self._channel_error(channel):
            return error
        if not any(body.get(k) for k in ("text", "blocks", "attachments", "markdown_text")):
            return {"ok": False, "error": "no_text"}
        metadata = body.get("metadata")
        if metadata is not None and not _valid_metadata(metadata):
            return {"ok": False, "error": "invalid_metadata_format"}
        message: JsonDict = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": self._next_ts(),
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": body.get("text") or body.get("markdown_text") or "",
            "team": self.team_id,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if body.get(key) is not None:
                message[key] = copy.deepcopy(body[key])
        self.messages[channel].append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": _copy(message)}

    def _find(self, body: JsonDict) -> tuple[JsonDict | None, JsonDict | None]:
        """The stored message ``body`` names by channel and ts, or the error to answer."""
        channel = str(body.get("channel") or "")
        if error := self._channel_error(channel):
            return None, error
        if channel not in self.messages:
            return None, {"ok": False, "error": "channel_not_found"}
        for message in self.messages[channel]:
            if message["ts"] == body.get("ts"):
                return message, None
        return None, {"ok": False, "error": "message_not_found"}

    def _chat_update(self, call: Call) -> JsonDict:
        body = call.body
        message, error = self._find(body)
        if message is None:
            return error or {"ok": False, "error": "message_not_found"}
        metadata = body.get("metadata")
        if metadata is not None and not _valid_metadata(metadata):
            return {"ok": False, "error": "invalid_metadata_format"}
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in body:
                message[key] = copy.deepcopy(body[key])
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "ok": True,
            "channel": body["channel"],
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": _copy(message),
        }

    def _chat_delete(self, call: Call) -> JsonDict:
        message, error = self._find(call.body)
        if message is None:
            return error or {"ok": False, "error": "message_not_found"}
        channel = str(call.body["channel"])
        self.messages[channel].remove(message)
        return {"ok": True, "channel": channel, "ts": message["ts"]}

    def _conversations_history(self, call: Call) -> JsonDict:
        body = call.body
        channel = str(body.get("channel") or "")
        if error := self._channel_error(channel):
            return error
        inclusive = _truthy(body.get("inclusive"))
        oldest = _float(body.get("oldest"), 0.0)
        latest = _float(body.get("latest"), float("inf"))
        with_metadata = _truthy(body.get("include_all_metadata"))

        def within(message: JsonDict) -> bool:
            ts = float(message["ts"])
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        found = [m for m in reversed(self.messages.get(channel, [])) if within(m)]
        limit = min(max(int(_float(body.get("limit"), 100)), 1), 999)
        start = int(_float(body.get("cursor"), 0))
        page = found[start : start + limit]
        has_more = start + limit < len(found)
        messages = []
        for message in page:
            shown = _copy(message)
            if not with_metadata:
                shown.pop("metadata", None)
            messages.append(shown)
        answer: JsonDict = {
            "ok": True,
            "messages": messages,
            "has_more": has_more,
            "pin_count": 0,
        }
        if has_more:
            answer["response_metadata"] = {"next_cursor": str(start + limit)}
        return answer

    def _users_info(self, call: Call) -> JsonDict:
        user_id = str(call.body.get("user") or "")
        stored = self.users.get(user_id)
        if stored is None:
            return {"ok": False, "error": "user_not_found"}
        user: JsonDict = {
            "id": user_id,
            "team_id": self.team_id,
            "name": str(user_id).lower(),
            "real_name": str(user_id),
            "deleted": False,
            "is_bot": False,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
        }
        user.update(copy.deepcopy(stored))
        return {"ok": True, "user": user}


def _decode_json_fields(form: dict[str, str]) -> JsonDict:
    decoded: JsonDict = dict(form)
    for key in JSON_FORM_FIELDS:
        value = form.get(key)
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                decoded[key] = json.loads(value)
    return decoded


def _valid_metadata(metadata: Any) -> bool:
    return (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and bool(metadata["event_type"])
        and isinstance(metadata.get("event_payload", {}), dict)
    )


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _float(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _copy(message: JsonDict) -> JsonDict:
    return copy.deepcopy(message)


def _json(
    call: Call, data: JsonDict, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    call.status = status
    call.response = data
    return web.json_response(data, status=status, headers=headers)


def _text(
    call: Call, text: str, status: int, headers: dict[str, str] | None = None
) -> web.Response:
    call.status = status
    call.response = text
    return web.Response(text=text, status=status, headers=headers, content_type="text/plain")
