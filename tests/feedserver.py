"""A real HTTP server on 127.0.0.1 that serves whatever a test puts in it, and logs requests.

Routes are set per path: ``server.route("/feed.xml", body=..., headers=..., status=...)``;
``delay`` makes a handler hang, ``handler`` takes over completely. ``server.requests`` lists
every request received (path and headers), so tests can prove what was or was not sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    handler: Handler | None = None


@dataclass
class SeenRequest:
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)  # when it arrived


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        handler: Handler | None = None,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, status, dict(headers or {}), delay, handler)
        return self.url(path)

    def hits(self, path: str) -> list[SeenRequest]:
        return [request for request in self.requests if request.path == path]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(SeenRequest(request.path_qs, dict(request.headers)))
        route = self.routes.get(request.path_qs) or self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.delay:
            await asyncio.sleep(route.delay)
        if route.handler is not None:
            return await route.handler(request)
        return web.Response(body=route.body, status=route.status, headers=route.headers)


def rss(*items: str, title: str = "Test feed", language: str | None = "en") -> str:
    """An RSS 2.0 document around ``items`` (see ``rss_item``)."""
    lang = f"<language>{language}</language>" if language else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://news.example/</link>{lang}"
        + "".join(items)
        + "</channel></rss>"
    )


def rss_item(
    title: str,
    link: str,
    *,
    description: str = "",
    guid: str | None = None,
    published: str | None = "Tue, 24 Nov 2026 10:00:00 +0000",
) -> str:
    parts = [f"<title>{title}</title>", f"<link>{link}</link>"]
    if description:
        parts.append(f"<description>{description}</description>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if published:
        parts.append(f"<pubDate>{published}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"
