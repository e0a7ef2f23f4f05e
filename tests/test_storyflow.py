"""Stories end to end: real feeds on 127.0.0.1, the real pipeline, store and jsonl channel.

The first report of a story alerts; later ones (any feed, any language) edit that message
(an ``update`` record), several in one cycle make one alert listing them all; different
stories of one company stay apart; an updated entry edits its message, and one that starts
to match after an update alerts then; a crash between the send and the edit loses nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.commands import Caller, Commands
from bot.config import Config
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import NOW, Clock, jsonl_records, write_config

ALERTS = """alerts:
  - name: deals
    match: samsung or xiaomi
    channels: ["jsonl:alerts.jsonl"]
"""

# One deal told by five outlets in five languages: (feed, language, title, text, link)
FLAKT = [
    ("reuters", "en", "Samsung to acquire German ventilation firm FläktGroup for €1.5 billion",
     "Samsung Electronics said on Wednesday it will buy FläktGroup, a German maker of "
     "air-conditioning systems for data centres, for 1.5 billion euros, its biggest "
     "acquisition since it bought Harman in 2017.",
     "https://www.reuters.com/technology/samsung-flaktgroup-2026-11-25/"),
    ("heise", "de", "Samsung übernimmt Lüftungsspezialisten FläktGroup für 1,5 Milliarden Euro",
     "Der südkoreanische Konzern Samsung Electronics kauft den deutschen "
     "Klimatechnik-Hersteller FläktGroup. Der Kaufpreis liegt bei 1,5 Mrd. Euro; "
     "FläktGroup beschäftigt rund 4.700 Menschen.",
     "https://www.heise.de/news/Samsung-uebernimmt-FlaektGroup-10384562.html"),
    ("lesechos", "fr", "Samsung rachète l'allemand FläktGroup pour 1,5 milliard d'euros",
     "Le géant sud-coréen Samsung Electronics va acquérir FläktGroup, spécialiste "
     "allemand de la ventilation, pour 1,5 milliard d'euros.",
     "https://www.lesechos.fr/tech-medias/samsung-rachete-flaktgroup-2165432"),
    ("yonhap", "ko", "삼성전자, 독일 공조기업 플렉트그룹 15억 유로에 인수",
     "삼성전자가 유럽 최대 공조기업인 플렉트그룹을 15억 유로(약 2조4천억원)에 "
     "인수한다고 25일 밝혔다. 2017년 하만 인수 이후 최대 규모다.",
     "https://www.yna.co.kr/view/AKR20261125012345003"),
    ("36kr", "zh", "三星电子斥资15亿欧元收购德国空调企业FläktGroup",
     "三星电子宣布以15亿欧元收购德国暖通空调企业FläktGroup，这是三星自2017年收购哈曼"
     "以来最大的一笔收购。",
     "https://36kr.com/p/3291234567890"),
]  # fmt: skip
XEALTH = ("techcrunch", "en", "Samsung to buy US digital health platform Xealth",
          "Samsung Electronics agreed to acquire Xealth, a US start-up whose software "
          "connects wearables to hospital systems, to expand its health business.",
          "https://techcrunch.com/2026/11/25/samsung-xealth/")  # fmt: skip
XRING_TITLE = "Xiaomi unveils XRING O1, its first in-house 3nm smartphone chip"
XRING_TEXT = (
    "Xiaomi on Thursday unveiled the XRING O1, a 3nm system-on-chip it designed itself, "
    "ending a decade-long effort to reduce its reliance on Qualcomm and MediaTek. The chip "
    "will debut in the Xiaomi 15S Pro."
)
XRING = [
    ("gsmarena", "https://www.gsmarena.com/xiaomi_xring_o1-news-67890.php", XRING_TITLE),
    ("amp", "https://www.gsmarena.com/amp/xiaomi_xring_o1-news-67890.php", XRING_TITLE),
    ("mobile", "https://m.gsmarena.com/xiaomi_xring_o1-news-67890.php", XRING_TITLE),
    ("gnews", "https://news.google.com/rss/articles/CBMiYWh0dHBzOi8vd3d3LmdzbWFy?oc=5",
     f"{XRING_TITLE} - GSMArena.com"),
]  # fmt: skip


def when(hours_before_now: float) -> str:
    return format_datetime(NOW - timedelta(hours=hours_before_now))


def feed_doc(*entries: tuple[str, str, str, str, float], language: str = "en") -> str:
    """(guid, title, text, link, hours before NOW) each."""
    return rss(
        *(
            rss_item(title, link, description=text, guid=guid, published=when(hours))
            for guid, title, text, link, hours in entries
        ),
        language=language,
    )


def config(tmp_path: Path, server: FeedServer, names: list[str]) -> Config:
    feeds = {name: server.route(f"/{name}.xml", rss()) for name in names}
    return write_config(tmp_path, feeds, alerts=ALERTS)


def serve_flakt(server: FeedServer, index: int) -> None:
    feed, language, title, text, link = FLAKT[index]
    server.route(
        f"/{feed}.xml",
        feed_doc((f"{feed}-1", title, text, link, 3 - index * 0.3), language=language),
    )


def records(tmp_path: Path) -> list[dict[str, Any]]:
    return jsonl_records(tmp_path / "alerts.jsonl")


async def test_a_five_language_story_in_one_cycle_is_one_alert_with_its_sources(
    tmp_path: Path, server: FeedServer
) -> None:
    cfg = config(tmp_path, server, [entry[0] for entry in FLAKT])
    for index in range(len(FLAKT)):
        serve_flakt(server, index)
    async with App.running(cfg, clock=Clock()) as app:
        report = await app.once()
    [alert] = records(tmp_path)
    assert report.alerts == 1
    assert alert["kind"] == "alert"
    assert alert["alert"] == "deals"  # every field of before stays
    assert {s["feed"]: s["language"] for s in alert["sources"]} == {
        "reuters": "en", "heise": "de", "lesechos": "fr", "yonhap": "ko", "36kr": "zh",
    }  # fmt: skip
    assert alert["sources"][0]["feed"] == alert["feed"]  # the first report is the alert's
    assert alert["story"]


async def test_a_five_language_story_over_several_cycles_edits_its_message(
    tmp_path: Path, server: FeedServer
) -> None:
    cfg = config(tmp_path, server, [entry[0] for entry in FLAKT])
    clock = Clock()
    async with App.running(cfg, clock=clock) as app:
        serve_flakt(server, 0)
        await app.once()
        for index in range(1, len(FLAKT)):
            serve_flakt(server, index)
            clock.advance(minutes=16)
            await app.once()
        [story] = await app.store.stories(NOW - timedelta(days=1))
    alert, *updates = records(tmp_path)
    assert (alert["kind"], alert["feed"], len(alert["sources"])) == ("alert", "reuters", 1)
    assert [u["kind"] for u in updates] == ["update"] * 4
    assert all(u["updates"] == alert["id"] and u["story"] == alert["story"] for u in updates)
    assert [len(u["sources"]) for u in updates] == [2, 3, 4, 5]
    assert [u["changed"] for u in updates] == [["sources"]] * 4
    assert [s["language"] for s in updates[-1]["sources"]] == ["en", "de", "fr", "ko", "zh"]
    assert (story.story_id, story.sources) == (alert["story"], 5)
    assert story.languages == ("de", "en", "fr", "ko", "zh")


async def test_joins_within_a_minute_are_folded_into_one_edit(
    tmp_path: Path, server: FeedServer
) -> None:
    cfg = config(tmp_path, server, [entry[0] for entry in FLAKT])
    clock = Clock()
    async with App.running(cfg, clock=clock) as app:
        serve_flakt(server, 0)
        await app.once()
        serve_flakt(server, 1)
        clock.advance(minutes=16)
        await app.once()  # an edit now: the next may come a minute later
        for index in (2, 3):
            serve_flakt(server, index)
            clock.advance(seconds=20)
            await app.once()  # within the minute: the edit waits, and both fold into it
        assert [r["kind"] for r in records(tmp_path)] == ["alert", "update"]
        clock.advance(seconds=30)
        await app.deliverer.drain()
    updates = [r for r in records(tmp_path) if r["kind"] == "update"]
    assert [len(u["sources"]) for u in updates] == [2, 4]


async def test_syndicated_copies_join_and_two_samsung_deals_stay_apart(
    tmp_path: Path, server: FeedServer
) -> None:
    names = [feed for feed, _, _ in XRING] + ["reuters", "techcrunch"]
    cfg = config(tmp_path, server, names)
    for feed, link, title in XRING:
        server.route(f"/{feed}.xml", feed_doc((f"{feed}-x", title, XRING_TEXT, link, 2)))
    serve_flakt(server, 0)
    feed, _, title, text, link = XEALTH
    server.route(f"/{feed}.xml", feed_doc((f"{feed}-1", title, text, link, 1)))
    async with App.running(cfg, clock=Clock()) as app:
        await app.once()
    alerts = records(tmp_path)
    by_title = {a["title"].split(",")[0][:20]: a for a in alerts}
    assert len(alerts) == 3  # the chip (4 copies), FläktGroup, Xealth
    chip = next(a for a in alerts if "XRING" in a["title"])
    assert sorted(s["feed"] for s in chip["sources"]) == ["amp", "gnews", "gsmarena", "mobile"]
    samsung = [a for a in alerts if "Samsung" in a["title"]]
    assert len(samsung) == 2, by_title
    assert samsung[0]["story"] != samsung[1]["story"]
    assert all(len(a["sources"]) == 1 for a in samsung)


async def test_an_updated_title_edits_and_a_newly_matching_update_alerts(
    tmp_path: Path, server: FeedServer
) -> None:
    cfg = config(tmp_path, server, ["wire"])
    clock = Clock()
    talks = ("g1", "Samsung in talks with Xiaomi", "Talks on a supply deal.",
             "https://wire.example/1", 2)  # fmt: skip
    quiet = ("g2", "Foldable panel makers expand", "Panel output grows.",
             "https://wire.example/2", 2)  # fmt: skip
    server.route("/wire.xml", feed_doc(talks, quiet))
    async with App.running(cfg, clock=clock) as app:
        await app.once()
        assert [r["title"] for r in records(tmp_path)] == ["Samsung in talks with Xiaomi"]
        # cosmetic: other spacing and markup only -> silent
        cosmetic = ("g1", "Samsung  in talks with <b>Xiaomi</b>", *talks[2:])
        server.route("/wire.xml", feed_doc(cosmetic, quiet))  # type: ignore[arg-type]
        clock.advance(minutes=16)
        await app.once()
        assert len(records(tmp_path)) == 1
        signed = ("g1", "Samsung and Xiaomi sign EV deal", *talks[2:])
        now_matching = ("g2", "Samsung expands foldable panel output", *quiet[2:])
        server.route("/wire.xml", feed_doc(signed, now_matching))  # type: ignore[arg-type]
        clock.advance(minutes=16)
        await app.once()
        # news and search show the entry as it now reads, not its first title
        commands = Commands(app.services)
        news = await commands.run_text(Caller.cli(), "news")
        search = await commands.run_text(Caller.cli(), "search sign")
        stale = await commands.run_text(Caller.cli(), "search talks")
    assert "Samsung and Xiaomi sign EV deal" in [entry.title for entry in news.items]
    assert "Samsung in talks with Xiaomi" not in [entry.title for entry in news.items]
    assert [entry.title for entry in search.items] == ["Samsung and Xiaomi sign EV deal"]
    # the text did not change: found by it, shown with the new title
    assert [entry.title for entry in stale.items] == ["Samsung and Xiaomi sign EV deal"]
    first, *rest = records(tmp_path)
    update = next(r for r in rest if r["kind"] == "update")
    assert update["updates"] == first["id"]
    assert update["title"] == "Samsung and Xiaomi sign EV deal"
    assert "title" in update["changed"]
    [alert] = [r for r in rest if r["kind"] == "alert"]
    assert alert["title"] == "Samsung expands foldable panel output"
    assert len(rest) == 2


async def test_a_crash_between_the_send_and_the_edit_loses_nothing(
    tmp_path: Path, server: FeedServer
) -> None:
    """The alert is written, the process dies before marking it sent; a report joins. The
    next process finds the alert in the file, marks it sent, and makes the edit."""
    cfg = config(tmp_path, server, ["reuters", "heise"])
    clock = Clock()
    serve_flakt(server, 0)
    async with App.running(cfg, clock=clock) as app:
        reuters = [feed for feed in app.enabled_feeds() if feed.name == "reuters"]
        [outcome] = await app.cycle.poll(reuters)
        [message] = outcome.messages
        entry = await app.store.claim_delivery(message.id, clock())
        assert entry is not None
        await app.channels["jsonl:alerts.jsonl"].send(entry.message)
    # gone without mark_sent: the delivery stays in 'sending', owned by a dead process
    serve_flakt(server, 1)
    clock.advance(minutes=16)
    async with App.running(cfg, clock=clock) as app:
        await app.once()
        assert await app.store.delivery_counts() == {"jsonl:alerts.jsonl": {"sent": 1}}
    alert, update = records(tmp_path)
    assert (alert["kind"], update["kind"], update["updates"]) == ("alert", "update", alert["id"])
    assert [s["feed"] for s in update["sources"]] == ["reuters", "heise"]


async def test_news_lists_stories_and_story_lists_every_report(
    tmp_path: Path, server: FeedServer
) -> None:
    cfg = config(tmp_path, server, [entry[0] for entry in FLAKT] + ["techcrunch"])
    for index in range(len(FLAKT)):
        serve_flakt(server, index)
    feed, _, title, text, link = XEALTH
    server.route(f"/{feed}.xml", feed_doc((f"{feed}-1", title, text, link, 1)))
    async with App.running(cfg, clock=Clock()) as app:
        await app.once()
        commands = Commands(app.services)
        news = await commands.run_text(Caller.cli(), "news")
        [flakt] = [item for item in news.items if "5 sources" in item.meta]
        assert "5 sources, 5 languages · story s" in flakt.meta
        assert len(news.items) == 2  # two stories, not six articles
        story_id = flakt.meta.rsplit("story ", 1)[1]
        story = await commands.run_text(Caller.cli(), f"story {story_id}")
        helped = await commands.run_text(Caller.cli(), "help")
        missing = (await commands.run_text(Caller.cli(), "story nope")).plain_text()
    assert story.title == f"Story {story_id}: 5 reports in 5 languages"
    # the feeds are polled in parallel: the reports joined in some order, the first marked
    assert sorted(item.url or "" for item in story.items) == sorted(e[4] for e in FLAKT)
    assert story.items[0].meta.endswith("first report")
    assert not any(item.meta.endswith("first report") for item in story.items[1:])
    [yonhap] = [item for item in story.items if item.url == FLAKT[3][4]]
    assert yonhap.meta.startswith("yonhap (ko) · 2026-11-25 ")
    assert any(line.startswith("dealbot story ID") for line in helped.lines)
    assert "no story 'nope'" in missing


async def test_a_failed_edit_is_retried_with_backoff_and_a_story_counts_once(
    tmp_path: Path, server: FeedServer
) -> None:
    """An edit the channel cannot take now stays in the outbox and goes out later; the
    story's one alert is the channel's one message (flood control counts it once)."""
    from bot.channels import JsonlChannel
    from bot.models import AlertMessage, DeliveryResult, MessageRef

    class Flaky(JsonlChannel):
        fail_edits = 1

        async def deliver_edit(self, ref: MessageRef, message: AlertMessage) -> DeliveryResult:
            if self.fail_edits:
                self.fail_edits -= 1
                return DeliveryResult.retry("disk full")
            return await super().deliver_edit(ref, message)

    cfg = config(tmp_path, server, ["reuters", "heise"])
    clock = Clock()
    channel = Flaky("jsonl:alerts.jsonl", tmp_path / "alerts.jsonl")
    async with App.running(cfg, clock=clock, channels={"jsonl:alerts.jsonl": channel}) as app:
        serve_flakt(server, 0)
        await app.once()
        serve_flakt(server, 1)
        clock.advance(minutes=16)
        report = await app.once()
        assert report.deliveries.edited == 0  # refused: kept, due again after a backoff
        assert [r["kind"] for r in records(tmp_path)] == ["alert"]
        assert await app.store.due_edits(clock.now) == []
        clock.advance(minutes=2)
        assert (await app.deliverer.drain()).edited == 1
        sent = await app.store.messages_sent_since("jsonl:alerts.jsonl", NOW)
    assert [r["kind"] for r in records(tmp_path)] == ["alert", "update"]
    assert sent == 1


async def test_without_the_model_one_log_line_and_the_other_signals_still_join(
    tmp_path: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    monkeypatch.setattr("bot.stories.embed.MODEL_PACKAGE", "no_such_sentence_model")
    cfg = config(tmp_path, server, [feed for feed, _, _ in XRING])
    for feed, link, title in XRING:
        server.route(f"/{feed}.xml", feed_doc((f"{feed}-x", title, XRING_TEXT, link, 2)))
    with caplog.at_level(logging.WARNING, logger="bot.stories.embed"):
        async with App.running(cfg, clock=Clock()) as app:
            await app.once()
    [alert] = records(tmp_path)
    assert len(alert["sources"]) == 4
    assert caplog.text.count("sentence model not installed") == 1
