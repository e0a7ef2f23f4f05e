"""The command line, run as users run it: a subprocess, real files, a local feed server."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import REPO, dealbot, jsonl_records, python, scrubbed_env, write_config

ITEM = rss_item(
    "Samsung unveils the Exynos Auto for EVs",
    "https://news.example/exynos-auto",
    description="Samsung said its Exynos Auto chip will power EVs from 2027. Prices vary.",
    guid="s1",
    published=None,
)


async def test_once_prints_alerts_and_a_summary(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(ITEM))
    dead = server.route("/dead", status=500)
    config = write_config(
        tmp_path,
        {"wire": url, "dead": dead},
        settings={"backfill": "all"},
        alerts="""alerts:
  - name: samsung-chips
    match: samsung and (ev or exynos)
    channels: [console, "jsonl:out/alerts.jsonl"]
""",
    )
    status, out, err = await dealbot("once", "--config", str(config.path))
    assert status == 0, err  # a failed feed does not fail the run
    assert "━━ Samsung unveils the Exynos Auto for EVs" in out
    assert "wire ·" in out
    assert "samsung-chips" in out
    assert "matched: exynos, ev, samsung" in out or "matched: ev, exynos, samsung" in out
    assert "https://news.example/exynos-auto" in out
    assert "2 feeds polled: 1 ok (0 not modified), 1 failed; 1 new item, 2 new alerts" in err
    assert "deliveries: 2 sent, 0 pending, 0 failed" in err
    assert "feed dead failed: HTTP 500 Internal Server Error" in err
    assert "Traceback" not in err
    assert len(jsonl_records(tmp_path / "out" / "alerts.jsonl")) == 1


async def test_config_option_before_or_after_and_from_the_environment(
    tmp_path: Path, server: FeedServer
) -> None:
    config = write_config(tmp_path, {"wire": server.route("/feed.xml", rss(ITEM))})
    before = await dealbot("--config", str(config.path), "check")
    after = await dealbot("check", "--config", str(config.path))
    from_env = await dealbot("check", env={"DEALBOT_CONFIG": str(config.path)})
    in_folder = await dealbot("check", cwd=tmp_path)
    for status, out, err in (before, after, from_env, in_folder):
        assert status == 0, err
        assert f"configuration {config.path} is valid" in out
        assert "wire" in out
        assert "samsung-xiaomi-ev    (samsung or xiaomi) and (ev or exynos)" in out


async def test_invalid_config_gives_messages_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("settings:\n  interval: 5 parsecs\nfeeds:\n  - url: file:///etc/passwd\n")
    for command in ("once", "run", "check", "news", "health"):
        status, _out, err = await dealbot(command, "--config", str(path))
        assert status == 2, command
        assert "Traceback" not in err
        assert f"error: {path}:2: settings.interval: '5 parsecs' is not a duration" in err
        assert f"error: {path}:4: feeds[0].url: 'file:///etc/passwd' is not an http(s) URL" in err
        assert "2 problems in the configuration" in err


async def test_missing_config_file(tmp_path: Path) -> None:
    status, _, err = await dealbot("once", "--config", str(tmp_path / "nope.yaml"))
    assert status == 2
    assert "nope.yaml: file not found" in err


async def test_unusable_database_exits_3(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "dealbot.db").write_bytes(b"this is not a database" * 100)
    config = write_config(tmp_path, {})
    status, _, err = await dealbot("once", "--config", str(config.path))
    assert status == 3
    assert "database unusable" in err
    assert "Traceback" not in err


async def test_news_lists_recent_alerts(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(ITEM))
    config = write_config(tmp_path, {"wire": url}, settings={"backfill": "all"})
    assert (await dealbot("once", "--config", str(config.path)))[0] == 0
    status, out, err = await dealbot("news", "--config", str(config.path))
    assert status == 0, err
    assert "Samsung unveils the Exynos Auto for EVs" in out
    assert "wire · " in out
    assert "samsung-xiaomi-ev" in out
    status, out, _ = await dealbot("news", "exynos", "AUTO", "--config", str(config.path))
    assert "Samsung unveils" in out
    status, out, _ = await dealbot("news", "tesla", "--config", str(config.path))
    assert "No alerts in the last 24h matching the query." in out
    status, out, _ = await dealbot("news", "--alert", "samsung-xiaomi-ev", "--limit", "1",
                                   "--config", str(config.path))  # fmt: skip
    assert "Samsung unveils" in out
    status, _, err = await dealbot("news", "--alert", "nope", "--config", str(config.path))
    assert (status, err.strip()) == (1, "error: no alert named 'nope'")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["news", "--hours", "many"], "hours must be a whole number, not 'many'"),
        (["news", "limit=0"], "limit must be between 1 and 50"),
        (["news", "--limit", "100000"], "limit must be between 1 and 50"),
        (["feeds", "add"], "missing URL; usage: feeds add URL [name=NAME] [interval=INTERVAL]"),
        (["feeds"], "feeds needs one of: list, status, add"),
        (["health", "--max-age", "soon"], "'soon' is not a duration"),
        (["launch"], "invalid choice: 'launch'"),
    ],
)
async def test_nonsense_arguments(tmp_path: Path, args: list[str], message: str) -> None:
    config = write_config(tmp_path, {})
    status, _, err = await dealbot(*args, "--config", str(config.path))
    assert status == 2
    assert message in err
    assert "Traceback" not in err


async def test_health_follows_the_last_cycle(tmp_path: Path, server: FeedServer) -> None:
    config = write_config(tmp_path, {"wire": server.route("/feed.xml", rss(ITEM))})
    status, out, _ = await dealbot("health", "--config", str(config.path))
    assert status == 1
    assert out.startswith("unhealthy: no database at ")
    assert not config.database.exists()  # health never creates one (issue 10, point 11)
    await dealbot("status", "--config", str(config.path))  # creates it, runs no cycle
    status, out, _ = await dealbot("health", "--config", str(config.path))
    assert (status, out.strip()) == (1, "unhealthy: no cycle has completed yet")
    await dealbot("once", "--config", str(config.path))
    status, out, _ = await dealbot("health", "--config", str(config.path))
    assert status == 0
    assert out.startswith("healthy: last cycle finished")


async def test_run_polls_delivers_and_stops_gracefully(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(ITEM))
    config = write_config(tmp_path, {"wire": url}, settings={"backfill": "all", "interval": "1h"})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config.path),
        cwd=REPO, env=scrubbed_env(), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        jsonl = tmp_path / "alerts.jsonl"
        for _ in range(200):  # up to 20s for the first poll and delivery
            if jsonl_records(jsonl):
                break
            await asyncio.sleep(0.1)
        assert [r["title"] for r in jsonl_records(jsonl)] == [
            "Samsung unveils the Exynos Auto for EVs"
        ]
        for _ in range(50):  # the heartbeat comes with the first housekeeping round
            if (await dealbot("health", "--config", str(config.path)))[0] == 0:
                break
            await asyncio.sleep(0.1)
        else:
            pytest.fail("dealbot run never reported a completed cycle")
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, err.decode()
    assert "running: 1 feed scheduled" in err.decode()
    assert "stopped" in err.decode()
    assert "Traceback" not in err.decode()
    assert len(server.hits("/feed.xml")) == 1  # one poll: the interval is an hour


async def test_the_core_imports_no_chat_sdk() -> None:
    code = (
        "import sys, bot, bot.app, bot.cli, bot.scheduler, bot.channels\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('discord', 'slack_bolt', 'slack_sdk')]\n"
        "print(bad)"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=REPO, env=scrubbed_env(), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert out.decode().strip() == "[]"


# What a start imports only when it uses it (README, "Start-up"): a chat SDK, the HTTP
# client, the feed parser.
NOT_AT_START = ("discord", "slack_bolt", "slack_sdk", "aiohttp", "feedparser")
RUN_CLI_THEN_LIST_IMPORTS = f"""
import sys
import bot.cli
try:
    status = bot.cli.main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
