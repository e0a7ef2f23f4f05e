"""Money amounts in text, in every locale form: "$2.5 billion", "€1,5 Mrd.", "2,3 milliards
d'euros", "45亿美元", "4조 5천억 원", "1,5 млрд долларов".

The words come from CLDR (``bot.cldr``, written from Babel at build time): scale words are
the compact decimal formats of each locale (short and long, every plural form: "Mrd.",
"Milliarden", "milliards", "亿", "억", "млрд"), currencies are the symbols, ISO codes and
display names (every plural form) of each locale. Only the grammar that joins them is written here:

    [prefix currency] number [scale [scale]] [East Asian continuation] [de|d'] [currency]

A figure is an amount only with a currency, so years, percentages and unit counts never are.
The few news forms CLDR lacks ("bn", "mn", "RMB", "ドル", "円", "руб.") are listed in
``_EXTRA_SCALES`` and ``_EXTRA_CURRENCIES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import regex

from bot import cldr
from bot.deals.model import Amount

LOCALES = ("en", "de", "fr", "es", "zh", "zh_Hant", "ja", "ko", "ru")
# The currencies read, in order of precedence: a word several currencies share ("dollar",
# "$") belongs to the first.
CURRENCIES = (
    "USD",
    "EUR",
    "CNY",
    "JPY",
    "KRW",
    "GBP",
    "RUB",
    "HKD",
    "TWD",
    "CHF",
    "CAD",
    "AUD",
    "SGD",
    "INR",
    "BRL",
    "MXN",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "TRY",
    "ILS",
    "SAR",
    "AED",
    "VND",
    "IDR",
    "THB",
    "MYR",
    "ZAR",
    "NZD",
)
# Locales whose symbols add forms the target locales lack ("US$", "A$", "R$", "$US").
SYMBOL_LOCALES = ("en", "en_CA", "en_HK", "zh_Hant_HK", "pt_BR", "fr", *LOCALES[1:])

# News forms CLDR does not list (language, word, multiplier); None: any language.
_EXTRA_SCALES: tuple[tuple[str | None, str, float], ...] = (
    ("en", "bn", 1e9),
    ("en", "bln", 1e9),
    ("en", "mn", 1e6),
    ("en", "mln", 1e6),
    ("en", "m", 1e6),
    ("en", "tn", 1e12),
    ("en", "trn", 1e12),
    ("en", "k", 1e3),
    ("de", "Mio", 1e6),
    ("de", "Mrd", 1e9),
    ("fr", "Mds", 1e9),
    ("fr", "Md", 1e9),
    ("es", "mil millones", 1e9),
    ("es", "mdd", 1e6),
    ("ru", "млрд.", 1e9),
    ("ru", "млн.", 1e6),
    ("ru", "трлн.", 1e12),
    ("ru", "тыс", 1e3),
    # East Asian small units that combine with the big ones ("5천억", "三千亿")
    ("zh", "千", 1e3),
    ("zh", "百", 1e2),
    ("zh", "十", 10.0),
    ("zh_Hant", "千", 1e3),
    ("zh_Hant", "百", 1e2),
    ("ja", "千", 1e3),
    ("ja", "百", 1e2),
    ("ko", "백", 1e2),
    ("ko", "십", 10.0),
)
_EXTRA_CURRENCIES: tuple[tuple[str | None, str, str], ...] = (
    (None, "RMB", "CNY"),
    (None, "US-$", "USD"),
    ("zh", "元", "CNY"),
    ("zh", "美金", "USD"),
    ("zh", "人民币元", "CNY"),
    ("zh_Hant", "元", "TWD"),
    ("zh_Hant", "台幣", "TWD"),
    ("zh_Hant", "港元", "HKD"),
    ("zh_Hant", "日元", "JPY"),
    ("zh_Hant", "人民币", "CNY"),
    ("ja", "ドル", "USD"),
    ("ja", "円", "JPY"),
    ("ja", "ウォン", "KRW"),
    ("ja", "人民元", "CNY"),
    ("ja", "元", "CNY"),
    ("ko", "엔", "JPY"),
    ("ko", "위안", "CNY"),
    ("ko", "달러", "USD"),
    ("ru", "долл.", "USD"),
    ("ru", "долл", "USD"),
    ("ru", "руб.", "RUB"),
    ("ru", "руб", "RUB"),
    ("en", "greenbacks", "USD"),
)
# A word that is also a common word counts only after a scale word: "5 trillion won".
_NEEDS_SCALE = frozenset({"won", "Won"})
# Adjective endings: in Russian the noun of "российский рубль" is the other word.
_RU_ADJECTIVE = regex.compile(r"(?:ий|ый|ой|ая|яя|ое|ее|ие|ые|их|ых|ого|его|ую)$")

_NUMBER = regex.compile(
    r"(?<![\p{Latin}\p{Cyrillic}\p{Greek}\d])(?<!\d[.,])"
    r"\d{1,3}(?:(?:[,.'’]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d{3})+(?:[.,]\d+)?(?!\d)"
    r"|(?<![\p{Latin}\p{Cyrillic}\p{Greek}\d])(?<!\d[.,])\d+(?:[.,]\d+)?(?!\d)"
)
_SPACE = r"[ \u00a0\u202f]?"
_HAN = regex.compile(r"\p{Han}+")
_CJK_UNIT = regex.compile(r"[\p{Han}\p{Hangul}]")
# "2조원대", "数千亿元级": a range, not a figure
_VAGUE_AFTER = regex.compile(r"[대台級级余餘多]")
_CONNECTOR = regex.compile(r"[ \u00a0\u202f]?(?:de|d['’]|of|in)[ \u00a0\u202f]?", regex.I)
_EAST_ASIAN_BIG = 1e4  # 万/萬/만 and up: units after which a smaller term may follow


@dataclass(frozen=True, slots=True)
class FoundAmount:
    """An amount and where it stands in the text it was found in."""

    amount: Amount
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Grammar:
    decimal: str  # the language's decimal symbol, or "" when unknown
    scales: dict[str, float]  # casefolded or exact word -> multiplier
    scale_re: regex.Pattern[str]
    prefix_re: regex.Pattern[str]  # a currency just before the number (matched at the end)
    suffix_re: regex.Pattern[str]
    currencies: dict[str, str]  # word -> ISO code


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so the regex takes "Milliarden" before "Mi", "US$" before "$"."""
    parts: list[str] = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = regex.escape(word).replace(r"\ ", _SPACE)
        # short abbreviations keep their case ("M", "B"); words match in any case
        parts.append(escaped if len(word) <= 2 else f"(?i:{escaped})")
    return "|".join(parts)


