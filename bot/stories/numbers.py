"""The numbers an item states, normalized across locales: 137,000 = 13,7万 = 137.000 = 13만7천,
$8 billion = 80억 달러 = 80亿美元 = 8 Mrd. Dollar.

Owns parsing numerals and their magnitude words into ``Quantity`` values that compare equal
across languages. Decimal and group separators and the magnitude words (thousand, Mio.,
milliards, 万, 억, млрд…) come from CLDR (``bot.cldr``), per language; a short hand table adds
the abbreviations newsrooms use that CLDR does not list (bn, mln, Mds…) and the currency
words and symbols (CLDR names currencies formally, "미국 달러"; headlines say "달러").

A year (1900–2100 written bare), a single digit and the like say nothing about which story
an item tells; only ``strong`` quantities (amounts of money, counts of a thousand or more,
percentages with decimals) count as evidence.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from bot import cldr

# Languages whose CLDR magnitude words are loaded; any other language uses English's.
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "zh", "ja", "ko", "ru")
_FALLBACK = "en"

# Abbreviations common in news that CLDR's compact forms lack (per language: "billion" is
# 10^9 in English and 10^12 in French, German and Spanish, so the tables never mix).
_EXTRA_WORDS: dict[str, dict[str, float]] = {
    "en": {"bn": 1e9, "bln": 1e9, "b": 1e9, "mn": 1e6, "mln": 1e6, "m": 1e6, "k": 1e3,
           "tn": 1e12, "trn": 1e12},
    "de": {"mrd": 1e9, "mio": 1e6, "tsd": 1e3, "md": 1e9},
    "fr": {"md": 1e9, "mds": 1e9, "mrd": 1e9, "mrds": 1e9, "mio": 1e6, "mn": 1e6},
    "es": {"mm": 1e6, "mdd": 1e6},
    "it": {"mld": 1e9, "mln": 1e6, "mrd": 1e9},
    "ru": {"млн.": 1e6, "млрд.": 1e9, "трлн.": 1e12, "тыс": 1e3},
}  # fmt: skip

# Currency: symbols and the words headlines use, per ISO code. Matched case-insensitively.
_CURRENCY_WORDS: dict[str, tuple[str, ...]] = {
    "USD": ("us$", "$", "usd", "us-dollar", "us dollars", "dollars", "dollar", "dólares",
            "dólar", "dollari", "долларов", "доллара", "доллар", "долл.", "달러", "美元", "美金",
            "ドル"),
    "EUR": ("€", "eur", "euros", "euro", "евро", "유로", "欧元", "ユーロ"),
    "GBP": ("£", "gbp", "pounds", "pound", "pfund", "livres", "фунтов", "파운드", "英镑", "ポンド"),
    "JPY": ("jp¥", "jpy", "yen", "yens", "円", "日元", "엔", "иен"),
    "CNY": ("cn¥", "rmb", "cny", "yuan", "yuans", "元", "人民币", "위안", "юаней"),
    "KRW": ("₩", "krw", "won", "wons", "원", "韩元", "ウォン", "вон"),
    "INR": ("₹", "inr", "rupees", "rupee", "рупий"),
}  # fmt: skip
_AMBIGUOUS_YEN = "¥"  # yen or yuan: money, currency unknown

_PERCENT = (
    r"(?P<pct>\s?%|\s?percent|\s?per cent|\s?Prozent|\s?pour\s?cent|\s?por\s?ciento"
    r"|\s?процент\w*|\s?퍼센트)?"
)
# A numeral (digits with separators), then optionally a percent sign; the separators are
# interpreted in Python. Spaces group digits only in languages that group with a space.
_NUMERAL = regex.compile(r"(?<![\p{L}\p{N}.,])(?P<num>\d+(?:[.,]\d+)*)" + _PERCENT)
_NUMERAL_SPACED = regex.compile(r"(?<![\p{L}\p{N}.,])(?P<num>\d+(?:[.,\s]\d+)*)" + _PERCENT)
_CONNECTOR = regex.compile(r"^(?:de |d'|d’|of |di |de los )", regex.IGNORECASE)
_YEAR = (1900, 2100)


@dataclass(frozen=True, slots=True, order=True)
class Quantity:
    """A stated quantity: its value and what it counts ("money:USD", "money", "pct",
    "count")."""

    value: float
    unit: str

    @property
    def strong(self) -> bool:
        """Evidence enough to tell one story from another on its own."""
        if self.unit.startswith("measure"):
            return self.value >= 100 or self.value != round(self.value)
        if self.unit.startswith("money"):
            return self.value >= 1e5
        if self.unit == "pct":
            return self.value != round(self.value)
        return self.value >= 1000

    @property
    def distinctive(self) -> bool:
        """Three significant digits or more (137,000; 11.7 trillion won; RMB 329,900): a
        figure two unrelated stories rarely share, unlike a round one ($8 billion;
        150,000 a year)."""
        return (
            len(f"{_significant(self.value, 4):.4e}".split("e")[0].replace(".", "").rstrip("0"))
            >= 3
        )

    def comparable(self, other: Quantity) -> bool:
        """Whether the two can be told apart by value: the same unit, or money of which
        at most one side names the currency ($1.6 billion and 115亿元 cannot)."""
        mine, theirs = self.unit.split(":"), other.unit.split(":")
        if mine[0] != theirs[0]:
            return False
        return len(mine) == 1 or len(theirs) == 1 or mine[1] == theirs[1]

    def close_to(self, other: Quantity, tolerance: float = 0.1) -> bool:
        """Within ``tolerance`` of each other: one may be a rounding of the other ("nearly
        140,000" and 137,000)."""
        return math.isclose(self.value, other.value, rel_tol=tolerance)

    def same_as(self, other: Quantity) -> bool:
        """The same figure, told in any locale: equal to three significant digits (136,971
        and 13.7万 agree, 1,800 and 1,810 do not), units compatible (money in an unknown
        currency is compatible with any money)."""
        if _significant(self.value, 3) != _significant(other.value, 3):
            return False
        mine, theirs = self.unit.split(":"), other.unit.split(":")
        if {mine[0], theirs[0]} == {"money", "count"}:
            return self.value >= 1e6  # "8.000 millones" is an amount whose currency went unsaid
        if mine[0] != theirs[0]:
            return False
        return len(mine) == 1 or len(theirs) == 1 or mine[1] == theirs[1]


@dataclass(frozen=True, slots=True)
class _Locale:
    decimal: str
    group: str
    magnitudes: dict[str, float]  # casefolded word -> factor
    longest_word: int


@lru_cache(maxsize=32)
def _locale(language: str) -> _Locale:
    locale = cldr.parse_locale(language) or _FALLBACK
    words: dict[str, float] = {}
    formats = cldr.compact_formats(locale)
    for style in ("short", "long"):
        for forms in formats.get(style, {}).values():
            for magnitude, pattern in forms.items():
                word, zeros = _compact_word(pattern)
                if word and zeros:
                    words.setdefault(word.casefold(), int(magnitude) / 10 ** (zeros - 1))
    for word, factor in _EXTRA_WORDS.get(locale.split("_")[0], {}).items():
        words.setdefault(word, factor)
    decimal, group = cldr.number_symbols(locale)
    return _Locale(
        decimal=decimal,
        group=group,
        magnitudes=words,
        longest_word=max((len(w) for w in words), default=0),
    )


def _compact_word(pattern: str) -> tuple[str, int]:
    """``"0\\xa0Mrd'.'"`` -> ("Mrd.", 1); ``"00万"`` -> ("万", 2)."""
    zeros = pattern.count("0")
    word = pattern.replace("'", "").replace("0", "").replace("\u00a0", " ").strip()
    return word, zeros


def _currency_table() -> list[tuple[str, str]]:
    pairs = [(word.casefold(), code) for code, ws in _CURRENCY_WORDS.items() for word in ws]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


_CURRENCIES = _currency_table()
_CURRENCY_BEFORE = regex.compile(
    r"(us\$|cn¥|jp¥|[$€£¥₩₹]|\b(?:usd|eur|gbp|jpy|cny|rmb|krw|inr)\b)\s?$", regex.IGNORECASE
)


_CJK_UNITS = {
    "十": 10, "百": 100, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "兆": 1e12,
    "십": 10, "백": 100, "천": 1e3, "만": 1e4, "억": 1e8, "조": 1e12,
}  # fmt: skip
_CJK_GROUP = r"\d+(?:[.,]\d+)?\s?[十百千万萬亿億兆십백천만억조]+"
# ...and a bare tail after a unit: 13万7000 = 13×10^4 + 7000
_CJK_NUMBER = regex.compile(rf"(?<![\p{{N}}.,])(?:{_CJK_GROUP}){{1,4}}(?P<tail>\d+(?![\d.,]))?")
_CJK_PART = regex.compile(r"(\d+(?:[.,]\d+)?)\s?([十百千万萬亿億兆십백천만억조]+)")


def quantities(text: str, language: str | None) -> frozenset[Quantity]:
    """Every quantity ``text`` states, bare years and small integers left out."""
    if not text:
        return frozenset()
    text = unicodedata.normalize("NFKC", text)
    loc = _locale(language or _FALLBACK)
    found: set[Quantity] = set()
    taken: list[tuple[int, int]] = []
    # East Asian numbers: 13만7천 = 13×10^4 + 7×10^3, 1조1천억 = 10^12 + 1×10^3×10^8.
    for match in _CJK_NUMBER.finditer(text):
        amount = 0.0
        for part in _CJK_PART.finditer(match.group()):
            factor = math.prod(_CJK_UNITS[unit] for unit in part.group(2))
            head, comma, tail = part.group(1).partition(",")
            digits = head + tail if len(tail) == 3 else f"{head}.{tail}" if comma else head
            amount += float(digits) * factor
        if match.group("tail"):
            amount += float(match.group("tail"))
        currency, end = _currency_around(text, match.start(), match.end())
        taken.append((match.start(), end))
        found.add(Quantity(_round(amount), _unit(currency)))
    numeral = _NUMERAL_SPACED if loc.group.isspace() else _NUMERAL
    for match in numeral.finditer(text):
        if any(start <= match.start() < stop for start, stop in taken):
            continue
        value = _parse_numeral(match.group("num"), loc)
        if value is None:
            continue
        if match.group("pct"):
            found.add(Quantity(_round(value), "pct"))
            continue
        if _is_code(match.group("num")):
            continue
        factor, end = _magnitude_after(text, match.end(), loc)
        currency, end = _currency_around(text, match.start(), end)
        unit = _unit(currency)
        if factor == 1 and not currency:
            measure = _MEASURE.match(text, end)
            if measure:
                unit = f"measure:{measure.group(1).casefold()}"
            elif _is_bare_small(match.group("num"), value):
                continue
        found.add(Quantity(_round(value * factor), unit))
    return frozenset(found)


def _unit(currency: str | None) -> str:
    if currency is None:
        return "count"
    return "money" if currency == "?" else f"money:{currency}"


# A unit of measure right after a number: 1800mm, 1500 km, 3 nm, 80 kWh, 12 GB.
_MEASURE = regex.compile(
    r"[\s-]?(mm|cm|km|kg|t|kwh|mwh|gwh|wh|mah|gb|tb|mb|nm|ghz|mhz|hz|kw|mw|gw|w|v|mp|fps"
    r"|inch|zoll|pouces|km/h|mph)(?![\p{L}\p{N}])",
    regex.IGNORECASE,
)


def _is_code(numeral: str) -> bool:
    """A stock code or an id written with a leading zero (01810, 005930): not a figure."""
    return len(numeral) > 1 and numeral[0] == "0" and numeral[1].isdigit()


def _is_bare_small(numeral: str, value: float) -> bool:
    """A bare year or a small integer: not a fact that tells stories apart."""
    if value != int(value):
        return False
    digits_only = numeral.isdigit()
    return value < 1000 or (digits_only and _YEAR[0] <= value <= _YEAR[1])


_SPACE = regex.compile(r"\s")
_SEPARATOR = regex.compile(r"([.,\s])")


def _parse_numeral(numeral: str, loc: _Locale) -> float | None:
    """Digits with separators: "137.000" (de) -> 137000; "8.2" -> 8.2;
    "1,234.5" -> 1234.5; "13,7" (de) -> 13.7; None when the grouping is malformed."""
    cleaned = _SPACE.sub(" ", numeral)
    parts = _SEPARATOR.split(cleaned)
    seps = parts[1::2]
    if not seps:
        return float(cleaned)
    groups = parts[0::2]
    distinct = set(seps)
    if len(distinct) > 2:
        return None
    if len(distinct) == 2:  # "1.234,5" or "1,234.5": the last separator is the decimal one
        decimal = seps[-1]
    elif len(seps) > 1:  # "1.234.567": only a group separator repeats
        decimal = ""
    else:
        sep = seps[0]
        if sep == " ":
            decimal = ""
        elif len(groups[-1]) != 3:
            decimal = sep
        else:  # "137.000" or "8.125": the language decides
            decimal = sep if sep == loc.decimal and sep != loc.group else ""
            if sep not in (loc.decimal, loc.group):
                decimal = ""
    if decimal:
        head, _, tail = cleaned.rpartition(decimal)
        if any(len(g) != 3 for g in _SEPARATOR.split(head)[2::2]):
            return None
        return float(_SEPARATOR.sub("", head) + "." + tail)
    if any(len(g) != 3 for g in groups[1:]):
        return None
    return float("".join(groups))


def _magnitude_after(text: str, end: int, loc: _Locale) -> tuple[float, int]:
    """A magnitude word right after a numeral (万, Mrd., billion, mil millones), and where
    it ends; (1, end) when there is none."""
    window = text[end : end + 24]
    stripped = window.lstrip(" ")
    offset = len(window) - len(stripped)
    if offset > 1:
        return 1.0, end
    folded = stripped.casefold()
    best: tuple[float, int] = (1.0, end)
    for length in range(min(loc.longest_word, len(folded)), 0, -1):
        candidate = folded[:length]
        factor = loc.magnitudes.get(candidate)
        if factor is None:
            continue
        after = folded[length : length + 1]
        if candidate[-1].isalpha() and _is_spaced_letter(candidate[-1]) and after.isalpha():
            continue  # "m" must not match the start of "meters"
        if length == 1 and offset:
            continue  # "5m" is five million, "5 m" is five metres
        best = (factor, end + offset + length)
        break
    return best


def _is_spaced_letter(char: str) -> bool:
    return not regex.match(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]", char)


def _currency_around(text: str, start: int, end: int) -> tuple[str | None, int]:
    """The currency written before or after a number: ("USD", end), ("?", end) for a sign
    that may be one of several, (None, end) for none."""
    before = text[max(0, start - 6) : start]
    found = _CURRENCY_BEFORE.search(before)
    if found:
        return _currency_of(found.group(1)), end
    window = text[end : end + 16]
    stripped = window.lstrip(" ")
    stripped = _CONNECTOR.sub("", stripped)
    offset = len(window) - len(stripped)
    folded = stripped.casefold()
    for word, code in _CURRENCIES:
        if folded.startswith(word):
            after = folded[len(word) : len(word) + 1]
            if word[-1].isalpha() and _is_spaced_letter(word[-1]) and after.isalpha():
                continue
            return code, end + offset + len(word)
    if folded.startswith(_AMBIGUOUS_YEN):
        return "?", end + offset + 1
    return None, end


def _currency_of(token: str) -> str:
    folded = token.casefold()
    if folded == _AMBIGUOUS_YEN:
        return "?"
    for word, code in _CURRENCIES:
        if folded == word:
            return code
    return "?"


def _significant(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _round(value: float) -> float:
    """Four significant digits: enough to tell figures apart, coarse enough to drop float
    noise (13.7 × 10^4)."""
    if value == 0:
        return 0.0
    digits = 4 - math.floor(math.log10(abs(value))) - 1
    return round(value, digits)


def strong_quantities(text: str, language: str | None) -> frozenset[Quantity]:
    return frozenset(q for q in quantities(text, language) if q.strong)
