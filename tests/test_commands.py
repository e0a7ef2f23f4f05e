"""The command layer: every command and every bad input, through the real service, a real
SQLite file and a local feed server. Callers: the CLI (trusted), a chat manager, a chat user.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import config as config_module
from bot.app import App
from bot.channels import DEFAULT_KINDS, Channel, ChannelKind, ChannelKinds
from bot.commands import Caller, Commands, Invocation, Reply
from bot.commands.spec import BY_NAME
from bot.config import Config
from bot.models import AlertMessage, DeliveryResult, MessageRef
from tests import helpers
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import Clock, jsonl_records

CLI = Caller.cli()
MANAGER = Caller("testchat", "7", is_manager=True, channel="testchat:general")
USER = Caller("testchat", "42", channel="testchat:general")

ITEMS = (
    rss_item("Xiaomi SU7 EV deliveries double", "https://news.example/su7", guid="1",
             description="Xiaomi said its SU7 electric vehicle sold twice as many.",
             published=None),
    rss_item("小米汽车发布新款电动汽车", "https://news.example/zh", guid="2",
             description="小米今天发布了新款电动汽车。三星也在研发。", published=None),
    rss_item("삼성전자가 새 엑시노스 칩을 발표했다", "https://news.example/ko", guid="3",
             description="삼성전자가 전기차용 엑시노스 칩을 발표했다.", published=None),
    rss_item("Neue Elektroautos von Samsung", "https://news.example/de", guid="4",
             description="Samsung zeigt Exynos-Chips für Elektroautos.", published=None),
)  # fmt: skip


class RecordingChannel(Channel):
    kind = "testchat"

    def __init__(self, spec: str) -> None:
        super().__init__(spec)
        self.sent: list[AlertMessage] = []

    async def deliver(self, message: AlertMessage) -> DeliveryResult:
        self.sent.append(message)
        return DeliveryResult.sent(MessageRef(self.spec, message.id))


# A stand-in chat platform, so the channel rules can be tested apart from the adapters.
KINDS = DEFAULT_KINDS.with_kinds(
    ChannelKind("testchat", build=lambda spec, _t, _s, _f: RecordingChannel(spec))
)


def write_config(*args: Any, kinds: ChannelKinds = KINDS, **options: Any) -> Config:
    return helpers.write_config(*args, kinds=kinds, **options)


def load_config(path: Path) -> Config:
    return config_module.load_config(path, KINDS)


@pytest.fixture(params=["sqlite", "postgresql"])
async def bot(
    tmp_path: Path, server: FeedServer, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[App, Commands]]:
    """The bot on each backend: SQLite, then a fresh PostgreSQL database."""
    url = server.route("/feed.xml", rss(*ITEMS))
    database = {}
    if request.param == "postgresql":
        database = {"database": request.getfixturevalue("postgres").fresh_database()}
    config = write_config(
        tmp_path,
        {"wire": url},
        settings={"backfill": "all"} | database,
        alerts="""alerts:
  # chips and cars
  - name: samsung-xiaomi-ev
    match: (samsung or xiaomi) and (ev or exynos)
    channels: ["jsonl:alerts.jsonl"]