def _after(word: str) -> str:
    """What may not follow a word: a letter of its script (Han and Hangul take anything)."""
    last = word[-1:]
    if regex.match(r"[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]", last) or not last.isalpha():
        return ""
    return r"(?![\p{L}])"


def _locale_scales(code: str) -> dict[str, float]:
    formats = cldr.compact_formats(code)
    found: dict[str, float] = {}
    for style in ("short", "long"):
        for forms in formats[style].values():
            for key, source in forms.items():
                zeros = source.count("0")
                word = source.replace("0", "").replace("'", "").replace("\u00a0", " ").strip()
                if not word or not zeros:
                    continue
                found.setdefault(word, float(key) / 10 ** (zeros - 1))
    return found


def _locale_currencies(code: str) -> dict[str, str]:
    known = cldr.currencies(code)
    language = code.split("_")[0]
    names: dict[str, str] = {}
    for iso in CURRENCIES:
        forms = [known[iso]["name"] or ""]
        forms += list(known[iso]["plural"].values())
        for name in filter(None, forms):
            names.setdefault(name, iso)
            for head in _heads(name, language):
                names.setdefault(head, iso)
    return names


def _heads(name: str, language: str) -> list[str]:
    """The noun of a multi-word currency name: "dollars" of "US dollars", "Dollar" of
    "US-Dollar", "dollar" of "dollar des États-Unis", "долларов" of "долларов США"."""
    words = name.split()
    if len(words) == 1 and "-" not in name:
        return []
    if language in ("en", "de", "ko"):
        return [words[-1].split("-")[-1]]
    if language in ("fr", "es"):
        return [words[0]]
    if language == "ru":
        return [w for w in words if not _RU_ADJECTIVE.search(w) and not w.isupper()]
    return []


