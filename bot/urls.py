"""Story URLs: one story, one key (``canonical_url``), and aggregator links resolved to the
publisher's article (``article_url``).

The canonical URL is a key, never shown: scheme-insensitive (always ``https``), host
lower-case without ``www.``/``m.``/``mobile.``/``amp.``, the Google AMP Cache's wrapping
undone, no credentials, default port,
fragment, trailing slash, AMP marker (``/amp/``, ``/amp``, ``.amp``, ``?amp``, ``?amp=1``,
``outputType=amp``) or tracking parameter (``utm_*``, ``fbclid``, ``gclid``…). The query is
otherwise kept as written, so that its encoding does not change.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote, unquote_plus

from yarl import URL

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
        "vero_id", "wickedid", "rb_clickid", "s_cid", "ref_src", "cmpid", "ncid", "sr_share",
        "guccounter", "guce_referrer", "guce_referrer_sig", "spm", "at_medium", "at_campaign",
        "cid", "ito", "xtor", "usqp", "ampshare",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "amp_")  # amp_: AMP viewer parameters
_AMP_PARAMETERS = frozenset({"amp", "amp=1", "amp=true", "outputtype=amp", "_amp=true"})
_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)
_DEFAULT_PORTS = (80, 443)


def canonical_url(link: str | None) -> str | None:
    """The key of the story at ``link`` (see the module docstring); None if it is not an
    http(s) URL."""
    url = _parsed(link)
    if url is None or url.scheme not in ("http", "https") or not url.host:
        return None
    cached = _amp_cache_original(url)
    if cached is not None:
        return canonical_url(cached)
    host = url.host.lower().rstrip(".")
    stripped = True
    while stripped:
        stripped = False
        for prefix in _HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host = host[len(prefix) :]
                stripped = True
    try:
        port = url.explicit_port
    except ValueError:
        return None
    netloc = host if port is None or port in _DEFAULT_PORTS else f"{host}:{port}"
    path = _AMP_SUFFIX.sub("", _AMP_SEGMENT.sub("", url.raw_path or "")).rstrip("/")
    kept = [
        part
        for part in url.raw_query_string.split("&")
        if part and not _is_tracking(part) and part.lower() not in _AMP_PARAMETERS
    ]
    base = f"https://{_ascii_host(netloc)}{path}"
    return f"{base}?{'&'.join(kept)}" if kept else base


def _parsed(link: str | None) -> URL | None:
    """``link`` as a URL; None when it is empty or not a URL at all."""
    if not link:
        return None
    try:
        return URL(link.strip())
    except (ValueError, TypeError):
        return None


_AMP_CACHE = re.compile(r"^/[cvi]/(s/)?([^/]+\.[^/]+)(/.*)?$")


def _amp_cache_original(url: URL) -> str | None:
    """The publisher's URL behind a Google AMP Cache URL
    (``https://example-com.cdn.ampproject.org/c/s/example.com/story``)."""
    if not (url.host or "").lower().endswith(".cdn.ampproject.org"):
        return None
    found = _AMP_CACHE.match(url.raw_path or "")
    if found is None:
        return None
    scheme = "https" if found.group(1) else "http"
    query = f"?{url.raw_query_string}" if url.raw_query_string else ""
    return f"{scheme}://{found.group(2)}{found.group(3) or ''}{query}"


def _ascii_host(netloc: str) -> str:
    try:
        return netloc.encode("idna").decode("ascii")
    except UnicodeError:
        return netloc


def _is_tracking(query_part: str) -> bool:
    key = unquote_plus(query_part.split("=", 1)[0]).lower()
    return key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)


# ---------------------------------------------------------------------- aggregator links

_GOOGLE_NEWS_HOSTS = ("news.google.com",)
_FEEDPROXY_HOSTS = ("feedproxy.google.com", "feeds.feedburner.com")
_TARGET_PARAMETERS = ("url", "u", "q")
_EMBEDDED_URL = re.compile(rb"https?://[\x21-\x7e]+")


def article_url(link: str | None, *, original: str | None = None) -> str | None:
    """The publisher's own URL for an aggregator's ``link``, where the feed gives it:
    FeedBurner's ``origLink`` (``original``), a ``url=`` parameter (Google News, redirect
    services), or the URL inside an old-style Google News article id; else None."""
    if original and original.startswith(("http://", "https://")):
        return original.strip()
    url = _parsed(link)
    if url is None:
        return None
    host = (url.host or "").lower()
    if host in _GOOGLE_NEWS_HOSTS or host.endswith(_FEEDPROXY_HOSTS):
        for name in _TARGET_PARAMETERS:
            target = url.query.get(name, "")
            if target.startswith(("http://", "https://")):
                return target
    if host in _GOOGLE_NEWS_HOSTS and "/articles/" in url.path:
        return _google_news_target(url.path.rsplit("/", 1)[-1])
    return None


def _google_news_target(article_id: str) -> str | None:
    """The URL inside a Google News article id of the old kind (base64 of a record that
    holds the URL in clear); the newer ids ("AU_yqL…") hold none and stay unresolved."""
    try:
        raw = base64.urlsafe_b64decode(article_id + "=" * (-len(article_id) % 4))
    except (binascii.Error, ValueError):
        return None
    found = _EMBEDDED_URL.search(raw)
    if found is None:
        return None
    start = found.start()
    # a protobuf string field: tag 0x22, a varint length, the URL; the length says where the
    # URL ends when the next field happens to start with a printable byte
    end = found.end()
    if start >= 2 and raw[start - 2] == 0x22 and raw[start - 1] < 0x80:
        end = min(end, start + raw[start - 1])
    elif start >= 3 and raw[start - 3] == 0x22 and raw[start - 2] >= 0x80:
        end = min(end, start + ((raw[start - 2] & 0x7F) | (raw[start - 1] << 7)))
    target = unquote(raw[start:end].decode("ascii"))
    try:
        return target if URL(target).host else None
    except ValueError:
        return None


def host_of(url: str) -> str:
    """The host a feed's polls count against (its URL's host, lower case; "" for none)."""
    try:
        return (URL(url).host or "").lower()
    except ValueError:
        return ""