loaded = sorted({{name for name in sys.modules if name.split(".")[0] in {NOT_AT_START!r}}})
print("status", status, "loaded", loaded, file=sys.stderr)
"""


@pytest.mark.parametrize("command", ["check", "--help"])
async def test_check_and_help_import_no_chat_sdk_http_client_or_feed_parser(
    tmp_path: Path, command: str
) -> None:
    config = write_config(
        tmp_path,
        {"wire": "https://news.example/feed.xml"},
        alerts="""alerts:
  - name: everywhere
    match: samsung
    channels: [console, "jsonl:alerts.jsonl", "discord:123456789012345678", "slack:C0123ABCD"]
""",
    )
    status, out, err = await python(
        "-c", RUN_CLI_THEN_LIST_IMPORTS, command, "--config", str(config.path)
    )
    assert status == 0, err
    assert err.splitlines()[-1] == "status 0 loaded []"
    if command == "check":
        assert f"configuration {config.path} is valid" in out
        assert "discord: DISCORD_TOKEN not set; alerts to 1 channel wait" in out
    else:
        assert "usage: dealbot" in out


async def test_feed_credentials_never_reach_output_or_logs(
    tmp_path: Path, server: FeedServer
) -> None:
    server.route("/feed.xml", status=500)
    secret_url = f"http://reader:hunter2@127.0.0.1:{server.port}/feed.xml?token=s3cr3t"
    config = write_config(tmp_path, {"private": secret_url})
    for command in ("check", "once"):
        status, out, err = await dealbot(command, "-v", "--config", str(config.path))
        assert status == 0, err
        assert "hunter2" not in out + err
        assert "s3cr3t" not in out + err
    assert server.requests[0].headers["Authorization"].startswith("Basic ")


async def test_every_command_through_the_cli(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/feed.xml", rss(ITEM))
    new = server.route("/new.xml", rss(ITEM.replace("s1", "s2"), title="Second source"))
    config = write_config(tmp_path, {"wire": url}, settings={"backfill": "all"})
    path = str(config.path)
    assert (await dealbot("once", "--config", path))[0] == 0
    expectations = [
        (["help"], "feeds add URL [name=NAME] [interval=INTERVAL]"),
        (["news", "exynos"], "Samsung unveils the Exynos Auto for EVs"),
        (["search", "exynos", "--days", "7"], "Samsung unveils the Exynos Auto for EVs"),
        (["status"], "feeds: 1 ok, 0 failing, 0 paused, 0 not polled yet"),
        (["feeds", "list"], "wire — every 15m, ok"),
        (["feeds", "status", "wire"], "ok: 1 new item"),
        (["feeds", "add", new, "--name", "second", "--interval", "10m"],
         "Added feed second: Second source"),
        (["feeds", "pause", "second"], "Feed second paused."),
        (["feeds", "resume", "second"], "Feed second resumed."),
        (["feeds", "interval", "second", "2h"], "Feed second is now polled every 2h."),
        (["topics", "add", "ev", "Stromer*"], "Topic ev:"),
        (["topics", "list"], "Stromer*"),
        (["topics", "remove", "ev", "Stromer*"], "Topic ev:"),
        (["alerts", "add", "chips", "samsung", "and", "exynos", "console"],
         "Added alert chips: samsung and exynos → console"),
        (["alerts", "test", "samsung and exynos"], "would have matched 1 of the 1 item"),
        (["alerts", "mute", "chips", "2h"], "Alert chips muted for 2h"),
        (["alerts", "unmute", "chips"], "Alert chips sends again."),
        (["alerts", "list"], "chips: samsung and exynos → console"),
        (["alerts", "remove", "chips"], "Removed alert chips."),
        (["feeds", "remove", "second"], "Removed feed second"),
        (["feeds", "export"], '<outline type="rss"'),
    ]  # fmt: skip
    for args, expected in expectations:
        status, out, err = await dealbot(*args, "--config", path)
        assert status == 0, (args, err)
        assert expected in out, (args, out)
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(f'<opml version="2.0"><body><outline text="n" xmlUrl="{new}"/></body></opml>')
    status, out, _ = await dealbot("feeds", "import", str(opml), "--config", path)
    assert (status, out.strip()) == (0, "Imported 1 feed (0 already there, 0 refused).")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["feeds", "add", "ftp://example.com/x"], "'ftp://example.com/x' is not an http(s) URL"),
        (["feeds", "remove", "nope"], "no feed named 'nope'"),
        (["feeds", "interval", "wire", "0s"], "'0s' must be longer than zero"),
        (["topics", "add", "Bad Name", "x"], "'bad name' is not a valid name"),
        (["alerts", "add", "r", "(ev", "console"], "unbalanced parentheses"),
        (["alerts", "add", "r", "tesla", "console"], "unknown topic: tesla"),
        (["alerts", "mute", "samsung-xiaomi-ev", "5", "parsecs"], "unexpected 'parsecs'; usage"),
        (["feeds", "import", "/nonexistent.opml"], "cannot read /nonexistent.opml"),
    ],
)
async def test_bad_commands_through_the_cli(
    tmp_path: Path, server: FeedServer, args: list[str], message: str
) -> None:
    config = write_config(tmp_path, {"wire": server.route("/feed.xml", rss(ITEM))})
    before = config.path.read_bytes()
    status, _, err = await dealbot(*args, "--config", str(config.path))
    assert status in (1, 2)
    assert message in err
    assert "Traceback" not in err
    assert config.path.read_bytes() == before


def test_one_grammar_on_the_command_line_and_in_chat() -> None:
    """Every example `help` shows parses the same on the command line as in chat, and the
    command line's --flags mean the same as key=value (issue 10, point 15)."""
    import shlex

    from bot.cli import _command_call
    from bot.commands import COMMANDS, parse_command

    for spec in COMMANDS:
        call = _command_call(shlex.split(spec.example))
        assert call is not None, spec.example
        assert call.invocation is not None, (spec.example, call.error)
        assert call.invocation == parse_command(spec.example), spec.example
    flags = _command_call(["news", "--hours", "48", "xiaomi", "--config", "x.yaml", "-v"])
    pairs = _command_call(["news", "xiaomi", "hours=48"])
    assert flags is not None
    assert pairs is not None
    assert flags.invocation == pairs.invocation
    assert flags.invocation is not None
    assert flags.invocation.args == {"query": "xiaomi", "hours": "48"}
    assert (flags.options.config, flags.options.verbose) == (Path("x.yaml"), True)


