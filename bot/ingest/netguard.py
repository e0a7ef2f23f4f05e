"""Which addresses a feed may reach: the guard against feeds that point inside the network.

Feed URLs come from users, so a URL may aim at the bot's own machine, the LAN or a cloud
metadata service. Unless ``allow_private_networks`` is set, two checks stop that:

* ``check_url`` refuses non-http(s) schemes and host names that are IP literals (in any
  spelling: ``127.1``, ``2130706433``, ``0x7f000001``, ``[::ffff:127.0.0.1]``) of a refused
  address, before any request; it runs again for every redirect target;
* ``GuardedResolver`` is the HTTP client's DNS resolver: it drops every refused address a
  name resolves to at connect time (``localhost``, rebinding tricks), so no connection to one
  is ever opened.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from bot.errors import BlockedAddressError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_EXTRA_REFUSED = (
    ipaddress.ip_network("100.64.0.0/10"),  # shared address space (carrier-grade NAT)
    ipaddress.ip_network("192.0.0.0/24"),  # IETF protocol assignments (Oracle metadata)
    ipaddress.ip_network("198.18.0.0/15"),  # benchmarking
    ipaddress.ip_network("fd00:ec2::/32"),  # AWS metadata over IPv6 (also ULA)
)


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` may not be reached by a feed, or None when it is a public address."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return refusal_reason(embedded)
    checks = (
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
        (any(address in net for net in _EXTRA_REFUSED if net.version == address.version),
         "shared or special-purpose"),
        (not address.is_global, "not globally routable"),
    )  # fmt: skip
    return next((reason for refused, reason in checks if refused), None)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv6 one (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def literal_address(host: str) -> IPAddress | None:
    """The address a host name spells directly, in any form a C resolver would accept."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    try:  # legacy IPv4 spellings: 127.1, 2130706433, 0x7f000001, 0177.0.0.1
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def check_url(url: URL, *, allow_private: bool) -> None:
    """Raise BlockedAddressError for a URL no feed may fetch."""
    if url.scheme not in ("http", "https"):
        raise BlockedAddressError(f"refused URL scheme {url.scheme!r}: only http and https")
    host = url.raw_host
    if not host:
        raise BlockedAddressError("refused URL without a host")
    if allow_private:
        return
    address = literal_address(host)
    if address is not None:
        reason = refusal_reason(address)
        if reason:
            raise BlockedAddressError(f"refused address {address} ({reason})")


class GuardedResolver(AbstractResolver):
    """A DNS resolver that never hands the connector a refused address."""

    def __init__(self, *, allow_private: bool) -> None:
        self._inner = ThreadedResolver()
        self.allow_private = allow_private  # the fetcher changes it when settings do

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if self.allow_private:
            return results
        allowed = [result for result in results if not _refused(result)]
        if not allowed:
            reasons = sorted({f"{r['host']} ({_refused(r)})" for r in results})
            raise BlockedAddressError(f"refused address: {host} resolves to {', '.join(reasons)}")
        return allowed

    async def close(self) -> None:
        await self._inner.close()


def _refused(result: dict[str, Any] | ResolveResult) -> str | None:
    address = literal_address(str(result["host"]))
    return "unparseable address" if address is None else refusal_reason(address)
