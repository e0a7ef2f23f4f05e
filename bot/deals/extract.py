"""Reading a deal out of an item: which kind, which stage, between whom, for how much.

An item's title and text are normalized and split into sentences. Companies come from the
company table and the configured topics; triggers, stage cues and context words come from the
language's lexicon (``lexicon.py``); money figures from the amount grammar (``amounts.py``).
Each trigger proposes a deal from the companies around it, placed by the trigger's voice
(who acts, who is acted on); the title's proposal wins, else the earliest sentence's, and the
most specific kind wins within a sentence. Stage cues are read in the title and around the
trigger; an amount counts when it stands in a deal sentence and not after revenue, profit or
market-value words.

Pure and offline; about a millisecond per item once the table and lexicons are compiled.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import regex
from babel import Locale

from bot.companies import company_table
from bot.deals.amounts import FoundAmount, find_amounts
from bot.deals.lexicon import BOARD, FUNDING_VERB, LANGUAGES, Lexicon, Trigger, lexicon
from bot.deals.model import SYMMETRIC_KINDS, Amount, Deal, Kind, Party, Stage
from bot.match.terms import Matcher, normalize_text

_PRIORITY: dict[str, int] = {
    "joint-venture": 10,
    "merger": 9,
    "divestiture": 8,
    "acquisition": 7,
    "stake": 6,
    "licensing": 5,
    "supply": 4,
    "funding": 3,
    "partnership": 2,
}
_STAGE_RANK: dict[str, int] = {
    "cancelled": 6,
    "completed": 5,
    "approved": 4,
    "agreed": 3,
    "talks": 2,
    "rumoured": 1,
}
# Stages that a hedge does not soften, strongest first.
_FIRM_STAGES: tuple[Stage, ...] = ("cancelled", "completed", "approved", "talks")
# Kinds that need the acted-on company (an acquisition of nothing is no acquisition).
_NEEDS_TARGET = frozenset({"acquisition", "stake"})
_SENTENCE_END = regex.compile(
    r"(?<=[.!?])(?<!\b(?:Inc|Corp|Co|Ltd|Mrd|Mio|Md|Mds|Dr|Mr|Ms|St|Nr|bzw|ca|vs|No|U\.S|млрд|млн"
    r"|тыс|руб|долл|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\s+(?=[\p{Lu}\p{Lo}\"“«(])"
    r"|(?<=[。！？])|\n+"
)
_SUBJECT_PARTICLE = regex.compile(r"^\s*(?:은|는|이|가|が|は|측은)")
_OBJECT_PARTICLE = regex.compile(r"^\s*(?:을|를|を)")
_CAPITALIZED = regex.compile(
    r"(?:(?:the|a|an|of|in|with|von|der|die|das|den|dem|de|du|des|la|le|les|l['’]|el|los|las|un|une"
    r"|una|с|со|компанию|компании|startup|start-up|firm|company|rival)\s+){0,3}"
    r"((?:[\p{Lu}]|\p{Ll}(?=\p{Lu}))[\p{L}\p{N}&.\-'’]*(?:\s+(?:[\p{Lu}\p{N}][\p{L}\p{N}&.\-'’]*|&)){0,3})"
)
_RECIPIENT_WORD = regex.compile(
    r"(?:\b(?:to|an|à|au|a|al|к)\s+(?:the\s+|la\s+|le\s+|el\s+)?|予|给|給|向)\S*\s*$"
)
_QUOTED = regex.compile(r"\s*(?:\S+\s+){0,2}?[«\"“]([^»\"”]{2,40})[»\"”]")
# A buyer or customer named after "to": "sells its unit to X", "vende su filial a X"
_RECIPIENT = regex.compile(
    r"\s(?:to|an|à|a|al|к|компании)\s+(?:the\s+|der\s+|die\s+|la\s+|le\s+|el\s+)?"
    r"((?:[\p{Lu}][\p{L}\p{N}&.\-'’]*)(?:\s+(?:[\p{Lu}\p{N}][\p{L}\p{N}&.\-'’]*|&)){0,3})"
)
_HAN = regex.compile(r"\p{Han}")
_HAN_NAME = regex.compile(
    r"([\p{Han}A-Za-z0-9]{2,8}?)(?=[，。、；：的及与和以将並并（）()「」“”\s]|公司|集团|$)"
)
_SOV_OBJECT = regex.compile(
    r"([\p{Hangul}\p{Katakana}ー\p{Latin}\p{Han}0-9&]{2,15}?)\s?(?:을|를|を|에|に|의|の)?"
    r"(?:\s*\d[\d.,]*\S*(?:\s\S+)?)?\s*$"
)
# Nouns that stand where a Korean or Japanese target would: "반도체 사업 인수", "事業を売却"
# What a seller sells when it is not a company: a unit, a stake, a plant.
_UNIT = regex.compile(
    r"\b(?:unit|business|division|arm|subsidiary|stake|operations?|segment|plant|fab|factory"
    r"|Sparte|Geschäft|Tochter|Bereich|Geschäftsbereich|Werk|activité|division|filiale|branche"
    r"|usine|unidad|negocio|filial|planta|fábrica|подразделени|бизнес|дочерн|завод|Anteil"
    r"|participation|participación|дол[юи])\w*"
    r"|业务|業務|部门|部門|子公司|事業|事业|사업부|사업|부문|股权|股權|股份|持股|지분|株式|工厂|工廠|厂|廠|工場|공장",
    regex.IGNORECASE,
)
_COMPOUND_TARGET = regex.compile(r"(?<![\p{L}\-])(\p{Lu}[\p{L}\p{N}]+)-$")
# Where a figure's own phrase ends: "600 millions d'euros | et vaut près de 6 milliards"
_WITH = regex.compile(r"\s*(?:together with|with|alongside|mit|avec|con|с|со)\b")
_CLAUSE_END = regex.compile(r"[,;(（，、]|\s(?:and|et|y|und|и|or|ou|o|oder)\s")
_INVEST = regex.compile(r"(?i)invest|投资|投資|투자|инвест")
_INSTRUMENTAL = regex.compile(r"(?:ом|ем|ой|ей|ью)»?$")
_BEFORE_BEI = regex.compile(r"([\p{Han}A-Za-z0-9]{2,10}?)(?:正式|已经|已經|已|将|將|终|終|遭)?$")
_SOV_GENERIC = regex.compile(
    r"(?:사업|사업부|부문|지분|공장|기업|회사|업체|스타트업|법인|계열사|자회사|주식|경영권|지분율|事業|部門|株式"
    r"|工場|会社|企業|子会社|新興|株|全株|傘下|完全子会社|資本|来月|今月|来年|年内|月|日|年|正式|正式に)$"
)
_HAN_GENERIC = (
    "公司",
    "股权",
    "股權",
    "部分",
    "业务",
    "業務",
    "一家",
    "该",
    "該",
    "其",
    "所",
    "旗下",
    "这",
    "這",
    "全部",
    "美国",
    "美國",
    "中国",
    "中國",
    "日本",
    "韩国",
    "韓國",
)
_PER_SHARE = regex.compile(
    r"^\s*(?:a share|per share|each|je Aktie|pro Aktie|par action|por acción|每股|/株|주당"
    r"|за акцию)",
    regex.I,
)
_WORD_REST = regex.compile(r"(?<=[\p{Latin}\p{Cyrillic}])[\p{Latin}\p{Cyrillic}]+")
# What follows "sold" when units are counted or compared, not a company sold: "sold 1.6
# million", "sold twice as many", "sold out", "verkaufte doppelt so viele", "vendió más"
_UNITS_SOLD = regex.compile(
    r"\s*(?:about |rund |environ |unos |около |约|約)?\d"
    r"|\s*(?:twice|three times|more|fewer|less|as many|as much|out|well|poorly|strongly"
    r"|doppelt|mehr|weniger|deux fois|plus|moins|el doble|más|menos|вдвое|больше|меньше)\b",
    regex.IGNORECASE,
)
# Figures below this are prices of products or shares, not of deals.
_SMALLEST_DEAL = 1e5
_ADJACENT = regex.compile(r"\s*(?:,|(?:was|is|has been|wurde|a été|fue|ha sido|se|sich)\s)?\s*")
_DESCRIPTOR = regex.compile(
    r"(?i)start-?up|maker|firm|company|-area|-based|hersteller|konzern|anbieter|spezialist|sparte"
    r"|tochter|unternehmen|fabricant|groupe|empresa|fabricante|filial|entwickler|développeur"
)
_LATIN_RUN = regex.compile(
    r"(?<![\p{L}\p{N}&'’.\-])((?:\p{Lu}|\p{Ll}+\p{Lu})(?:[\p{L}\p{N}&'’\-]|\.(?=[\p{L}\p{N}]))*"
    r"(?:\s(?:\p{Lu}(?:[\p{L}\p{N}&'’\-]|\.(?=[\p{L}\p{N}]))*|&)){0,3})"
)
_POSSESSIVE = regex.compile(r"['’]s$")
_topic_companies: weakref.WeakKeyDictionary[Matcher, dict[str, str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class _Entity:
    start: int
    end: int
    name: str
    company: str | None  # company table id
    topic: str | None
    known: bool  # named by the table, a topic or a marked name, not guessed from capitals
    adjacent_only: bool = False  # a weak guess: a party only right next to the trigger


@dataclass(frozen=True, slots=True)
class _Candidate:
    kind: Kind
    sentence: int
    trigger: tuple[int, int]
    parties: tuple[_Entity, ...]
    lexicon: Lexicon


def _lexicons(language: str | None, text: str) -> list[Lexicon]:
    if language:
        head = language.replace("_", "-").split("-")[0].lower()
        if head in LANGUAGES:
            return [lexicon(head)]
    # unknown language: read the script
    if regex.search(r"\p{Hangul}", text):
        return [lexicon("ko")]
    if regex.search(r"[\p{Hiragana}\p{Katakana}]", text):
        return [lexicon("ja")]
    if regex.search(r"\p{Han}", text):
        return [lexicon("zh")]
    if regex.search(r"\p{Cyrillic}", text):
        return [lexicon("ru")]
    return [lexicon(code) for code in ("en", "de", "fr", "es")]


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _topic_company_map(topics: Matcher) -> dict[str, str]:
    """company id -> the topic one of whose terms is a name of that company."""
    known = _topic_companies.get(topics)
    if known is None:
        table = company_table()
        known = {}
        for compiled in topics.terms:
            company = table.lookup(compiled.term)
            if company is not None:
                known.setdefault(company.id, compiled.topic)
        _topic_companies[topics] = known
    return known


def _entities(text: str, topics: Matcher | None) -> list[_Entity]:
    table = company_table()
    mentions = table.find(text)
    hits = topics.find(text) if topics is not None else []
    by_company = _topic_company_map(topics) if topics is not None else {}
    entities: list[_Entity] = []
    for mention in mentions:
        company = table.get(mention.company)
        assert company is not None
        topic = next(
            (h.topic for h in hits if h.start < mention.end and mention.start < h.end),
            by_company.get(company.id),
        )
        entities.append(_Entity(mention.start, mention.end, company.name, company.id, topic, True))
    entities = [_extended(text, e) for e in entities]
    company_like = _company_like_topics(topics) if topics is not None else set()
    for hit in hits:
        if hit.topic not in company_like or hit.topic in by_company.values():
            continue
        if any(e.start < hit.end and hit.start < e.end for e in entities):
            continue
        if hit.surface[:1].isalpha() and hit.surface[:1].islower():
            continue
        name = _POSSESSIVE.sub("", hit.surface)
        entities.append(_Entity(hit.start, hit.end, name, None, hit.topic, True))
    entities.sort(key=lambda e: e.start)
    return entities


# Names the table does not know, by how they are written: «quoted» in Russian, 「quoted」 in
# Chinese and Japanese, Latin names inside Chinese, Japanese and Korean text, a company word
# at the end of a Chinese name, the subject that opens a Korean or Japanese headline.
_GUESSES: dict[str, list[regex.Pattern[str]]] = {
    "ru": [
        regex.compile(r"«([^»]{2,40})»"),
        regex.compile(r"(?<!\w)([А-ЯЁA-Z][А-ЯЁA-Z0-9]{1,6})(?!\w)"),
    ],
    "cjk": [
        regex.compile(r"[「『“]([^」』”]{2,20})[」』”]"),
        regex.compile(
            r"(?<![\p{Latin}\d])([A-Z][A-Za-z&.\-]*[A-Za-z]\d{0,2}"
            r"(?:[ ][A-Z][A-Za-z&.\-]*[A-Za-z]){0,2}"
            r"(?:国际|國際|集团|集團|控股|电子|電子|科技|汽车|汽車|半导体|半導體|精密|光电|光電|通信|能源"
            r"|インターナショナル|グループ|인터내셔널|그룹)?)(?![\p{Latin}\d])"
        ),
    ],
    "zh": [
        regex.compile(
            r"(?:公司|企业|企業|厂商|廠商|初创|初創|创企|新创|新創|股东|股東)?"
            r"(\p{Han}{2,8}?(?:科技|集团|集團|半导体|半導體|电子|電子|机器人|機器人|能源|通信|资本|資本"
            r"|控股|汽车|汽車|光电|光電|微电子|微電子|新能源|信息技术有限公司|有限公司))"
        )
    ],
    "ko": [
        regex.compile(r"^(?:[^,、…·\n]*\s)?([^\s,、…·]{2,12})[,、]"),
        # a subsidiary named as such: "자회사 카카오모빌리티의", "계열사 SK쉴더스를"
        regex.compile(
            r"(?:자회사|계열사|손자회사)\s+([^\s,、…·]{2,12}?)(?:의|을|를|이|가|은|는)(?!\p{Hangul})"
        ),
    ],
    "ja": [regex.compile(r"^(?:[^\s,、…・]*の)?([^\s,、…・の]{2,12})[,、]")],
}
# Regulators, places and technical words that look like names.
_NOT_NAMES = frozenset(
    [
        "AI",
        "EV",
        "IT",
        "PC",
        "TV",
        "OLED",
        "LCD",
        "DRAM",
        "NAND",
        "HBM",
        "GPU",
        "CPU",
        "NPU",
        "AP",
        "SoC",
        "ESS",
        "LFP",
        "SiC",
        "GaN",
        "TOB",
        "IPO",
        "MOU",
        "MoU",
        "CEO",
        "CFO",
        "CTO",
        "API",
        "LLM",
        "RAN",
        "IoT",
        "ADAS",
        "SUV",
        "ICT",
        "US",
        "UK",
        "EU",
        "SEC",
        "FTC",
        "DOJ",
        "CMA",
        "SAMR",
        "KFTC",
        "JFTC",
        "CFIUS",
        "FCC",
        "ITC",
        "NDRC",
        "MOFCOM",
        "BaFin",
        "AMF",
        "CNMV",
        "CNMC",
        "ACM",
        "FAS",
        "ФАС",
        "ЦБ",
        "ФНС",
        "СМИ",
        "США",
        "РФ",
        "ЕС",
        "ИИ",
        "ПО",
        "СП",
        "ГК",
        "ООО",
        "ОАО",
        "ПАО",
        "АО",
        "НИИ",
        "IT-компания",
        "EUV",
        "ASIC",
        "FPGA",
        "RISC-V",
        "Arm-based",
        "GW",
        "GWh",
        "MW",
        "B2B",
        "B2C",
        "SaaS",
        "Wi-Fi",
        "USB",
        "HDMI",
        "CES",
        "MWC",
        "Reuters",
        "Bloomberg",
        "Nikkei",
        "Yonhap",
        "DigiTimes",
        "TrendForce",
        "Counterpoint",
        "IDC",
        "Gartner",
        "U.S",
        "U.S.",
        "U.K",
        "RISC",
        "RISC-V",
        "LiDAR",
        "Lidar",
        "Group",
        "EU-Kommission",
        "Kommission",
        "Bundeskartellamt",
        "Kartellamt",
        "Bundesregierung",
        "Bruxelles",
        "Brussels",
        "Bruselas",
        "Bercy",
        "Israeli",
        "Saudi",
        "Emirati",
        "Swiss",
        "Italian",
        "Spanish",
        "Canadian",
        "Australian",
        "Singaporean",
        "Vietnamese",
        "Thai",
        "Malaysian",
        "Indonesian",
        "Brazilian",
        "Mexican",
        "Russian",
        "Ukrainian",
        "Polish",
        "Turkish",
        "Qatari",
        "ЗПИФ",
        "ПИФ",
        "ООО",
        "АО",
        "ПАО",
        "ЗАО",
        "НПЦ",
        "НИИ",
        "ФГУП",
        "HD",
        "IB",
        "VC",
        "РБК",
        "ТАСС",
        "Интерфакс",
        "Ведомости",
        "Коммерсант",
        "Коммерсанта",
        "Ведомостей",
        "РИА",
        "CNBC",
        "FT",
        "WSJ",
    ]
)
# Regulators, ministries and courts are never parties.
_AUTHORITY = regex.compile(
    r"(?i:commission|kommission|comisión|regulator|regulador|régulateur|regulierer|kartell"
    r"|aufsicht|антимонопольн|ministry|ministerium|ministère|ministerio"
    r"|authority|behörde|autorité|autoridad|court|gericht|tribunal|government|regierung"
    r"|gouvernement|gobierno|агентств|служб|министерств|правительств|委员会|委員會|监管|監管|商务部"
    r"|商務部|当局|省|위원회|공정위|정부)"
)
# What a Chinese name never holds: descriptions before it ("初创公司", "为全球最大的").
_HAN_DESCRIPTION = regex.compile(
    r".*(?:公司|初创|初創|企业|企業|新创|新創|厂商|廠商|的|为|為|是|之|家)"
)


_COUNTRY_PREFIX = regex.compile(r"[米豪英独仏中韓日台美德法印蘭加露](?=[\p{Katakana}\p{Han}]{2})")
_COUNTRY_CHARS = "米豪英独仏中韓日台美德法印蘭加露"
_PARTICLE_AFTER = regex.compile(r"(?:은|는|이|가|을|를|의|와|과|도|에|로|으로|측)(?!\p{Hangul})")


def _glued_name(text: str, start: int, end: int, language: str) -> bool:
    following = text[end : end + 1]
    if regex.match(r"\p{Hangul}", following) and not _PARTICLE_AFTER.match(text, end):
        return True
    preceding = text[max(0, start - 1) : start]
    if (
        language == "ja"
        and preceding
        and preceding in _COUNTRY_CHARS
        and not regex.match(r"[\p{Han}\p{Katakana}]", text[max(0, start - 2) : start - 1])
    ):
        return False  # "と米WD", "独SAP": a country's one-character prefix, not a longer name
    return language == "ja" and bool(regex.match(r"[\p{Han}\p{Katakana}]", preceding))


def _latin_runs(
    text: str, lex: Lexicon, sentences: list[tuple[int, int]], taken: list[_Entity]
) -> list[_Entity]:
    """Capitalized names in alphabetic text ("Kaira Sensing", "Ordilog"): parties only when
    the roles put them there. A lone word that opens a sentence, or any lone capitalized word
    in German (where every noun has a capital), counts only right next to a trigger."""
    starts = {start for start, _ in sentences}
    found: list[_Entity] = []
    for match in _LATIN_RUN.finditer(text):
        tokens = [
            (m.start() + match.start(1), m.end() + match.start(1), m.group())
            for m in regex.finditer(r"\S+", match.group(1))
        ]
        while tokens and (
            tokens[0][2].rstrip(".,'’") in lex.generic
            or (len(tokens) > 1 and _DESCRIPTOR.search(tokens[0][2]))
            or (len(tokens) > 1 and lex.language == "de" and tokens[0][2].endswith("er"))
        ):
            tokens.pop(0)  # "Jenaer Photonik-Start-up Lumiscribe", "Motorensparte Innomotics"
        while tokens and tokens[-1][2] == "&":
            tokens.pop()
        if not tokens:
            continue
        start, end = tokens[0][0], tokens[-1][1]
        name = text[start:end]
        trimmed = _POSSESSIVE.sub("", name).rstrip(".,'’-")
        end -= len(name) - len(trimmed)
        name = trimmed
        words = name.split()
        if len(name) < 2 or name in _NOT_NAMES or (name.isupper() and len(name) > 6):
            continue
        if len(tokens) == 1 and _DESCRIPTOR.search(name):
            continue  # "Boston-area", "Start-up"
        if _AUTHORITY.search(name):
            continue
        if any(e.start < end and start < e.end for e in taken):
            continue
        lone = len(words) == 1 and not regex.search(r"\p{Lu}|\d|&", name[1:] or "")
        at_start = start in starts or text[max(0, start - 2) : start] in (
            "\n\n",
            ": ",
        )
        in_title = start < sentences[0][1] if sentences else False
        weak = lone and (
            (at_start and not in_title) or (lex.language == "de" and not name.isupper())
        )
        found.append(_Entity(start, end, name, None, None, False, weak))
    return found


@cache
def _territories() -> frozenset[str]:
    """Country and region names in every language read (CLDR through Babel): no company."""
    names: set[str] = set()
    for code in ("en", "de", "fr", "es", "zh", "zh_Hant", "ja", "ko", "ru"):
        names.update(Locale.parse(code).territories.values())
    return frozenset(names)


def _guessed(
    text: str, lexicons: list[Lexicon], known: list[_Entity], sentences: list[tuple[int, int]]
) -> list[_Entity]:
    language = lexicons[0].language if len(lexicons) == 1 else ""
    patterns = list(_GUESSES["cjk"]) if language in ("zh", "ja", "ko", "ru") else []
    patterns += _GUESSES.get(language, [])
    found: list[_Entity] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            name = match.group(1).strip()
            if name.isascii() and _glued_name(text, start, end, language):
                continue  # "SK쉴더스", "三菱UFJ": part of a longer name
            if language in ("ja", "zh") and _COUNTRY_PREFIX.match(name):
                start, name = start + 1, name[1:]  # "豪アルティウム": the Australian Altium
            cut = _HAN_DESCRIPTION.match(name) if _HAN.match(name) else None
            if cut and cut.end() < len(name) - 1:  # "衬底初创公司晶驰半导体" -> "晶驰半导体"
                start += cut.end()
                name = name[cut.end() :]
            if any(t.pattern.search(name) for lex in lexicons for t in lex.triggers):
                continue  # "新光電工買収": a deal word is no name
            if _AUTHORITY.search(name) or name in _territories():
                continue
            if (
                name in _NOT_NAMES
                or len(name) < 2
                or regex.search(r"\d", name.rstrip("0123456789"))
            ):
                continue
            if regex.search(r"\d", name) and not regex.match(r"\p{L}{3}", name):
                continue  # "SU7", "X5": products and codes, "Tele2" a name
            if any(e.start < end and start < e.end for e in (*known, *found)):
                continue
            resolved = _resolve(_Entity(start, end, name, None, None, True), known)
            if resolved is not None:
                found.append(resolved)
    if language in ("en", "de", "fr", "es"):
        found += _latin_runs(text, lexicons[0], sentences, [*known, *found])
    return found


_INVESTOR_NAME = regex.compile(
    # longest forms first: "Venture Investment" before "Venture" (an alternation takes the
    # first that fits)
    r"(?:\s+\p{Lu}[\p{L}&]*)*?\s+(?:Venture Investment|Startup Fund|Asset Management"
    r"|Ventures?|Investments?|Capital|Partners|Fund|Securities)"
    r"(?:\s+(?:Corp|Inc|Ltd|LLC)\b\.?)?"
)


def _extended(text: str, entity: _Entity) -> _Entity:
    """A company's investment arm is another party: "Samsung Venture Investment Corp.",
    "OpenAI Startup Fund"."""
    more = _INVESTOR_NAME.match(text, entity.end)
    if more is None:
        return entity
    end = more.end()
    name = text[entity.start : end].rstrip(".")
    return _Entity(entity.start, entity.start + len(name), name, None, entity.topic, True)


def _company_like_topics(topics: Matcher) -> set[str]:
    """Topics that can name a company: no wildcard term (``EV*`` is a subject)."""
    wild = {t.topic for t in topics.terms if "*" in t.term}
    return {t.topic for t in topics.terms} - wild


def _coordinated(text: str, left: _Entity, right: _Entity, lex: Lexicon, span: int = 30) -> bool:
    gap = text[left.end : right.start]
    if regex.fullmatch(r"[\s,、・/&+-]*", gap):
        return True
    return len(gap) <= span and lex.joiner.search(gap) is not None


def _capture_after(text: str, at: int, end: int, lex: Lexicon) -> _Entity | None:
    """A company the table does not know, named right after a trigger."""
    window = text[at:end]
    if lex.language in ("zh",):
        match = _HAN_NAME.match(window.lstrip())
        if match and not match.group(1).startswith(_HAN_GENERIC):
            offset = at + (len(window) - len(window.lstrip())) + match.start(1)
            return _Entity(offset, offset + len(match.group(1)), match.group(1), None, None, False)
        return None
    quoted = _QUOTED.match(window)
    if quoted:
        return _Entity(at + quoted.start(1), at + quoted.end(1), quoted.group(1), None, None, False)
    match = (
        _CAPITALIZED.match(window.lstrip())
        if lex.language in ("en", "de", "fr", "es", "ru")
        else None
    )
    if match is None:
        return None
    name = _POSSESSIVE.sub("", match.group(1)).rstrip(".,'’")
    offset = at + (len(window) - len(window.lstrip())) + match.start(1)
    words = name.split()
    while len(words) > 1 and _DESCRIPTOR.search(words[0]):
        # "Motorensparte Innomotics", "chipmaker Arvos": what it is, then its name
        cut = name.index(words[1], len(words[0]))
        name, offset, words = name[cut:], offset + cut, words[1:]
    first = words[0] if words else ""
    if not name or first in lex.generic or first.isdigit() or len(name) < 2:
        return None
    return _Entity(offset, offset + len(name), name, None, None, False)


def _resolve(entity: _Entity | None, entities: list[_Entity]) -> _Entity | None:
    """A guessed name that is a company after all: a table name ("Orange", written where the
    table wants confirmation) or the start of a company named elsewhere ("Cypress" for
    "Cypress Semiconductor")."""
    if entity is None or entity.known:
        return entity
    company = company_table().lookup(entity.name)
    if company is not None:
        topic = next((e.topic for e in entities if e.company == company.id), None)
        return _Entity(entity.start, entity.end, company.name, company.id, topic, True)
    folded = entity.name.casefold()
    for other in entities:
        if other.company and other.name.casefold().startswith(folded + " "):
            return _Entity(entity.start, entity.end, other.name, other.company, other.topic, True)
    return entity


def _and_partner(text: str, entity: _Entity, end: int, lex: Lexicon) -> _Entity | None:
    """The name joined to a company by "and": "Xiaomi y Leica", "Orange y MásMóvil"."""
    joined = lex.and_word.match(text[entity.end : end])
    if joined is None:
        return None
    captured = _capture_after(text, entity.end + joined.end() - 1, end, lex)
    if (
        captured is not None and lex.language == "zh"
    ):  # "與數碼通合併": the name ends at the deal word
        cut = min(
            (m.start() for t in lex.triggers for m in [t.pattern.search(captured.name)] if m),
            default=None,
        )
        if cut is not None:
            if cut < 2:
                return None
            name = captured.name[:cut]
            captured = _Entity(captured.start, captured.start + len(name), name, None, None, False)
    return captured


def _capture_before_sov(text: str, start: int, trigger: int) -> _Entity | None:
    match = _SOV_OBJECT.search(text[start:trigger])
    if match is None or _SOV_GENERIC.search(match.group(1)) or match.group(1).isdigit():
        return None
    name, begin = match.group(1), start + match.start(1)
    if _COUNTRY_PREFIX.match(name):
        name, begin = name[1:], begin + 1
    return _Entity(begin, start + match.end(1), name, None, None, False)


def _roles(
    text: str,
    sentence: tuple[int, int],
    trigger: Trigger,
    span: tuple[int, int],
    inner: tuple[int, int] | None,
    entities: list[_Entity],
    lex: Lexicon,
) -> tuple[_Entity, ...]:
    """The parties a trigger names, actor first."""
    before = [
        e
        for e in entities
        if sentence[0] <= e.start
        and e.end <= span[0]
        and (not e.adjacent_only or _ADJACENT.fullmatch(text, e.end, span[0]))
    ]
    after = [
        e
        for e in entities
        if span[1] <= e.start
        and e.end <= sentence[1]
        and (not e.adjacent_only or _ADJACENT.fullmatch(text, span[1], e.start))
    ]
    kind = trigger.kind
    if kind in SYMMETRIC_KINDS or trigger.voice == "symmetric":
        group: list[_Entity] = []
        if before:
            group = [before[-1]]
            for entity in reversed(before[:-1]):
                if not _coordinated(text, entity, group[0], lex):
                    break
                group.insert(0, entity)
        previous_end = span[1]
        following: list[_Entity] = []
        for entity in after:
            gap = text[previous_end : entity.start]
            joined = lex.joiner.search(gap) is not None and not regex.fullmatch(r"[\s、,]*", gap)
            if kind == "joint-venture" and not joined and not following:
                break  # the venture's own name follows its trigger: 新会社「…」
            if len(gap) > 15 or not (len(gap.strip()) <= 2 or joined):
                break
            following.append(entity)
            previous_end = entity.end
        if len(following) >= 2 and group and len(text[group[-1].end : span[0]].strip()) > 3:
            # "regulators approve the merger of A and B": the pair is after it; but "A … in
            # a venture with B, C and D": A, the sentence's subject, is a partner too
            subject = next((e for e in before if e.known), None)
            comitative = _WITH.match(text, span[1])
            group = [subject] if comitative and subject is not None else []
        group += following
        if len(group) == 1:
            partner = _and_partner(text, group[0], span[0], lex)
            if partner is not None:
                group.append(partner)
        if len(group) < 2 and lex.language not in ("ja", "ko"):
            captured = _capture_after(text, span[1], sentence[1], lex)
            gap = text[span[1] : captured.start] if captured is not None else ""
            joined = lex.joiner.search(gap) is not None
            if captured is not None and (
                joined or (len(gap.strip()) <= 3 and lex.language != "zh")
            ):
                group.append(captured)
                partner = _and_partner(text, captured, sentence[1], lex)
                if partner is not None and len(group) < 2:
                    group.append(partner)
        return _unique([e for e in (_resolve(g, entities) for g in group) if e is not None])
    if trigger.voice == "inner" and inner is not None:
        agents = [e for e in entities if inner[0] <= e.start and e.end <= inner[1]]
        patients = [e for e in before if e.end <= inner[0]]
        if not patients or not _ADJACENT.fullmatch(text, patients[-1].end, span[0]):
            head = _BEFORE_BEI.search(text, sentence[0], span[0])
            if head:  # "荣耀被…收购": the name just before 被
                start, name = head.start(1), head.group(1)
                cut = _HAN_DESCRIPTION.match(name)
                if cut and cut.end() < len(name) - 1:
                    start, name = start + cut.end(), name[cut.end() :]
                guess = _resolve(_Entity(start, head.end(1), name, None, None, False), entities)
                patients = [guess] if guess else patients
        return _unique([*agents[-1:], *patients[-1:]])
    if trigger.voice in ("sov", "sov-passive"):
        nearest = before[-1] if before else None
        earlier = before[-2] if len(before) > 1 else None
        if nearest is None:
            captured = _capture_before_sov(text, sentence[0], span[0])
            return (captured,) if captured is not None else ()
        if earlier is None:
            after_nearest = text[nearest.end : span[0]]
            if kind in _NEEDS_TARGET and not _SUBJECT_PARTICLE.match(after_nearest):
                captured = _capture_before_sov(text, nearest.end, span[0])
                if captured is not None:
                    return (nearest, captured)
            return (nearest,)
        doer, done = earlier, nearest
        if _SUBJECT_PARTICLE.match(text[nearest.end : nearest.end + 3]) and _OBJECT_PARTICLE.match(
            text[earlier.end : earlier.end + 3]
        ):
            doer, done = nearest, earlier
        if trigger.voice == "sov-passive":
            doer, done = done, doer
        return _unique([doer, done])
    actor = before[-1] if before else None
    acted: _Entity | None = None
    if trigger.voice == "passive":
        acted = actor
        near = [e for e in after[:1] if len(text[span[1] : e.start]) <= 40]
        actor = near[0] if near else None
    else:
        for entity in after[:3]:
            gap = text[span[1] : entity.start]
            if len(gap) > 90:
                break
            instrumental = lex.language == "ru" and _INSTRUMENTAL.search(
                text, entity.start, entity.end
            )
            if lex.agent_marker.search(gap) or (instrumental and actor is None and len(gap) <= 3):
                # "… of Harman by Samsung", "order from Tesla", "покупку Ростелекомом"
                if actor is None:
                    actor = entity
                else:
                    acted = acted or entity
                break
            if acted is None:
                acted = entity
    if acted is None and actor is not None and len(before) >= 2:
        marked = lex.passive_marker.search(text[max(sentence[0], actor.start - 12) : actor.start])
        if marked:  # "Harman wird von Samsung übernommen"
            acted = before[-2]
        elif len(text[before[-2].end : actor.start]) <= 12:  # "比亚迪获得大众订单"
            actor, acted = before[-2], actor
    if kind in ("divestiture", "supply", "licensing") and trigger.voice == "active":
        # the buyer or customer is the one named after "to": "sells its unit in X to Y"
        marked = [e for e in after[:3] if _RECIPIENT_WORD.search(text, span[1], e.start)]
        if marked and len(text[span[1] : marked[0].start]) <= 90:
            acted = marked[0]
    if acted is None and actor is not None and trigger.voice == "active" and kind != "funding":
        if lex.language != "zh" or kind != "divestiture":  # 出售X: X is the unit sold
            acted = _capture_after(text, span[1], min(sentence[1], span[1] + 60), lex)
        if acted is None and kind in ("divestiture", "supply", "licensing"):
            recipient = _RECIPIENT.search(text, span[1], min(sentence[1], span[1] + 80))
            if recipient and recipient.group(1).split()[0] not in lex.generic:
                name = recipient.group(1).rstrip(".,")
                acted = _Entity(
                    recipient.start(1), recipient.start(1) + len(name), name, None, None, False
                )
    if kind == "funding" and actor is None and acted is not None:
        actor, acted = acted, None  # "la levée de fonds de Voltanis": the raiser follows
    if acted is None and trigger.voice != "passive":
        compound = _COMPOUND_TARGET.search(text, sentence[0], span[0])
        if compound:  # "Ampere-Übernahme": the target is the first half of the word
            guess = _Entity(
                compound.start(1), compound.end(1), compound.group(1), None, None, False
            )
            acted = _resolve(guess, entities)
    if kind == "funding" and actor is None:
        start = text.rfind("\n", 0, span[0]) + 1
        head = _CAPITALIZED.match(text, max(sentence[0], start))
        if head and head.end() <= span[0] and head.group(1).split()[0] not in lex.generic:
            actor = _Entity(head.start(1), head.end(1), head.group(1), None, None, False)
    return _unique([e for e in (_resolve(actor, entities), _resolve(acted, entities)) if e])


def _unique(entities: Sequence[_Entity]) -> tuple[_Entity, ...]:
    seen: set[str] = set()
    kept: list[_Entity] = []
    for entity in entities:
        key = entity.company or entity.name.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(entity)
    return tuple(kept)


def _valid(
    kind: Kind, trigger: Trigger, parties: tuple[_Entity, ...], in_title: bool, words: str
) -> bool:
    known = [p for p in parties if p.known]
    if not parties:
        return False
    if not known and not (in_title and (len(parties) >= 2 or kind == "funding")):
        return False  # guessed names alone: a headline that pairs them or names a round
    if kind in SYMMETRIC_KINDS:
        return len(parties) >= 2
    if (
        trigger.needs_company
        and len(known) < 2
        and kind not in ("supply", "divestiture", "funding")
    ):
        # "buys phones" is no deal: the acted-on must be a company, or a guessed name that is
        # clearly one: several capitalized words, or a stake that is not an investment in a place
        guessed = [p for p in parties if not p.known]
        if not any(len(p.name.split()) >= 2 for p in guessed) and not (
            kind == "stake" and not _INVEST.search(words)
        ):
            return False
    if kind in _NEEDS_TARGET:
        return len(parties) >= 2
    return True


def _candidates(
    text: str,
    sentences: list[tuple[int, int]],
    entities: list[_Entity],
    amounts: list[FoundAmount],
    lexicons: list[Lexicon],
    mentioned: set[tuple[str, int]],
) -> list[_Candidate]:
    """Every deal the triggers propose; ``mentioned`` collects (kind, sentence) of every
    trigger, with or without parties ("인수 금액은 90억 달러다")."""
    found: list[_Candidate] = []
    for lex in lexicons:
        blocked = [m.span() for m in lex.not_deal.finditer(text)]
        for trigger in lex.triggers:
            for match in trigger.pattern.finditer(text):
                span = match.span()
                word_end = _WORD_REST.match(text, span[1])
                if word_end:  # a stem ("слияни") covers its whole word ("слияние")
                    span = (span[0], word_end.end())
                if any(s < span[1] and span[0] < e for s, e in blocked):
                    continue
                index = next(
                    (i for i, (s, e) in enumerate(sentences) if s <= span[0] < e), len(sentences)
                )
                if index >= len(sentences):
                    continue
                sentence = sentences[index]
                words = text[sentence[0] : sentence[1]]
                if lex.buyback.search(words):
                    continue
                if trigger.kind == "licensing" and (
                    _disputed(lex, words) or _disputed(lex, text[: sentences[0][1]])
                ):
                    continue  # a lawsuit (in this sentence or the headline) is no licence
                if trigger.kind == "divestiture" and _UNITS_SOLD.match(text, span[1]):
                    continue  # "vende 1,6 millones de móviles"
                kind = _refine_kind(trigger.kind, text, sentence, lex)
                mentioned.add((kind, index))
                if (
                    kind == "funding"
                    and FUNDING_VERB.search(match.group())
                    and not _has_price(sentence, span, amounts, text, lex)
                ):
                    continue  # "raises", "lève": only with the figure raised
                inner = match.span("inner") if "inner" in trigger.pattern.groupindex else None
                first_word = regex.match(r"\S+", match.group())
                if (
                    inner is None
                    and first_word
                    and any(span[0] < e.start and e.end <= span[1] for e in entities)
                ):  # "steigt bei Rivian ein": the company inside is the one acted on
                    span = (span[0], span[0] + first_word.end())
                parties = _roles(text, sentence, trigger, span, inner, entities, lex)
                if kind == "divestiture" and len(parties) < 2 and not _has_unit(text, sentence):
                    continue
                if (
                    kind == "supply"
                    and len(parties) < 2
                    and not _has_price(sentence, span, amounts, text, lex, minimum=1e6)
                ):
                    continue  # one company and no large figure: a product, not a contract
                if _valid(kind, trigger, parties, index == 0, match.group()):
                    found.append(_Candidate(kind, index, span, parties, lex))
    return found


def _disputed(lex: Lexicon, words: str) -> bool:
    return lex.dispute.search(words) is not None and lex.settle.search(words) is None


def _has_unit(text: str, sentence: tuple[int, int]) -> bool:
    return _UNIT.search(text, sentence[0], sentence[1]) is not None


def _has_price(
    sentence: tuple[int, int],
    span: tuple[int, int],
    amounts: list[FoundAmount],
    text: str,
    lex: Lexicon,
    minimum: float = 0.0,
) -> bool:
    return any(
        sentence[0] <= a.start < sentence[1]
        and a.amount.value >= minimum
        and _is_deal_price(text, a, sentence, lex)
        for a in amounts
    )


def _refine_kind(kind: Kind, text: str, sentence: tuple[int, int], lex: Lexicon) -> Kind:
    words = text[sentence[0] : sentence[1]]
    if kind == "stake" and lex.control.search(words):
        return "acquisition"
    if kind == "acquisition" and lex.minority.search(words) and not lex.control.search(words):
        return "stake"
    if kind == "partnership" and lex.joint_venture.search(words):
        return "joint-venture"
    return kind


def _stage(
    text: str,
    title_end: int,
    sentences: list[tuple[int, int]],
    index: int,
    lex: Lexicon,
    kind: Kind,
) -> Stage:
    """The stage cues of the title first, then of the deal's sentence, then of the lead and the
    next sentence. A hedge ("reportedly", "könnten") turns an agreed deal into a rumour but
    gives way to any firmer cue found further on (talks, approval, closing, a denial)."""
    body = [span for span in sentences if span[0] >= title_end]
    levels = [[(0, title_end)]] if title_end else []
    levels += [[sentences[index], *body[:1]], body[:3] + sentences[index + 1 : index + 2]]
    hedged = False
    for level, spans in enumerate(levels):
        found: set[Stage] = {
            stage for stage, pattern in lex.stages if _cue(text, spans, stage, pattern)
        }
        if level < len(levels) - 1 and "rumoured" in found:
            hedged = True
        for stage in _FIRM_STAGES:
            if stage in found:
                return stage
        if "agreed" in found:  # a hedge found before holds: "considering; could agree by May"
            return (
                "rumoured"
                if hedged or ("rumoured" in found and level < len(levels) - 1)
                else "agreed"
            )
    if hedged:
        return "rumoured"
    return "completed" if kind == "funding" else "agreed"


def _cue(text: str, spans: list[tuple[int, int]], stage: str, pattern: regex.Pattern[str]) -> bool:
    for start, end in spans:
        for match in pattern.finditer(text, start, end):
            if stage == "approved" and BOARD.search(
                text, max(start, match.start() - 40), match.start()
            ):
                continue  # the board decided: agreed
            return True
    return False


def _is_deal_price(text: str, found: FoundAmount, sentence: tuple[int, int], lex: Lexicon) -> bool:
    if found.amount.value < _SMALLEST_DEAL:
        return False
    before = text[max(sentence[0], found.start - 60) : found.start]
    after = _CLAUSE_END.split(text[found.end : min(sentence[1], found.end + 25)], maxsplit=1)[0]
    if _PER_SHARE.match(after):
        return False
    return not (lex.not_price.search(before) or lex.not_price.search(after))


def _deal_amounts(
    text: str,
    sentences: list[tuple[int, int]],
    chosen: _Candidate,
    mentioned: set[tuple[str, int]],
    amounts: list[FoundAmount],
    title_end: int,
    entities: list[_Entity],
) -> tuple[Amount, ...]:
    # the deal's sentences: its own, those with a deal word, those that name a party, in the
    # first few sentences after it (revenue and market values are kept out by their words)
    last = max(chosen.sentence + 4, 5)
    deal_sentences = {chosen.sentence} | {index for _, index in mentioned if index <= last}
    for party in chosen.parties:
        for index, (start, end) in enumerate(sentences[: last + 1]):
            if (
                party.company
                and any(e.company == party.company and start <= e.start < end for e in entities)
            ) or (not party.company and party.name in text[start:end]):
                deal_sentences.add(index)
    lex = chosen.lexicon
    for index, (start, end) in enumerate(sentences):
        if lex.price.search(text, start, end):
            deal_sentences.add(index)
    kept: list[Amount] = []
    for found in amounts:
        index = next((i for i, (s, e) in enumerate(sentences) if s <= found.start < e), -1)
        in_title = found.start < title_end
        if index not in deal_sentences and not in_title:
            continue
        if index >= 0 and lex.buyback.search(text, *sentences[index]):
            continue
        if index < 0 or not _is_deal_price(text, found, sentences[index], chosen.lexicon):
            continue
        if any(
            a.currency == found.amount.currency
            and abs(a.value - found.amount.value) <= 0.01 * a.value
            for a in kept
        ):
            continue
        kept.append(found.amount)
    return tuple(kept)


def extract_deal(
    title: str, text: str, language: str | None, *, topics: Matcher | None = None
) -> Deal | None:
    """The deal an item reports, or None. ``topics`` is the configured topic matcher: a party
    it names gets that topic, and a company-like topic can name a party the table lacks."""
    title_n = normalize_text(title or "").strip()
    body = normalize_text(text or "")
    full = f"{title_n}\n\n{body}" if title_n else body
    title_end = len(title_n)
    lexicons = _lexicons(language, full)
    sentences = _sentences(full)
    entities = _entities(full, topics)  # table and topics first: guesses fill the gaps
    amounts = find_amounts(full, language)
    figures = [_Entity(a.start, a.end, "", None, None, False) for a in amounts]
    guesses = _guessed(full, lexicons, [*entities, *figures], sentences)
    entities = sorted([*entities, *guesses], key=lambda e: e.start)
    entities = [e for e in entities if not _DISPLACED.search(full, 0, e.start)]
    entities = _confirmed_by_coordination(full, entities, lexicons[0])
    entities = _abbreviated(full, entities)
    mentioned: set[tuple[str, int]] = set()
    candidates = _candidates(full, sentences, entities, amounts, lexicons, mentioned)
    if not candidates:
        return None
    chosen = min(
        candidates,
        key=lambda c: (
            sentences[c.sentence][0] >= title_end,  # the title first
            c.sentence,
            -_PRIORITY[c.kind],
            -len(c.parties),
            c.trigger[0],
        ),
    )
    if chosen.kind == "partnership":  # a partnership that forms a company is a joint venture
        lead = [i for i, span in enumerate(sentences) if span[0] >= title_end][:3]
        venture = [c for c in candidates if c.kind == "joint-venture" and c.sentence in lead]
        if venture:
            chosen = venture[0]
    if chosen.kind not in SYMMETRIC_KINDS and _and_joined(full, chosen, title_end):
        # "Bosch und CATL vereinbaren Liefervertrag": who supplies whom is in the body
        same = {p.company or p.name for p in chosen.parties}
        for other in candidates:
            if (
                other.kind == chosen.kind
                and other.sentence != chosen.sentence
                and ({p.company or p.name for p in other.parties} == same)
            ):
                chosen = _Candidate(
                    chosen.kind, chosen.sentence, chosen.trigger, other.parties, chosen.lexicon
                )
                break
    parties = list(chosen.parties)
    if chosen.kind == "funding":
        parties += _investors(full, sentences, chosen, entities, parties)
    if len(parties) < 2:  # a later sentence of the same kind may name the other side
        for other in sorted(candidates, key=lambda c: c.sentence):
            if other.kind == chosen.kind and other is not chosen:
                names = {p.company or p.name for p in parties}
                parties += [p for p in other.parties if (p.company or p.name) not in names]
                if len(parties) >= 2:
                    break
    stage = _stage(full, title_end, sentences, chosen.sentence, chosen.lexicon, chosen.kind)
    return Deal(
        kind=chosen.kind,
        stage=stage,
        parties=tuple(
            Party(p.name if p.company else _nominative(full, p.name), p.topic) for p in parties
        ),
        amounts=_deal_amounts(full, sentences, chosen, mentioned, amounts, title_end, entities),
    )


_ABBREVIATION = regex.compile(r"\s?[(（]([A-Z][A-Z0-9&]{1,7})[)）]")


def _abbreviated(text: str, entities: list[_Entity]) -> list[_Entity]:
    """A name the text defines as short for a company ("ウエスタンデジタル（WD）", "Japan
    Investment Corp. (JIC)") is that company wherever the text uses it ("米WD")."""
    short: dict[str, _Entity] = {}
    for entity in entities:
        if entity.company is not None:
            match = _ABBREVIATION.match(text, entity.end)
            if match is not None:
                short.setdefault(match.group(1), entity)
    if not short:
        return entities
    return [
        _Entity(e.start, e.end, short[e.name].name, short[e.name].company, short[e.name].topic,
                True)
        if e.company is None and e.name in short
        else e
        for e in entities
    ]  # fmt: skip


def _confirmed_by_coordination(text: str, entities: list[_Entity], lex: Lexicon) -> list[_Entity]:
    """A weak guess (a lone capitalized word) joined by "and" to a company the table knows is
    a company too: "Valeo et le chinois Hesai", "Ordilog and Bosch"."""
    confirmed = list(entities)
    for index, entity in enumerate(entities):
        if not entity.adjacent_only:
            continue
        neighbours = entities[index + 1 : index + 2]
        if any(n.company and _coordinated(text, entity, n, lex) for n in neighbours):
            confirmed[index] = _Entity(
                entity.start, entity.end, entity.name, None, None, entity.known
            )
    return confirmed


# A company the deal leaves out, named for contrast: "sidelining Nokia", "anstelle von X"
_DISPLACED = regex.compile(
    r"(?:\b(?:sidelining|replacing|instead of|rather than|away from|beating|ousting|over rival"
    r"|anstelle von|statt|au détriment de|à la place de|en lugar de|en vez de|вместо)"
    r"(?:\s+(?:the|der|die|dem|den|la|le|el|rival|Konkurrent|concurrent|rival))?\s+)$",
    regex.IGNORECASE,
)
_RU_QUOTED = regex.compile(r"«([\p{Cyrillic}\p{N}\s\-]{2,40})»")
# Russian case endings a name takes after a verb or preposition (not its nominative)
_RU_OBLIQUE = regex.compile(r"(?:ом|ем|ой|ей|ою|ею|ами|ями|ах|ях|ам|ям|у|ю|е|и|ы)$")


def _shared_prefix(left: str, right: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b),
                min(len(left), len(right)))  # fmt: skip