@cache
def _grammar(language: str | None) -> _Grammar:
    code = _locale_code(language)
    order = [code] if code else []
    order += [c for c in ("en", *LOCALES) if c not in order]
    scales: dict[str, float] = {}
    currencies: dict[str, str] = {}
    for locale_code in order:
        for word, value in _locale_scales(locale_code).items():
            scales.setdefault(_key(word), value)
        for extra_lang, word, value in _EXTRA_SCALES:
            if extra_lang == locale_code:
                scales.setdefault(_key(word), value)
        for word, iso in _locale_currencies(locale_code).items():
            currencies.setdefault(_key(word), iso)
        for extra_lang, word, iso in _EXTRA_CURRENCIES:
            if extra_lang == locale_code:
                currencies.setdefault(_key(word), iso)
    symbols: dict[str, str] = {}
    if code and code.startswith("zh") and code != "zh_Hant":
        symbols["¥"] = "CNY"
    for locale_code in SYMBOL_LOCALES:
        known = cldr.currencies(locale_code)
        for iso in CURRENCIES:
            symbol = (known[iso]["symbol"] or "").replace("\u00a0", " ")
            if symbol and symbol != iso:
                symbols.setdefault(symbol, iso)
    for extra_lang, word, iso in _EXTRA_CURRENCIES:
        if extra_lang is None:
            symbols.setdefault(word, iso)
    for iso in CURRENCIES:
        symbols[iso] = iso
    for symbol, iso in symbols.items():
        currencies.setdefault(_key(symbol), iso)
    # Chinese writes the currency before the figure too: "新台幣500億元", "人民币300亿元"
    han_names = {w: iso for w, iso in currencies.items() if len(w) >= 2 and _HAN.fullmatch(w)}
    symbols.update(han_names)
    scale_words = [w for w in _words(scales)]
    scale_re = regex.compile(
        "|".join(f"(?:{_alternation([w])}){_after(w)}" for w in _by_length(scale_words))
    )
    prefix_re = regex.compile(f"(?:{_alternation(symbols)}){_SPACE}$")
    suffix_re = regex.compile(
        "|".join(f"(?:{_alternation([w])}){_after(w)}" for w in _by_length(_words(currencies)))
    )
    decimal = cldr.number_symbols(code)[0] if code else ""
    return _Grammar(decimal, scales, scale_re, prefix_re, suffix_re, currencies)


def _by_length(words: Iterable[str]) -> list[str]:
    return sorted(set(words), key=lambda w: (-len(w), w))


def _key(word: str) -> str:
    """How words are looked up: short abbreviations as written, longer words casefolded."""
    word = word.replace("\u00a0", " ")
    return word if len(word) <= 2 else word.casefold()


def _words(table: dict[str, str] | dict[str, float]) -> list[str]:
    return list(table)


def _locale_code(language: str | None) -> str | None:
    if not language:
        return None
    language = language.replace("-", "_")
    head = language.split("_")[0].lower()
    if head == "zh":
        traditional = any(tag in language for tag in ("Hant", "TW", "HK", "MO"))
        return "zh_Hant" if traditional else "zh"
    return head if head in LOCALES else None


def _lookup(table: dict[str, str] | dict[str, float], surface: str) -> str | float | None:
    surface = regex.sub(r"[ \u00a0\u202f]+", " ", surface)
    return table.get(surface) if len(surface) <= 2 else table.get(surface.casefold())


def _number(text: str, decimal: str) -> float | None:
    """A number written with grouping and a decimal mark of the language (or, unknown, the
    usual reading: a separator before exactly three final digits groups, else it is decimal)."""
    text = regex.sub(r"[ \u00a0\u202f'’]", "", text)
    marks = [c for c in text if c in ".,"]
    if not marks:
        return float(text)
    last = text.rfind(marks[-1])
    if len(set(marks)) == 2 or (marks.count(marks[-1]) == 1 and len(marks) > 1):
        decimal_mark = marks[-1]
    elif len(marks) > 1:
        decimal_mark = ""  # "1.200.000": all groups
    elif decimal and len(text) - last - 1 != 3:
        decimal_mark = marks[-1]
    elif decimal:
        decimal_mark = decimal if marks[-1] == decimal else ""
    else:
        decimal_mark = "" if len(text) - last - 1 == 3 else marks[-1]
    if decimal_mark:
        whole, _, fraction = text.rpartition(decimal_mark)
        return float(whole.replace(".", "").replace(",", "") + "." + fraction)
    return float(text.replace(".", "").replace(",", ""))


