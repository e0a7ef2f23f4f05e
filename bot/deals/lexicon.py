"""Per-language words that make a deal: triggers (which kind, which voice), stage cues, and the
context words that keep a figure or a trigger out (revenue, buybacks).

Voices say where the parties stand around a trigger:

* ``active``: the actor before, the acted-on after ("Samsung acquires Harman", "三星收购哈曼");
* ``passive``: the acted-on before, the actor after ("Harman was acquired by Samsung");
* ``inner``: Chinese 被: the actor inside the trigger ("哈曼被三星收购");
* ``sov``: Korean and Japanese: the acted-on nearest before, the actor before it
  ("삼성전자가 하만을 인수", "ソニーがXを買収"); ``sov-passive`` swaps them ("XがYに買収され");
* ``symmetric``: every coordinated company around the trigger ("Samsung und Xiaomi …
  zusammenarbeiten", "partnership between A and B").

Patterns are regular expressions (``regex`` syntax, matched case-insensitively). Latin and
Cyrillic words are bounded by ``\\b``; Chinese, Japanese and Korean words are matched anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from bot.deals.model import Kind, Stage

Voice = str  # "active" | "passive" | "inner" | "sov" | "sov-passive" | "symmetric"


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: Kind
    voice: Voice
    pattern: regex.Pattern[str]
    needs_company: bool  # the acted-on must be a known company ("buys" is also "buys phones")


@dataclass(frozen=True, slots=True)
class Lexicon:
    language: str
    triggers: tuple[Trigger, ...]
    stages: tuple[tuple[Stage, regex.Pattern[str]], ...]  # strongest first
    not_deal: regex.Pattern[str]  # a trigger inside these is no deal (buyback, own plant)
    not_price: regex.Pattern[str]  # a figure right after these is not the deal's (revenue)
    price: regex.Pattern[str]  # a sentence with these states what the deal is worth
    buyback: regex.Pattern[str]  # a sentence with these holds no deal
    dispute: regex.Pattern[str]  # a lawsuit: no licence deal unless it settles
    settle: regex.Pattern[str]
    agent_marker: regex.Pattern[str]  # "by", "durch", "par": the company after is the actor
    passive_marker: regex.Pattern[str]  # "von X übernommen": the company after it acted
    and_word: regex.Pattern[str]  # "and", "und", "y": two names that go together
    joiner: regex.Pattern[str]  # words that coordinate parties ("and", "with", "und", "与")
    minority: regex.Pattern[str]  # a stake
    control: regex.Pattern[str]  # a stake that is control: an acquisition
    joint_venture: regex.Pattern[str]
    generic: frozenset[str]  # capitalized words that are not names (German nouns, articles)


def _w(*words: str) -> str:
    """Alternation of Latin/Cyrillic words bounded at both ends."""
    return r"\b(?:" + "|".join(words) + r")\b"


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# kind, voice, pattern, needs a known company as the acted-on (funding: the figure raised)
_RawTrigger = tuple[Kind, Voice, str, bool]

_EN: list[_RawTrigger] = [
    (
        "acquisition",
        "passive",
        _w(r"(?:acquired|bought|purchased|taken over|snapped up) by"),
        False,
    ),
    (
        "acquisition",
        "active",
        _w(
            "acquires?",
            "acquiring",
            "acquired",
            "to acquire",
            "takes? over",
            "took over",
            "taking over",
            "snaps? up",
            "snapped up",
            "(?:acquisition|takeover|buyout) of",
            "takeover (?:bid|offer) for",
            "acquisition",
            "takeover",
            "buyout",
        ),
        False,
    ),
    (
        "acquisition",
        "active",
        _w("buys?", "buying", "bought", "to buy", "purchases?", "purchased", "purchase of"),
        True,
    ),
    (
        "merger",
        "symmetric",
        _w(
            "merge",
            "merges",
            "merged",
            "merging",
            "merger",
            "combine with",
            "combination with",
            "all-stock combination",
        ),
        False,
    ),
    (
        "stake",
        "active",
        _w(
            "stake",
            "stakes",
            "shareholding",
            "equity interest",
            "minority interest",
            r"invests?(?: [^!?。\n]{0,30})? in",
            "invested(?: [^!?。\n]{0,30})? in",
            "investment in",
        ),
        True,
    ),
    (
        "funding",
        "active",
        _w(
            r"(?:raises?|raised|raising)"
            r"(?=\s+(?:about |around |nearly |over |more than )?(?:US)?[$€£¥])",
            r"(?:raises?|raised|raising)(?=[^!?。\n]{0,80}\b(?:funding|round|financing|series [a-f]"
            r"|led by|investors|venture|seed|backed)\b)",
            "funding round",
            r"series [a-f]",
            "seed round",
            "secures? (?:[^!?。\n]{0,20})?funding",
            "closes? (?:a )?round",
            "financing round",
        ),
        False,
    ),
    ("joint-venture", "symmetric", _w("joint[- ]venture", "JV", "jointly owned company"), False),
    (
        "partnership",
        "symmetric",
        _w(
            r"partner(?:s|ed|ing)?(?: up)? with",
            "partnership",
            "partners",
            r"team(?:s|ed)? up",
            "alliance",
            "ally",
            "collaborat(?:e|es|ed|ing|ion)",
            "cooperat(?:e|es|ed|ing|ion)",
            "co-operat(?:e|es|ed|ing|ion)",
            r"join(?:s|ed)? forces",
            r"work(?:s|ed|ing)? together",
            "co-develop",
            "jointly develop",
            "tie-up",
            "tie up",
            "MoU",
            "memorandum of understanding",
        ),
        False,
    ),
    (
        "supply",
        "active",
        _w(
            r"suppl(?:y|ies|ied|ying)",
            "supplier",
            r"wins? (?:an? )?(?:\S+ )?(?:order|contract)",
            r"won (?:an? )?(?:\S+ )?(?:order|contract)",
            r"orders? from",
            r"foundry (?:deal|contract|order|agreement)",
            r"manufacturing (?:deal|agreement|contract)",
            r"purchase (?:agreement|order)",
            "procurement deal",
            r"(?:order|orders) for",
            "to make chips for",
            "to manufacture",
            "to produce chips for",
            # a contract awarded: "AT&T picks Ericsson for $14 billion overhaul"
            r"(?:picks|picked|selects|selected|chooses|chose|taps|tapped)"
            r"(?= \p{Lu}\S*(?: \p{Lu}\S*)? for (?:an? |its |the )?"
            r"(?:[$€£¥₩]|US\$|\d|\S+ (?:contract|deal|order)\b))",
        ),
        True,
    ),
    # a cross-licence binds both sides: the pair named around it are the parties
    ("licensing", "symmetric", _w(r"cross-licen[cs](?:e|es|ing)"), False),
    (
        "licensing",
        "active",
        _w(
            r"licen[cs](?:e|es|ed|ing) (?:deal|agreement|pact)",
            r"cross-licen[cs](?:e|es|ing)",
            r"licen[cs]es? (?:its |the |their )?"
            r"(?:patents?|technology|tech)",
            r"licen[cs]ed (?:its |the )?(?:patents?|technology)",
            r"patent (?:deal|agreement|settlement|licen[cs]e)",
            r"licen[cs]ing",
        ),
        False,
    ),
    (
        "divestiture",
        "active",
        _w(
            "sells?",
            "sold",
            "selling",
            "to sell",
            "divests?",
            "divested",
            "divesting",
            "offloads?",
            "offloaded",
            "spins? off",
            "spun off",
            "spinning off",
            "divestiture",
            "spin-off",
            "spinoff",
            "carve-out",
            "sale of",
        ),
        True,
    ),
]
_DE: list[_RawTrigger] = [
    (
        "acquisition",
        "active",
        _any(
            r"\bübernimmt",
            r"\bübernehmen",
            r"\bübernahm",
            r"\bübernommen",
            r"\bÜbernahme",
            r"\berwirbt",
            r"\berwerben",
            r"\berworben",
            r"\bschluckt",
            r"\bZukauf",
            r"\bAufkauf",
        ),
        False,
    ),
    (
        "acquisition",
        "active",
        _any(
            r"(?<![vV]er)\bkauf(?:t|en)\b", r"\bgekauft", r"\bkaufte\b", r"\bKauf (?:von|der|des)\b"
        ),
        True,
    ),
    (
        "merger",
        "symmetric",
        _any(
            r"\bFusion",
            r"\bfusionier",
            r"\bverschmelz",
            r"\bZusammenschluss",
            r"\bschließen sich zusammen",
        ),
        False,
    ),
    (
        "stake",
        "active",
        _any(
            r"\bBeteiligung",
            r"\bbeteiligt sich",
            r"\bsteigt\b[^!?。\n]{0,30}\bein\b",
            r"\bAnteile? an\b",
            r"\bMinderheitsbeteiligung",
            r"\bAktienpaket",
            r"\binvestiert\b[^!?。\n]{0,40}\bin\b",
        ),
        True,
    ),
    (
        "funding",
        "active",
        _any(
            r"\bFinanzierungsrunde",
            r"\bsammelt\b[^!?。\n]{0,40}\bein\b",
            r"\bSeries [A-F]\b",
            r"\bSerie-[A-F]",
            r"\bKapitalspritze",
            r"\bFinanzierung(?:srunde)?\b",
        ),
        False,
    ),
    (
        "joint-venture",
        "symmetric",
        _any(r"\bGemeinschaftsunternehmen", r"\bJoint[- ]Venture", r"\bGemeinschaftsfirma"),
        False,
    ),
    (
        "partnership",
        "symmetric",
        _any(
            r"\bzusammenarbeiten",
            r"\barbeite[nt]?\b[^!?。\n]{0,40}\bzusammen\b",
            r"\bZusammenarbeit",
            r"\bkooperier",
            r"\bKooperation",
            r"\bPartnerschaft",
            r"\bAllianz",
            r"\bspannen\b[^!?。\n]{0,30}\bzusammen",
            r"\btun sich\b[^!?。\n]{0,30}\bzusammen",
            r"\bgemeinsam\b[^!?。\n]{0,40}\bentwickeln",
            r"\bPartner\b",
            r"\bverbünden",
        ),
        False,
    ),
    (
        "supply",
        "active",
        _any(
            r"\bLiefervertrag",
            r"\bLiefervereinbarung",
            r"\bliefert\b",
            r"\bbeliefer",
            r"\bGroßauftrag",
            r"\bAuftrag\b",
            r"\bZulieferer",
            r"\bAuftragsfertig",
            r"\bLieferabkommen",
            r"\bFertigungsauftrag",
        ),
        True,
    ),
    # a cross-licence binds both sides: the pair named around it are the parties
    ("licensing", "symmetric", _any(r"\bKreuzlizenz\w*", r"\bgegenseitig\w* Lizenz\w*"), False),
    (
        "licensing",
        "active",
        _any(
            r"\bLizenzabkommen",
            r"\bLizenzvereinbarung",
            r"\bLizenzvertrag",
            r"\blizenziert",
            r"\bPatentabkommen",
            r"\bKreuzlizenz",
            r"\bLizenz",
        ),
        False,
    ),
    (
        "divestiture",
        "active",
        _any(
            r"\bverkauf(?:t|en)\b",
            r"\bverkaufte\b",
            r"\bveräußer",
            r"\btrennt sich von",
            r"\babspalt",
            r"\bAbspaltung",
            r"\bVerkauf (?:der|des|seiner|ihrer|von)",
            r"\bausgliedern",
            r"\bAusgliederung",
        ),
        True,
    ),
]
_FR: list[_RawTrigger] = [
    (
        "acquisition",
        "passive",
        _w(r"(?:rachet[ée]e?s?|acquise?s?|achet[ée]e?s?|repris[e]?) par"),
        False,
    ),
    (
        "acquisition",
        "active",
        _w(
            "rach[eè]te",
            "rachètent",
            "rachat",
            "racheter",
            "acquiert",
            "acquérir",
            "acquisition",
            "acquis",
            "prise de contrôle",
            "met la main sur",
            r"s['’]empare",
            r"s['’]offre",
            "OPA",
        ),
        False,
    ),
    ("acquisition", "active", _w("achète", "acheter", "a acheté", "reprend", "reprise de"), True),
    (
        "merger",
        "symmetric",
        _w("fusion", "fusionner", "fusionnent", "fusionne", "rapprochement"),
        False,
    ),
    (
        "stake",
        "active",
        _w(
            "participation",
            "entre au capital",
            "prise de participation",
            r"investit(?: [^!?。\n]{0,30})? dans",
        ),
        True,
    ),
    (
        "funding",
        "active",
        _w("lève", "levée de fonds", "levée", "tour de table", r"série [a-f]", "lever", "a levé"),
        False,
    ),
    (
        "joint-venture",
        "symmetric",
        _w(
            "coentreprise",
            "co-entreprise",
            "joint-venture",
            "joint venture",
            "entreprise commune",
            "société commune",
        ),
        False,
    ),
    (
        "partnership",
        "symmetric",
        _w(
            "partenariat",
            "collaboration",
            "collabore",
            "collaborer",
            "coopération",
            "coopérer",
            r"s['’]associe",
            r"s['’]associent",
            "alliance",
            r"s['’]allie",
            r"s['’]allient",
            "travailler ensemble",
            "main dans la main",
            "partenaire",
            "codévelopper",
        ),
        False,
    ),
    (
        "supply",
        "active",
        _w(
            r"contrat d['’]approvisionnement",
            "contrat de fourniture",
            "fournira",
            "fournir",
            "commande",
            r"accord d['’]approvisionnement",
            "fonderie",
            "fournisseur",
            "décroche un contrat",
            "remporte un contrat",
        ),
        True,
    ),
    # a cross-licence binds both sides: the pair named around it are the parties
    ("licensing", "symmetric", _w("licences croisées", "licence croisée"), False),
    (
        "licensing",
        "active",
        _w("licence", "licences croisées", "accord de licence", "licences"),
        False,
    ),
    (
        "divestiture",
        "active",
        _w(
            "cède",
            "cèdent",
            "cession",
            "vend",
            "vendre",
            "scission",
            "se sépare de",
            "se défait de",
        ),
        True,
    ),
]
_ES: list[_RawTrigger] = [
    ("acquisition", "passive", _w(r"(?:adquirid[ao]s?|comprad[ao]s?) por"), False),
    (
        "acquisition",
        "active",
        _w(
            "adquiere",
            "adquirir",
            "adquisición",
            "adquirió",
            "adquirirá",
            "toma el control",
            "absorbe",
            "absorberá",
            "OPA",
        ),
        False,
    ),
    ("acquisition", "active", _w("compra", "comprar", "compró", "comprará"), True),
    (
        "merger",
        "symmetric",
        _w("fusión", "fusionar", "se fusionan", "fusionarán", "fusionarse"),
        False,
    ),
    (
        "stake",
        "active",
        _w(
            "participación",
            "entra en el capital",
            r"invierte(?: [^!?。\n]{0,30})? en",
            "toma una participación",
        ),
        True,
    ),
    (
        "funding",
        "active",
        _w(
            "ronda de financiación",
            "ronda de financiamiento",
            "recauda",
            "levanta",
            r"serie [a-f]",
            "ronda",
            "capta",
        ),
        False,
    ),
    (
        "joint-venture",
        "symmetric",
        _w("empresa conjunta", "joint venture", "empresa mixta", "sociedad conjunta"),
        False,
    ),
    (
        "partnership",
        "symmetric",
        _w(
            "alianza",
            "asociación",
            "colaboración",
            "colaborar",
            "colaboran",
            "colaborarán",
            "cooperación",
            "cooperar",
            "se alía",
            "se alían",
            "se asocia",
            "se asocian",
            "trabajarán juntos",
            "trabajar juntos",
            "desarrollarán conjuntamente",
            "socio",
            "socios",
        ),
        False,
    ),
    (
        "supply",
        "active",
        _w(
            "contrato de suministro",
            "suministrará",
            "suministrar",
            "suministro",
            "acuerdo de suministro",
            "pedido",
            "encargo",
            "proveedor",
        ),
        True,
    ),
    # a cross-licence binds both sides: the pair named around it are the parties
    ("licensing", "symmetric", _w("licencias cruzadas", "licencia cruzada"), False),
    (
        "licensing",
        "active",
        _w("licencia", "licencias cruzadas", "acuerdo de licencia", "licencias"),
        False,
    ),
    (
        "divestiture",
        "active",
        _w(
            "vende",
            "venta de",
            "vender",
            "vendió",
            "venderá",
            "desinversión",
            "escisión",
            "se desprende",
            "se deshace",
        ),
        True,
    ),
]
_ZH: list[_RawTrigger] = [
    ("acquisition", "inner", r"被(?P<inner>.{1,20}?)(?:收购|收購|并购|併購|买下|買下)", False),
    (
        "acquisition",
        "active",
        _any(
            "收购",
            "收購",
            "并购",
            "併購",
            "买下",
            "買下",
            "购入",
            "購入",
            "吞并",
            "吞併",
            "入主",
            "全资子公司",
            "全資子公司",
        ),
        False,
    ),
    ("merger", "symmetric", _any("合并", "合併", "重组", "重組"), False),
    (
        "stake",
        "active",
        _any(
            "入股",
            "参股",
            "參股",
            "持股",
            "股份",
            "股权",
            "股權",
            "注资",
            "注資",
            "战略投资",
            "戰略投資",
            "投资",
            "投資",
        ),
        True,
    ),
    (
        "funding",
        "active",
        _any(
            "融资", "融資", "轮融资", "輪融資", "募资", "募資", "天使轮", "Pre-A轮", r"[A-F]\+?轮"
        ),
        False,
    ),
    (
        "joint-venture",
        "symmetric",
        _any("合资", "合資", "共同出资成立", "共同出資成立", "成立.{0,6}公司"),
        False,
    ),
    (
        "partnership",
        "symmetric",
        _any(
            "合作",
            "携手",
            "攜手",
            "联手",
            "聯手",
            "结盟",
            "結盟",
            "联合开发",
            "聯合開發",
            "共同开发",
            "共同開發",
            "伙伴",
            "夥伴",
            "牵手",
            "牽手",
        ),
        False,
    ),
    (
        "supply",
        "active",
        _any(
            "供货",
            "供貨",
            "供应",
            "供應",
            "订单",
            "訂單",
            "代工",
            "采购协议",
            "採購協議",
            "大单",
            "大單",
            "配套",
        ),
        True,
    ),
    # a cross-licence binds both sides: the pair named around it are the parties
    ("licensing", "symmetric", _any("交叉许可", "交叉授權", "交叉授权", "交叉許可"), False),
    (
        "licensing",
        "active",
        _any(
            "专利许可",
            "專利授權",
            "专利授权",
            "授权",
            "授權",
            "许可协议",
            "許可協議",
            "交叉许可",
            "交叉授權",
        ),
        False,
    ),
    (
        "divestiture",
        "active",
        _any("出售", "剥离", "剝離", "分拆", "卖掉", "賣掉", "转让", "轉讓", "出让", "出讓"),
        True,
    ),
]
_JA: list[_RawTrigger] = [
    ("acquisition", "sov-passive", _any("に買収され", "に買収さ", "の傘下に入"), False),
    (
        "acquisition",
        "sov",
        _any("買収", "傘下に", "子会社化", "完全子会社", "TOB", "株式公開買い付け", "買い取"),
        False,
    ),
    ("merger", "symmetric", _any("合併", "経営統合", "統合"), False),
    (
        "stake",
        "sov",
        _any("出資", "資本参加", "株式を取得", "持ち分", "株を取得", "資本業務提携"),
        True,
    ),
    ("funding", "sov", _any("資金調達", "シリーズ[A-F]", "第三者割当増資"), False),
    ("joint-venture", "symmetric", _any("合弁", "共同出資会社", "共同出資で新会社"), False),
    (
        "partnership",
        "symmetric",
        _any("提携", "協業", "協力", "連携", "共同開発", "パートナーシップ", "手を組", "タッグ"),
        False,
    ),
    (
        "supply",
        "sov",
        _any("供給", "受注", "納入", "調達契約", "量産契約", "製造委託", "生産委託"),
        True,
    ),
    ("licensing", "sov", _any("ライセンス", "特許契約", "クロスライセンス", "実施許諾"), False),
    ("divestiture", "sov", _any("売却", "譲渡", "分社", "切り離", "カーブアウト"), True),
]
_KO: list[_RawTrigger] = [
    (
        "acquisition",
        "sov-passive",
        _any(r"에\s?인수되", r"에\s?인수됐", r"에\s?인수된", r"에\s?팔려"),
        False,
    ),
    ("acquisition", "sov", _any("인수", "매입", "사들", "경영권"), False),
    ("merger", "symmetric", _any("합병", "통합"), False),
    ("stake", "sov", _any("지분", "투자"), True),
    ("funding", "sov", _any(r"투자\s?유치", r"시리즈\s?[A-F]", "펀딩", r"자금\s?조달"), False),
    (
        "joint-venture",
        "symmetric",
        _any("합작법인", "합작사", "합작회사", "조인트벤처", "합작"),
        False,
    ),
    (
        "partnership",
        "symmetric",
        _any(
            "협력",
            "제휴",
            "협업",
            "맞손",
            "손잡",
            r"손을\s?잡",
            "파트너십",
            r"공동\s?개발",
            "동맹",
            "MOU",
            "업무협약",
            "양해각서",
        ),
        False,
    ),
    ("supply", "sov", _any("공급", "수주", "납품", "위탁생산", "파운드리 계약"), True),
    ("licensing", "sov", _any("라이선스", "라이센스", r"특허\s?계약", "크로스 라이선스"), False),
    ("divestiture", "sov", _any("매각", "분사", "물적분할", "처분"), True),
]
_RU: list[_RawTrigger] = [
    (
        "acquisition",
        "passive",
        _any(
            r"\b(?:приобретен[аоы]?|куплен[аоы]?|поглощен[аоы]?)\b"
            r"(?=[^!?。\n]{0,20}\b(?:компанией|группой|со стороны))"
        ),
        False,
    ),
    (
        "acquisition",
        "active",
        _any(
            r"\bприобрет(?:ает|ёт|ет|ут|ения|ение|ению|ении)\b",
            r"\bприобрел[аои]?\b",
            r"\bпоглощени",
            r"\bпоглот(?:ит|ил|ила)\b",
            r"\bвыкуп(?:ает|ил|ила|ит)\b",
            r"\bсделк[аиуеой] по покупке",
        ),
        False,
    ),
    (
        "acquisition",
        "active",
        _any(r"\bпокупает\b", r"\bкупил[аи]?\b", r"\bкупит\b", r"\bпокупк[аиуеой]\b"),
        True,
    ),
    ("merger", "symmetric", _any(r"\bслияни", r"\bобъедин(?:ятся|ение|ились|яются)\b"), False),
    (
        "stake",
        "active",
        _any(
            r"\bдол[юяи]\b",
            r"\bпакет акций",
            r"\bминоритарн",
            r"\bинвестир\w*\b[^!?。\n]{0,30}\bв\b",
        ),
        True,
    ),
    (
        "funding",
        "active",
        _any(r"\bпривлекл[аи]\b", r"\bпривлек\b", r"\bраунд", r"\bинвестиций от\b"),
        False,
    ),
    (
        "joint-venture",
        "symmetric",
        _any(r"\bсовместное предприятие", r"\bсовместного предприятия", r"\bСП\b"),
        False,
    ),
    (
        "partnership",
        "symmetric",
        _any(
            r"\bпартн[её]рств",
            r"\bсотруднич",
            r"\bкооперац",
            r"\bальянс",
            r"\bсовместн\w* разработк",
            r"\bобъединяют усилия",
            r"\bпартн[её]р",
        ),
        False,
    ),
    (
        "supply",
        "active",
        _any(r"\bпоставк", r"\bпоставлят", r"\bпоставит\b", r"\bконтракт на поставку", r"\bзаказ"),
        True,
    ),
    ("licensing", "active", _any(r"\bлицензи"), False),
    (
        "divestiture",
        "active",
        _any(r"\bпрода(?:ет|ёт|ст|л|ла|ли|жа)\b", r"\bпродаж[аеу]\b", r"\bотчужд", r"\bвыделени"),
        True,
    ),
]

# More triggers, by language (same form as the tables above).
_MORE_TRIGGERS: dict[str, list[_RawTrigger]] = {
    "en": [
        (
            "joint-venture",
            "symmetric",
            _w(
                r"new (?:company|entity)",
                "jointly owned",
                "combine their (?:businesses|units|operations)",
            ),
            False,
        ),
        (
            "divestiture",
            "active",
            _w(
                r"(?:explores?|exploring|weighs?|considers?|mulls?) (?:a |an |its )?sale",
                r"put (?:up )?for sale",
                "sale process",
            ),
            False,
        ),
        (
            "acquisition",
            "active",
            _w(
                r"(?:takeover |tender |cash |all-cash |buyout )?offer for",
                r"bid for",
                r"tender offer",
            ),
            True,
        ),
        ("stake", "active", _w(r"slice of", r"share in"), True),
    ],
    "de": [
        (
            "joint-venture",
            "symmetric",
            _any(r"\bneue Gesellschaft", r"\bgemeinsame Gesellschaft", r"\bgemeinsame Firma"),
            False,
        ),
        (
            "acquisition",
            "passive",
            _any(r"\bgeht an\b", r"\bgehen an\b", r"\bwird Teil von"),
            False,
        ),
        ("stake", "active", _any(r"\bEinstieg\b", r"\bsteigt\b.{0,40}\bein\b"), True),
        ("partnership", "symmetric", _any(r"\bbaut mit\b", r"\bbauen gemeinsam"), False),
    ],
    "fr": [
        (
            "joint-venture",
            "symmetric",
            _w(
                "nouvelle société",
                "nouvelle entité",
                "société commune",
                "regrouper leurs activités",
            ),
            False,
        ),
        (
            "stake",
            "active",
            _w(r"entrer au capital", r"entrée au capital", r"monte au capital"),
            True,
        ),
        (
            "partnership",
            "symmetric",
            _w(r"partage de réseau", "mutualisation", "mutualiser"),
            False,
        ),
    ],
    "es": [
        (
            "joint-venture",
            "symmetric",
            _w("nueva sociedad", "nueva empresa", "sociedad conjunta"),
            False,
        ),
        (
            "stake",
            "active",
            _w(
                r"entrar en el capital",
                r"(?:\d+(?:,\d+)? ?%|participación) del capital",
                r"irrumpe en",
            ),
            True,
        ),
        ("funding", "active", _w("captar", "captó", "capta", "levantó"), False),
    ],
    "zh": [("stake", "active", _any("战略投资", "戰略投資", "投资入股", "投資入股"), False)],
    "ja": [
        (
            "funding",
            "sov",
            _any(
                "調達",
            ),
            False,
        )
    ],
    "ko": [("stake", "sov", _any(r"지분\s?투자", "지분을 인수", "지분 인수"), True)],
    "ru": [
        (
            "acquisition",
            "active",
            _any(r"\bкупить\b", r"\bприобрести\b", r"\bкупила\b", r"\bприобрела\b"),
            True,
        ),
        (
            "stake",
            "active",
            _any(
                r"\bвош[её]л в капитал",
                r"\bвойти в капитал",
                r"\bвходит в капитал",
                r"\bблокирующ\w* пакет",
            ),
            True,
        ),
        (
            "funding",
            "active",
            _any(r"\bпривлечь\b", r"\bпривлекает\b", r"\bполучить\b[^!?。\n]{0,40}\bот\b"),
            False,
        ),
    ],
}
# Funding told with a verb ("raises", "lève", "привлек") needs the figure raised; a round
# named as such ("Series B", "B轮融资", "раунд") does not.
FUNDING_VERB = regex.compile(
    r"rais|sammel|lève|lever|levé|recaud|levant|capt|привлек|привлеч|получить|調達|募资|募資",
    regex.IGNORECASE,
)

_STAGES: dict[str, dict[Stage, str]] = {
    "en": {
        "cancelled": _w(
            r"call(?:ed|s|ing)? off",
            r"scrap(?:ped|s|ping)?",
            r"abandon(?:ed|s|ing)?",
            r"terminat(?:ed|es|ing)",
            r"walk(?:ed|s)? away",
            r"block(?:ed|s)",
            "collapsed",
            "fell through",
            r"cancel(?:led|ed|s)",
            r"den(?:ied|ies|y)",
            r"withdr(?:ew|awn)",
            "rejected",
            r"ends? talks",
            "ended talks",
            "dropped",
            "pulled out",
            "rules out",
        ),
        "completed": r"(?<!\b(?:to be|will be|expected to be|would be)\s)"
        + _w(
            "completed",
            "completes",
            r"closed (?:the|its)",
            r"closes (?:the|its)",
            "finalized",
            "finalised",
            "finalizes",
            "finalises",
            "wrapped up",
            "now owns",
            "has closed",
            "completion of",
        ),
        "approved": r"(?<!\b(?:not|yet to be|be|awaits|awaiting|pending|needs?|requires?"
        r"|seeks?|seeking)\s)"
        + _w(
            r"approv(?:ed|es)",
            "cleared",
            "clears",
            "green light",
            "greenlight",
            r"gave (?:the )?nod",
            r"(?:wins?|won|received|secured|gets?|got)"
            r" (?:regulatory |antitrust |shareholder )?approval",
        ),
        "agreed": _w(
            "agreed",
            "agrees",
            "signed",
            "signs",
            "inked",
            "inks",
            "definitive agreement",
            r"strikes? (?:a )?deal",
            "struck a deal",
            "clinched",
            r"wins? (?:an? )?(?:\S+ )?order",
            r"won (?:an? )?(?:\S+ )?(?:order|contract)",
            "sealed",
        ),
        "talks": _w(
            "in talks",
            r"talks (?:with|to|about|over|on)",
            r"negotiat\w*",
            "in discussions",
            r"discuss(?:ing|ed|es)?",
            r"met (?:with|in|to)",
            "held talks",
            "exclusive talks",
            "advanced talks",
            "early talks",
            "merger talks",
            "takeover talks",
            "in negotiations",
        ),
        "rumoured": _w(
            "reportedly",
            r"reported(?:ly)? to",
            r"according to (?:people|sources|a report|reports|media)",
            r"sources? (?:say|said|familiar)",
            "people familiar",
            "is said to",
            "are said to",
            r"consider(?:s|ing)?",
            r"weigh(?:s|ing)",
            r"explor(?:es|ing)",
            r"mull(?:s|ing)?",
            "could",
            "might",
            "may",
            r"eyes",
            "eyeing",
            r"rumou?r\w*",
            r"speculat\w*",
            "potential",
            "possible",
            r"plans? to",
            "planning to",
            "interested in",
            "approach(?:ed)?",
        ),
    },
    "de": {
        "cancelled": _any(
            r"\babgesagt",
            r"\bgeplatzt",
            r"\bgescheitert",
            r"\babgebrochen",
            r"\buntersagt",
            r"\bblockiert",
            r"\bverboten",
            r"\bzurückgezogen",
            r"\bdementiert",
            r"\babgeblasen",
            r"\bbeendet\b",
            r"\bgestoppt",
            r"\bverzichtet",
        ),
        "completed": _any(
            r"(?<!\bsoll\s)\babgeschlossen\b(?!\s+werden)",
            r"\bvollzogen",
            r"\bkomplett übernommen",
            r"\bvollständig übernommen",
            r"\bAbschluss der Übernahme",
        ),
        "approved": _any(
            r"(?<!\bnoch nicht\s)\bgenehmigt",
            r"\bgrünes Licht",
            r"\bfreigegeben",
            r"\bgebilligt",
            r"\bstimmt(?:en)? zu\b",
            r"\bzugestimmt",
            r"\bFreigabe erteilt",
            r"\bsegnet\b[^!?。\n]{0,30}\bab\b",
        ),
        "agreed": _any(
            r"\bunterzeichne",
            r"\bunterschrieben",
            r"\bunterschreiben",
            r"\bvereinbart",
            r"\beinigten sich",
            r"\bhaben sich geeinigt",
            r"\bbesiegelt",
            r"\bEinigung",
        ),
        "talks": _any(
            r"\bGespräch",
            r"\bverhandel",
            r"\bVerhandlung",
            r"\bsprechen\b",
            r"\bbesprechen",
            r"\btrafen sich",
            r"\bgetroffen",
            r"\bTreffen\b",
            r"\bberaten",
            r"\bdiskutier",
        ),
        "rumoured": _any(
            r"\bkönnte",
            r"\bsoll(?:en)?\b",
            r"\bangeblich",
            r"\bBerichten zufolge",
            r"\blaut\b[^!?。\n]{0,30}\b(?:Insidern|Kreisen|Bericht|Berichten|Medien)",
            r"\bInsider",
            r"\berwäg",
            r"\bprüf(?:t|en)\b",
            r"\bdenkt\b[^!?。\n]{0,30}\bnach",
            r"\bGerücht",
            r"\bspekuliert",
            r"\bmöglicherweise",
            r"\boffenbar",
            r"\bplan(?:t|en)\b",
            r"\bInteresse an",
        ),
    },
    "fr": {
        "cancelled": _w(
            "annulé",
            "annule",
            "abandonné",
            "abandonne",
            "renonce",
            "renoncé",
            "bloqué",
            "bloque",
            "interdit",
            "rompu",
            "rompt",
            "échoué",
            "échoue",
            "démenti",
            "dément",
            "retire",
        ),
        "completed": _w(
            "finalisé",
            "finalise",
            "bouclé",
            "boucle",
            "achevé",
            "a finalisé",
            "finalisation",
            "a conclu le rachat",
            "détient désormais",
        ),
        "approved": r"(?<!\bpas\s)"
        + _w("approuvé", "approuve", "autorisé", "autorise", "feu vert", "validé", "valide"),
        "agreed": _w(
            "a signé",
            "signe",
            "signé",
            "signent",
            "conclu",
            "conclut",
            "accord définitif",
            "sont parvenus à un accord",
            "scellé",
        ),
        "talks": _w(
            r"négoci\w*",
            "discussions",
            "pourparlers",
            "discuter",
            "discutent",
            "se sont rencontrés",
            "rencontre",
            "échanges",
        ),
        "rumoured": _w(
            "pourrait",
            "pourraient",
            "selon des sources",
            r"selon (?:Bloomberg|Reuters|la presse|des informations|plusieurs médias)",
            "envisage",
            "envisagent",
            "étudie",
            "réfléchit",
            "serait",
            "seraient",
            "aurait",
            "auraient",
            r"rumeurs?",
            "potentiel",
            "éventuel",
            "intéressé",
        ),
    },
    "es": {
        "cancelled": _w(
            r"cancel\w*",
            "abandona",
            "abandonó",
            "bloquea",
            "bloqueó",
            "rompe",
            "rompió",
            "fracasó",
            "desmiente",
            "desmintió",
            "renuncia",
            "renunció",
            "retira",
            "veta",
            "vetó",
        ),
        "completed": _w(
            "completó",
            "completa",
            "completado",
            "cierra la compra",
            "cerró la compra",
            "culminó",
            "finalizó",
            "concluyó",
            "ha completado",
            "cerró la adquisición",
        ),
        "approved": r"(?<!\bno\s)"
        + _w(
            "aprobó",
            "aprueba",
            "aprobado",
            "aprueban",
            "autoriza",
            "autorizó",
            "luz verde",
            "visto bueno",
        ),
        "agreed": _w(
            "firmó",
            "firma",
            "firmado",
            "firman",
            "acuerdan",
            "acordó",
            "acordaron",
            "pactan",
            "pactó",
            "cerró un acuerdo",
            "alcanzan un acuerdo",
            "sellan",
        ),
        "talks": _w(
            r"negocia\w*",
            "conversaciones",
            "conversan",
            "discutir",
            "se reunieron",
            "reunión",
            "diálogo",
        ),
        "rumoured": _w(
            "podría",
            "podrían",
            "según fuentes",
            r"según (?:Bloomberg|Reuters|informes|medios)",
            "estudia",
            "considera",
            "planea",
            "estaría",
            "estarían",
            "habría",
            "habrían",
            r"rumores?",
            "posible",
            "interesada",
            "sopesa",
        ),
    },
    "zh": {
        "cancelled": _any(
            "终止",
            "終止",
            "取消",
            "放弃",
            "放棄",
            "叫停",
            "告吹",
            "否认",
            "否認",
            "撤回",
            "破裂",
            "未获批准",
            "未獲批准",
            "驳回",
            "駁回",
        ),
        "completed": _any(
            "完成收购",
            "完成收購",
            "完成交割",
            "交割完成",
            "正式完成",
            "已完成",
            "收购完成",
            "收購完成",
            "完成合并",
            "完成合併",
        ),
        "approved": _any(r"(?<!未|待|尚未|尚需|需)(?:批准|获批|獲批|核准|放行|通过审查|通過審查)"),
        "agreed": _any(
            "签署",
            "簽署",
            "签约",
            "簽約",
            "达成协议",
            "達成協議",
            "达成",
            "達成",
            "敲定",
            "签订",
            "簽訂",
        ),
        "talks": _any(
            "谈判",
            "談判",
            "洽谈",
            "洽談",
            "磋商",
            "商谈",
            "商談",
            "会谈",
            "會談",
            "讨论",
            "討論",
            "接洽",
            "会面",
            "會面",
            "会晤",
            "會晤",
        ),
        "rumoured": _any(
            "据报道",
            "據報導",
            "据悉",
            "據悉",
            "传闻",
            "傳聞",
            "消息人士",
            "知情人士",
            "或将",
            "或將",
            "可能",
            "考虑",
            "考慮",
            "有意",
            "计划",
            "計劃",
            "传出",
            "傳出",
        ),
    },
    "ja": {
        "cancelled": _any("中止", "断念", "撤回", "白紙", "否定", "破談", "打ち切", "見送"),
        "completed": _any("完了", "手続きを終え", "子会社となった"),
        "approved": _any(r"(?<!の)承認(?!待ち|を待)", "認可", "許可"),
        "agreed": _any("合意", "締結", "契約を結", "決定", "決めた", "調印"),
        "talks": _any("協議", "交渉", "話し合", "会談"),
        "rumoured": _any(
            "検討", "方針", "関係者によると", "模様", "可能性", "見通し", "意向", "報じ", "打診"
        ),
    },
    "ko": {
        "cancelled": _any("무산", "철회", "취소", "중단", "결렬", "부인", "백지화", "불허", "포기"),
        "completed": _any("완료", "마무리", "마쳤"),
        "approved": _any(
            r"승인(?:했|을 받았|받았|을 얻|을 획득|이 났)",
            "허가했",
            "인가",
            r"승인\s?획득",
            "통과했",
        ),
        "agreed": _any("체결", "합의", "서명", "확정", "계약을 맺"),
        "talks": _any("협상", "협의", "논의", "회동", "만나", "대화", "만났"),
        "rumoured": _any(
            "검토",
            "추진",
            "전망",
            "관측",
            "가능성",
            "업계에 따르면",
            "알려졌",
            "타진",
            "저울질",
            "설이",
        ),
    },
    "ru": {
        "cancelled": _any(
            r"\bотказал",
            r"\bотменил",
            r"\bсорвал",
            r"\bзаблокировал",
            r"\bзапретил",
            r"\bпрекратил",
            r"\bопроверг",
            r"\bотозвал",
            r"\bвышел из сделки",
        ),
        "completed": _any(r"\bзавершил", r"\bзакрыл[аи]? сделку", r"\bзавершение сделки"),
        "approved": _any(
            r"(?<!\bне\s)\bодобрил", r"\bодобрение получено", r"\bразрешил", r"\bсогласовал"
        ),
        "agreed": _any(r"\bподписал", r"\bдоговорил", r"\bзаключил", r"\bсоглашение о"),
        "talks": _any(r"\bпереговор", r"\bобсужда", r"\bвстретились", r"\bвстреч"),
        "rumoured": _any(
            r"\bможет\b",
            r"\bмогут\b",
            r"\bпо данным\b",
            r"\bпо информации\b",
            r"\bисточник",
            r"\bрассматривает",
            r"\bпланирует",
            r"\bнамерен",
            r"\bслух",
            r"\bвероятно",
            r"\bвозможно",
            r"\bякобы",
            r"\bмогла\b",
        ),
    },
}

# More stage cues: denials, ventures set up, tender offers that succeeded, hedged headlines.
_MORE_STAGES: dict[str, dict[Stage, str]] = {
    "en": {
        "cancelled": _w(
            "cancel",
            "to cancel",
            "no plans",
            "not in talks",
            "denied",
            "denies",
            "has no intention",
            "unfounded",
        ),
        "completed": _w(
            "officially launched",
            "formally established",
            "began operations",
            "now a unit of",
            "has acquired",
            "have merged",
            "has been acquired",
            "was acquired",
            r"(?:deal|transaction|acquisition|purchase|sale) (?:has )?closed",
        ),
        "rumoured": r"[-–:]\s*(?:report|reports|sources?|media)\s*$|"
        + _w("set to", "eyes", "weighs"),
    },
    "de": {
        "cancelled": _any(r"\bweist\b.{0,40}\bzurück", r"\bkein Interesse", r"\bnicht zustande"),
        "rumoured": _any(r"\bBericht zufolge", r"\bdenk\w*\b.{0,40}\bnach\b", r"\bnachdenken"),
        "completed": _any(
            r"\bgegründet",
            r"\bnimmt\b.{0,30}\bBetrieb auf",
            r"\bist nun Teil",
            r"\bwurde\b.{0,40}\bübernommen",
            r"\bgehört nun",
            r"\bhat\b.{0,40}\bübernommen",
        ),
    },
    "fr": {
        "cancelled": _w(
            r"tombe à l['’]eau", "renoncent", "jette l'éponge", "n'est pas en discussion"
        ),
        "completed": _w(
            "a finalisé",
            "a bouclé",
            "bouclent",
            "est désormais",
            "a été créée",
            "a racheté",
            "a acquis",
            "a été rachetée?",
        ),
    },
    "es": {
        "cancelled": _w(
            "niega", "negó", r"no (?:está|están) en negociaciones", "descarta", "descartó"
        ),
        "completed": _w(
            "culmina",
            "ha cerrado la compra",
            "ya es",
            "se constituyó",
            "ha adquirido",
            "fue adquirida",
            "fue adquirido",
        ),
    },
    "zh": {
        "cancelled": _any(
            "无此计划",
            "無此計畫",
            "并无此事",
            "並無此事",
            "子虚乌有",
            "不实",
            "不實",
            "暂无",
            "暫無",
        ),
        "rumoured": _any(
            r"(?:^|[\s，、])[传傳](?=\p{Han})",
            "供应链消息",
            "供應鏈消息",
            "据了解",
            "據了解",
            "市场传出",
            "市場傳出",
        ),
        "completed": _any(
            "正式成立",
            "已成立",
            "揭牌",
            "完成.{0,12}融资",
            "完成.{0,12}融資",
            "过户",
            "完成工商变更",
            "完成工商變更",
            "唯一股东",
            "唯一股東",
            "過戶",
            "完成.{0,6}收购",
            "完成.{0,6}收購",
        ),
    },
    "ja": {
        "cancelled": _any("事実はない", "事実はありません", "事実はございません"),
        "completed": _any("設立した", "発足", "TOB成立", "TOBが成立", "上場廃止", "傘下に入った"),
        "talks": _any("最終調整", "詰め"),
    },
    "ko": {
        "cancelled": _any("적 없다", "적이 없다", "사실무근", "사실이 아니"),
        "completed": _any("출범", "설립했다", "인수했다", "품에 안"),
    },
    "ru": {
        "cancelled": _any(r"\bне разрешил", r"\bне одобрил", r"\bотказалась от"),
        "completed": _any(
            r"\bвош[её]л в капитал",
            r"\bстал[аи]? владельцем",
            r"\bзавершен[аы]?\b",
            r"\bкупил[аи]?\b",
            r"\bприобрел[аи]?\b",
        ),
    },
}
# A board that approves decides: that is agreed, not approved by a regulator.
BOARD = regex.compile(
    r"(?:\bboard\b|\bVorstand|\bAufsichtsrat|conseil d['’]administration|\bconsejo\b|董事會|董事会"
    r"|取締役会|이사회|совет директоров)[^.。]{0,30}$",
    regex.IGNORECASE,
)

_NOT_DEAL = {
    "en": _w(
        "buy ?backs?",
        "buy back",
        "buying back",
        "share repurchases?",
        "repurchase",
        "own plant",
        "new plant",
        "new factory",
        "buy(?:s|ing)? (?:land|a site|property)",
        "sells? out",
        "sold out",
        "best-selling",
        "units sold",
        "sales of",
    ),
    "de": _any(
        r"\bAktienrückkauf",
        r"\bRückkauf",
        r"\bkauft\b[^!?。\n]{0,40}\bzurück",
        r"\bausverkauft",
        r"\bverkaufte Einheiten",
        r"\bverkauften\b",
    ),
    "fr": _w(
        "rachat d'actions", "rachat de ses propres actions", "rachète ses propres actions", "épuisé"
    ),
    "es": _w("recompra", "agotado"),
    "zh": _any("回购", "回購", "销量", "銷量", "售罄"),
    "ja": _any("自社株買い", "自己株式の取得", "販売台数", "完売"),
    "ko": _any("자사주", "판매량", "완판"),
    "ru": _any(r"\bобратный выкуп", r"\bвыкуп акций", r"\bпродажи смартфонов", r"\bраспродан"),
}
# A sentence about buying back own shares holds no deal, whatever else it says.
_BUYBACK = {
    "en": _w(
        "buy ?backs?", "buy back", "buying back", r"share repurchases?", "repurchase", "dividend"
    ),
    "de": _any(r"\bAktienrückkauf", r"\bRückkauf", r"\bkauft\b.{0,40}\bzurück", r"\bDividende"),
    "fr": _any(r"\brachat d['’]actions", r"\brachat de (?:ses )?propres actions", r"\bdividende"),
    "es": _any(r"\brecompra", r"\bdividendo"),
    "zh": _any("回购", "回購", "买回", "買回", "库存股", "庫藏股", "股息", "分红"),
    "ja": _any("自社株買い", "自己株式", "配当"),
    "ko": _any("자사주", "배당"),
    "ru": _any(r"\bобратный выкуп", r"\bвыкуп акций", r"\bдивиденд"),
}
# Lawsuits name patents and licences without a licence deal, unless they settle.
_DISPUTE = {
    "en": _w(
        "sues", "sued", "lawsuit", "jury", "verdict", r"infring\w*", "court", "complaint", "damages"
    ),
    "de": _any(r"\bverklagt", r"\bKlage", r"\bPatentverletzung", r"\bGericht", r"\bSchadenersatz"),
    "fr": _any(r"\bpoursuit", r"\bplainte", r"\bprocès", r"\bcontrefaçon", r"\btribunal"),
    "es": _any(r"\bdemanda", r"\bjuicio", r"\binfracción", r"\btribunal"),
    "zh": _any("起诉", "起訴", "诉讼", "訴訟", "侵权", "侵權", "法院", "判决", "判決"),
    "ja": _any("提訴", "訴訟", "侵害", "裁判"),
    "ko": _any("소송", "침해", "제소", "법원", "판결"),
    "ru": _any(r"\bиск", r"\bсуд", r"\bнарушени"),
}
_SETTLE = {
    "en": _w("settle", "settles", "settled", "settlement"),
    "de": _any(r"\bbeigelegt", r"\bEinigung", r"\bVergleich", r"\beinigen sich"),
    "fr": _any(r"\baccord", r"\bhache de guerre", r"\brègle"),
    "es": _any(r"\bacuerdo", r"\bresuelven"),
    "zh": _any("和解", "达成协议", "達成協議"),
    "ja": _any(
        "和解",
    ),
    "ko": _any("합의", "화해"),
    "ru": _any(r"\bмиров", r"\bурегулир"),
}

# Words that say a figure is what the deal costs or is worth: their sentences hold amounts.
_PRICE = {
    "en": _w(
        "transaction",
        "deal",
        "investment",
        "price",
        "value",
        "worth",
        "consideration",
        "offer",
        r"(?:break|termination|breakup) fee",
        "paid",
        "pay",
        "tranche",
    ),
    "de": _any(
        r"\bAngebot",
        r"\bKaufpreis",
        r"\bPreis",
        r"\bVolumen",
        r"\bTransaktion",
        r"\bDeal",
        r"\bInvestition",
        r"\bEngagement",
        r"\bzahlt",
        r"\bKosten",
    ),
    "fr": _w(
        "montant", "prix", "opération", "transaction", r"valoris\w*", "investissement", "payer"
    ),
    "es": _w(
        "importe", "precio", "operación", r"valorad[ao]", "inversión", "transacción", "pagará"
    ),
    "zh": _any(
        "交易",
        "金额",
        "金額",
        "价格",
        "價格",
        "对价",
        "對價",
        "作价",
        "作價",
        "规模",
        "規模",
        "投资",
        "投資",
        "终止费",
        "終止費",
        "分手费",
    ),
    "ja": _any("金額", "総額", "規模", "買収額", "出資額", "投資", "価格"),
    "ko": _any("금액", "규모", "투자", "인수가"),
    "ru": _any(r"\bсумм", r"\bстоимост", r"\bсделк", r"\bвложени", r"\bобойт", r"\bинвестиц"),
}

_NOT_PRICE = {
    "en": _w(
        "revenue",
        "revenues",
        "sales",
        "profit",
        "profits",
        "income",
        "earnings",
        "market value",
        "market cap",
        "market capitalization",
        "valuation",
        "valued",
        "turnover",
        "loss",
        "losses",
        "capex",
        "spending",
        "worth of shares",
        "per share",
        "a share",
        "debt",
        "cash",
    ),
    "de": _any(
        r"\bUmsatz",
        r"\bUmsätze",
        r"\bGewinn",
        r"\bErlös",
        r"\bBörsenwert",
        r"\bMarktwert",
        r"\bBewertung",
        r"\bbewertet",
        r"\bVerlust",
        r"\bje Aktie",
        r"\bpro Aktie",
        r"\bErgebnis",
        r"\bMarktkapitalisierung",
        r"\bSchulden",
    ),
    "fr": _w(
        "chiffre d'affaires",
        "bénéfice",
        "bénéfices",
        "revenus",
        "valorisation",
        "valorisée",
        "capitalisation",
        "perte",
        "pertes",
        "par action",
        "ventes",
    ),
    "es": _w(
        "ingresos",
        "beneficio",
        "beneficios",
        "ventas",
        "facturación",
        "valoración",
        "capitalización",
        "pérdidas",
        "por acción",
    ),
    "zh": _any(
        "营收",
        "營收",
        "营业收入",
        "營業收入",
        "收入",
        "利润",
        "利潤",
        "净利",
        "淨利",
        "市值",
        "估值",
        "销售额",
        "銷售額",
        "亏损",
        "虧損",
        "每股",
    ),
    "ja": _any(
        "売上", "売り上げ", "利益", "時価総額", "評価額", "赤字", "1株", "累計", "負債", "賠償"
    ),
    "ko": _any(
        "매출", "영업이익", "순이익", "시가총액", "기업가치", "적자", "주당", "부채", "배상"
    ),
    "ru": _any(
        r"\bвыручк",
        r"\bприбыл",
        r"\bкапитализац",
        r"\bоценк",
        r"\bубыт",
        r"\bза акцию",
        r"\bоборот",
        r"\bдолг",
        r"\bущерб",
    ),
}
# More words that make a stake control (an acquisition).
_MORE_CONTROL = {"zh": _any("整体收购", "整體收購", "全面收购", "全面收購", "全资", "全資")}
_MORE_NOT_PRICE = {
    "en": _w(
        "damages",
        "claimed",
        "gain",
        "fiscal year",
        "financial year",
        "cumulative",
        r"subsid\w*",
        "state aid",
        r"analysts?",
        r"values? (?:\S+ ){0,3}at",
        "since its founding",
        "to date",
        "so far",
        "in total",
    ),
    "de": _any(r"\bSchadenersatz", r"\bGeschäftsjahr", r"\bSubvention", r"\bFörder", r"\bAnalyst"),
    "fr": _w(
        "dette",
        "dommages",
        "exercice",
        r"subvention\w*",
        "aides? d'État",
        r"analystes?",
        "vaut",
        "depuis sa création",
        "depuis sa fondation",
        "valant",
        "vaudrait",
    ),
    "es": _w(
        "deuda",
        "daños",
        "ingresar",
        "ejercicio",
        r"subvenci\w*",
        r"analistas?",
        "valora",
        "valoran",
        "facturó",
        "desde su (?:creación|fundación)",
    ),
    "zh": _any("债务", "債務", "赔偿", "賠償", "回购", "回購", "补贴", "補貼", "分析师", "分析師"),
    "ja": _any("累計", "負債", "賠償", "補助", "アナリスト"),
    "ko": _any("부채", "배상", "보조금", "애널리스트", "증권가"),
    "ru": _any(r"\bдолг", r"\bущерб", r"\bсубсиди", r"\bаналитик"),
}
_AGENT_MARKER = {
    "en": r"\bby\s*$|\bled by\s*$|\bfrom\s*$",
    "de": r"\bdurch\s*$",
    "fr": r"\bpar\s*$",
    "es": r"\bpor\s*$",
    "zh": r"被\s*$",
    "ja": r"(?!)",
    "ko": r"(?!)",
    "ru": r"\b(?:компанией|группой|со стороны)\s*$",
}
_PASSIVE_MARKER = {
    "en": r"\bby\s*$",
    "de": r"\b(?:von|durch)\s*$",
    "fr": r"\bpar\s*$",
    "es": r"\bpor\s*$",
    "zh": r"被\s*$",
    "ja": r"(?!)",
    "ko": r"(?!)",
    "ru": r"\b(?:компанией|группой)\s*$",
}
_AND_WORD = {
    "en": r"^\s*(?:and|&)\s+",
    "de": r"^\s*(?:und|&)\s+",
    "fr": r"^\s*(?:et|&)\s+",
    "es": r"^\s*(?:y|e|&)\s+",
    "ru": r"^\s*(?:и|&)\s+",
    "zh": r"^(?:与|與|和|及|、)",
    "ja": r"^(?:と)",
    "ko": r"^(?:와|과)\s*",
}
_JOINER = {
    "en": _w("and", "with", "&", "between", "alongside", "together with", "to", "from"),
    "de": _w("und", "mit", "sowie", "zwischen", "an", "von"),
    "fr": _w("et", "avec", "entre", "à", "auprès de"),
    "es": _w("y", "con", "e", "entre", "a"),
    "zh": _any("与", "與", "和", "及", "跟", "同", "、", "向", "为", "為"),
    "ja": _any("と", "が", "は", "に", "、", "及び"),
    "ko": _any("와", "과", "및", "랑", "이", "가", "은", "는", "에"),
    "ru": _w("и", "с", "со", "между"),
}
_MINORITY = {
    "en": _w("stake", "minority", "shareholding", "equity interest"),
    "de": _any(r"\bBeteiligung", r"\bAnteil", r"\bMinderheit"),
    "fr": _w("participation", "minoritaire"),
    "es": _w("participación", "minoritaria"),
    "zh": _any("股份", "股权", "股權", "入股", "参股", "參股"),
    "ja": _any("出資", "株式の一部", "資本参加"),
    "ko": _any(
        "지분",
    ),
    "ru": _any(r"\bдол[юяи]\b", r"\bпакет"),
}
_CONTROL = {
    "en": _w(
        "majority stake",
        "controlling stake",
        "controlling interest",
        "remaining",
        "full control",
        r"(?:5[1-9]|[6-9]\d|100)(?:\.\d+)? ?(?:%|percent|per cent)",
    ),
    "de": _any(
        r"\bMehrheit",
        r"\bKontrolle",
        r"\brestlichen",
        r"\b(?:5[1-9]|[6-9]\d|100)(?:,\d+)? ?(?:%|Prozent)",
    ),
    "fr": _any(
        r"\bmajoritaire", r"\bcontrôle", r"\b(?:5[1-9]|[6-9]\d|100)(?:,\d+)? ?(?:%|pour cent)"
    ),
    "es": _any(
        r"\bmayoritaria", r"\bcontrol\b", r"\b(?:5[1-9]|[6-9]\d|100)(?:,\d+)? ?(?:%|por ciento)"
    ),
    "zh": _any(
        "控股权",
        "控股權",
        "控制权",
        "控制權",
        "全部股权",
        "全部股權",
        r"(?:5[1-9]|[6-9]\d|100)(?:\.\d+)?%",
    ),
    "ja": _any("過半", "全株式", "経営権", r"(?:5[1-9]|[6-9]\d|100)(?:\.\d+)?%"),
    "ko": _any("경영권", "최대주주", r"(?:5[1-9]|[6-9]\d|100)(?:\.\d+)?%"),
    "ru": _any(r"\bконтрольн", r"\b(?:5[1-9]|[6-9]\d|100)(?:,\d+)? ?%"),
}
_JOINT_VENTURE = {
    "en": _w("joint[- ]venture"),
    "de": _any(r"\bGemeinschaftsunternehmen", r"\bJoint[- ]Venture"),
    "fr": _w("coentreprise", "co-entreprise", "joint-venture"),
    "es": _w("empresa conjunta", "empresa mixta"),
    "zh": _any("合资公司", "合資公司"),
    "ja": _any(
        "合弁",
    ),
    "ko": _any("합작법인", "합작사", "조인트벤처"),
    "ru": _any(r"\bсовместное предприятие"),
}
_GENERIC = {
    "en": "The A An Its It This That In On At For After According Shares Analysts Sources Under "
    "With Without While When As If But And Or Both Neither Their He She They We It's Chinese "
    "Korean Japanese German US American European Indian French British Finnish Swedish Dutch "
    "Taiwanese Apple's "
    "Group Inc Company Corp Monday Tuesday Wednesday Thursday Friday Saturday Sunday January "
    "February March April May June July August September October November December Reuters "
    "Bloomberg CEO Q1 Q2 Q3 Q4",
    "de": "Laut Nach Im Am Beim Mit Für Bei Auch Damit Zudem Wie Chinesischer Chinesische "
    "Der Die Das Den Dem Des Ein Eine Einen Anteile Anteil Mehrheit Sparte Geschäft Teile "
    "Aktien "
    "Firma Unternehmen Hersteller Konzern Start-up Startup Chip Chips Tochter Mehrheitsbeteiligung "
    "Milliarden Millionen Euro Dollar Prozent Insidern Berichten Bereich Einheit",
    "fr": "Le La Les L Un Une Des Du De Sa Son Ses Selon Pour Dans Après Avec Sans Cette Ce Ces "
    "Il Elle Ils Elles Mais Et Ou Lundi Mardi Mercredi Jeudi Vendredi Bruxelles Bercy Paris",
    "es": "El La Los Las Un Una Su Sus De Del Según Para En Tras Con Sin Esta Este Estos Él Ella "
    "Ellos Pero Y O Bruselas Madrid",
    "ru": "Компания Группа",
}


def _compile(source: str) -> regex.Pattern[str]:
    return regex.compile(source, regex.IGNORECASE | regex.V1)


_TABLES: dict[str, list[_RawTrigger]] = {
    "en": _EN,
    "de": _DE,
    "fr": _FR,
    "es": _ES,
    "zh": _ZH,
    "ja": _JA,
    "ko": _KO,
    "ru": _RU,
}
LANGUAGES = tuple(_TABLES)
_STAGE_ORDER: tuple[Stage, ...] = (
    "cancelled",
    "completed",
    "approved",
    "agreed",
    "talks",
    "rumoured",
)


def _join(first: str, more: str | None) -> str:
    return f"{first}|{more}" if more else first


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon of one language (en, de, fr, es, zh, ja, ko, ru)."""
    stages = _STAGES[language]
    return Lexicon(
        language=language,
        triggers=tuple(
            Trigger(kind, voice, _compile(pattern), needs)
            for kind, voice, pattern, needs in (*_TABLES[language], *_MORE_TRIGGERS[language])
        ),
        stages=tuple(
            (stage, _compile(_join(stages[stage], _MORE_STAGES.get(language, {}).get(stage))))
            for stage in _STAGE_ORDER
        ),
        not_deal=_compile(_NOT_DEAL[language]),
        not_price=_compile(_join(_NOT_PRICE[language], _MORE_NOT_PRICE[language])),
        price=_compile(_PRICE[language]),
        buyback=_compile(_BUYBACK[language]),
        dispute=_compile(_DISPUTE[language]),
        settle=_compile(_SETTLE[language]),
        agent_marker=_compile(_AGENT_MARKER[language]),
        passive_marker=_compile(_PASSIVE_MARKER[language]),
        and_word=_compile(_AND_WORD[language]),
        joiner=_compile(_JOINER[language]),
        minority=_compile(_MINORITY[language]),
        control=_compile(_join(_CONTROL[language], _MORE_CONTROL.get(language))),
        joint_venture=_compile(_JOINT_VENTURE[language]),
        generic=frozenset(_GENERIC.get(language, "").split()),
    )
