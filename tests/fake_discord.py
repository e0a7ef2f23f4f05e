"""A fake Discord REST API v10 on 127.0.0.1, for driving the real discord.py client in tests.

Point discord.py at it with ``monkeypatch.setattr(discord.http.Route, "BASE", fake.base)``:
both ``discord.http.HTTPClient`` and ``discord.Webhook`` build every URL from ``Route.BASE``.

What it fakes (the requests discord.py 2.7 makes for a bot that posts alerts):

* ``GET /users/@me`` (``HTTPClient.static_login``), ``GET /oauth2/applications/@me``;
* ``GET``/``PUT /applications/{id}/commands`` and ``.../guilds/{id}/commands`` (command sync);
* channel messages: ``POST``/``GET /channels/{id}/messages``, ``GET``/``PATCH``/``DELETE
  /channels/{id}/messages/{id}``, ``POST /channels/{id}/typing``;
* webhooks: ``POST /webhooks/{id}/{token}`` (``?wait=1`` answers with the message, otherwise
  204), ``GET``/``PATCH``/``DELETE /webhooks/{id}/{token}/messages/{id or @original}``;
  interaction follow-ups are the same route with the application id;
* ``POST /interactions/{id}/{token}/callback``. discord.py 2.7 always sends
  ``?with_response=1`` and parses ``{"interaction": {...}, "resource": {...}}`` from the answer,
  so that is what it gets (204 when the query is absent).

Responses look like Discord's: JSON with ``Content-Type: application/json`` exactly (discord.py
only parses JSON when the header is exactly that), ``Via: 1.1 google`` (discord.py treats a 429
without ``Via`` as a Cloudflare ban and raises), and ``X-RateLimit-*`` headers that never run
out. Errors use Discord's shape ``{"message": ..., "code": ...}``.

Messages are kept per channel in ``fake.messages[channel_id]`` (oldest first). ``nonce`` with
``enforce_nonce: true`` returns the earlier message from the same channel instead of creating a
second one, as Discord does. Message content over 2000 characters, more than 10 embeds and empty
messages are refused with Discord's 400 errors.

Every request is recorded in ``fake.requests`` (``RecordedRequest``), including unknown routes
(answered 404 ``{"message": "404: Not Found", "code": 0}``) and scripted failures.
``fake.fail_next(...)`` makes the next matching request(s) fail with a status of your choice;
bodies and rate-limit headers default to what Discord sends for that status.
"""

from __future__ import annotations

import email.policy
import hashlib
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from types import TracebackType
from typing import Any, Final

from aiohttp import web

API_PREFIX: Final = "/api/v10"
DISCORD_EPOCH_MS: Final = 1_420_070_400_000
MAX_CONTENT: Final = 2000
MAX_EMBEDS: Final = 10
EPHEMERAL: Final = 1 << 6
LOADING: Final = 1 << 7

# Routes that need the bot token (webhook and interaction routes are authorised by theirs).
_BOT_ROUTES: Final = ("/users/", "/oauth2/", "/applications/", "/channels/")

JSONDict = dict[str, Any]
Handler = Callable[["RecordedRequest", dict[str, str]], Awaitable[web.StreamResponse]]


@dataclass
class RecordedFile:
    """A file part of a multipart request (``files[0]`` and so on)."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One request as the fake saw it."""

    method: str
    path: str  # without the /api/v10 prefix, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # parsed JSON body, the parsed ``payload_json`` part of a multipart body, or None
    headers: dict[str, str]
    received: float  # time.monotonic() on arrival
    route: str | None = None  # the spec's path template, e.g. "/channels/{channel_id}/messages"
    files: list[RecordedFile] = field(default_factory=list)
    form: dict[str, str] = field(default_factory=dict)  # other multipart text fields
    raw: bytes = b""
    status: int = 0  # the status the fake answered with


@dataclass
class ScriptedFailure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    remaining: int | None  # None: until cleared

    def matches(self, method: str, path: str) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        return self.method in ("*", method) and self.pattern.fullmatch(path) is not None


@dataclass
class _Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler


class DiscordError(Exception):
    """Raised inside a handler to answer with Discord's error shape."""

    def __init__(self, status: int, message: str, code: int, errors: JSONDict | None = None):
        super().__init__(message)
        self.status = status
        self.body: JSONDict = {"message": message, "code": code}
        if errors is not None:
            self.body["errors"] = errors


