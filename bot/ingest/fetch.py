"""Fetching feeds over HTTP: the one shared client, with every limit a hostile server needs.

* conditional GET (If-None-Match / If-Modified-Since); a 304 returns no body;
* gzip, deflate and brotli, decompressed while streaming, with the size cap counted on the
  decompressed bytes, so a gzip bomb stops at the cap;
* redirects followed by hand up to a limit, every hop checked by the address guard; the
  final URL is returned, and when every hop was permanent it is the feed's new URL;
* one time limit over the whole request (connect, redirects, body);
* connections capped in all and per host (which feed is polled when is bot.pollqueue's
  business: a slow host holds only its own share);
* a User-Agent naming dealbot and its version; no cookies, no proxy from the environment.

Every failure becomes a FetchError (or BlockedAddressError) with a readable message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from yarl import URL

from bot import __version__
from bot.backoff import parse_retry_after
from bot.errors import BlockedAddressError, FetchError
from bot.text import display_url

if TYPE_CHECKING:  # aiohttp (0.1 s to import) and the guard come with the first fetch
    import aiohttp

    from bot.ingest.netguard import GuardedResolver

USER_AGENT = f"dealbot/{__version__} (feed alerts; +https://github.com/dealbot/dealbot)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_KEPT_HEADERS = ("content-type", "content-language", "content-location", "etag", "last-modified")
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    timeout: float = 20.0
    max_bytes: int = 10 * 10**6
    max_redirects: int = 5
    allow_private: bool = False


# How many connections the pool may hold, in all and per host: the most the settings allow.
# How many polls run at once (settings.concurrency, settings.per_host) is the poll queue's
# business (bot.pollqueue), which a reload can change; the pool only bounds the sockets.
CONNECTIONS = 256
CONNECTIONS_PER_HOST = 16


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # the URL that answered, after redirects
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    permanent_url: str | None = None  # set when every redirect hop was permanent

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class Fetcher:
    """The shared HTTP client; use as ``async with Fetcher(policy) as fetcher``. The client
    is made by the first fetch: a cycle with nothing due makes none."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._resolver: GuardedResolver | None = None
        self._session: aiohttp.ClientSession | None = None

    def apply(self, policy: FetchPolicy) -> None:
        """Fetch with ``policy`` from the next request on (a reloaded configuration);
        requests running now finish under the old one."""
        self.policy = policy
        if self._resolver is not None:
            self._resolver.allow_private = policy.allow_private

    async def __aenter__(self) -> Fetcher:
        return self

    def _client(self) -> aiohttp.ClientSession:
        if self._session is not None:
            return self._session
        import aiohttp

        from bot.ingest.netguard import GuardedResolver

        self._resolver = GuardedResolver(allow_private=self.policy.allow_private)
        connector = aiohttp.TCPConnector(
            resolver=self._resolver,
            limit=CONNECTIONS,
            limit_per_host=CONNECTIONS_PER_HOST,
            ttl_dns_cache=60,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            auto_decompress=True,
            timeout=aiohttp.ClientTimeout(total=None),
        )
        return self._session

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url``; raise FetchError for anything but a 200 with a body or a 304."""
        if self._session is None:
            # aiohttp takes about 0.1 s to import: in a thread, not on the event loop
            await asyncio.to_thread(_import_client)
        import aiohttp

        from bot.ingest.netguard import check_url

        try:
            target = URL(url)
        except ValueError:
            raise FetchError(f"invalid URL: {display_url(url)}") from None
        check_url(target, allow_private=self.policy.allow_private)
        host = target.host or ""
        try:
            async with asyncio.timeout(self.policy.timeout):
                result = await self._follow(target, etag, last_modified)
        except TimeoutError:
            raise FetchError(f"timed out after {self.policy.timeout:g}s") from None
        except FetchError:
            raise
        except aiohttp.ClientResponseError as exc:
            raise FetchError(f"HTTP error: {exc.message}", status=exc.status) from None
        except aiohttp.ClientConnectorError as exc:
            cause = exc.os_error
            if isinstance(cause, BlockedAddressError):
                raise cause from None
            raise FetchError(f"cannot connect to {host}: {cause.strerror or cause}") from None
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            raise FetchError(
                f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            ) from None
        return FetchResult(
            url=result.url,
            status=result.status,
            body=result.body,
            headers=result.headers,
            permanent_url=result.permanent_url,
        )

    async def _follow(self, url: URL, etag: str | None, last_modified: str | None) -> FetchResult:
        from bot.ingest.netguard import check_url

        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        all_permanent = True
        for _hop in range(self.policy.max_redirects + 1):
            check_url(url, allow_private=self.policy.allow_private)
            async with self._client().get(
                url, headers=headers, allow_redirects=False, max_line_size=16384
            ) as response:
                if response.status in _REDIRECTS and "Location" in response.headers:
                    all_permanent = all_permanent and response.status in _PERMANENT
                    url = url.join(URL(response.headers["Location"]))
                    continue
                kept = {k: response.headers[k] for k in _KEPT_HEADERS if k in response.headers}
                if response.status == 304:
                    return FetchResult(str(url), 304, b"", kept)
                if response.status in (429, 503):
                    raise FetchError(
                        _status_text(response),
                        status=response.status,
                        retry_after=parse_retry_after(response.headers.get("Retry-After")),
                    )
                if response.status != 200:
                    raise FetchError(_status_text(response), status=response.status)
                body = await self._read_capped(response)
                moved = str(url) if all_permanent and _hop > 0 else None
                return FetchResult(str(url), 200, body, kept, permanent_url=moved)
        raise FetchError(f"too many redirects (more than {self.policy.max_redirects})")

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        cap = self.policy.max_bytes
        declared = response.content_length
        if declared is not None and declared > cap and "Content-Encoding" not in response.headers:
            raise FetchError(f"response too large: {declared} bytes (limit {_size(cap)})")
        body = bytearray()
        async for chunk in response.content.iter_chunked(_CHUNK):
            body += chunk
            if len(body) > cap:
                raise FetchError(f"response too large: over {_size(cap)} once decompressed")
        return bytes(body)


def _import_client() -> None:
    import aiohttp  # noqa: F401

    import bot.ingest.netguard  # noqa: F401


def _status_text(response: aiohttp.ClientResponse) -> str:
    return f"HTTP {response.status} {response.reason or ''}".rstrip()


def _size(count: int) -> str:
    return f"{count / 10**6:g} MB" if count >= 10**6 else f"{count / 10**3:g} KB"