""",
    )
    async with App.running(config, clock=Clock()) as app:
        yield app, Commands(app.services, clock=app.clock)


async def run(commands: Commands, text: str, caller: Caller = CLI) -> Reply:
    return await commands.run_text(caller, text)


def text_of(reply: Reply) -> str:
    return reply.plain_text()


# ---------------------------------------------------------------------------------- reading


async def test_help_lists_every_command(bot: tuple[App, Commands]) -> None:
    _, commands = bot
    reply = await run(commands, "help", USER)
    assert not reply.error
    for usage in ("news [QUERY…] [hours=HOURS]", "feeds add URL [name=NAME]", "alerts test"):
        assert any(line.startswith(usage) for line in reply.lines), usage
    detail = await run(commands, "help feeds add", USER)
    assert "example: feeds add https://www.heise.de/ name=heise interval=10m" in text_of(detail)
    assert (await run(commands, "help teleport", USER)).title == "no command 'teleport'; try: help"


async def test_news_and_its_filters(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    await app.once()
    reply = await run(commands, "news", USER)
    assert not reply.ephemeral  # news answers in the channel
    titles = [item.title for item in reply.items]
    assert set(titles) == {
        "Xiaomi SU7 EV deliveries double", "小米汽车发布新款电动汽车",
        "삼성전자가 새 엑시노스 칩을 발표했다", "Neue Elektroautos von Samsung",
    }  # fmt: skip
    assert reply.items[0].meta.startswith("wire · ")
    only = await run(commands, "news su7 hours=1 limit=5 alert=samsung-xiaomi-ev", USER)
    assert [item.title for item in only.items] == ["Xiaomi SU7 EV deliveries double"]
    assert only.items[0].snippet is not None
    assert ("SU7", True) in only.items[0].snippet.parts
    none = await run(commands, "news tesla", USER)
    assert none.title == "No alerts in the last 24h matching the query."


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("小米", "小米汽车发布新款电动汽车"),  # two CJK characters
        ("电动汽车", "小米汽车发布新款电动汽车"),
        ("삼성", "삼성전자가 새 엑시노스 칩을 발표했다"),  # inside 삼성전자가
        ("elektroautos", "Neue Elektroautos von Samsung"),
        ("SU7 twice", "Xiaomi SU7 EV deliveries double"),
    ],
)
async def test_search_in_every_language(bot: tuple[App, Commands], query: str, title: str) -> None:
    app, commands = bot
    await app.once()
    reply = await run(commands, f"search {query}", USER)
    assert [item.title for item in reply.items][:1] == [title]


async def test_search_covers_items_that_did_not_alert(
    bot: tuple[App, Commands], server: FeedServer
) -> None:
    app, commands = bot
    server.route(
        "/feed.xml", rss(*ITEMS, rss_item("Weather report", "https://n.example/w", guid="w"))
    )
    await app.once()
    reply = await run(commands, "search weather", USER)
    assert [item.title for item in reply.items] == ["Weather report"]
    assert (await run(commands, 'search "', USER)).title.startswith("cannot read the command")
    assert (await run(commands, "search !!!", USER)).title == (
        "nothing to search for: give at least one word"
    )


async def test_feeds_list_status_and_export(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    await app.once()
    listed = text_of(await run(commands, "feeds list", USER))
    assert "wire — every 15m, ok 0s ago, 4 items seen" in listed
    status = await run(commands, "feeds status wire", USER)
    assert ("items seen", "4") in status.fields
    assert status.lines[0] == "0s ago — ok: 4 new items"
    # export lists every feed's URL: for admins only in chat (issue 10, point 2)
    assert (await run(commands, "feeds export", USER)).error
    exported = "\n".join((await run(commands, "feeds export", MANAGER)).lines)
    assert '<opml version="2.0">' in exported
    assert "xmlUrl=" in exported
    assert (await run(commands, "feeds status nope", USER)).title == "no feed named 'nope'"


async def test_status_at_a_glance(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    await app.once()
    reply = await run(commands, "status", USER)
    fields = dict(reply.fields)
    assert fields["feeds"] == "1 ok, 0 failing, 0 paused, 0 not polled yet"
    assert fields["last cycle"].endswith("s")
    assert fields["→ jsonl:alerts.jsonl"] == "4 sent, 0 pending, 0 failed"


async def test_alerts_test_previews_an_expression(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    await app.once()
    reply = await run(commands, 'alerts test "xiaomi and not samsung"', USER)
    assert reply.title.startswith("xiaomi and not samsung would have matched 1 of the 4 items")
    assert reply.items[0].title == "Xiaomi SU7 EV deliveries double"
    bad = await run(commands, "alerts test (xiaomi or tesla", USER)
    assert bad.error
    assert "unbalanced parentheses" in bad.title


# ---------------------------------------------------------------------------------- editing


async def test_feeds_add_fetches_first_and_keeps_comments(
    bot: tuple[App, Commands], server: FeedServer
) -> None:
    app, commands = bot
    url = server.route("/new.xml", rss(*ITEMS[:2], title="New source"))
    reply = await run(commands, f"feeds add {url} name=newsource interval=10m")
    assert reply.title == "Added feed newsource: New source", reply.title
    assert len(reply.items) == 2
    text = app.config.path.read_text(encoding="utf-8")
    assert "  # chips and cars\n" in text  # a comment of the file survived
    assert f"  - name: newsource\n    url: {url}\n    interval: 10m\n" in text
    assert (app.config.path.parent / "feeds.yaml.bak").exists()
    assert app.config.feed("newsource") is not None  # applied without a restart
    report = await app.once()
    assert report.polled == 2


async def test_feeds_add_finds_the_feed_of_a_page(
    bot: tuple[App, Commands], server: FeedServer
) -> None:
    app, commands = bot
    feed = server.route("/blog/atom.xml", rss(ITEMS[0], title="The blog"))
    page = server.route(
        "/blog/",
        '<!doctype html><html><head><link rel="alternate" type="application/atom+xml" '
        'href="atom.xml"></head><body>hi</body></html>',
        headers={"Content-Type": "text/html"},
    )
    reply = await run(commands, f"feeds add {page}")
    assert reply.title == "Added feed 127-0-0-1: The blog"
    assert app.config.feed("127-0-0-1") is not None
    assert app.config.feed("127-0-0-1").url == feed  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("feeds add ftp://example.com/feed", "'ftp://example.com/feed' is not an http(s) URL"),
        ("feeds add not-a-url", "'not-a-url' is not an http(s) URL"),
        ("feeds add {server}/feed.xml", "is already a feed"),
        ("feeds add {server}/other.xml name=wire", "a feed named 'wire' already exists"),
        ("feeds add {server}/other.xml name=Bad!Name", "'bad!name' is not a valid name"),
        ("feeds add {server}/page", "is a web page that links no working feed"),
        ("feeds add {server}/missing", "cannot fetch"),
        ("feeds add {server}/other.xml interval=0s", "interval: '0s' must be longer than zero"),
        ("feeds add {server}/other.xml interval=5parsecs", "is not a duration"),
        ("feeds interval wire 5 parsecs", "unexpected 'parsecs'"),
        ("feeds remove nope", "no feed named 'nope'"),
        ("feeds pause", "missing NAME; usage: feeds pause NAME"),
        ("topics add ev", "missing TERMS; usage: topics add TOPIC TERMS…"),
        ("topics add and x", "'and' cannot name a topic: it is an operator"),
        ("topics add deal x", "'deal' cannot name a topic: it is the rule atom for any deal"),
        (
            "alerts add r samsung and deal:wedding console",
            "unknown deal kind 'wedding' in 'deal:wedding'; kinds: acquisition, merger,",
        ),
        ("alerts test samsung and stage:soon", "unknown deal stage 'soon' in 'stage:soon'"),
        ("topics add ev *EV", "'*' may only end a word"),
        ("topics remove nope", "no topic named 'nope'"),
        ("topics remove ev Nope", "topic ev has no term 'Nope'"),
        ("topics remove ev", "alert samsung-xiaomi-ev uses topic ev; change or remove it first"),
        ("alerts add r tesla and ev console", "unknown topic: tesla"),
        ("alerts add r (ev or samsung console", "unbalanced parentheses"),
        ("alerts add samsung-xiaomi-ev ev console", "an alert named 'samsung-xiaomi-ev' already"),
        ("alerts remove nope", "no alert named 'nope'"),
        ("alerts mute samsung-xiaomi-ev forever", "'forever' is not a duration"),
        ("alerts mute samsung-xiaomi-ev 400d", "is longer than a year"),
        ("feeds import <notopml/>", "not an OPML file: the root element is <notopml>"),
        ("feeds import hello", "not an OPML file"),
        ("news hours=many", "hours must be a whole number"),
        ("news limit=0", "limit must be between 1 and 50"),
        ("feeds list extra", "unexpected 'extra'"),
        ("launch rockets", "unknown command 'launch'"),
        ("feeds add " + "x" * 600, "too long"),
        ("news " + "word " * 500, "the command is too long"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    bot: tuple[App, Commands], server: FeedServer, command: str, message: str
) -> None:
    app, commands = bot
    server.route("/page", "<!doctype html><html><body>no feed here</body></html>")
    before = app.config.path.read_bytes()
    reply = await run(commands, command.replace("{server}", f"http://127.0.0.1:{server.port}"))
    assert reply.error, reply.title
    assert message in reply.title
    assert "\n" not in reply.title  # one line
    assert app.config.path.read_bytes() == before


async def test_private_addresses_are_refused_when_not_allowed(
    tmp_path: Path, server: FeedServer
) -> None:
    config = write_config(tmp_path, {}, settings={"allow_private_networks": "false"})
    url = server.route("/feed.xml", rss(*ITEMS))
    async with App.running(config) as app:
        reply = await Commands(app.services).run_text(CLI, f"feeds add {url}")
    assert reply.error
    assert "refused address 127.0.0.1 (loopback)" in reply.title
    assert server.requests == []


async def test_pause_resume_interval_remove(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    assert (await run(commands, "feeds pause wire")).title == "Feed wire paused."
    assert app.config.enabled_feeds() == []
    assert (await app.once()).polled == 0
    assert (await run(commands, "feeds resume wire")).title == "Feed wire resumed."
    reply = await run(commands, "feeds interval wire 1h30m")
    assert reply.title == "Feed wire is now polled every 1h30m."
    assert app.config.feeds[0].interval.total_seconds() == 5400
    assert "enabled" not in app.config.path.read_text()
    await run(commands, "feeds remove wire")
    assert app.config.feeds == ()


async def test_topics_add_and_remove(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    reply = await run(commands, 'topics add ev Stromer* "electric car*"')
    assert reply.title.endswith("Stromer*, electric car*")
    assert '"Stromer*", "electric car*"]' in app.config.path.read_text()
    assert app.matcher.match("ein Stromer fährt").topics == {"ev"}  # recompiled at once
    await run(commands, "topics add tesla Tesla")
    assert app.config.topics["tesla"] == ("Tesla",)
    await run(commands, "topics remove ev Stromer*")
    assert "Stromer*" not in app.config.topics["ev"]
    assert (await run(commands, "topics remove tesla")).title == "Removed topic tesla."


async def test_topic_exclusions_round_trip_through_the_file(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    await app.once()
    assert "would have matched 2 of" in (await run(commands, "alerts test xiaomi", USER)).title
    reply = await run(commands, "topics add xiaomi exclude=小米汽车 exclude=小米今天")
    assert reply.title == "Topic xiaomi: Xiaomi, 샤오미, 小米 (not: 小米汽车, 小米今天)"
    written = app.config.path.read_text()
    assert "xiaomi: {terms: [Xiaomi, 샤오미, 小米], exclude: [小米汽车, 小米今天]}" in written
    # the Chinese item names Xiaomi only inside the excluded phrases now
    assert "would have matched 1 of" in (await run(commands, "alerts test xiaomi", USER)).title
    assert app.matcher.match("小米汽车").topics == frozenset()
    # terms are added to and removed from a topic written as a mapping
    await run(commands, 'topics add xiaomi Redmi "=MI"')
    assert app.config.topics["xiaomi"] == ("Xiaomi", "샤오미", "小米", "Redmi", "=MI")
    assert app.matcher.match("MI Band").topics == {"xiaomi"}
    assert app.matcher.match("mi band").topics == frozenset()
    listed = await run(commands, "topics list", USER)
    assert "xiaomi: Xiaomi, 샤오미, 小米, Redmi, =MI (not: 小米汽车, 小米今天)" in listed.lines
    await run(commands, "topics remove xiaomi Redmi =MI exclude=小米今天")
    assert app.config.topics.excluded("xiaomi") == ("小米汽车",)
    await run(commands, "topics remove xiaomi exclude=小米汽车")
    assert "xiaomi: {terms: [Xiaomi, 샤오미, 小米]}" in app.config.path.read_text()
    assert load_config(app.config.path).topics == app.config.topics
    # what the file would refuse, the command refuses, with the file's reason
    refused = await run(commands, "topics add xiaomi exclude=Millet")
    assert refused.error
    assert refused.title == (
        "not saved: topics.xiaomi.exclude[0]: 'Millet' contains no term of topic xiaomi, so "
        "it would exclude nothing; an exclusion is a longer phrase around a term (小米粥 "
        "around 小米)"
    )
    for text, message in [
        ("topics add xiaomi exclude=", "'exclude=': write the phrase after exclude="),
        ("topics add newtopic exclude=x", "topic newtopic needs a term before it can exclude"),
        ("topics remove xiaomi exclude=x", "topic xiaomi excludes no 'x'"),
        ("topics remove xiaomi Xiaomi 샤오미 小米 exclude=x", "topic xiaomi excludes no 'x'"),
    ]:
        reply = await run(commands, text)
        assert reply.error, text
        assert reply.title.startswith(message), reply.title


async def test_a_change_of_settings_match_alone_rebuilds_the_matcher(
    bot: tuple[App, Commands],
) -> None:
    app, commands = bot
    await run(commands, "topics add ev electricos")
    assert app.matcher.match("coches eléctricos").topics == {"ev"}
    path = app.config.path
    path.write_text(
        path.read_text().replace("settings:\n", "settings:\n  match: {accents: exact}\n")
    )
    await app.apply_config(load_config(path))
    assert app.matcher.match("coches eléctricos").topics == frozenset()
    assert app.matcher.match("coches electricos").topics == {"ev"}


async def test_alerts_add_remove_mute(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    reply = await run(commands, "alerts add koreans samsung and not xiaomi console")
    assert reply.title == "Added alert koreans: samsung and not xiaomi → console"
    assert app.config.alerts[-1].channels == ("console",)
    muted = await run(commands, "alerts mute koreans 2h")
    assert muted.title.startswith("Alert koreans muted for 2h")
    assert "[muted for 2h]" in text_of(await run(commands, "alerts list", USER))
    assert (await run(commands, "alerts unmute koreans")).title == "Alert koreans sends again."
    assert (await run(commands, "alerts remove koreans")).title == "Removed alert koreans."
    assert [a.name for a in app.config.alerts] == ["samsung-xiaomi-ev"]


async def test_a_muted_rule_records_but_sends_nothing(
    bot: tuple[App, Commands], tmp_path: Path
) -> None:
    app, commands = bot
    await run(commands, "alerts mute samsung-xiaomi-ev 1h")
    report = await app.once()
    assert report.alerts == 0
    assert jsonl_records(tmp_path / "alerts.jsonl") == []
    assert len((await run(commands, "news", USER)).items) == 4  # news still shows them


async def test_opml_import_and_export(bot: tuple[App, Commands], server: FeedServer) -> None:
    app, commands = bot
    opml = f"""<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
