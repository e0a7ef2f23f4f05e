"""Every setting applies on reload, or is named as needing a restart.

Each setting of ``Settings`` is changed in turn and the new configuration applied as a
reload applies it; the part that uses the setting must then see the new value (or act on
it), or the log must say that it applies at the next start. A setting added later without
a case here fails ``test_every_setting_has_a_case``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.commands import Commands
from bot.config import Settings
from bot.errors import FetchError
from bot.liveconfig import NEEDS_RESTART
from tests.feedserver import FeedServer, rss, rss_item
from tests.helpers import write_config

Probe = Callable[[App], Awaitable[bool]]


async def _sees(value: object) -> bool:
    return bool(value)


async def _private_refused(app: App) -> bool:
    try:
        await app.fetcher.fetch("http://127.0.0.1:9/feed.xml")
    except FetchError as exc:
        return "private" in str(exc) or "loopback" in str(exc) or "refused" in str(exc)
    return False


# setting -> (its new value in feeds.yaml, what must hold once the reload is applied)
LIVE: dict[str, tuple[str, Probe]] = {
    "interval": ("7m", lambda app: _sees(app.config.feeds[0].interval == timedelta(minutes=7))),
    "timeout": ("7s", lambda app: _sees(app.fetcher.policy.timeout == 7.0)),
    "max_age": ("3d", lambda app: _sees(
        app.pipeline.live.config.settings.backfill.max_age == timedelta(days=3))),
    "backfill": ("all", lambda app: _sees(app.pipeline.live.config.settings.backfill.everything)),
    "allow_private_networks": ("false", _private_refused),
    "unhealthy_after": ("5h", lambda app: _sees(
        app.pipeline.live.config.settings.unhealthy_after == timedelta(hours=5))),
    "max_response_size": ("2MB", lambda app: _sees(app.fetcher.policy.max_bytes == 2 * 10**6)),
    "max_redirects": ("3", lambda app: _sees(app.fetcher.policy.max_redirects == 3)),
    "concurrency": ("5", lambda app: _sees(app.polls.concurrency == 5)),
    "per_host": ("3", lambda app: _sees(app.polls.per_host == 3)),
    "parse_workers": ("1", lambda app: _sees(app.parser.workers == 1)),
    "admin_channels": ('["jsonl:admin.jsonl"]',
                       lambda app: _sees("jsonl:admin.jsonl" in app.channels)),
    "admins": ('["slack:U0123"]', lambda app: _sees(
        Commands(app.services).config.settings.admins == ("slack:U0123",))),
    "retention": ("9d", lambda app: _sees(
        app.cycle.live.config.settings.retention == timedelta(days=9))),
    "max_per_minute": ("7", lambda app: _sees(app.deliverer.max_per_minute() == 7)),
    "story_window": ("24h", lambda app: _sees(
        app.pipeline.stories.live.config.settings.story_window == timedelta(hours=24))),
    "lease": ("7m", lambda app: _sees(app.lease == timedelta(minutes=7))),
    "match": ("{accents: exact}", lambda app: _sees(
        "samsung" not in app.pipeline.live.matcher.match("Sámsung EV").topics
        and "samsung" in app.pipeline.live.matcher.match("Samsung EV").topics)),
}  # fmt: skip
AT_START: dict[str, str] = {
    "database": "other/dealbot.db",
    "discord": "{guild_ids: [123456789012345678]}",
    "slack": "{mode: http, port: 3999}",
}


def test_every_setting_has_a_case() -> None:
    assert set(LIVE) | set(AT_START) == set(Settings.model_fields)
    assert set(AT_START) == NEEDS_RESTART


def _feed(server: FeedServer) -> dict[str, str]:
    return {"a": server.route("/a.xml", rss(rss_item("Xiaomi EV", "https://n.example/1")))}


@pytest.mark.parametrize("name", sorted(LIVE))
async def test_a_setting_applies_on_reload(tmp_path: Path, server: FeedServer, name: str) -> None:
    value, probe = LIVE[name]
    config = write_config(tmp_path, _feed(server))
    async with App.running(config) as app:
        assert not await probe(app)  # the test would prove nothing otherwise
        changed = write_config(tmp_path, _feed(server), settings={name: value})
        change = await app.apply_config(changed)
        assert change.settings == {name} | ({"backfill"} if name == "max_age" else set())
        assert await probe(app), f"settings.{name} did not apply on reload"
        assert change.needs_restart == []


@pytest.mark.parametrize("name", sorted(AT_START))
async def test_a_setting_read_at_start_is_named_as_needing_a_restart(
    tmp_path: Path, server: FeedServer, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_config(tmp_path, _feed(server))
    async with App.running(config) as app:
        changed = write_config(tmp_path, _feed(server), settings={name: AT_START[name]})
        with caplog.at_level(logging.WARNING):
            change = await app.apply_config(changed)
    assert change.needs_restart == [name]
    assert f"settings.{name} changed: it applies at the next start (restart the bot)" in (
        caplog.text
    )
