"""Seeded, reproducible benchmark data: tech-news text, RSS 2.0 documents and match topics.

Shared by ``run.py`` (feeds served over HTTP) and ``match_bench.py`` (texts for the matcher).
Everything is drawn from a ``random.Random`` seeded per feed, so a feed's content depends only
on the seed and its number (publication dates are relative to the moment of generation).

About 2% of items mention a watched term (Samsung, Xiaomi, EV, Exynos, Elektroauto, 小米,
삼성…); a third of those mention a brand *and* an EV or chip term, which is what the benchmark
alert fires on. A few feeds (5%) are German.
"""

from __future__ import annotations

import email.utils
import random
from datetime import datetime, timedelta
from xml.sax.saxutils import escape


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH = _words("""
the a new its their this that with for from into over under after before about than more
less most fewer early late first last next other every each both only still even also
company market price prices launch launches launched update updates report reports model
models phone phones chip chips battery batteries display screen camera cameras sensor
software firmware platform network carrier carriers supplier suppliers factory factories
production shipment shipments quarter revenue profit margin forecast analyst analysts
investor investors customer customers retail store stores online order orders delivery
range charging charger speed performance benchmark leak leaks rumor rumors patent patents
design engineer engineers team teams plan plans strategy deal deals partnership agreement
regulator regulators court ruling tariff tariffs export imports rollout beta release version
feature features review reviews hands-on test tests result results rival rivals lineup
flagship budget midrange premium foldable tablet laptop watch earbuds headset memory storage
processor modem wireless satellite cloud server servers data privacy security vulnerability
announced confirmed expects expected reported said says plans planned delayed shipped ships
builds built sells sold raised cut cuts doubled grew fell rose slipped beat missed topped
will could would should may might can cannot does did has have had is are was were
quickly slowly sharply roughly nearly almost about around across within without despite
Europe Asia America Germany China Korea Japan India Taiwan Vietnam California Berlin Seoul
Beijing Shenzhen Tokyo Munich London Paris Austin Detroit
""")

GERMAN = _words("""
der die das ein eine einen dem den des mit für von nach vor über unter bei seit ohne gegen
und oder aber doch auch noch schon nur mehr weniger neue neuen neues ersten letzten nächsten
Unternehmen Markt Preis Preise Modell Modelle Smartphone Smartphones Akku Display Kamera
Software Update Hersteller Zulieferer Werk Fabrik Produktion Quartal Umsatz Gewinn Prognose
Analysten Anleger Kunden Handel Bestellungen Auslieferung Reichweite Ladeleistung Ladesäule
Leistung Test Testbericht Plan Strategie Vertrag Partnerschaft Behörde Gericht Urteil Zölle
Export Start Version Funktion Funktionen Konkurrenz Oberklasse Mittelklasse Speicher
Prozessor Netz Sicherheit Datenschutz Lücke kündigt kündigte bestätigt erwartet meldet
berichtet plant liefert baut verkauft senkt erhöht wächst fällt steigt deutlich kräftig
rund etwa fast knapp bereits weiterhin künftig Europa Asien Deutschland China Korea Japan
Berlin München Stuttgart Wolfsburg Hamburg Köln Leipzig Dresden
""")

CHINESE = _words("""
手机 发布 芯片 市场 价格 用户 公司 销量 屏幕 电池 充电 系统 性能 新款 消费者 供应链 工厂
季度 营收 利润 分析师 投资者 订单 交付 续航 版本 功能 竞争 旗舰 中端 存储 处理器 网络
安全 隐私 今年 明年 全球 中国 韩国 欧洲 已经 正在 预计 宣布 表示 推出 计划 增长 下降
""")

BRANDS = ("Samsung", "Samsung's", "Xiaomi", "Xiaomi's", "小米", "삼성전자")
EV_TERMS_EN = ("EV", "EVs", "electric vehicle", "electric vehicles", "Exynos 2500", "Exynos")
EV_TERMS_DE = ("Elektroauto", "Elektroautos", "E-Auto", "E-Autos", "Elektrofahrzeuge", "Exynos")
EV_TERMS_CJK = ("电动汽车", "전기차")
ENTITIES = ("&amp;", "&nbsp;", "&#8217;", "&euro;", "&ndash;", "&quot;")

WATCHED_SHARE = 0.02  # items that mention a watched term
BOTH_SHARE = 1 / 3  # of those, items that mention a brand and an EV/chip term
EXTRA_MENTION_SHARE = 0.01  # items that mention one of the generated "Brandname{k}" terms
GERMAN_FEED_SHARE = 0.05
FEED_LANGUAGE_SHARE = 0.75  # feeds that declare <language>; the rest are detected per item

REAL_TOPICS: dict[str, list[str]] = {
    "samsung": ["Samsung", "삼성", "三星"],
    "xiaomi": ["Xiaomi", "샤오미", "小米"],
    "ev": [
        "EV",
        "electric vehicle*",
        "Elektroauto*",
        "Elektrofahrzeug*",
        "E-Auto*",
        "电动汽车",
        "전기차",
    ],
    "exynos": ["Exynos"],
}
ALERT_MATCH = "(samsung or xiaomi) and (ev or exynos)"
EXTRA_TOPICS = 200


def extra_topics(count: int = EXTRA_TOPICS) -> dict[str, list[str]]:
    """``count`` generated topics of two terms each: ``brand{k}: [Brandname{k}, Product{k}*]``."""
    return {f"brand{k}": [f"Brandname{k}", f"Product{k}*"] for k in range(count)}