def _nominative(text: str, name: str) -> str:
    """A Russian name the table lacks, as the text also writes it in the nominative: of its
    «quoted» forms sharing a stem («Элементом», «Элемент», «Элементе»), one without an
    oblique case ending, the shortest; ``name`` itself when the text has no such form."""
    if not regex.fullmatch(r"[\p{Cyrillic}\p{N}\s\-]{3,40}", name):
        return name
    forms = {name} | {
        form
        for form in _RU_QUOTED.findall(text)
        if abs(len(form) - len(name)) <= 3
        and _shared_prefix(form, name) >= max(3, min(len(form), len(name)) - 3)
    }
    return min(forms, key=lambda form: (bool(_RU_OBLIQUE.search(form)), len(form), form))


_INVESTOR: dict[str, list[tuple[regex.Pattern[str], bool]]] = {
    # markers, and whether the investors follow them ("led by X") or precede them ("X领投")
    "en": [
        (
            regex.compile(
                r"\b(?:led by|co-led by|participation (?:from|of)|joined by|backed by"
                r"|investors? (?:including|such as|were)|from)\b",
                regex.I,
            ),
            True,
        ),
        (
            regex.compile(
                r"\b(?:took part|take part|participated|to participate|also invested"
                r"|joined the round)\b",
                regex.I,
            ),
            False,
        ),
    ],
    "de": [
        (regex.compile(r"\b(?:angeführt von|unter Führung von|Leadinvestor|von)\b", regex.I), True),
        (
            regex.compile(
                r"\b(?:beteiligte sich|beteiligten sich|stieg(?:en)? ebenfalls ein)\b", regex.I
            ),
            False,
        ),
    ],
    "fr": [
        (
            regex.compile(
                r"\b(?:mené|menée|auprès|participation|dont|investisseur\w*|fonds)\b", regex.I
            ),
            True,
        )
    ],
    "es": [
        (regex.compile(r"\b(?:liderada|encabezada|participación|inversores como)\b", regex.I), True)
    ],
    "zh": [(regex.compile(r"领投|領投|跟投|参投|參投|联合投资|聯合投資|加注"), False)],
    "ja": [(regex.compile(r"主導|引き受け|引受|出資"), False)],
    "ko": [(regex.compile(r"주도|참여"), False)],
    "ru": [(regex.compile(r"\b(?:инвестор\w*|участвовал\w*|от)\b", regex.I), True)],
}
# Chinese, Japanese and Korean investors named before their marker: "KDDIと三井物産を引受先",
# "산업은행과 IBK기업은행 등이 참여", "由红杉中国领投"
_CJK_FILLER = regex.compile(
    r"(?:が|は|を|も|など|等|등이|등|이|가|은|는|도|으로|로|持续|持續|继续|繼續|也|亦|再度|,|、|\s)+$"
)
_CJK_NAMES = regex.compile(
    r"((?:[\p{Han}\p{Katakana}\p{Hangul}ーA-Za-z0-9&]+(?:と|和|与|與|及|、|\s)?){1,4})$"
)
_CJK_SPLIT = regex.compile(r"(?:と|和|与|與|及|、|(?<=\p{Hangul})(?:과|와)\s|\s)")
_CJK_LEAD = regex.compile(r".*(?:由|股东|股東|本轮|本輪|이번|투자에는|先)")