<outline text="tech"><outline text="A" xmlUrl="http://127.0.0.1:{server.port}/a.xml"/>
<outline text="dup" xmlUrl="http://127.0.0.1:{server.port}/feed.xml"/></outline>
<outline text="bad" xmlUrl="gopher://old.example/"/></body></opml>"""
    reply = await commands.run(CLI, Invocation(BY_NAME["feeds import"], {"file": opml}))
    assert reply.title == "Imported 1 feed (1 already there, 1 refused).", reply.title
    assert [feed.url for feed in app.config.feeds][-1].endswith("/a.xml")


# ------------------------------------------------------------------------------ who may edit


async def test_chat_users_may_read_but_not_edit(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    before = app.config.path.read_bytes()
    for command in (
        "feeds pause wire",
        "topics add ev X",
        "alerts remove samsung-xiaomi-ev",
        "alerts mute samsung-xiaomi-ev 1h",
        "feeds add https://x.example/",
    ):
        reply = await run(commands, command, USER)
        assert reply.error
        assert reply.title.startswith("only admins can use")
        assert reply.title.endswith("nothing was changed")
    assert app.config.path.read_bytes() == before
    assert await app.store.mutes(app.clock()) == {}
    assert not (await run(commands, "feeds list", USER)).error


async def test_managers_and_listed_admins_may_edit(tmp_path: Path, server: FeedServer) -> None:
    config = write_config(
        tmp_path,
        {"wire": server.route("/feed.xml", rss(*ITEMS))},
        settings={"admins": "[testchat:42]"},
    )
    async with App.running(config) as app:
        commands = Commands(app.services)
        assert not (await commands.run_text(USER, "feeds pause wire")).error  # listed
        assert not (await commands.run_text(MANAGER, "feeds resume wire")).error  # manager
        other = Caller("testchat", "99", channel="testchat:general")
        assert (await commands.run_text(other, "feeds pause wire")).error


async def test_chat_alerts_post_only_to_chat_channels(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    reply = await run(commands, "alerts add here samsung", MANAGER)
    assert reply.title == "Added alert here: samsung → testchat:general"
    reply = await run(commands, "alerts add there samsung testchat:news", MANAGER)
    assert app.config.alerts[-1].channels == ("testchat:news",)
    for channel in ("console", "jsonl:/etc/cron.d/evil"):
        refused = await run(commands, f"alerts add x samsung {channel}", MANAGER)
        assert refused.error
        assert "is set in feeds.yaml only" in refused.title


# ------------------------------------------------------------------------------- the file


async def test_comments_and_formatting_survive_an_edit(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    path = app.config.path
    original = path.read_text(encoding="utf-8").replace(
        "topics:\n", "# what we look for\ntopics:  # edit freely\n"
    )
    path.write_text(original, encoding="utf-8")
    await app.apply_config(load_config(path))
    await run(commands, "topics add exynos 엑시노스")
    edited = path.read_text(encoding="utf-8")
    added = [line for line in edited.splitlines() if line not in original.splitlines()]
    removed = [line for line in original.splitlines() if line not in edited.splitlines()]
    assert removed == ["  exynos: [Exynos]"]
    assert added == ["  exynos: [Exynos, 엑시노스]"]


async def test_a_hand_edit_made_meanwhile_is_kept(
    bot: tuple[App, Commands], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, commands = bot
    path = app.config.path
    real_read = commands.editor.file._read
    calls = {"n": 0}

    def read_while_someone_edits() -> bytes:
        calls["n"] += 1
        if calls["n"] == 2:  # between our read and our rename, someone saves the file
            path.write_text(path.read_text() + "# hand edit\n", encoding="utf-8")
        return real_read()

    monkeypatch.setattr(commands.editor.file, "_read", read_while_someone_edits)
    await run(commands, "topics add ev Stromer*")
    text = path.read_text()
    assert "# hand edit" in text
    assert '"Stromer*"' in text


async def test_concurrent_edits_all_land(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    replies = await asyncio.gather(
        *(run(commands, f"topics add t{i} Term{i}") for i in range(5)),
        run(commands, "feeds interval wire 20m"),
    )
    assert not any(reply.error for reply in replies)
    config = load_config(app.config.path)
    assert {f"t{i}" for i in range(5)} <= set(config.topics)
    assert config.feeds[0].interval.total_seconds() == 1200


async def test_an_edit_that_breaks_validation_is_refused(bot: tuple[App, Commands]) -> None:
    app, commands = bot
    path = app.config.path
    path.write_text(path.read_text() + "  - url: ftp://broken.example/\n", encoding="utf-8")
    reply = await run(commands, "topics add ev Stromer*")
    assert reply.error
    assert reply.title.startswith("not saved: alerts[1].name: required key is missing;")
    assert reply.title.endswith("alerts[1].url: unknown key")
    assert "Stromer*" not in path.read_text()


async def test_webhook_secrets_are_masked_in_every_list(
    tmp_path: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    webhook = ChannelKind(
        "testchat-webhook", build=lambda s, _t, _s2, _f: RecordingChannel(s), secret_target=True
    )
    monkeypatch.setenv("DEALBOT_HOOK", "https://hooks.example/services/T0/B0/s3cr3t-token")
    config = write_config(
        tmp_path,
        {"wire": server.route("/feed.xml", rss(*ITEMS))},
        settings={"backfill": "all"},
        alerts="""alerts:
  - name: hooked
    match: samsung or xiaomi
    channels: ["testchat-webhook:${DEALBOT_HOOK}"]