class FakeDiscord:
    """The server. ``await FakeDiscord().start()`` or ``async with FakeDiscord() as fake``."""

    def __init__(
        self,
        *,
        application_id: str = "1100000000000000001",
        bot_user_id: str | None = None,
        bot_name: str = "dealbot",
        token: str | None = None,
        default_channel_id: str = "1200000000000000001",
    ) -> None:
        self.application_id = application_id
        self.bot_user: JSONDict = {
            "id": bot_user_id or application_id,
            "username": bot_name,
            "global_name": None,
            "discriminator": "0000",
            "avatar": None,
            "bot": True,
            "system": False,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "mfa_enabled": False,
            "locale": "en-US",
            "verified": True,
            "email": None,
        }
        self.owner: JSONDict = {
            "id": "1000000000000000001",
            "username": "owner",
            "global_name": "Owner",
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
        }
        # When set, bot routes want "Authorization: Bot <token>" and answer 401 otherwise.
        self.token = token
        # Channel for messages from webhooks/interactions not listed in the two maps below.
        self.default_channel_id = default_channel_id
        self.webhook_channel_ids: dict[str, str] = {}  # webhook id -> channel id
        self.interaction_channel_ids: dict[str, str] = {}  # interaction token -> channel id
        self.send_ratelimit_headers = True

        self.requests: list[RecordedRequest] = []
        self.messages: dict[str, list[JSONDict]] = {}
        self.commands: dict[str | None, list[JSONDict]] = {}  # guild id (None: global) -> list
        self.interaction_callbacks: dict[str, JSONDict] = {}  # interaction token -> callback body
        self.original_responses: dict[str, JSONDict] = {}  # interaction token -> message
        self.failures: list[ScriptedFailure] = []

        self._nonces: dict[tuple[str, str], str] = {}  # (channel id, nonce) -> message id
        self._command_ids: dict[tuple[str | None, int, str], str] = {}
        self._last_snowflake = 0
        self._runner: web.AppRunner | None = None
        self._routes: list[_Route] = []
        self.port = 0
        self._add_routes()

    # ------------------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base(self) -> str:
        """The value for ``discord.http.Route.BASE``."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    # ------------------------------------------------------------------------- test helpers

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
    ) -> ScriptedFailure:
        """Answer the next ``times`` requests matching with ``status`` (``times=None``: always).

        ``path_regex`` must match the whole path without ``/api/v10`` (``re.fullmatch``);
        ``method`` may be ``"*"``. ``json_body=None`` sends Discord's usual body for the status
        (429: ``retry_after`` 0.3, not global); a ``str`` is sent as ``text/html``, as
        Cloudflare does for 502s. For 429 the ``Retry-After`` and ``X-RateLimit-*`` headers
        are derived from the body's ``retry_after``; ``headers`` adds to or overrides them.
        Scripts are consumed in the order they were added.
        """
        body = _default_error_body(status, path_regex) if json_body is None else json_body
        all_headers: dict[str, str] = {}
        if status == 429 and isinstance(body, dict):
            retry_after = float(body.get("retry_after", 0.3))
            is_global = bool(body.get("global", False))
            all_headers = {
                "Retry-After": str(math.ceil(retry_after)),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                "X-RateLimit-Scope": "global" if is_global else "user",
            }
            if is_global:
                all_headers["X-RateLimit-Global"] = "true"
        all_headers.update(headers or {})
        failure = ScriptedFailure(
            method.upper(), re.compile(path_regex), status, body, all_headers, times
        )
        self.failures.append(failure)
        return failure

    def clear_failures(self) -> None:
        self.failures.clear()

    def requests_for(self, method: str, path: str) -> list[RecordedRequest]:
        """Recorded requests with this method and exact path (no ``/api/v10``, no query)."""
        return [r for r in self.requests if r.method == method.upper() and r.path == path]

    def bodies(self, method: str, path: str) -> list[Any]:
        """The parsed JSON bodies (``payload_json`` for multipart) of ``requests_for``."""
        return [request.json for request in self.requests_for(method, path)]

    def channel_messages(self, channel_id: str | int) -> list[JSONDict]:
        """Messages in a channel, oldest first (empty if none)."""
        return self.messages.get(str(channel_id), [])

    # ---------------------------------------------------------------------------- routing

    def _add_routes(self) -> None:
        add = self._route
        add("GET", "/users/@me", self._get_me)
        add("GET", "/oauth2/applications/@me", self._get_application)
        add("GET", "/applications/{application_id}/commands", self._get_commands)
        add("PUT", "/applications/{application_id}/commands", self._put_commands)
        add("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self._get_commands)
        add("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self._put_commands)
        add("POST", "/channels/{channel_id}/messages", self._create_message)
        add("GET", "/channels/{channel_id}/messages", self._list_messages)
        add("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message)
        add("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message)
        add("POST", "/channels/{channel_id}/typing", self._typing)
        add("POST", "/webhooks/{webhook_id}/{webhook_token}", self._execute_webhook)
        hook_message = "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
        add("GET", hook_message, self._get_webhook_message)
        add("PATCH", hook_message, self._edit_webhook_message)
        add("DELETE", hook_message, self._delete_webhook_message)
        callback = "/interactions/{interaction_id}/{interaction_token}/callback"
        add("POST", callback, self._interaction_callback)

    def _route(self, method: str, template: str, handler: Handler) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self._routes.append(_Route(method, template, re.compile(regex), handler))

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        received = time.monotonic()
        raw = await request.read()
        path = request.path
        if path.startswith(API_PREFIX):
            path = path[len(API_PREFIX) :] or "/"
        seen = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=None,
            headers=dict(request.headers),
            received=received,
            raw=raw,
        )
        self.requests.append(seen)
        response = await self._answer(request, seen)
        seen.status = response.status
        return response

    async def _answer(self, request: web.Request, seen: RecordedRequest) -> web.StreamResponse:
        try:
            await _parse_body(request, seen)
        except DiscordError as error:
            return self._json(error.body, error.status)

        matched: tuple[_Route, dict[str, str]] | None = None
        known_path = False
        if request.path.startswith(API_PREFIX + "/"):
            for route in self._routes:
                found = route.pattern.fullmatch(seen.path)
                if found is None:
                    continue
                known_path = True
                if route.method == seen.method:
                    matched = (route, found.groupdict())
                    break
        if matched is not None:
            route, params = matched
            seen.route = route.template
            if params.get("message_id") == "@original" and route.template.startswith("/webhooks/"):
                seen.route = route.template.replace("{message_id}", "@original")

        for failure in self.failures:
            if failure.matches(seen.method, seen.path):
                if failure.remaining is not None:
                    failure.remaining -= 1
                return self._failure_response(failure, seen.route)

        if matched is None:
            if known_path:
                return self._json({"message": "405: Method Not Allowed", "code": 0}, 405)
            return self._json({"message": "404: Not Found", "code": 0}, 404, ratelimit=False)
        route, params = matched
        needs_token = self.token is not None and route.template.startswith(_BOT_ROUTES)
        if needs_token and seen.headers.get("Authorization") != f"Bot {self.token}":
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        try:
            return await route.handler(seen, params)
        except DiscordError as error:
            return self._json(error.body, error.status, bucket=route.template)

    def _failure_response(self, failure: ScriptedFailure, route: str | None) -> web.Response:
        headers = {"Via": "1.1 google"}
        if failure.status == 429:
            headers["X-RateLimit-Bucket"] = _bucket(route or failure.pattern.pattern)
        headers.update(failure.headers)
        if isinstance(failure.body, str):
            headers["Content-Type"] = "text/html"
            return web.Response(body=failure.body.encode(), status=failure.status, headers=headers)
        return self._json(failure.body, failure.status, headers=headers, ratelimit=False)

    def _json(
        self,
        data: Any,
        status: int = 200,
        *,
        headers: dict[str, str] | None = None,
        ratelimit: bool = True,
        bucket: str | None = None,
    ) -> web.Response:
        # Exactly "application/json": discord.py's json_or_text compares the header verbatim.
        all_headers = {"Content-Type": "application/json", "Via": "1.1 google"}
        if ratelimit and self.send_ratelimit_headers and bucket is not None:
            all_headers.update(_ratelimit_headers(bucket))
        all_headers.update(headers or {})
        return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)

    def _ok(self, data: Any, template: str, status: int = 200) -> web.Response:
        return self._json(data, status, bucket=template)

    def _no_content(self, template: str) -> web.Response:
        headers = {"Via": "1.1 google"}
        if self.send_ratelimit_headers:
            headers.update(_ratelimit_headers(template))
        return web.Response(status=204, headers=headers)

    # ----------------------------------------------------------------------- users and apps

    async def _get_me(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        return self._ok(self.bot_user, "/users/@me")

    async def _get_application(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        public_bot = {k: self.bot_user[k] for k in ("id", "username", "discriminator", "avatar")}
        application = {
            "id": self.application_id,
            "name": self.bot_user["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": self.owner,
            "team": None,
            "bot": {**public_bot, "bot": True, "public_flags": 0},
            "rpc_origins": [],
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": 1,
            "integration_types_config": {"0": {}},
        }
        return self._ok(application, "/oauth2/applications/@me")

    # ---------------------------------------------------------------------------- commands

    async def _get_commands(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        self._check_application(params["application_id"])
        return self._ok(self.commands.get(params.get("guild_id"), []), seen.route or "")

    async def _put_commands(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        self._check_application(params["application_id"])
        guild_id = params.get("guild_id")
        payload = seen.json
        if not isinstance(payload, list):
            raise _form_error("_errors", "BASE_TYPE_ARRAY", "Must be an array.")
        if len(payload) > 100:
            raise _form_error("_errors", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
        version = self._snowflake()
        stored: list[JSONDict] = []
        for index, command in enumerate(payload):
            if not isinstance(command, dict) or not command.get("name"):
                raise _form_error(str(index), "BASE_TYPE_REQUIRED", "This field is required")
            kind = int(command.get("type") or 1)
            key = (guild_id, kind, str(command["name"]))
            command_id = self._command_ids.setdefault(key, self._snowflake())
            echoed: JSONDict = {
                "id": command_id,
                "application_id": self.application_id,
                "version": version,
                "default_member_permissions": command.get("default_member_permissions"),
                "type": kind,
                "name": command["name"],
                "name_localizations": command.get("name_localizations"),
                "description": command.get("description", "") if kind == 1 else "",
                "description_localizations": command.get("description_localizations"),
                "nsfw": bool(command.get("nsfw", False)),
                "contexts": command.get("contexts"),
                "integration_types": command.get("integration_types") or [0],
            }
            if command.get("options"):
                echoed["options"] = command["options"]
            if guild_id is None:
                echoed["dm_permission"] = command.get("dm_permission", True)
            else:
                echoed["guild_id"] = guild_id
            stored.append(echoed)
        self.commands[guild_id] = stored
        return self._ok(stored, seen.route or "")

    def _check_application(self, application_id: str) -> None:
        if application_id != self.application_id:
            raise DiscordError(404, "Unknown Application", 10002)

    # ---------------------------------------------------------------------------- messages

    async def _create_message(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        channel_id = params["channel_id"]
        body = _object_body(seen)
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            earlier = self._nonces.get((channel_id, str(nonce)))
            existing = self._find(channel_id, earlier) if earlier else None
            if existing is not None:
                return self._ok({**existing, "nonce": nonce}, seen.route or "")
        message = self._new_message(channel_id, body, seen, author=self.bot_user)
        if nonce is not None:
            self._nonces[(channel_id, str(nonce))] = message["id"]
            return self._ok({**message, "nonce": nonce}, seen.route or "")
        return self._ok(message, seen.route or "")

    async def _list_messages(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        try:
            limit = int(seen.query.get("limit", "50"))
        except ValueError:
            raise _form_error("limit", "NUMBER_TYPE_COERCE", "Value is not int.") from None
        if not 1 <= limit <= 100:
            raise _form_error("limit", "NUMBER_TYPE_MAX", "int value should be <= 100 and >= 1.")
        newest_first = list(reversed(self.channel_messages(params["channel_id"])))
        if "before" in seen.query:
            before = int(seen.query["before"])
            newest_first = [m for m in newest_first if int(m["id"]) < before]
        if "after" in seen.query:
            after = int(seen.query["after"])
            newest_first = [m for m in newest_first if int(m["id"]) > after]
        if "around" in seen.query:
            around = int(seen.query["around"])
            newest_first.sort(key=lambda m: (abs(int(m["id"]) - around), -int(m["id"])))
            newest_first = sorted(newest_first[:limit], key=lambda m: -int(m["id"]))
        return self._ok(newest_first[:limit], seen.route or "")

    async def _get_message(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        message = self._need(params["channel_id"], params["message_id"])
        return self._ok(message, seen.route or "")

    async def _edit_message(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        message = self._need(params["channel_id"], params["message_id"])
        self._apply_edit(message, _object_body(seen), seen)
        return self._ok(message, seen.route or "")

    async def _delete_message(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        message = self._need(params["channel_id"], params["message_id"])
        self.messages[params["channel_id"]].remove(message)
        return self._no_content(seen.route or "")

    async def _typing(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        return self._no_content(seen.route or "")

    # ---------------------------------------------------------------------------- webhooks

    async def _execute_webhook(self, seen: RecordedRequest, params: dict[str, str]) -> web.Response:
        webhook_id, token = params["webhook_id"], params["webhook_token"]
        body = _object_body(seen)
        channel_id = seen.query.get("thread_id") or self._webhook_channel(webhook_id, token)
        if webhook_id == self.application_id:  # an interaction follow-up
            author = self.bot_user
        else:
            author = {
                "id": webhook_id,
                "username": body.get("username") or "Captain Hook",
                "avatar": None,
                "discriminator": "0000",
                "bot": True,
            }
        message = self._new_message(channel_id, body, seen, author=author)
        message["webhook_id"] = webhook_id
        if webhook_id == self.application_id:
            message["application_id"] = self.application_id
        if _truthy(seen.query.get("wait")):
            return self._ok(message, seen.route or "")
        return self._no_content(seen.route or "")

    async def _get_webhook_message(
        self, seen: RecordedRequest, params: dict[str, str]
    ) -> web.Response:
        return self._ok(self._webhook_message(params), seen.route or "")

    async def _edit_webhook_message(
        self, seen: RecordedRequest, params: dict[str, str]
    ) -> web.Response:
        message = self._webhook_message(params)
        self._apply_edit(message, _object_body(seen), seen)
        message["flags"] = int(message.get("flags") or 0) & ~LOADING
        return self._ok(message, seen.route or "")

    async def _delete_webhook_message(
        self, seen: RecordedRequest, params: dict[str, str]
    ) -> web.Response:
        message = self._webhook_message(params)
        self.messages[message["channel_id"]].remove(message)
        if params["message_id"] == "@original":
            self.original_responses.pop(params["webhook_token"], None)
        return self._no_content(seen.route or "")

    def _webhook_channel(self, webhook_id: str, token: str) -> str:
        if webhook_id == self.application_id:
            return self.interaction_channel_ids.get(token, self.default_channel_id)
        return self.webhook_channel_ids.get(webhook_id, self.default_channel_id)

    def _webhook_message(self, params: dict[str, str]) -> JSONDict:
        webhook_id, token, message_id = (
            params["webhook_id"],
            params["webhook_token"],
            params["message_id"],
        )
        if message_id == "@original":
            original = self.original_responses.get(token)
            if original is None or webhook_id != self.application_id:
                raise DiscordError(404, "Unknown Webhook", 10015)
            return original
        channel_id = self._webhook_channel(webhook_id, token)
        for messages in [self.channel_messages(channel_id), *self.messages.values()]:
            for message in messages:
                if message["id"] == message_id and message.get("webhook_id") == webhook_id:
                    return message
        raise DiscordError(404, "Unknown Message", 10008)

    # ------------------------------------------------------------------------ interactions

    async def _interaction_callback(
        self, seen: RecordedRequest, params: dict[str, str]
    ) -> web.Response:
        interaction_id, token = params["interaction_id"], params["interaction_token"]
        body = _object_body(seen)
        if token in self.interaction_callbacks:
            raise DiscordError(400, "Interaction has already been acknowledged.", 40060)
        kind = int(body.get("type") or 0)
        raw_data = body.get("data")
        data: JSONDict = raw_data if isinstance(raw_data, dict) else {}
        flags = int(data.get("flags") or 0)
        interaction: JSONDict = {"id": interaction_id, "type": 2}
        resource: JSONDict | None = {"type": kind}
        if kind == 1:  # PONG
            resource = None
        elif kind in (4, 5):  # CHANNEL_MESSAGE_WITH_SOURCE, DEFERRED_CHANNEL_MESSAGE
            channel_id = self.interaction_channel_ids.get(token, self.default_channel_id)
            if kind == 5:
                data = {"content": "", "flags": flags | LOADING}
            message = self._new_message(
                channel_id, data, seen, author=self.bot_user, allow_empty=kind == 5
            )
            message["webhook_id"] = self.application_id
            message["application_id"] = self.application_id
            self.original_responses[token] = message
            interaction.update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(flags & EPHEMERAL),
            )
            assert resource is not None
            resource["message"] = message
        elif kind == 12:  # LAUNCH_ACTIVITY
            interaction["activity_instance_id"] = f"i-{self._snowflake()}"
            assert resource is not None
            resource["activity_instance"] = {"id": interaction["activity_instance_id"]}
        self.interaction_callbacks[token] = body
        if not _truthy(seen.query.get("with_response")):
            return self._no_content(seen.route or "")
        answer: JSONDict = {"interaction": interaction}
        if resource is not None:
            answer["resource"] = resource
        return self._ok(answer, seen.route or "")

    # ---------------------------------------------------------------------------- internals

    def _snowflake(self) -> str:
        now = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_snowflake = max(now, self._last_snowflake + 1)
        return str(self._last_snowflake)

    def _find(self, channel_id: str, message_id: str) -> JSONDict | None:
        for message in self.messages.get(channel_id, []):
            if message["id"] == message_id:
                return message
        return None

    def _need(self, channel_id: str, message_id: str) -> JSONDict:
        message = self._find(channel_id, message_id)
        if message is None:
            raise DiscordError(404, "Unknown Message", 10008)
        return message

    def _new_message(
        self,
        channel_id: str,
        body: JSONDict,
        seen: RecordedRequest,
        *,
        author: JSONDict,
        allow_empty: bool = False,
    ) -> JSONDict:
        content = body.get("content") or ""
        embeds = body.get("embeds") or []
        _check_content(content, embeds)
        has_payload = any(body.get(k) for k in ("embeds", "components", "sticker_ids", "poll"))
        if not (allow_empty or content or has_payload or seen.files):
            raise DiscordError(400, "Cannot send an empty message", 50006)
        message: JSONDict = {
            "id": self._snowflake(),
            "channel_id": channel_id,
            "type": 0,
            "content": str(content),
            "author": {k: author[k] for k in ("id", "username", "discriminator", "avatar")}
            | {"global_name": author.get("global_name"), "bot": True, "public_flags": 0},
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(channel_id, seen),
            "embeds": [_echo_embed(embed) for embed in embeds if isinstance(embed, dict)],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": int(body.get("flags") or 0),
        }
        reference = body.get("message_reference")
        if isinstance(reference, dict) and reference.get("message_id"):
            message["type"] = 19  # REPLY
            message["message_reference"] = {
                "type": 0,
                "message_id": str(reference["message_id"]),
                "channel_id": str(reference.get("channel_id") or channel_id),
            }
        self.messages.setdefault(channel_id, []).append(message)
        return message

    def _apply_edit(self, message: JSONDict, body: JSONDict, seen: RecordedRequest) -> None:
        content = body["content"] if "content" in body else message["content"]
        embeds = body["embeds"] if "embeds" in body else message["embeds"]
        _check_content(content or "", embeds or [])
        if "content" in body:
            message["content"] = str(body["content"] or "")
        if "embeds" in body:
            message["embeds"] = [
                _echo_embed(e) for e in body["embeds"] or [] if isinstance(e, dict)
            ]
        if "components" in body:
            message["components"] = body["components"] or []
        if "flags" in body and body["flags"] is not None:
            message["flags"] = int(body["flags"])
        if "attachments" in body or seen.files:
            listed = body.get("attachments") or []
            kept_ids = {str(a["id"]) for a in listed if isinstance(a, dict) and "id" in a}
            kept = [a for a in message["attachments"] if a["id"] in kept_ids]
            message["attachments"] = kept + self._attachments(message["channel_id"], seen)
        message["edited_timestamp"] = datetime.now(UTC).isoformat()

    def _attachments(self, channel_id: str, seen: RecordedRequest) -> list[JSONDict]:
        attachments = []
        for upload in seen.files:
            attachment_id = self._snowflake()
            filename = upload.filename or upload.field
            url = f"https://cdn.discordapp.com/attachments/{channel_id}/{attachment_id}/{filename}"
            attachments.append(
                {
                    "id": attachment_id,
                    "filename": filename,
                    "size": len(upload.data),
                    "url": url,
                    "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
                    "content_type": upload.content_type,
                }
            )
        return attachments


# -------------------------------------------------------------------------------- helpers


async def _parse_body(request: web.Request, seen: RecordedRequest) -> None:
    content_type = request.content_type
    if content_type == "multipart/form-data":
        _parse_multipart(request.headers.get("Content-Type", ""), seen)
    elif seen.raw and content_type == "application/json":
        seen.json = _loads(seen.raw)


def _parse_multipart(content_type: str, seen: RecordedRequest) -> None:
    """Split ``seen.raw`` (already read, so aiohttp's streaming reader is spent) into parts."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    document = BytesParser(policy=email.policy.HTTP).parsebytes(head + seen.raw)
    if not document.is_multipart():
        raise DiscordError(400, "400: Bad Request", 0)
    for part in document.iter_parts():
        assert isinstance(part, EmailMessage)
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        data = part.get_payload(decode=True)
        payload = data if isinstance(data, bytes) else b""
        filename = part.get_filename()
        if name == "payload_json":
            seen.json = _loads(payload)
        elif filename is not None or name.startswith("files["):
            seen.files.append(RecordedFile(name, filename, part.get_content_type(), payload))
        else:
            seen.form[name] = payload.decode("utf-8", "replace")
    if seen.json is None and seen.form:
        seen.json = dict(seen.form)


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise DiscordError(400, "The request body contains invalid JSON.", 50109) from None


def _object_body(seen: RecordedRequest) -> JSONDict:
    if seen.json is None:
        return {}
    if not isinstance(seen.json, dict):
        raise _form_error("_errors", "DICT_TYPE_CONVERT", "Only dictionaries may be used.")
    return seen.json


def _check_content(content: Any, embeds: Any) -> None:
    if not isinstance(content, str):
        raise _form_error("content", "BASE_TYPE_STRING", "Must be a string.")
    if len(content) > MAX_CONTENT:
        raise _form_error(
            "content", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CONTENT} or fewer in length."
        )
    if not isinstance(embeds, list):
        raise _form_error("embeds", "BASE_TYPE_ARRAY", "Must be an array.")
    if len(embeds) > MAX_EMBEDS:
        raise _form_error(
            "embeds", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length."
        )


