"""Hostile input, end to end: what a chat user, a feed or a configuration file can throw at
the bot, through the front ends users reach (the command line, Slack's real Bolt pipeline).

Each case was a defect found by trying (issue 10); each test fails on the code before the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config
from tests.feedserver import FeedServer
from tests.helpers import dealbot, write_config
from tests.slack_support import ADMIN, USER, Bot

TOKEN_VALUE = "discord-token-value-0123456789"
FEED_KEY = "feed-key-value-9876543210"


# ------------------------------------------------------- 1. chat edits cannot read secrets


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/topics", "add leak ${DISCORD_TOKEN}"),
        ("/topics", "add leak ${SLACK_SIGNING_SECRET}"),
        ("/topics", "add leak ${DEALBOT_DEALS_HOOK}"),
        ("/alerts", "add leak ${DEALBOT_X}"),
        ("/feeds", "add http://127.0.0.1:9/x/${DISCORD_TOKEN}"),
        ("/feeds", "add http://127.0.0.1:9/x name=${DEALBOT_NAME}"),
    ],
)
async def test_a_chat_edit_with_a_reference_is_refused(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, command: str, text: str
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN_VALUE)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", TOKEN_VALUE)
    monkeypatch.setenv("DEALBOT_DEALS_HOOK", TOKEN_VALUE)
    before = bot.config.path.read_text(encoding="utf-8")
    (answer,) = await bot.slash(command, text, user=ADMIN)
    shown = str(answer)
    assert "refused: ${…} references are written in feeds.yaml by the operator" in shown
    assert TOKEN_VALUE not in shown
    assert bot.config.path.read_text(encoding="utf-8") == before
    (listed,) = await bot.slash("/topics", "list", user=USER)
    assert TOKEN_VALUE not in str(listed)


async def test_a_feed_added_from_chat_sends_no_request_with_a_reference(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN_VALUE)
    url = bot.server.url("/x/${DISCORD_TOKEN}")
    await bot.slash("/feeds", f"add {url}", user=ADMIN)
    assert not [r for r in bot.server.requests if "/x/" in r.path]


async def test_the_file_never_expands_a_chat_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token variable cannot be read into the configuration at all, even by hand, and a
    reference outside feed URLs, channels and a few settings is an error."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN_VALUE)
    monkeypatch.setenv("DEALBOT_SECRET", TOKEN_VALUE)
    config = write_config(tmp_path, {})
    for term in ("${DISCORD_TOKEN}", "${DEALBOT_SECRET}"):
        text = config.path.read_text().replace("exynos: [Exynos]", f'exynos: [Exynos, "{term}"]')
        config.path.write_text(text)
        status, out, err = await dealbot(
            "topics", "list", "--config", str(config.path),
            env={"DISCORD_TOKEN": TOKEN_VALUE, "DEALBOT_SECRET": TOKEN_VALUE},
        )  # fmt: skip
        assert status == 2
        assert "topics.exynos[1]: ${…} can be used only in feed URLs" in err
        assert TOKEN_VALUE not in out + err
        config.path.write_text(text.replace(f', "{term}"', ""))
    text = config.path.read_text().replace(
        "feeds: []", "feeds:\n  - name: wire\n    url: http://127.0.0.1:9/feed?key=${DISCORD_TOKEN}"
    )
    config.path.write_text(text)
    status, _out, err = await dealbot("check", "--config", str(config.path),
                                      env={"DISCORD_TOKEN": TOKEN_VALUE})  # fmt: skip
    assert status == 2
    assert "${DISCORD_TOKEN}: only DEALBOT_… variables may be used" in err


async def test_the_cli_can_write_a_reference_where_one_is_allowed(tmp_path: Path) -> None:
    """The operator (the CLI) is trusted: its edit keeps the reference, and one where a
    reference may not stand is refused by the same validation as the file."""
    config = write_config(tmp_path, {})
    status, _out, err = await dealbot("topics", "add", "x", "${DEALBOT_X}",
                                      "--config", str(config.path))  # fmt: skip
    assert status == 1
    assert "can be used only in feed URLs" in err
    assert "${DEALBOT_X}" not in config.path.read_text()


async def test_a_feed_secret_never_reaches_a_reply_or_a_log(
    tmp_path: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ${DEALBOT_…} feed key goes to its own server (that is what it is for) and nowhere
    else: not into check, lists, status, the log of a failing poll."""
    monkeypatch.setenv("DEALBOT_FEED_KEY", FEED_KEY)
    server.route("/private.xml", status=500)
    url = server.url("/private.xml") + "?key=${DEALBOT_FEED_KEY}"
    path_secret = server.url("/p/${DEALBOT_FEED_KEY}/feed.xml")
    server.route(f"/p/{FEED_KEY}/feed.xml", status=503)
    config = write_config(tmp_path, {"private": url, "pathkey": path_secret})
    env = {"DEALBOT_FEED_KEY": FEED_KEY}
    outputs = []
    for command in (["check"], ["once", "-v"], ["feeds", "list"], ["feeds", "status", "private"],
                    ["feeds", "status", "pathkey"], ["status"]):  # fmt: skip
        status, out, err = await dealbot(*command, "--config", str(config.path), env=env)
        assert status == 0, err
        outputs.append(out + err)
    assert all(FEED_KEY not in output for output in outputs)
    assert "${DEALBOT_FEED_KEY}" in outputs[2]  # lists show the reference
    assert server.hits(f"/private.xml?key={FEED_KEY}")  # the feed's own server gets it
    assert server.hits(f"/p/{FEED_KEY}/feed.xml")


# --------------------------------------------------- 2. feed credentials reach no user


async def test_credentials_of_a_never_fetched_feed_are_masked(
    tmp_path: Path, server: FeedServer
) -> None:
    url = f"http://reader:hunter2@127.0.0.1:{server.port}/never.xml?token=s3cr3t&x=1"
    config = write_config(tmp_path, {"private": url})
    for command in (["feeds", "status", "private"], ["feeds", "list"], ["check"]):
        status, out, err = await dealbot(*command, "--config", str(config.path))
        assert status == 0, err
        assert "hunter2" not in out + err
        assert "s3cr3t" not in out + err
    status, out, _err = await dealbot("feeds", "export", "--config", str(config.path))
    assert status == 0
    assert "hunter2" in out  # the operator exports the real URLs, which is its purpose


async def test_feeds_export_from_chat_is_for_admins_and_masked(bot: Bot, tmp_path: Path) -> None:
    (refused,) = await bot.slash("/feeds", "export", user=USER)
    assert "only admins can use feeds export" in str(refused)
    text = bot.config.path.read_text()
    url = f"http://reader:hunter2@127.0.0.1:{bot.server.port}/p.xml?token=s3cr3t"
    bot.config.path.write_text(text.replace("feeds:\n", f"feeds:\n  - name: p\n    url: {url}\n"))
    await bot.app.apply_config(load_config(bot.config.path))
    (exported,) = await bot.slash("/feeds", "export", user=ADMIN)
    shown = str(exported)
    assert "opml" in shown
    assert "hunter2" not in shown
    assert "s3cr3t" not in shown
