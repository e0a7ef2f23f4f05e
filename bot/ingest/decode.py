"""Fetched bytes -> a document feedparser can read without stumbling.

Numeric character references that name no character (``&#0;``, a lone surrogate such as
``&#xD800;``, anything past ``&#x10FFFF;``) make expat reject the document and feedparser's
fallback parser raise, which would cost the whole feed. They are rewritten before parsing:
a UTF-16 surrogate pair written as two references becomes the one character it encodes,
C1 references (``&#150;``) become the windows-1252 characters HTML reads them as, XML's
forbidden control characters are dropped, and anything else invalid becomes U+FFFD. Escaped
forms (``&amp;#xD800;``, as in escaped HTML content) are rewritten the same way.
"""

from __future__ import annotations

import re

_REFERENCE = re.compile(rb"&((?:amp;)*+)#(?:[xX]([0-9A-Fa-f]++)|([0-9]++));")
_REPLACEMENT = 0xFFFD
_MAX_DIGITS = 8  # no valid code point needs more (after leading zeros)


def sanitize_references(document: bytes) -> bytes:
    """``document`` (an ASCII-compatible encoding) with every numeric character reference
    naming a character XML allows."""
    if b"&#" not in document and b";#" not in document:  # ";#": the escaped "&amp;#" form
        return document
    parts: list[bytes] = []
    position = 0
    matches = list(_REFERENCE.finditer(document))
    skip_next = False
    for index, found in enumerate(matches):
        if skip_next:
            skip_next = False
            continue
        code = _code_point(found)
        if _allowed(code):
            continue
        if 0xD800 <= code <= 0xDBFF and index + 1 < len(matches):
            following = matches[index + 1]
            low = _code_point(following)
            if (
                following.start() == found.end()
                and following.group(1) == found.group(1)
                and 0xDC00 <= low <= 0xDFFF
            ):
                combined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                parts.append(document[position : found.start()])
                parts.append(_reference(found.group(1), combined))
                position = following.end()
                skip_next = True
                continue
        parts.append(document[position : found.start()])
        replacement = _replacement(code)
        if replacement is not None:
            parts.append(_reference(found.group(1), replacement))
        position = found.end()
    if not parts:
        return document
    parts.append(document[position:])
    return b"".join(parts)


def _code_point(found: re.Match[bytes]) -> int:
    digits, base = (found.group(2), 16) if found.group(2) is not None else (found.group(3), 10)
    digits = digits.lstrip(b"0") or b"0"
    return int(digits, base) if len(digits) <= _MAX_DIGITS else 0x110000


def _allowed(code: int) -> bool:
    """Whether XML 1.0 allows this character and HTML reads it as itself."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _replacement(code: int) -> int | None:
    """What an invalid reference becomes: a character, or None to drop it."""
    if 0x80 <= code <= 0x9F:
        try:
            return ord(bytes([code]).decode("cp1252"))
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: nothing in windows-1252
            return None
    if (code < 0x20 and code != 0) or code == 0x7F:
        return None  # a control character: nothing to show
    return _REPLACEMENT


def _reference(escapes: bytes, code: int) -> bytes:
    return b"&" + escapes + b"#x" + format(code, "X").encode("ascii") + b";"
