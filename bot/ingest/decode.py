"""Fetched bytes -> a document feedparser can read without stumbling: UTF-8, declared so.

``decode_document`` reads the bytes in the encoding they are really in, whatever the
Content-Type charset or the XML declaration claim, and returns them as UTF-8 with the XML
declaration saying so. In order, cheapest first:

1. a byte-order mark, or UTF-16/32 without one (XML's own sniffing of ``<?``), decides;
2. bytes that are valid UTF-8 (and hold more than ASCII) are UTF-8: no other encoding in
   use produces valid multi-byte UTF-8 by accident;
3. a declared charset is read as its superset (ISO-8859-1 as windows-1252, EUC-KR as CP949,
   Shift_JIS as CP932, GB2312/GBK as GB18030, Big5 as Big5-HKSCS…) and kept when at most
   2% of its non-ASCII characters fail to decode (a broken EUC-JP feed stays EUC-JP) and,
   for a single-byte charset, the text does not read as mojibake;
4. otherwise (no declaration, or one the bytes contradict) charset-normalizer detects it.

Only feeds that are not plain UTF-8 pay for more than one decode attempt; only those whose
declaration is missing or wrong pay for detection.

Numeric character references that name no character (``&#0;``, a lone surrogate such as
``&#xD800;``, anything past ``&#x10FFFF;``) make expat reject the document and feedparser's
fallback parser raise, which would cost the whole feed. They are rewritten before parsing:
a UTF-16 surrogate pair written as two references becomes the one character it encodes,
C1 references (``&#150;``) become the windows-1252 characters HTML reads them as, XML's
forbidden control characters are dropped, and anything else invalid becomes U+FFFD. Escaped
forms (``&amp;#xD800;``, as in escaped HTML content) are rewritten the same way.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
from charset_normalizer.md import mess_ratio

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


# ------------------------------------------------------------------------------ charsets

# What a declared charset is read as: the superset its producers really write.
_SUPERSETS = {
    "ascii": "cp1252", "latin_1": "cp1252", "iso8859_1": "cp1252", "iso8859_9": "cp1254",
    "iso8859_11": "cp874", "tis_620": "cp874", "euc_kr": "cp949", "ks_c_5601": "cp949",
    "shift_jis": "cp932", "gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs",
    "euc_jp": "euc_jis_2004",
}  # fmt: skip
_SINGLE_BYTE_PREFIXES = ("cp12", "latin", "iso8859", "koi8", "mac_", "cp437", "cp85", "cp87")
MAX_ERROR_SHARE = 0.02  # of non-ASCII characters that may fail in a declared charset
MAX_MESS = 0.3  # charset-normalizer's mess ratio above which a text reads as mojibake
DETECTION_SAMPLE = 262_144  # bytes charset-normalizer looks at
_XML_DECLARATION = re.compile(
    rb"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*)(["'])([A-Za-z0-9._:-]{1,40})\2"""
)
_CHARSET_PARAMETER = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.I)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
_SNIFFED = (
    (b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"),
    (b"{\x00", "utf-16-le"), (b"\x00{", "utf-16-be"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Decoded:
    """A document as UTF-8 bytes, and how it was read."""

    document: bytes
    encoding: str  # the Python codec it was decoded with
    declared: str | None  # what the header or the XML declaration said, if anything
    detected: bool = False  # charset-normalizer decided

    @property
    def note(self) -> str | None:
        """A warning for the feed's status when the declaration was missing or wrong."""
        if self.declared and (
            _same(self.declared, self.encoding)
            or _codec(_superset(_codec(self.declared) or "")) == _codec(self.encoding)
        ):
            return None  # as declared, or as the superset that the declared name means
        if not self.detected and self.declared is None:
            return None
        said = f"declared {self.declared}" if self.declared else "no charset declared"
        return f"{said}, read as {self.encoding}"


def decode_document(body: bytes, content_type: str | None = None) -> Decoded:
    """``body`` as UTF-8 bytes, whatever it was written in (see the module docstring)."""
    declared = _declared(body, content_type)
    label = declared[0] if declared else None
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return _utf8(body.decode(encoding, errors="replace"), encoding, label)
    head = body[:4]
    for prefix, encoding in _SNIFFED:
        if head.startswith(prefix):
            return _utf8(body.decode(encoding, errors="replace"), encoding, label)
    if _is_utf8(body):
        return Decoded(_declare_utf8(body), "utf-8", label)
    for name in declared or ["utf-8"]:  # undeclared XML and JSON are UTF-8 by default
        text = _read_declared(body, name)
        if text is not None:
            return _utf8(text, _superset(name), label)
    detected = _detect(body)
    if detected is not None:
        return _utf8(body.decode(detected, errors="replace"), detected, label, detected=True)
    fallback = _superset(declared[0]) if declared else "utf-8"
    return _utf8(body.decode(fallback, errors="replace"), fallback, label)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared(body: bytes, content_type: str | None) -> list[str]:
    """Codec names the header and the XML declaration give (header first), known ones only."""
    names: list[str] = []
    found = _CHARSET_PARAMETER.search(content_type or "")
    declaration = _XML_DECLARATION.match(body[:300])
    for label in (
        found.group(1) if found else None,
        declaration.group(3).decode("ascii") if declaration else None,
    ):
        name = _codec(label)
        if name and name not in names:
            names.append(name)
    return names


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def _same(first: str, second: str) -> bool:
    return _codec(first) == _codec(second)


def _superset(name: str) -> str:
    return _SUPERSETS.get(name.replace("-", "_"), name)


def _read_declared(body: bytes, name: str) -> str | None:
    """``body`` in the declared charset (as its superset), or None if the bytes contradict
    it: too many bytes that do not decode, or mojibake."""
    encoding = _superset(name)
    if encoding.startswith(("utf_16", "utf_32")):
        return None  # without a byte-order mark or XML's "<?" pattern: not what it says
    try:
        text = body.decode(encoding, errors=_FALLBACK_HANDLER)
    except LookupError:
        return None
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if not non_ascii:
        return text
    if text.count("\ufffd") > MAX_ERROR_SHARE * non_ascii:
        return None
    if encoding.startswith(_SINGLE_BYTE_PREFIXES) and _reads_as_mojibake(text):
        return None
    return text


# A document in one charset with a few bytes of another (a line pasted from a Shift_JIS
# source into an EUC-JP page, a stray UTF-8 quote): where the declared charset fails, the
# run up to the next "<" or line end is tried in the charsets such documents mix in.
_FALLBACK_HANDLER = "dealbot-mixed-charset"
_MIXED_WITH = {
    "euc_jis_2004": ("utf-8", "cp932"), "euc_jp": ("utf-8", "cp932"),
    "cp932": ("utf-8", "euc_jis_2004"), "shift_jis": ("utf-8", "euc_jis_2004"),
    "big5hkscs": ("utf-8", "cp950"),
}  # fmt: skip
_RUN_END = re.compile(rb"[<\n]")


def _mixed_charset(problem: UnicodeError) -> tuple[str, int]:
    if not isinstance(problem, UnicodeDecodeError):
        raise problem
    data, start = problem.object, problem.start
    found = _RUN_END.search(data, start)
    end = found.start() if found else len(data)
    for other in _MIXED_WITH.get(_codec(problem.encoding) or "", ("utf-8",)):
        try:
            return bytes(data[start:end]).decode(other), end
        except UnicodeDecodeError:
            continue
    return "\ufffd", problem.end


codecs.register_error(_FALLBACK_HANDLER, _mixed_charset)


def _reads_as_mojibake(text: str) -> bool:
    """Whether the non-ASCII parts of ``text`` look like bytes read in the wrong charset."""
    sample = "".join(re.findall(r"[^\x00-\x7f]+(?:\s+[^\x00-\x7f]+)*", text[:DETECTION_SAMPLE]))
    return bool(sample) and mess_ratio(sample, maximum_threshold=1.0) > MAX_MESS


def _detect(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:DETECTION_SAMPLE]).best()
    return _codec(best.encoding) if best is not None else None


def _utf8(text: str, encoding: str, declared: str | None, *, detected: bool = False) -> Decoded:
    document = _declare_utf8(text.lstrip("\ufeff").encode("utf-8", errors="replace"))
    return Decoded(document, _codec(encoding) or encoding, declared, detected)


def _declare_utf8(document: bytes) -> bytes:
    """The XML declaration (if any) rewritten to say UTF-8."""
    found = _XML_DECLARATION.match(document[:300])
    if found is None or found.group(3).lower() in (b"utf-8", b"utf8"):
        return document
    return document[: found.start(3)] + b"utf-8" + document[found.end(3) :]
