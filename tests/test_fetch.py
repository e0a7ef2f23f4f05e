"""The fetcher against a real HTTP server on 127.0.0.1: every limit a hostile server needs."""

from __future__ import annotations

import asyncio
import gzip
import zlib

import brotli
import pytest
from aiohttp import web

from bot.backoff import parse_retry_after
from bot.errors import BlockedAddressError, FetchError
from bot.ingest.fetch import USER_AGENT, Fetcher, FetchPolicy
from bot.ingest.netguard import GuardedResolver, literal_address, refusal_reason
from tests.feedserver import FeedServer

FEED = b"<rss version='2.0'><channel><title>x</title></channel></rss>"


def local(**overrides: object) -> FetchPolicy:
    settings: dict[str, object] = {"timeout": 2.0, "allow_private": True} | overrides
    return FetchPolicy(**settings)  # type: ignore[arg-type]


async def test_plain_fetch_sends_user_agent(server: FeedServer) -> None:
    url = server.route("/feed.xml", FEED, headers={"Content-Type": "application/rss+xml"})
    async with Fetcher(local()) as fetcher:
        result = await fetcher.fetch(url)
    assert result.status == 200
    assert result.body == FEED
    assert result.headers["content-type"] == "application/rss+xml"
    assert server.requests[0].headers["User-Agent"] == USER_AGENT
    assert "dealbot/" in USER_AGENT


async def test_conditional_get_and_304(server: FeedServer) -> None:
    async def conditional(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(
            body=FEED, headers={"ETag": '"v1"', "Last-Modified": "Mon, 23 Nov 2026 08:00:00 GMT"}
        )

    url = server.route("/feed.xml", handler=conditional)
    async with Fetcher(local()) as fetcher:
        first = await fetcher.fetch(url)
        second = await fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert first.etag == '"v1"'
    assert second.not_modified
    assert second.body == b""
    sent = server.requests[1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 23 Nov 2026 08:00:00 GMT"


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress)],
)
async def test_compressed_bodies(server: FeedServer, encoding: str, compress: object) -> None:
    url = server.route("/f", compress(FEED), headers={"Content-Encoding": encoding})  # type: ignore[operator]
    async with Fetcher(local()) as fetcher:
        result = await fetcher.fetch(url)
    assert result.body == FEED
    assert "br" in server.requests[0].headers["Accept-Encoding"]


async def test_permanent_redirect_gives_the_new_url(server: FeedServer) -> None:
    server.route("/old", status=301, headers={"Location": "/older"})
    server.route("/older", status=308, headers={"Location": "/new"})
    new = server.route("/new", FEED)
    async with Fetcher(local()) as fetcher:
        result = await fetcher.fetch(server.url("/old"))
    assert result.url == new
    assert result.permanent_url == new


async def test_temporary_redirect_keeps_the_old_url(server: FeedServer) -> None:
    server.route("/old", status=301, headers={"Location": "/tmp"})
    server.route("/tmp", status=302, headers={"Location": "/new"})
    new = server.route("/new", FEED)
    async with Fetcher(local()) as fetcher:
        result = await fetcher.fetch(server.url("/old"))
    assert result.url == new
    assert result.permanent_url is None


async def test_redirect_loop_is_bounded(server: FeedServer) -> None:
    server.route("/a", status=302, headers={"Location": "/b"})
    server.route("/b", status=302, headers={"Location": "/a"})
    async with Fetcher(local(max_redirects=3)) as fetcher:
        with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
            await fetcher.fetch(server.url("/a"))
    assert len(server.requests) == 4


async def test_hanging_server_is_bounded_by_the_timeout(server: FeedServer) -> None:
    url = server.route("/slow", FEED, delay=30)
    async with Fetcher(local(timeout=0.5)) as fetcher:
        with pytest.raises(FetchError, match=r"timed out after 0.5s"):
            await fetcher.fetch(url)


async def test_server_that_stalls_mid_body_is_bounded(server: FeedServer) -> None:
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        await response.write(b"<rss>")
        await asyncio.sleep(30)
        return response

    url = server.route("/trickle", handler=trickle)
    async with Fetcher(local(timeout=0.5)) as fetcher:
        with pytest.raises(FetchError, match="timed out"):
            await fetcher.fetch(url)


async def test_http_500(server: FeedServer) -> None:
    url = server.route("/broken", "oops", status=500)
    async with Fetcher(local()) as fetcher:
        with pytest.raises(FetchError, match="HTTP 500 Internal Server Error") as caught:
            await fetcher.fetch(url)
    assert caught.value.status == 500


async def test_429_carries_retry_after(server: FeedServer) -> None:
    url = server.route("/busy", status=429, headers={"Retry-After": "120"})
    async with Fetcher(local()) as fetcher:
        with pytest.raises(FetchError, match="HTTP 429") as caught:
            await fetcher.fetch(url)
    assert caught.value.retry_after == 120