def _cjk_investors(text: str, start: int, marker: int) -> list[_Entity]:
    window = text[max(start, marker - 30) : marker]
    window = _CJK_FILLER.sub("", window)
    names = _CJK_NAMES.search(window)
    if names is None:
        return []
    base = marker - len(text[max(start, marker - 30) : marker]) + names.start(1)
    found: list[_Entity] = []
    offset = 0
    for part in _CJK_SPLIT.split(names.group(1)):
        at = names.group(1).find(part, offset)
        offset = at + len(part)
        lead = _CJK_LEAD.match(part)
        name = part[lead.end() :] if lead else part
        if len(name) >= 2 and not name.isdigit() and not _SOV_GENERIC.search(name):
            begin = base + at + (len(part) - len(name))
            found.append(_Entity(begin, begin + len(name), name, None, None, True))
    return found


def _investors(
    text: str,
    sentences: list[tuple[int, int]],
    chosen: _Candidate,
    entities: list[_Entity],
    parties: list[_Entity],
) -> list[_Entity]:
    """The lead and named participating investors of a round, in its sentence and the three
    after it: named after "led by", "from", "auprès de", before "took part", "领投", "참여"."""
    language = chosen.lexicon.language
    taken = {p.company or p.name for p in parties}
    found: list[_Entity] = []
    for start, end in sentences[chosen.sentence : chosen.sentence + 4]:
        for marker, follows in _INVESTOR[language]:
            for match in marker.finditer(text, start, end):
                if follows:
                    near = [
                        e for e in entities if match.end() <= e.start < min(end, match.end() + 80)
                    ]
                else:
                    near = [
                        e
                        for e in entities
                        if max(start, match.start() - 80) <= e.start < match.start()
                    ]
                    if language in ("zh", "ja", "ko"):
                        guesses = _cjk_investors(text, start, match.start())
                        near += [
                            _resolve(g, entities) or g
                            for g in guesses
                            if not any(e.start < g.end and g.start < e.end for e in near)
                        ]
                for entity in near:
                    key = entity.company or entity.name
                    if key not in taken and not entity.adjacent_only and len(found) < 4:
                        taken.add(key)
                        found.append(entity)
    return found


