"""What kind of event a headline reports (an acquisition, talks, a legal dispute, layoffs…),
in the eight languages the bot's users read.

Owns a small lexicon of deal-news event words per kind. Two headlines about the same
companies that report different kinds of event (talks about a supply deal; a patent
settlement) are different stories even when a sentence embedding finds them close, and two
headlines that report the same kind agree on one more fact. Only the title is read: a body
recounts background ("after months of talks…") that would blur the kind.

How a word matches: casefolded; in alphabetic scripts at the start of a word, and a word
ending in ``*`` takes any continuation (``negotiat*``: negotiate, negotiations); Chinese,
Japanese and Korean words match anywhere (Korean attaches particles to the end).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

KINDS: dict[str, tuple[str, ...]] = {
    "acquisition": (
        "acquire*", "acquisition*", "buy", "buys", "buying", "bought", "takeover*",
        "take over", "takes over", "purchase*", "übernimmt", "übernehmen", "übernahme*",
        "kauft", "kaufen", "erwirbt", "erwerb*", "rachète", "racheter", "rachat*", "acquiert",
        "achète", "s'offre", "adquiere", "adquirir", "adquisición", "compra", "comprar",
        "покупает", "купит", "покупк*", "приобрет*", "поглощ*", "收购", "并购", "买下",
        "買収", "인수", "매입",
    ),
    "merger": (
        "merger*", "merge*", "fusion*", "fusionn*", "fusión", "fusiona*", "слияни*",
        "объедин*", "合并", "合併", "経営統合", "합병",
    ),
    "talks": (
        "talks", "in talks", "negotiat*", "discussions", "gespräch*", "verhandl*",
        "verhandel*", "négoci*", "pourparlers", "discussions", "negocia*", "conversaciones",
        "переговор*", "谈判", "洽谈", "磋商", "商谈", "交渉", "協議中", "협상", "논의",
    ),
    "legal": (
        "patent*", "lawsuit*", "sue", "sues", "sued", "suing", "settle*", "court*",
        "litigation", "klage*", "verklagt", "vergleich", "gericht*", "brevet*", "procès",
        "poursuit", "tribunal*", "litige*", "patente*", "demanda*", "juicio", "acuerdo judicial",
        "патент*", "иск*", "суд*", "专利", "诉讼", "起诉", "和解", "特許", "訴訟", "특허",
        "소송",
    ),
    "regulatory": (
        "fine*", "fined", "antitrust", "probe*", "investigation*", "strafe*", "bußgeld*",
        "kartell*", "amende*", "enquête*", "multa*", "investigación", "штраф*", "расследов*",
        "罚款", "反垄断", "调查", "制裁金", "罰金", "独禁", "과징금", "벌금", "조사",
    ),
    "investment": (
        "invest*", "stake*", "funding", "raises", "beteiligung*", "investier*", "einstieg",
        "participation*", "investit*", "levée", "inversión", "invierte*", "participación",
        "инвестиц*", "инвестир*", "доля", "долю", "доли", "投资", "入股", "融资",
        "注资", "出資", "投資", "투자", "지분",
    ),
    "partnership": (
        "partner*", "alliance*", "team up", "teams up", "collaborat*", "supply", "supplier*",
        "supplies", "kooperation*", "kooperier*", "liefer*", "partenariat*", "fourni*",
        "alianza*", "asociación", "suministr*", "партнерств*", "сотрудничеств*", "постав*",
        "合作", "联手", "携手", "供应", "供货", "提携", "協業", "供給", "제휴", "협력",
        "파트너십", "공급",
    ),
    "layoffs": (
        "layoff*", "lay off", "lays off", "job cuts", "cuts jobs", "cut jobs", "stellenabbau",
        "entlass*", "licenci*", "suppressions d'emplois", "despido*", "сокращени*", "увольн*",
        "裁员", "裁員", "人員削減", "감원", "구조조정", "해고",
    ),
    "earnings": (
        "earnings", "quarterly", "profit*", "revenue*", "gewinn*", "umsatz*", "quartal*",
        "bénéfice*", "chiffre d'affaires", "résultats", "trimestr*", "beneficio*", "ingresos",
        "прибыл*", "выручк*", "财报", "营收", "净利", "业绩", "決算", "営業利益", "売上",
        "실적", "영업이익", "매출",
    ),
    "ipo": (
        "ipo", "ipos", "go public", "goes public", "listing", "börsengang*", "introduction en "
        "bourse", "salida a bolsa", "opv", "上市", "上場", "상장", "ipo-",
    ),
    "launch": (
        "launch*", "unveil*", "announces new", "stellt vor", "präsentiert", "lance", "lancement",
        "dévoile", "lanza*", "presenta", "представ*", "запуск*", "发布", "推出", "発売",
        "출시", "공개",
    ),
}  # fmt: skip

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def _pattern(word: str) -> str:
    wildcard = word.endswith("*")
    literal = word.rstrip("*")
    body: str = regex.escape(literal).replace(r"\ ", r"[\s\-]+")
    if _CJK.match(literal[0]):
        return body
    tail = r"[\p{L}\p{M}]*" if wildcard else r"(?![\p{L}\p{M}])"
    return rf"(?<![\p{{L}}\p{{M}}]){body}{tail}"


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple(
        (kind, regex.compile("|".join(_pattern(word) for word in words), regex.IGNORECASE))
        for kind, words in KINDS.items()
    )


def event_kinds(title: str) -> frozenset[str]:
    """The kinds of event a headline reports, e.g. {"acquisition"} or {"talks", "merger"}."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return frozenset(kind for kind, pattern in _compiled() if pattern.search(text))