def test_retry_after_as_http_date() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 25 Nov 2026 12:05:00 GMT", now) == 300
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("99999999", now) == 7 * 86400


def test_retry_after_in_decimal_seconds_as_chat_platforms_send_it() -> None:
    """One parser for feeds and chat channels: Slack and Discord send decimals."""
    from bot.adapters.slack.channel import retry_after

    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after(" 30 ") == 30
    assert parse_retry_after("-3") == 0
    assert parse_retry_after("nan") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None
    assert retry_after({"retry-after": ["2.5"]}) == 2.5  # a header mapping of lists
    assert retry_after({"Retry-After": "99999999"}) == 7 * 86400
    assert retry_after({}) is None


async def test_oversized_response_is_refused(server: FeedServer) -> None:
    url = server.route("/big", b"x" * 300_000)
    async with Fetcher(local(max_bytes=100_000)) as fetcher:
        with pytest.raises(FetchError, match="response too large"):
            await fetcher.fetch(url)


async def test_oversized_response_without_length_is_cut_while_streaming(
    server: FeedServer,
) -> None:
    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(10_000):  # 640 MB if nobody stopped reading
            await response.write(b"y" * 65536)
        return response

    url = server.route("/endless", handler=endless)
    async with Fetcher(local(max_bytes=1_000_000)) as fetcher:
        with pytest.raises(FetchError, match="response too large"):
            await fetcher.fetch(url)


async def test_gzip_bomb_stops_at_the_cap(server: FeedServer) -> None:
    import resource

    bomb = gzip.compress(b"\0" * (128 * 1024 * 1024), compresslevel=9)  # 128 MiB -> 127 KB
    url = server.route("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    async with Fetcher(local(max_bytes=5_000_000)) as fetcher:
        with pytest.raises(FetchError, match="over 5 MB once decompressed"):
            await fetcher.fetch(url)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, f"peak memory grew by {grown_mb:.0f} MB"


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1",
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "[::ffff:127.0.0.1]",
        "[::1]",
        "0.0.0.0",
        "[::]",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.4",
        "100.64.1.1",
        "169.254.169.254",
        "224.0.0.1",
        "240.0.0.1",
        "[fd00:ec2::254]",
        "[64:ff9b::7f00:1]",
    ],
)
async def test_refused_address_spellings(server: FeedServer, host: str) -> None:
    async with Fetcher(local(allow_private=False)) as fetcher:
        with pytest.raises(BlockedAddressError, match="refused address"):
            await fetcher.fetch(f"http://{host}:{server.port}/feed.xml")
    assert server.requests == []


async def test_names_resolving_to_private_addresses_are_refused(server: FeedServer) -> None:
    server.route("/feed.xml", FEED)
    async with Fetcher(local(allow_private=False)) as fetcher:
        with pytest.raises(BlockedAddressError, match="localhost resolves to"):
            await fetcher.fetch(f"http://localhost:{server.port}/feed.xml")
    assert server.requests == []


async def test_redirect_targets_are_checked_too(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Treat 127.0.0.1 (the test server) as public, so the first hop is allowed and the
    # redirect to another loopback address shows the check on each hop.
    real = refusal_reason
    monkeypatch.setattr(
        "bot.ingest.netguard.refusal_reason", lambda a: None if str(a) == "127.0.0.1" else real(a)
    )
    server.route("/hop", status=302, headers={"Location": f"http://127.0.0.2:{server.port}/x"})
    async with Fetcher(local(allow_private=False)) as fetcher:
        with pytest.raises(BlockedAddressError, match=r"refused address 127.0.0.2 \(loopback\)"):
            await fetcher.fetch(server.url("/hop"))
    assert [r.path for r in server.requests] == ["/hop"]


async def test_resolver_refuses_loopback_names() -> None:
    resolver = GuardedResolver(allow_private=False)
    with pytest.raises(BlockedAddressError):
        await resolver.resolve("localhost", 80)
    await resolver.close()


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "gopher://x/"])
async def test_refused_schemes(url: str) -> None:
    async with Fetcher(local(allow_private=False)) as fetcher:
        with pytest.raises(BlockedAddressError, match="refused URL scheme"):
            await fetcher.fetch(url)


def test_public_addresses_pass() -> None:
    for text in ("93.184.215.14", "2606:4700::6810:84e5", "8.8.8.8"):
        address = literal_address(text)
        assert address is not None
        assert refusal_reason(address) is None


async def test_connection_refused_is_a_fetch_error(server: FeedServer) -> None:
    port = server.port
    await server.stop()
    async with Fetcher(local()) as fetcher:
        with pytest.raises(FetchError, match="cannot connect"):
            await fetcher.fetch(f"http://127.0.0.1:{port}/feed.xml")