def find_amounts(text: str, language: str | None = None) -> list[FoundAmount]:
    """Every money amount in ``text`` (already normalized), in order."""
    grammar = _grammar(language)
    found: list[FoundAmount] = []
    position = 0
    for match in _NUMBER.finditer(_ONE.sub(_as_one, text)):
        if match.start() < position:
            continue
        parsed = _parse_at(text, match, grammar)
        if parsed is not None:
            start = parsed.start
            while not text[start].isdigit() and start > 0 and text[start - 1].isalpha():
                start -= 1  # the article read as 1: "eine Milliarde Euro"
            if start != parsed.start:
                amount = Amount(
                    text[start : parsed.end], parsed.amount.value, parsed.amount.currency
                )
                parsed = FoundAmount(amount, start, parsed.end)
            found.append(parsed)
            position = parsed.end
    return found


# "a billion dollars", "eine Milliarde Euro", "le milliard d'euros": the article is a 1.
_ONE = regex.compile(
    r"(?<!\w)(?:a|an|one|ein|eine|einer|un|une|le|el|una|один|одна)"
    r"(?=\s(?:billion|million|trillion|Milliarde|Million|Billion|milliard|million|millón"
    r"|mil millones|миллиард|миллион|триллион)\b)",
    regex.IGNORECASE,
)


def _as_one(match: regex.Match[str]) -> str:
    return "1".rjust(len(match.group()))  # same length: offsets stay right


def _parse_at(text: str, match: regex.Match[str], grammar: _Grammar) -> FoundAmount | None:
    start = match.start()
    currency: str | None = None
    prefix = grammar.prefix_re.search(text[max(0, start - 8) : start])
    if prefix is not None:
        symbol = prefix.group().strip()
        candidate = grammar.currencies.get(_key(symbol))
        before = start - len(prefix.group())
        if candidate and not (before > 0 and text[before - 1].isalpha() and symbol.isalpha()):
            currency, start = candidate, before
    value, end, scaled = _term(text, match, grammar)
    if value is None:
        return None
    # East Asian sums: "4조 5천억", "1亿2000万"
    while scaled >= _EAST_ASIAN_BIG:
        following = _NUMBER.match(text, end + (1 if text[end : end + 1] == " " else 0))
        if following is None:
            break
        more, more_end, more_scale = _term(text, following, grammar)
        if more is None or not 1 < more_scale < scaled:
            break
        value, end, scaled = value + more, more_end, more_scale
    if currency is None:
        connector = _CONNECTOR.match(text, end)
        for at in (end, connector.end() if connector else None):
            if at is None:
                continue
            suffix = grammar.suffix_re.match(
                text, at + (1 if text[at : at + 1] in " \u00a0" else 0)
            )
            if suffix is None:
                continue
            word = suffix.group()
            if word in _NEEDS_SCALE and scaled <= 1:
                continue
            if not word[-1].isalpha() and regex.match(r"\s?\d", text[suffix.end() :]):
                continue  # "2026 $5bn": the symbol belongs to the next figure
            iso = _lookup(grammar.currencies, word)
            if isinstance(iso, str):
                currency, end = iso, suffix.end()
                break
    if currency is None or _VAGUE_AFTER.match(text, end):
        return None
    surface = text[start:end]
    return FoundAmount(Amount(surface, value, currency), start, end)


def _term(text: str, match: regex.Match[str], grammar: _Grammar) -> tuple[float | None, int, float]:
    """A number and up to two scale words after it ("5천억" = 5 × 1000 × 10^8). East Asian
    small units add up before a big one: "7천648억" = (7 × 1000 + 648) × 10^8."""
    number = _number(match.group(), grammar.decimal)
    if number is None:
        return None, match.end(), 1.0
    end = match.end()
    scale = 1.0
    for _ in range(2):
        at = end + (1 if text[end : end + 1] in (" ", "\u00a0", "\u202f") else 0)
        word = grammar.scale_re.match(text, at)
        if word is None:
            break
        multiplier = _lookup(grammar.scales, word.group())
        if not isinstance(multiplier, float):
            break
        if scale == 1.0 and multiplier < _EAST_ASIAN_BIG and _CJK_UNIT.match(word.group()):
            following = _NUMBER.match(text, word.end())
            if following is not None:  # "7천648억": the small unit adds, the next one scales
                rest = _number(following.group(), grammar.decimal) or 0.0
                number, end = number * multiplier + rest, following.end()
                continue
        scale *= multiplier
        end = word.end()
    return number * scale, end, scale