async def _interpreter_start() -> float:
    """How long this machine's Python takes to start at all (the slowest of five, half as
    much again for a loaded machine's spread): before that, a Ctrl-C interrupts Python's own
    start-up, not dealbot's."""
    times = []
    for _ in range(5):
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass",
                                                       env=scrubbed_env())  # fmt: skip
        await asyncio.wait_for(process.wait(), timeout=30)
        times.append(time.monotonic() - started)
    return 1.5 * max(times)


@pytest.mark.parametrize("offset", [0.05, 0.25, 0.8, 1.5, 3.0])
async def test_ctrl_c_at_any_moment_of_start_up_ends_in_one_line(
    tmp_path: Path, server: FeedServer, offset: float
) -> None:
    """SIGINT while importing, opening the database, starting: no traceback, ever; once
    `run` holds the signals, a graceful stop (issue 10, point 17). The moments count from
    the end of the interpreter's own start."""
    delay = await _interpreter_start() + offset
    url = server.route("/feed.xml", rss(ITEM), delay=0.5)
    config = write_config(tmp_path, {"wire": url}, settings={"interval": "1h"})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config.path),
        cwd=REPO, env=scrubbed_env(), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    await asyncio.sleep(delay)
    process.send_signal(signal.SIGINT)
    _out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    text = err.decode()
    assert "Traceback" not in text, text
    assert process.returncode in (0, 130), text
    if process.returncode == 130:
        assert text.strip().endswith("dealbot: interrupted")
    if "running:" in text:
        assert "alerts go to jsonl:alerts.jsonl; Ctrl-C (or SIGTERM) stops" in text