def _form_error(key: str, code: str, message: str) -> DiscordError:
    errors: JSONDict = {"_errors": [{"code": code, "message": message}]}
    if key != "_errors":
        errors = {key: errors}
    return DiscordError(400, "Invalid Form Body", 50035, errors)


def _echo_embed(embed: JSONDict) -> JSONDict:
    echoed = {key: value for key, value in embed.items() if value is not None}
    echoed.setdefault("type", "rich")
    echoed.pop("flags", None)
    return echoed


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true")


def _bucket(route: str) -> str:
    return hashlib.sha1(route.encode()).hexdigest()[:32]


def _ratelimit_headers(route: str) -> dict[str, str]:
    """Headers of a bucket that is never close to running out."""
    return {
        "X-RateLimit-Bucket": _bucket(route),
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
    }


def _default_error_body(status: int, path: str) -> Any:
    if status == 429:
        return {"message": "You are being rate limited.", "retry_after": 0.3, "global": False}
    if status == 400:
        return {"message": "Invalid Form Body", "code": 50035, "errors": {}}
    if status == 401:
        return {"message": "401: Unauthorized", "code": 0}
    if status == 403:
        return {"message": "Missing Access", "code": 50001}
    if status == 404:
        if path.startswith("/webhooks"):
            return {"message": "Unknown Webhook", "code": 10015}
        if path.startswith("/interactions"):
            return {"message": "Unknown interaction", "code": 10062}
        if re.match(r"/channels/[^/]+/messages/", path):
            return {"message": "Unknown Message", "code": 10008}
        if path.startswith("/channels"):
            return {"message": "Unknown Channel", "code": 10003}
        return {"message": "404: Not Found", "code": 0}
    if status >= 500:
        return {"message": f"{status}: Internal Server Error", "code": 0}
    return {"message": f"{status}: Error", "code": 0}
