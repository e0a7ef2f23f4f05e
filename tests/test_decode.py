"""Decoding: a feed's bytes read in the charset they are really in, whatever is declared."""

from __future__ import annotations

import json

import pytest

from bot.ingest.decode import decode_document
from bot.ingest.parse import parse_feed
from bot.match import Matcher

URL = "https://news.example/feed.xml"
MATCHER = Matcher(
    {"samsung": ["Samsung", "삼성", "三星", "サムスン", "Самсунг"], "xiaomi": ["Xiaomi", "小米"]}
)


def _feed(items: list[tuple[str, str]], declaration: str | None) -> str:
    encoding = f' encoding="{declaration}"' if declaration else ""
    entries = "".join(
        f"<item><title>{title}</title><link>https://news.example/{n}</link>"
        f"<description>{text}</description><guid>g{n}</guid></item>"
        for n, (title, text) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"{encoding}?>\n<rss version="2.0"><channel><title>News</title>'
        f"<link>https://news.example/</link>{entries}</channel></rss>"
    )


KOREAN = [
    (
        "삼성전자, 새 엑시노스 칩 공개",
        "삼성전자가 25일 새로운 엑시노스 칩을 공개했다. 이 칩은 전기차에 들어간다.",
    ),
    ("똠방각하 펲시콜라 뷁", "확장 완성형에만 있는 글자가 들어간 제목이다. 똠양꿍을 먹었다."),
    ("날씨", "내일은 전국이 대체로 맑겠다. 아침 기온은 영하로 떨어진다."),
]
JAPANESE = [
    (
        "サムスン、新チップを発表",
        "サムスン電子は25日、新しいチップを発表した。電気自動車向けだという。",
    ),
    ("①番目の記事", "機種依存文字①②③とⅠⅡⅢを含む記事です。ＮＥＣ特殊文字も使われる。"),
    ("天気", "明日は全国的に晴れる見込みです。朝の気温は低くなります。"),
]
CHINESE_SIMPLIFIED = [
    ("小米发布新款电动汽车", "小米集团25日发布了新款电动汽车，售价为21.59万元。"),
    ("䶮字与𠀀字", "这条新闻包含GB2312之外的字：䶮、𠀀、镕。欧元符号€也不在其中。"),
    ("天气预报", "明天全国大部分地区晴，早晨气温较低，请注意保暖。"),
]
CHINESE_TRADITIONAL = [
    ("三星電子發表新晶片", "三星電子今天發表新的晶片，將用於電動車。台灣的供應鏈也受益。"),
    ("小米推出電動車", "小米集團宣布推出電動車，售價約為二十一萬元人民幣。市場反應熱烈。"),
    ("天氣預報", "明天全台大致晴朗，清晨氣溫較低，請注意保暖。各地區溫差大。"),
]
RUSSIAN = [
    ("Самсунг представил новый процессор", "Компания Самсунг во вторник представила новый "
     "процессор для электромобилей. Производство начнётся в следующем году."),
    ("Погода", "Завтра в Москве ожидается облачная погода, местами небольшой снег."),
    ("Экономика", "Центральный банк сохранил ключевую ставку без изменений."),
]  # fmt: skip


def _alerting(body: bytes, headers: dict[str, str] | None = None) -> list[str]:
    """Titles of the items the matcher finds a company in."""
    parsed = parse_feed(body, URL, headers or {})
    return [item.title for item in parsed.items if MATCHER.match(item.title, item.text).topics]


def test_euc_kr_declared_but_cp949_written() -> None:
    body = _feed(KOREAN, "euc-kr").encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        body.decode("euc-kr")  # the test's premise: CP949 extensions are in it
    assert _alerting(body) == [KOREAN[0][0]]
    titles = [item.title for item in parse_feed(body, URL).items]
    assert titles == [title for title, _ in KOREAN]


def test_shift_jis_declared_but_cp932_written() -> None:
    body = _feed(JAPANESE, None).encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        body.decode("shift_jis")
    headers = {"Content-Type": "application/rss+xml; charset=Shift_JIS"}
    assert _alerting(body, headers) == [JAPANESE[0][0]]
    assert [i.title for i in parse_feed(body, URL, headers).items][1] == JAPANESE[1][0]


