"""Dev cases for the story tests: a stand-in company table and hand-written items.

The stand-in has the interface of ``bot.companies`` (``find(text) -> [Mention]``), with
names in several languages, so the tests run whether or not the shipped table is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.match import Matcher
from bot.models import Item
from bot.stories import StoryFingerprint, fingerprint
from bot.stories.entities import company_finder
from bot.text import canonical_url

COMPANIES = {
    "samsung": ["Samsung", "삼성", "三星", "サムスン", "Самсунг"],
    "xiaomi": ["Xiaomi", "샤오미", "小米", "シャオミ", "Сяоми"],
    "flaktgroup": ["FläktGroup", "Flakt Group", "플렉트그룹"],
    "xealth": ["Xealth", "젝슬"],
    "harman": ["Harman", "하만", "哈曼"],
    "apple": ["Apple", "애플", "苹果", "アップル"],
}


@dataclass(frozen=True)
class Company:
    id: str


@dataclass(frozen=True)
class Mention:
    company: Company
    surface: str
    start: int
    end: int


class StandInTable:
    def __init__(self) -> None:
        self._matcher = Matcher(COMPANIES)

    def find(self, text: str) -> list[Mention]:
        found = self._matcher.match(text)
        return [
            Mention(Company(topic), surface, 0, 0)
            for topic, surfaces in found.surfaces.items()
            for surface in surfaces
        ]


ENTITIES = company_finder(StandInTable())
T0 = datetime(2025, 5, 14, 6, 0, tzinfo=UTC)


def make(
    item_id: str,
    title: str,
    text: str,
    *,
    url: str,
    language: str | None,
    hours: float = 0.0,
    feed: str | None = None,
    entry: str | None = None,
) -> StoryFingerprint:
    item = Item(
        key=f"id:{entry or item_id}",
        title=title,
        text=text,
        link=url,
        canonical_url=canonical_url(url),
        published=T0 + timedelta(hours=hours),
        language=language,
    )
    return fingerprint(item, feed or f"feed-{item_id}", item_id=item_id, entities=ENTITIES)


# One deal told in five languages (gold story "flakt").
FLAKT_EN_TEXT = (
    "Samsung Electronics said on Wednesday it will buy FläktGroup, a German maker of "
    "air-conditioning systems for data centres, for 1.5 billion euros, its biggest "
    "acquisition since it bought Harman in 2017."
)
FLAKT = [
    make(
        "flakt-en",
        "Samsung to acquire German ventilation firm FläktGroup for €1.5 billion",
        FLAKT_EN_TEXT,
        url="https://www.reuters.com/technology/samsung-flaktgroup-2025-05-14/",
        language="en",
    ),
    make(
        "flakt-de",
        "Samsung übernimmt Lüftungsspezialisten FläktGroup für 1,5 Milliarden Euro",
        "Der südkoreanische Konzern Samsung Electronics kauft den deutschen "
        "Klimatechnik-Hersteller FläktGroup. Der Kaufpreis liegt bei 1,5 Mrd. Euro; "
        "FläktGroup beschäftigt rund 4.700 Menschen.",
        url="https://www.heise.de/news/Samsung-uebernimmt-FlaektGroup-10384562.html",
        language="de",
        hours=2,
    ),
    make(
        "flakt-fr",
        "Samsung rachète l'allemand FläktGroup pour 1,5 milliard d'euros",
        "Le géant sud-coréen Samsung Electronics va acquérir FläktGroup, spécialiste "
        "allemand de la ventilation, pour 1,5 milliard d'euros.",
        url="https://www.lesechos.fr/tech-medias/samsung-rachete-flaktgroup-2165432",
        language="fr",
        hours=3,
    ),
    make(
        "flakt-ko",
        "삼성전자, 독일 공조기업 플렉트그룹 15억 유로에 인수",
        "삼성전자가 유럽 최대 공조기업인 플렉트그룹을 15억 유로(약 2조4천억원)에 "
        "인수한다고 14일 밝혔다. 2017년 하만 인수 이후 최대 규모다.",
        url="https://www.yna.co.kr/view/AKR20250514012345003",
        language="ko",
        hours=1,
    ),
    make(
        "flakt-zh",
        "三星电子斥资15亿欧元收购德国空调企业FläktGroup",
        "三星电子宣布以15亿欧元收购德国暖通空调企业FläktGroup，这是三星自2017年收购哈曼"
        "以来最大的一笔收购。",
        url="https://36kr.com/p/3291234567890",
        language="zh",
        hours=4,
    ),
]

# A different Samsung acquisition the same day, in two languages (gold story "xealth").
XEALTH = [
    make(
        "xealth-en",
        "Samsung to buy US digital health platform Xealth",
        "Samsung Electronics agreed to acquire Xealth, a US start-up whose software connects "
        "wearables to hospital systems, to expand its health business.",
        url="https://techcrunch.com/2025/05/14/samsung-xealth/",
        language="en",
        hours=5,
    ),
    make(
        "xealth-ko",
        "삼성전자, 미국 디지털 헬스 플랫폼 기업 인수",
        "삼성전자가 미국 디지털 헬스 스타트업을 인수해 헬스케어 사업을 확대한다. 웨어러블 "
        "기기 데이터를 병원 시스템과 연결하는 플랫폼이다.",
        url="https://www.etnews.com/20250514000123",
        language="ko",
        hours=6,
    ),
]

# The same two companies, two different stories (gold "talks" and "patents").
TALKS = [
    make(
        "talks-en",
        "Samsung and Xiaomi in talks over foldable display supply deal",
        "Samsung Display is negotiating with Xiaomi to supply foldable OLED panels for "
        "Xiaomi's next flagship, people familiar with the matter said.",
        url="https://www.theelec.net/news/articleView.html?idxno=51234",
        language="en",
    ),
    make(
        "talks-ko",
        "삼성디스플레이, 샤오미와 폴더블 패널 공급 협상",
        "삼성디스플레이가 샤오미의 차기 플래그십에 들어갈 폴더블 OLED 패널 공급을 놓고 협상 "
        "중인 것으로 알려졌다.",
        url="https://www.thelec.kr/news/articleView.html?idxno=31234",
        language="ko",
        hours=3,
    ),
]
PATENTS = [
    make(
        "patents-en",
        "Samsung and Xiaomi settle patent dispute, sign cross-licensing agreement",
        "Samsung and Xiaomi have settled their patent infringement lawsuits in Germany and "
        "China and signed a multi-year cross-licence covering 5G standard-essential patents.",
        url="https://www.fosspatents.com/2025/05/samsung-xiaomi-settlement.html",
        language="en",
        hours=1,
    ),
    make(
        "patents-zh",
        "三星与小米就专利纠纷达成和解，签署交叉许可协议",
        "三星与小米已就在德国和中国的专利侵权诉讼达成和解，并签署涵盖5G标准必要专利的多年期交叉许可协议。",
        url="https://www.ithome.com/0/851/234.htm",
        language="zh",
        hours=5,
    ),
]

# One English story syndicated through an AMP URL, a mobile host, Google News and
# FeedBurner (gold story "xring").
_XRING_TITLE = "Xiaomi unveils XRING O1, its first in-house 3nm smartphone chip"
_XRING_TEXT = (
    "Xiaomi on Thursday unveiled the XRING O1, a 3nm system-on-chip it designed itself, "
    "ending a decade-long effort to reduce its reliance on Qualcomm and MediaTek. The chip "
    "will debut in the Xiaomi 15S Pro."
)
XRING = [
    make(
        "xring-web",
        _XRING_TITLE,
        _XRING_TEXT,
        url="https://www.gsmarena.com/xiaomi_xring_o1-news-67890.php",
        language="en",
    ),
    make(
        "xring-amp",
        _XRING_TITLE,
        _XRING_TEXT,
        url="https://www.gsmarena.com/amp/xiaomi_xring_o1-news-67890.php",
        language="en",
        hours=0.5,
    ),
    make(
        "xring-m",
        _XRING_TITLE,
        _XRING_TEXT,
        url="https://m.gsmarena.com/xiaomi_xring_o1-news-67890.php",
        language="en",
        hours=0.7,
    ),
    make(
        "xring-gnews",
        f"{_XRING_TITLE} - GSMArena.com",
        f"{_XRING_TITLE}  GSMArena.com",
        url="https://news.google.com/rss/articles/CBMiYWh0dHBzOi8vd3d3LmdzbWFyZW5h?oc=5",
        language="en",
        hours=1,
    ),
    make(
        "xring-feedburner",
        _XRING_TITLE,
        f"<p>{_XRING_TEXT}</p><img src='https://feeds.feedburner.com/~r/gsmarena/~4/x'>",
        url="http://feedproxy.google.com/~r/gsmarena/~3/Xk2/xiaomi_xring_o1?utm_source=feedburner",
        language="en",
        hours=1.5,
    ),
]