def _and_joined(text: str, candidate: _Candidate, title_end: int) -> bool:
    parties = sorted(candidate.parties, key=lambda p: p.start)
    if len(parties) != 2 or parties[0].start >= title_end:
        return False
    return candidate.lexicon.and_word.match(text[parties[0].end : parties[1].start]) is not None


def combine_deals(deals: Sequence[Deal | None]) -> Deal | None:
    """The best-supported reading of several reports of one story: the most reported kind,
    its most reported stage (ties: the furthest along), the parties and amounts most reports
    of that kind agree on, in the order they are usually named."""
    present = [d for d in deals if d is not None]
    if not present:
        return None
    kinds = Counter(d.kind for d in present)
    kind = max(
        kinds, key=lambda k: (kinds[k], -next(i for i, d in enumerate(present) if d.kind == k))
    )
    same = [d for d in present if d.kind == kind]
    stages = Counter(d.stage for d in same)
    stage = max(stages, key=lambda s: (stages[s], _STAGE_RANK[s]))
    support: Counter[str] = Counter()
    position: dict[str, list[int]] = {}
    named: dict[str, Party] = {}
    table = company_table()
    for deal in same:
        for index, party in enumerate(deal.parties):
            company = table.lookup(party.name)
            key = company.id if company else party.name.casefold()
            support[key] += 1
            position.setdefault(key, []).append(index)
            if key not in named or (named[key].topic is None and party.topic is not None):
                named[key] = party
    needed = max(1, (len(same) + 1) // 2)
    keys = [k for k in support if support[k] >= needed] or [support.most_common(1)[0][0]]
    keys.sort(key=lambda k: (sum(position[k]) / len(position[k]), -support[k]))
    groups: list[tuple[Amount, int]] = []
    for deal in same:
        for amount in deal.amounts:
            for i, (kept, count) in enumerate(groups):
                if (
                    kept.currency == amount.currency
                    and abs(kept.value - amount.value) <= 0.01 * kept.value
                ):
                    groups[i] = (kept, count + 1)
                    break
            else:
                groups.append((amount, 1))
    top = max((count for _, count in groups), default=0)
    return Deal(
        kind=kind,
        stage=stage,
        parties=tuple(named[k] for k in keys),
        amounts=tuple(amount for amount, count in groups if count == top),
    )
