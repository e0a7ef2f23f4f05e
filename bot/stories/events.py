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

import ahocorasick
import regex

KINDS: dict[str, tuple[str, ...]] = {
    "acquisition": (
        "acquire*", "acquisition*", "buy", "buys", "buying", "bought", "takeover*",
        "take over", "takes over", "purchase*", "übernimmt", "übernehmen", "übernahme*",
        "kauft", "kaufen", "erwirbt", "erwerb*", "rachète", "racheter", "rachat*", "acquiert",
        "achète", "s'offre", "adquiere", "adquirir", "adquisición", "compra", "comprar",
        "acquisisce", "acquisizione", "overname", "neemt over", "koopt", "покупает", "купит",
        "покупк*", "приобрет*", "поглощ*", "收购", "收購", "并购", "併購", "买下", "買下",
        "買収", "인수", "매입",
    ),
    "merger": (
        "merger*", "merge*", "fusion*", "fusionn*", "fusión", "fusiona*", "слияни*",
        "合并", "合併", "経営統合", "합병",
    ),
    "talks": (
        "talks", "in talks", "negotiat*", "discussions", "gespräch*", "verhandl*",
        "verhandel*", "négoci*", "pourparlers", "negocia*", "conversaciones", "trattativ*",
        "onderhandel*", "переговор*", "谈判", "談判", "洽谈", "洽談", "磋商", "商谈", "商談",
        "交渉", "協議中", "협상", "논의",
    ),
    "legal": (
        "patent*", "lawsuit*", "sue", "sues", "sued", "suing", "settle*", "court*",
        "litigation", "klage*", "verklagt", "vergleich", "gericht*", "brevet*", "procès",
        "poursuit", "tribunal*", "litige*", "patente*", "demanda*", "juicio", "brevett*",
        "патент*", "иск*", "суд*", "专利", "專利", "诉讼", "訴訟", "起诉", "起訴", "和解",
        "特許", "특허", "소송",
    ),
    "regulatory": (
        "fine*", "fined", "antitrust", "probe*", "investigation*", "strafe*", "bußgeld*",
        "kartell*", "amende*", "enquête*", "multa*", "investigación", "штраф*", "расследов*",
        "罚款", "罰款", "反垄断", "反壟斷", "调查", "調查", "制裁金", "罰金", "独禁",
        "과징금", "벌금",
    ),
    "approval": (
        "approv*", "green light", "clearance", "cleared", "genehmig*", "zugelassen",
        "zulassung*", "freigabe", "autoris*", "feu vert", "aprob*", "luz verde", "autorizz*",
        "via libera", "groen licht", "goedkeur*", "toestemming", "одобр*", "разреш*",
        "获准", "獲准", "获批", "獲批", "批准", "承認", "認可", "승인", "허가",
    ),
    "investment": (
        "invest*", "stake*", "funding", "raises", "beteiligung*", "investier*", "einstieg",
        "steigt ein", "participation*", "investit*", "levée", "inversión", "invierte*",
        "participación", "investe", "investimento", "инвестиц*", "инвестир*", "доля", "долю",
        "доли", "投资", "投資", "入股", "融资", "融資", "注资", "注資", "出資", "투자", "지분",
    ),
    "partnership": (
        "partner*", "alliance*", "team up", "teams up", "collaborat*", "supply", "supplier*",
        "supplies", "kooperation*", "kooperier*", "liefer*", "partenariat*", "fourni*",
        "alianza*", "asociación", "suministr*", "fornitur*", "fornisce", "samenwerk*",
        "партнерств*", "сотрудничеств*", "постав*", "合作", "联手", "聯手", "携手", "攜手",
        "供应", "供應", "供货", "供貨", "提携", "協業", "供給", "제휴", "협력", "파트너십",
        "공급",
    ),
    "order": (
        "orders", "ordered", "order for", "bestellt", "bestelt", "bestelling*", "auftrag*",
        "commande*", "pedido*", "ordine", "ordina", "заказ*", "订单", "訂單", "订购", "訂購",
        "受注", "発注", "발주", "수주",
    ),
    "layoffs": (
        "layoff*", "lay off", "lays off", "job cuts", "cuts jobs", "cut jobs", "stellenabbau",
        "entlass*", "licenci*", "suppressions d'emplois", "despido*", "licenziament*",
        "сокращени*", "увольн*", "裁员", "裁員", "人員削減", "감원", "구조조정", "해고",
    ),
    "earnings": (
        "earnings", "quarterly", "profit*", "revenue*", "results", "gewinn*", "umsatz*",
        "quartal*", "bénéfice*", "chiffre d'affaires", "résultats", "trimestr*",
        "beneficio*", "ingresos", "resultados", "utile", "ricavi", "winst", "omzet",
        "прибыл*", "выручк*", "财报", "財報", "营收", "營收", "净利", "淨利", "纯利", "純利",
        "业绩", "業績", "季度", "決算", "営業利益", "売上", "실적", "영업이익", "매출",
    ),
    "ipo": (
        "ipo", "ipos", "go public", "goes public", "listing", "börsengang*", "an die börse",
        "introduction en bourse", "salida a bolsa", "opv", "quotazione", "beursgang",
        "挂牌", "掛牌", "上場", "상장",  # not 上市: in Chinese also "goes on sale"
    ),
    "spin-off": (
        "spin off", "spins off", "spin-off", "spinoff", "carve-out", "abspalt*",
        "abgespalten", "scission*", "escisión", "scorpor*", "afsplits*", "выдел*", "分拆",
        "分離", "分社", "분할", "분사",
    ),
    "launch": (
        "launch*", "unveil*", "debut*", "stellt vor", "vorgestellt", "präsentiert", "lance",
        "lancement", "dévoile", "lanza*", "presenta", "представ*", "запуск*", "发布", "發布",
        "推出", "発売", "発表", "출시", "공개",
    ),
    "production": (
        "mass production", "volume production", "production start*", "starts production",
        "begins production", "series production", "serienproduktion", "serienfertigung",
        "massenproduktion", "produktionsstart", "production en série", "produzione in serie",
        "producción en serie", "producción en masa", "массов* производств*",
        "серийн* производств*", "量产", "量產", "投产", "投產", "量産", "양산",
    ),
    "construction": (
        "groundbreaking", "breaks ground", "broke ground", "spatenstich", "grundsteinlegung",
        "première pierre", "primera piedra", "prima pietra", "eerste paal", "起工", "动工",
        "動工", "动土", "動土", "开工", "開工", "착공", "закладк*",
    ),
    "opening": (
        "opens", "inaugur*", "eröffne*", "einweih*", "ouvre", "inaugura", "opent", "открыт*",
        "открыл*", "开业", "開業", "落成", "竣工", "開所", "준공", "개소",
    ),
    "recall": (
        "recall*", "rückruf*", "rappel*", "rappelle", "llama a revisión",
        "richiam*", "terugroep*", "отзыв*", "отзов*", "召回", "リコール", "리콜",
    ),
    "delay": (
        "delay*", "postpone*", "verschiebt", "verschoben", "verzöger*", "verspät*", "försen*",
        "retard*", "reporte", "reporté", "retras*", "aplaz*", "rinvi*", "uitstel*", "отлож*",
        "перенес*", "推迟", "推遲", "延期", "延后", "延後", "延迟", "延遲", "연기", "지연",
    ),
    "cancel": (
        "cancel*", "scrap*", "abandon*", "storniert", "abgesagt", "stoppt", "annul*",
        "cancela*", "annulla*", "отмен*", "取消", "中止", "취소",
    ),
}  # fmt: skip