""",
        kinds=KINDS.with_kinds(webhook),
    )
    async with App.running(config) as app:
        await app.once()
        commands = Commands(app.services)
        replies = [
            await commands.run_text(CLI, command)
            for command in ("alerts list", "status", "feeds list")
        ]
        shown = "\n".join(text_of(reply) for reply in replies)
    assert "s3cr3t" not in shown
    assert "testchat-webhook:${DEALBOT_HOOK}" in shown  # the channel reads the variable
    assert "${DEALBOT_HOOK}" in config.path.read_text()  # the file keeps the reference
    assert b"s3cr3t" not in config.database.read_bytes()  # and so does the outbox


async def test_edits_find_their_entry_in_the_file_as_it_is_now(
    bot: tuple[App, Commands], server: FeedServer
) -> None:
    app, commands = bot
    other = server.route("/other.xml", rss(ITEMS[0]))
    await run(commands, f"feeds add {other} name=other")
    path = app.config.path
    text = path.read_text()
    # Someone puts "other" first by hand; the bot has not reloaded yet.
    wire_entry = text[text.index("  - name: wire") : text.index("  - name: other")]
    other_entry = text[text.index("  - name: other") : text.index("topics:")]
    path.write_text(text.replace(wire_entry + other_entry, other_entry + wire_entry))
    assert [feed.name for feed in app.config.feeds] == ["wire", "other"]  # stale
    await run(commands, "feeds remove wire")
    assert [feed.name for feed in load_config(path).feeds] == ["other"]


async def test_status_leads_with_the_summary_and_counts_what_it_does_not_list(
    tmp_path: Path, server: FeedServer
) -> None:
    server.route("/feed.xml", rss(*ITEMS))
    feeds = {"wire": server.url("/feed.xml")}
    feeds |= {f"broken{n:02}": server.url(f"/missing{n}.xml") for n in range(13)}
    config = write_config(tmp_path, feeds)
    async with App.running(config) as app:
        report = await app.once()
        assert report.summary().startswith("14 feeds polled: 1 ok (0 not modified), 13 failed;")
        reply = await Commands(app.services).run(USER, Invocation(BY_NAME["status"], {}))
    assert reply.title == "dealbot status: 14 feeds, 13 failing"
    assert len([line for line in reply.lines if line.startswith("failing: ")]) == 10
    assert reply.lines[-1] == "…and 3 more failing feeds (feeds list shows every feed)"


async def test_counts_are_plural_only_when_more_than_one(
    tmp_path: Path, server: FeedServer
) -> None:
    config = write_config(tmp_path, {"wire": server.route("/feed.xml", rss(ITEMS[0]))},
                          settings={"backfill": "all"})  # fmt: skip
    async with App.running(config) as app:
        summary = (await app.once()).summary()
        assert summary.startswith("1 feed polled: 1 ok (0 not modified), 0 failed; 1 new item, ")
        reply = await Commands(app.services).run(USER, Invocation(BY_NAME["feeds list"], {}))
    assert "1 item seen" in reply.lines[0]
