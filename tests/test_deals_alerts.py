"""Deals on alerts end to end: a real feed on 127.0.0.1, a real SQLite file, the jsonl and
console channels; the issue's two examples (German Samsung–Xiaomi talks, Korean 삼성전자-하만),
the deal stored with the alert, rules with deal atoms, and the time bound on reading."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.deals import Amount, Deal, Party
from bot.deals.alerting import DealReader
from bot.route import draft_alerts
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import NOW, RECENT, Clock, dealbot, jsonl_records, write_config
from tests.test_deals_extract import HARMAN_KO, SEED, Case


def _feed_item(case: Case, slug: str) -> str:
    """An RSS item of one of the extractor's cases (title, text), published recently."""
    return rss_item(
        case[1], f"https://news.example/{slug}", description=case[2], guid=slug, published=RECENT
    )


GERMAN = _feed_item(SEED, "samsung-xiaomi")
KOREAN = _feed_item(HARMAN_KO, "harman")
NO_DEAL = rss_item(
    "Samsung Exynos 2600 benchmark leaks",
    "https://news.example/exynos",
    description="Samsung's next Exynos chip scores well in a leaked benchmark for EVs.",
    guid="n1",
    published=RECENT,
)
SEED_DEAL = {
    "kind": "partnership",
    "stage": "talks",
    "parties": [
        {"name": "Samsung Electronics", "topic": "samsung"},
        {"name": "Xiaomi", "topic": "xiaomi"},
    ],
    "amounts": [],  # Xiaomi's revenue of 4,5 Milliarden US-Dollar is not the deal's value
}
HARMAN = Deal(
    "acquisition",
    "agreed",
    (Party("Samsung Electronics", "samsung"), Party("Harman")),
    (Amount("80억 달러", 8e9, "USD"),),
)
HARMAN_DEAL = HARMAN.to_json()  # the record's form: tests/test_deals_extract.py
EVERYTHING = """alerts:
  - name: everything
    match: samsung or xiaomi
    channels: ["jsonl:alerts.jsonl"]
"""


async def test_the_issues_examples_reach_jsonl_with_their_deal(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(GERMAN, KOREAN, NO_DEAL, language=None))
    config = write_config(tmp_path, {"wire": url}, alerts=EVERYTHING)
    async with App.running(config, clock=Clock()) as app:
        report = await app.once()
        assert report.alerts == 3
        news = await app.store.recent_alerts(NOW - timedelta(days=1))
    records = {record["title"]: record for record in jsonl_records(tmp_path / "alerts.jsonl")}
    assert records[SEED[1]]["deal"] == SEED_DEAL
    assert records[HARMAN_KO[1]]["deal"] == HARMAN_DEAL
    assert records[NO_DEAL_TITLE]["deal"] is None
    # every field of an alert without a deal is as before
    assert set(records[NO_DEAL_TITLE]) == {
        "id", "alert", "feed", "title", "url", "canonical_url", "published", "summary",
        "topics", "terms", "language", "author", "deal", "kind", "story", "sources",
    }  # fmt: skip
    # stored with the alert: news reads it back
    stored = {alert.title: alert.deal for alert in news}
    assert stored[HARMAN_KO[1]] is not None
    assert stored[HARMAN_KO[1]].to_json() == HARMAN_DEAL
    assert stored[NO_DEAL_TITLE] is None


NO_DEAL_TITLE = "Samsung Exynos 2600 benchmark leaks"