def test_gb2312_declared_but_gb18030_written() -> None:
    body = _feed(CHINESE_SIMPLIFIED, "gb2312").encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    assert _alerting(body) == [CHINESE_SIMPLIFIED[0][0]]
    parsed = parse_feed(body, URL)
    assert parsed.items[1].text == CHINESE_SIMPLIFIED[1][1]


def test_undeclared_big5() -> None:
    body = _feed(CHINESE_TRADITIONAL, None).encode("big5")
    assert _alerting(body) == [CHINESE_TRADITIONAL[0][0], CHINESE_TRADITIONAL[1][0]]
    parsed = parse_feed(body, URL)
    assert parsed.warning is not None
    assert "read as big5" in parsed.warning


def test_undeclared_windows_1251() -> None:
    body = _feed(RUSSIAN, None).encode("cp1251")
    assert _alerting(body) == [RUSSIAN[0][0]]
    # declared as Latin-1 by the server: the same bytes, read right all the same
    latin = {"Content-Type": "text/xml; charset=ISO-8859-1"}
    assert _alerting(body, latin) == [RUSSIAN[0][0]]


def test_broken_euc_jp_stays_euc_jp() -> None:
    items = [JAPANESE[0]] + [(f"天気 {n}", JAPANESE[2][1]) for n in range(8)]
    body = bytearray(_feed(items, "EUC-JP").encode("euc_jp"))
    spoiled = body.index("明日".encode("euc_jp"))
    body[spoiled : spoiled + 4] = b"\xff\xff\xff\xff"  # bytes EUC-JP has no reading for
    body.extend(b"<!-- \xa1 -->")  # and a truncated sequence
    with pytest.raises(UnicodeDecodeError):
        bytes(body).decode("euc_jp")
    parsed = parse_feed(bytes(body), URL)
    assert [item.title for item in parsed.items] == [title for title, _ in items]
    assert _alerting(bytes(body)) == [JAPANESE[0][0]]
    assert "全国的に晴れる" in parsed.items[1].text
    assert parsed.items[2].text == JAPANESE[2][1]


def test_a_utf8_feed_is_not_touched() -> None:
    body = _feed(KOREAN + CHINESE_SIMPLIFIED, "utf-8").encode("utf-8")
    decoded = decode_document(body, "application/rss+xml; charset=utf-8")
    assert decoded.document is body
    assert decoded.note is None
    assert not decoded.detected
    undeclared = _feed(RUSSIAN, None).encode("utf-8")
    assert decode_document(undeclared, None).document is undeclared
    assert _alerting(body) == [KOREAN[0][0], CHINESE_SIMPLIFIED[0][0]]


def test_utf8_wins_over_a_wrong_declaration() -> None:
    body = _feed(RUSSIAN, "windows-1251").encode("utf-8")
    assert _alerting(body, {"Content-Type": "text/xml; charset=windows-1252"}) == [RUSSIAN[0][0]]


def test_utf16_with_and_without_a_byte_order_mark() -> None:
    text = _feed(KOREAN, "utf-16")
    assert _alerting(text.encode("utf-16")) == [KOREAN[0][0]]
    assert _alerting(text.encode("utf-16-le")) == [KOREAN[0][0]]


def test_a_json_feed_in_a_legacy_charset() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {"id": str(n), "title": t, "content_text": x} for n, (t, x) in enumerate(RUSSIAN)
        ],
    }
    body = json.dumps(document, ensure_ascii=False).encode("cp1251")
    assert _alerting(body, {"Content-Type": "application/feed+json"}) == [RUSSIAN[0][0]]


def test_a_line_in_another_charset_is_read_in_that_charset() -> None:
    items = [JAPANESE[0], ("天気", JAPANESE[2][1])]
    body = _feed(items, "EUC-JP").encode("euc_jp")
    pasted = "<p>【PR】求人情報はこちら</p>".encode("cp932")  # pasted from a Shift_JIS page
    body = body.replace(
        "全国的に".encode("euc_jp"), b"\n" + pasted + b"\n" + "全国的に".encode("euc_jp")
    )
    parsed = parse_feed(body, URL)
    assert "\ufffd" not in parsed.items[1].text
    assert "全国的に晴れる" in parsed.items[1].text
    assert "求人情報" not in parsed.items[1].text  # decoded right, then removed as an ad line