class TextMaker:
    """Sentences, titles and HTML paragraphs of plausible tech news, from one seeded RNG."""

    def __init__(self, rng: random.Random, extra_topics: int = EXTRA_TOPICS) -> None:
        self.rng = rng
        self.extra_topics = extra_topics

    def words(self, language: str, count: int) -> list[str]:
        if language == "zh":
            return self.rng.choices(CHINESE, k=count)
        return self.rng.choices(GERMAN if language == "de" else ENGLISH, k=count)

    def sentence(self, language: str, low: int = 8, high: int = 20) -> str:
        words = self.words(language, self.rng.randint(low, high))
        if language == "zh":
            return "".join(words) + "。"
        return _capitalized(" ".join(words)) + self.rng.choice(".....!?")

    def title(self, language: str) -> str:
        words = self.words(language, self.rng.randint(6, 12))
        if language == "zh":
            return "".join(words)
        if self.rng.random() < 0.1:
            words[self.rng.randrange(len(words))] = "R&D"  # escaped to &amp; in the XML
        return _capitalized(" ".join(words))

    def mention(self, language: str) -> str:
        """A phrase naming a watched term, sometimes a brand and an EV/chip term together."""
        rng = self.rng
        ev_terms: tuple[str, ...] = EV_TERMS_DE if language == "de" else EV_TERMS_EN
        if rng.random() < 0.15:
            ev_terms = EV_TERMS_CJK
        roll = rng.random()
        if roll < BOTH_SHARE:
            brand, word, term = rng.choice(BRANDS), self.words(language, 1)[0], rng.choice(ev_terms)
            return f"{brand} {word} {term}"
        if roll < (1 + BOTH_SHARE) / 2:
            return rng.choice(BRANDS)
        return rng.choice(ev_terms)

    def maybe_mention(self, language: str) -> str | None:
        roll = self.rng.random()
        if roll < WATCHED_SHARE:
            return self.mention(language)
        if roll < WATCHED_SHARE + EXTRA_MENTION_SHARE and self.extra_topics:
            k = self.rng.randrange(self.extra_topics)
            return self.rng.choice((f"Brandname{k}", f"Product{k}X", f"Product{k}s"))
        return None

    def plain_text(self, language: str, chars: int) -> str:
        """Paragraphs of plain text of about ``chars`` characters."""
        paragraphs: list[str] = []
        size = 0
        glue = "" if language == "zh" else " "
        while size < chars:
            paragraph = glue.join(self.sentence(language) for _ in range(self.rng.randint(2, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 1
        return "\n".join(paragraphs)[:chars]

    def html(self, language: str, low: int, high: int, mention: str | None) -> str:
        """HTML paragraphs (<p>, <b>, <a href>, an entity or two) of ``low``–``high`` chars."""
        rng = self.rng
        target = rng.randint(low, high)
        paragraphs: list[str] = []
        size = 0
        while size < target:
            sentences = [self.sentence(language) for _ in range(rng.randint(2, 4))]
            pick = rng.randrange(len(sentences))
            words = sentences[pick].split(" ")
            if len(words) > 3:
                at = rng.randrange(1, len(words) - 1)
                if rng.random() < 0.5:
                    words[at] = f"<b>{words[at]}</b>"
                else:
                    href = f"https://bench.example/topic/{rng.randrange(1000)}"
                    words[at] = f'<a href="{href}">{words[at]}</a>'
                words.insert(rng.randrange(1, len(words)), rng.choice(ENTITIES))
                sentences[pick] = " ".join(words)
            paragraph = f"<p>{' '.join(sentences)}</p>"
            paragraphs.append(paragraph)
            size += len(paragraph)
        if mention is not None:
            at = rng.randrange(len(paragraphs))
            paragraphs[at] = paragraphs[at].replace("<p>", f"<p>{mention} ", 1)
        return "\n".join(paragraphs)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def is_german(seed: int, index: int) -> bool:
    return random.Random(f"{seed}:language:{index}").random() < GERMAN_FEED_SHARE


def rss_document(seed: int, index: int, items: int, now: datetime) -> bytes:
    """Feed number ``index``: an RSS 2.0 document of ``items`` items, about 1.5 KB each."""
    rng = random.Random(f"{seed}:feed:{index}")
    maker = TextMaker(rng)
    language = "de" if is_german(seed, index) else "en"
    base = f"https://bench.example/feed{index}"
    declared = rng.random() < FEED_LANGUAGE_SHARE
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>Bench feed {index}</title>",
        f"<link>{base}/</link>",
        f'<atom:link href="{base}.xml" rel="self" type="application/rss+xml"/>',
        f"<description>{escape(maker.sentence(language))}</description>",
        f"<language>{'de-DE' if language == 'de' else 'en-US'}</language>" if declared else "",
        f"<lastBuildDate>{email.utils.format_datetime(now)}</lastBuildDate>",
    ]
    ages = sorted(rng.uniform(0, 12 * 3600) for _ in range(items))
    entries: list[str] = []
    for number, age in enumerate(ages):
        title = maker.title(language)
        mention = maker.maybe_mention(language)
        if mention is not None and rng.random() < 0.4:
            title, mention = f"{mention}: {title}", None
        link = f"{base}/item{number}"
        published = email.utils.format_datetime(now - timedelta(seconds=age))
        entries.append(
            "<item>\n"
            f"<title>{escape(title)}</title>\n"
            f"<link>{link}</link>\n"
            f'<guid isPermaLink="true">{link}</guid>\n'
            f"<pubDate>{published}</pubDate>\n"
            f"<description><![CDATA[{maker.html(language, 800, 1500, mention)}]]></description>\n"
            "</item>"
        )
    tail = ["</channel>", "</rss>", ""]
    return "\n".join([*filter(None, head), *entries, *tail]).encode("utf-8")