async def test_console_and_jsonl_through_the_command_line(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/feed.xml", rss(GERMAN, KOREAN, language=None))
    config = write_config(
        tmp_path,
        {"wire": url},
        settings={"backfill": "all"},  # the real clock: the items are days old
        alerts="""alerts:
  - name: deals
    match: (samsung or xiaomi) and deal
    channels: [console, "jsonl:alerts.jsonl"]
""",
    )
    status, out, err = await dealbot("once", "--config", str(config.path))
    assert status == 0, err
    assert "   deal: partnership · talks · Samsung Electronics ⇄ Xiaomi\n" in out
    assert "   deal: acquisition · agreed · Samsung Electronics → Harman · US$8.0 bn\n" in out
    deals = [record["deal"] for record in jsonl_records(tmp_path / "alerts.jsonl")]
    assert sorted(deals, key=lambda deal: deal["kind"]) == [HARMAN_DEAL, SEED_DEAL]


async def test_rules_with_deal_atoms_fire_on_the_deal(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(GERMAN, KOREAN, NO_DEAL, language=None))
    config = write_config(
        tmp_path,
        {"wire": url},
        alerts="""alerts:
  - name: takeovers
    match: (samsung or xiaomi) and deal:acquisition
    channels: ["jsonl:takeovers.jsonl"]
  - name: firm
    match: samsung and deal and not stage:talks
    channels: ["jsonl:firm.jsonl"]
  - name: no-deal
    match: samsung and not deal
    channels: ["jsonl:plain.jsonl"]
  - name: any-deal
    match: deal
    channels: ["jsonl:any.jsonl"]
""",
    )
    async with App.running(config, clock=Clock()) as app:
        await app.once()

    def titles(name: str) -> list[str]:
        return sorted(record["title"] for record in jsonl_records(tmp_path / name))

    assert titles("takeovers.jsonl") == [HARMAN_KO[1]]
    assert titles("firm.jsonl") == [HARMAN_KO[1]]
    assert titles("plain.jsonl") == [NO_DEAL_TITLE]
    assert titles("any.jsonl") == sorted([SEED[1], HARMAN_KO[1]])


class CountingClock:
    """A monotonic clock that moves one second at each reading."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_a_spent_budget_leaves_the_deal_out_and_says_so() -> None:
    reader = DealReader(None, budget=1.5, clock=CountingClock())
    first = reader.read(HARMAN_KO[1], HARMAN_KO[2], "ko")  # clock 2 <= deadline 2.5
    second = reader.read(HARMAN_KO[1], HARMAN_KO[2], "ko")  # clock 3 > deadline
    assert first is not None
    assert first.kind == "acquisition"
    assert second is None
    assert reader.skipped == 1


def test_draft_alerts_reads_deals_only_for_items_a_rule_can_fire_on(tmp_path: Path) -> None:
    from bot.liveconfig import compile_matcher
    from bot.models import Item

    config = write_config(
        tmp_path,
        {},
        alerts="""alerts:
  - name: samsung
    match: samsung and exynos
    channels: ["jsonl:a.jsonl"]
""",
    )
    harman = Item("k1", HARMAN_KO[1], HARMAN_KO[2], None, None, NOW, "ko")
    drafts = draft_alerts(
        1,
        [harman],
        first_poll=False,
        backfill=config.settings.backfill,
        matcher=compile_matcher(config),
        alerts=config.alerts,
        now=NOW,
    )
    assert drafts == []  # a deal does not make a rule without deal atoms fire
    exynos = Item("k2", "Samsung buys an Exynos foundry partner", "", None, None, NOW, "en")
    (draft,) = draft_alerts(
        1,
        [exynos],
        first_poll=False,
        backfill=config.settings.backfill,
        matcher=compile_matcher(config),
        alerts=config.alerts,
        now=NOW,
        deal_budget=-1.0,
    )
    assert draft.deal is None  # the budget was spent: the alert goes out without a deal


async def test_alerts_test_shows_the_deal_of_each_matched_item(
    tmp_path: Path, server: FeedServer
) -> None:
    from bot.commands import Caller, Commands

    url = server.route("/feed.xml", rss(GERMAN, KOREAN, NO_DEAL, language=None))
    config = write_config(tmp_path, {"wire": url}, alerts=EVERYTHING)
    async with App.running(config, clock=Clock()) as app:
        await app.once()
        commands = Commands(app.services, clock=app.clock)
        user = Caller("testchat", "42")
        reply = await commands.run_text(user, 'alerts test "samsung and deal"')
        plain = await commands.run_text(user, "alerts test samsung and not deal")
    assert reply.title.startswith("samsung and deal would have matched 2 of the 3 items")
    metas = {item.title: item.meta for item in reply.items}
    assert metas[HARMAN_KO[1]] == (
        "삼성 · deal: acquisition · agreed · Samsung Electronics → Harman · US$8.0 bn"
    )
    assert metas[SEED[1]].endswith("deal: partnership · talks · Samsung Electronics ⇄ Xiaomi")
    assert [item.title for item in plain.items] == [NO_DEAL_TITLE]
    assert plain.items[0].meta == "Samsung, Samsung's"  # no deal, none shown


# ------------------------------------------------------------------ stage changes

TALKS_EN = rss_item(
    "Samsung in talks to buy Harman",
    "https://wire.example/talks",
    description="Samsung Electronics is in talks to acquire Harman International, people "
    "familiar with the matter said.",
    guid="t1",
    published=RECENT,
)
COMPLETED_EN = rss_item(
    "Samsung completes Harman acquisition",
    "https://wire.example/completed",
    description="Samsung Electronics said it had completed its acquisition of Harman "
    "International.",
    guid="t3",
    published=RECENT,
)
LAGGING_EN = rss_item(
    "Samsung still negotiating with Harman",
    "https://wire.example/lagging",
    description="Samsung Electronics is negotiating to acquire Harman.",
    guid="t4",
    published=RECENT,
)


async def test_a_later_report_that_moves_the_stage_says_from_where(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """talks (English) → agreed (Korean, other names for the same companies) → completed; a
    report that lags behind adds nothing. The English reports are one story (the decider
    joins them): the later ones edit its alert, which then shows the story's deal; the
    Korean report, which the decider keeps apart, is an alert of its own of the same deal."""
    feed = server.route("/feed.xml", rss(TALKS_EN, language=None))
    config = write_config(
        tmp_path,
        {"wire": feed},
        alerts="""alerts:
  - name: samsung-deals
    match: samsung and deal
    channels: [console, "jsonl:alerts.jsonl"]
""",
    )
    clock = Clock()
    steps = [
        (TALKS_EN,),
        (TALKS_EN, KOREAN),
        (TALKS_EN, KOREAN, LAGGING_EN),
        (TALKS_EN, KOREAN, LAGGING_EN, COMPLETED_EN),
    ]
    async with App.running(config, clock=clock) as app:
        for items in steps:
            server.route("/feed.xml", rss(*items, language=None))
            await app.once()
            clock.advance(hours=2)
        from bot.commands import Caller, Commands

        commands = Commands(app.services, clock=app.clock)
        news = await commands.run_text(Caller.cli(), "news hours=24")
        found = await commands.run_text(Caller.cli(), "search negotiating")
    records = jsonl_records(tmp_path / "alerts.jsonl")
    talks = "Samsung in talks to buy Harman"
    # news and search show the story's deal as its alert now reads: completed
    tags = [item.meta.split(" · story ")[0] for item in news.items]
    assert sum("🛒 acquisition · completed" in tag for tag in tags) == 1
    assert sum("🛒 acquisition · agreed" in tag for tag in tags) == 1  # the Korean story
    assert not any("talks" in tag for tag in tags)
    (hit,) = found.items
    assert hit.title == "Samsung still negotiating with Harman"
    assert hit.meta.endswith("🛒 acquisition · completed")  # its story's deal, not its own
    # each record: the deal as its message reads then, and the stage it moved from
    assert [(r["kind"], r["title"], r["deal"]["stage"], r.get("stage_was")) for r in records] == [
        ("alert", talks, "talks", None),
        ("alert", HARMAN_KO[1], "agreed", "talks"),
        ("update", talks, "talks", None),  # the lagging report: behind, nothing to say
        ("update", talks, "completed", "agreed"),
    ]
    first, korean, lagging, completed = records
    assert korean["stage_was"] == "talks"
    assert "stage_was" not in first
    assert korean["story"] != first["story"]
    assert lagging["updates"] == completed["updates"] == first["id"]
    assert lagging["changed"] == ["sources"]
    assert [s["title"] for s in lagging["sources"]] == [
        talks,
        "Samsung still negotiating with Harman",
    ]
    assert completed["changed"] == ["sources", "deal", "stage"]
    assert completed["sources"][-1]["title"] == "Samsung completes Harman acquisition"
    console = capsys.readouterr().out
    assert (
        "   deal: acquisition · agreed · Samsung Electronics → Harman · US$8.0 bn\n"
        "   stage: talks → agreed\n" in console
    )
    assert (
        f"↻ deal moved on: {talks}\n"
        "   deal: acquisition · completed · Samsung Electronics → Harman\n"
        "   stage: agreed → completed\n" in console
    )
    assert console.count("   stage: ") == 2


def test_stage_before_needs_the_same_kind_and_parties() -> None:
    from bot.deals import Deal, Party
    from bot.deals.stages import stage_before

    agreed = Deal("acquisition", "agreed", (Party("Samsung Electronics"), Party("Harman")))
    talks_ko = Deal("acquisition", "talks", (Party("삼성전자"), Party("Harman")))
    other = Deal("acquisition", "talks", (Party("Samsung Electronics"), Party("Xiaomi")))
    partnership = Deal("partnership", "talks", (Party("Samsung Electronics"), Party("Harman")))
    assert stage_before(agreed, [talks_ko]) == "talks"
    assert stage_before(agreed, [other, partnership]) is None
    assert stage_before(talks_ko, [agreed]) is None  # lags behind
    cancelled = Deal("acquisition", "cancelled", agreed.parties)
    assert stage_before(cancelled, [agreed, talks_ko]) == "agreed"  # the furthest earlier one
    completed = Deal("acquisition", "completed", agreed.parties)
    lagging = Deal("acquisition", "talks", agreed.parties)
    assert stage_before(completed, [lagging, agreed, talks_ko]) == "agreed"  # not "talks"