# Kinds that belong together: a headline of talks and one of a supply deal can tell one
# story, a headline of a supply deal and one of a patent settlement cannot.
FAMILIES: dict[str, str] = {
    "acquisition": "deal", "merger": "deal", "talks": "deal", "investment": "deal",
    "partnership": "deal", "order": "deal", "ipo": "deal", "spin-off": "deal",
    "legal": "legal", "regulatory": "legal", "approval": "legal",
    "launch": "operations", "production": "operations", "construction": "operations",
    "opening": "operations",
    "layoffs": "layoffs", "earnings": "earnings", "recall": "recall", "delay": "setback",
    "cancel": "setback",
}  # fmt: skip
# A setback or a recall turns an event into another one: one headline with it and one
# without are different stories (a plant starts production; a plant's start is delayed).
POLAR = frozenset({"delay", "cancel", "recall"})

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def _pattern(word: str) -> str:
    wildcard = word.endswith("*")
    literal = word.rstrip("*").casefold()  # as the text is: "bußgeld" reads "bussgeld"
    body: str = regex.escape(literal).replace(r"\ ", r"[\s\-]+")
    if _CJK.match(literal[0]):
        return body
    tail = r"[\p{L}\p{M}]*" if wildcard else r"(?![\p{L}\p{M}])"
    return rf"(?<![\p{{L}}\p{{M}}]){body}{tail}"


@lru_cache(maxsize=1)
def _compiled() -> dict[str, regex.Pattern[str]]:
    return {
        kind: regex.compile("|".join(_pattern(word) for word in words), regex.IGNORECASE)
        for kind, words in KINDS.items()
    }


def different_events(
    a: frozenset[str],
    b: frozenset[str],
    a_text: frozenset[str] = frozenset(),
    b_text: frozenset[str] = frozenset(),
) -> bool:
    """Whether two headlines' kinds (``a``, ``b``) say they report different events: no
    family in common, or a setback (delay, cancellation, recall) in one headline that the
    other report does not mention at all (its headline kinds and ``a_text``/``b_text``,
    the kinds of its text)."""
    if not a or not b:
        return False
    if not {FAMILIES[kind] for kind in a} & {FAMILIES[kind] for kind in b}:
        return True
    return bool(a & POLAR - b - b_text) or bool(b & POLAR - a - a_text)


@lru_cache(maxsize=1)
def _triggers() -> ahocorasick.Automaton:
    """Each word's literal up to its first space, with its length and the kinds it belongs
    to: a kind's expression can match only where one of its literals starts."""
    automaton = ahocorasick.Automaton()
    for kind, words in KINDS.items():
        for word in words:
            literal = word.rstrip("*").casefold().split(" ")[0]
            kinds = automaton.get(literal, (len(literal), frozenset()))[1] | {kind}
            automaton.add_word(literal, (len(literal), kinds))
    automaton.make_automaton()
    return automaton


def event_kinds(title: str) -> frozenset[str]:
    """The kinds of event a headline reports, e.g. {"acquisition"} or {"talks", "merger"}."""
    text = unicodedata.normalize("NFKC", title).casefold()
    patterns = _compiled()
    found: set[str] = set()
    # a match of a kind's expression starts where one of its literals starts: try it there
    for end, (length, kinds) in _triggers().iter(text):
        for kind in kinds - found:
            if patterns[kind].match(text, end - length + 1):
                found.add(kind)
    return frozenset(found)
