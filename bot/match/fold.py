"""Letter folding: the differences matching may ignore, per configuration.

* accents: a Latin or Greek letter with diacritics is its base letter ("é" is "e", "ά" is
  "α"), and so are the Latin letters with a stroke and the dotless i ("ø", "ł", "đ", "ħ",
  "ŧ", "ı") and the Cyrillic "ё";
* simplified/traditional Chinese: a traditional character is its simplified form ("電" is
  "电"), with the Taiwan and Hong Kong variants OpenCC knows ("裡", "衞"). The table is
  OpenCC's own, read character by character (``build_han_table``) and shipped as
  ``bot/data/han_fold.tsv``: reading that costs a start 2 ms, building it 0.15 s (a test
  checks that the file is still what OpenCC gives).

Folding maps one character to one character, so a folded text has the offsets of the text
it was folded from: a match in the folded text is reported with the letters it has in the
original. Both the terms and the text are folded, the same way; a text pays only for what
it contains (nothing for ASCII, one pass for Chinese with a traditional character in it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.scripts import HAN

# Letters that no decomposition maps to their base letter, but readers treat as accented.
_STROKES = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
            "ŧ": "t", "Ŧ": "T", "ı": "i", "ё": "е", "Ё": "Е"}  # fmt: skip
_ACCENT_RANGES = (
    (0x00C0, 0x0250),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0370, 0x0400),  # Greek
    (0x1E00, 0x2000),  # Latin Extended Additional (Vietnamese), Greek Extended
)
_HAN_RANGES = (
    (0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0),
    (0x2A700, 0x2EBF0), (0x30000, 0x3134B),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """Which differences between a term and a text matching ignores (``settings.match``)."""

    accents: bool = True  # "electricos" matches "eléctricos" and back
    simplified_traditional: bool = True  # "电动汽车" matches "電動汽車" and back


DEFAULT_OPTIONS = MatchOptions()
EXACT = MatchOptions(accents=False, simplified_traditional=False)


@cache
def _accent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for low, high in _ACCENT_RANGES:
        for code in range(low, high):
            char = chr(code)
            if not char.isalpha():
                continue
            decomposed = unicodedata.normalize("NFD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            if len(base) == 1 and base != char:
                table[code] = base
    table.update({ord(char): base for char, base in _STROKES.items()})
    return table


HAN_TABLE_FILE = "han_fold.tsv"  # in bot/data


@cache
def _han_table() -> dict[int, str]:
    """The shipped ``build_han_table()``, read when some term or text has a Han character."""
    text = resources.files("bot").joinpath("data", HAN_TABLE_FILE).read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in text.splitlines() if not line.startswith("#"))
    return {ord(char): folded for char, folded in pairs}


def han_table_text(table: dict[int, str]) -> str:
    """``table`` as ``bot/data/han_fold.tsv`` holds it."""
    lines = [f"{chr(code)}\t{folded}\n" for code, folded in sorted(table.items())]
    return "# traditional -> simplified: bot.match.fold.build_han_table()\n" + "".join(lines)


def build_han_table() -> dict[int, str]:
    """Traditional -> simplified, one character to one, idempotent (a simplified character
    is never changed again). OpenCC's t2s first; then the Taiwan and Hong Kong variants
    (tw2s, hk2s) of characters t2s leaves alone and that are not a simplified form."""
    import opencc

    chars = [chr(code) for low, high in _HAN_RANGES for code in range(low, high)]
    joined = "\n".join(chars)  # a line break keeps OpenCC's phrases from spanning characters
    table: dict[str, str] = {}
    for config in ("t2s", "tw2s", "hk2s"):
        converted = opencc.OpenCC(config).convert(joined).split("\n")
        if len(converted) != len(chars):  # cannot happen with OpenCC's tables; be safe
            continue
        simplified = set(table.values())
        for char, folded in zip(chars, converted, strict=True):
            new = char not in table and char not in simplified
            if new and len(folded) == 1 and folded != char:
                table[char] = folded
    for char, folded in list(table.items()):  # a chain (A -> B -> C) folds A to C
        seen = {char}
        while folded in table and folded not in seen:
            seen.add(folded)
            folded = table[folded]
        table[char] = folded
    for char in [c for c, folded in table.items() if c == folded]:
        del table[char]
    return {ord(char): folded for char, folded in table.items()}


@cache
def _han_keys() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The characters that fold, as two classes: those of the Basic Multilingual Plane (a
    bitmap: a few µs over a long text) and the rest (tried only on text that has some)."""
    keys = sorted(_han_table())
    bmp = "".join(chr(code) for code in keys if code < 0x10000)
    beyond = "".join(chr(code) for code in keys if code >= 0x10000)
    return re.compile(f"[{re.escape(bmp)}]"), re.compile(f"[{re.escape(beyond)}]")


@cache
def _accent_keys() -> tuple[re.Pattern[str], dict[str, str]]:
    table = _accent_table()
    return re.compile(f"[{re.escape(''.join(map(chr, sorted(table))))}]"), {
        chr(code): base for code, base in table.items()
    }


_HAN = re.compile(f"[{HAN}]")
_BEYOND_BMP = re.compile(r"[\U00010000-\U0010ffff]")


def fold(text: str, options: MatchOptions = DEFAULT_OPTIONS) -> str:
    """``text`` with the differences ``options`` ignores folded away; same length, same
    offsets. ``text`` should be normalized first (``normalize_text``)."""
    if text.isascii():
        return text
    if options.accents:
        # one replacement per accented letter, not a pass over every character: German or
        # French text has a few dozen of them, and str.translate would cost ~45 ns a character
        accented, bases = _accent_keys()
        text = accented.sub(lambda found: bases[found.group()], text)
    if options.simplified_traditional and has_traditional(text):
        text = text.translate(_han_table())
    return text


def has_traditional(text: str) -> bool:
    """Whether ``text`` has a character that simplified/traditional folding changes (a
    simplified Chinese text usually has none, and then pays only this check)."""
    if not _HAN.search(text):
        return False
    bmp, beyond = _han_keys()
    return bool(bmp.search(text)) or (bool(_BEYOND_BMP.search(text)) and bool(beyond.search(text)))
