"""Building blocks for end-to-end tests: a feeds.yaml around a local server, a fixed clock,
and reading back what the jsonl channel wrote."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.channels.kinds import DEFAULT_KINDS, ChannelKinds
from bot.config import Config, load_config
from bot.models import AlertMessage, FeedState
from bot.store import FeedIdentity, Store

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
RECENT = "Wed, 25 Nov 2026 09:00:00 +0000"  # 3h before NOW
OLD = "Mon, 02 Nov 2026 09:00:00 +0000"  # weeks before NOW

TOPICS = """topics:
  samsung: [Samsung, 삼성, 三星]
  xiaomi: [Xiaomi, 샤오미, 小米]
  ev: [EV, "electric vehicle*", "Elektroauto*", "Elektrofahrzeug*", "E-Auto*", 电动汽车, 전기차]
  exynos: [Exynos]
"""


def write_config(
    folder: Path,
    feeds: dict[str, str],
    *,
    settings: dict[str, str] | None = None,
    alerts: str | None = None,
    kinds: ChannelKinds = DEFAULT_KINDS,
) -> Config:
    """feeds.yaml in ``folder`` with the issue's topics and alert, private networks allowed
    (the test server is on 127.0.0.1), alerts to jsonl:alerts.jsonl; loaded with the
    channel kinds ``kinds``."""
    feed_lines = "".join(f"  - name: {name}\n    url: {url}\n" for name, url in feeds.items())
    if alerts is None:
        alerts = """alerts:
  - name: samsung-xiaomi-ev
    match: (samsung or xiaomi) and (ev or exynos)
    channels: ["jsonl:alerts.jsonl"]
"""
    merged = {"database": "state/dealbot.db", "allow_private_networks": "true", "timeout": "2s"}
    merged |= settings or {}
    text = (
        "settings:\n"
        + "".join(f"  {key}: {value}\n" for key, value in merged.items())
        + ("feeds:\n" + feed_lines if feeds else "feeds: []\n")
        + TOPICS
        + alerts
    )
    path = folder / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, kinds)


def write_rule_config(
    folder: Path, feeds: dict[str, str], channels: str, settings: dict[str, str]
) -> Config:
    """feeds.yaml with the issue's alert rule posting to ``channels`` (a YAML list)."""
    return write_config(
        folder,
        feeds,
        settings=settings,
        alerts=f"""alerts:
  - name: samsung-xiaomi-ev
    match: (samsung or xiaomi) and (ev or exynos)
    channels: {channels}
""",
    )


def apart(n: int) -> str:
    """A figure that makes test item ``n`` a story of its own: two headlines stating
    figures of one kind more than 10 % apart are different stories (``bot.stories``), so
    a test that needs many separate alerts gives each item its own ("1,007 cars")."""
    return f"{2**n * 1000 + 7:,} cars"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def jsonl_records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


REPO = Path(__file__).resolve().parent.parent
# Variables a test's subprocess never inherits: the chat tokens and every dealbot setting, so
# that no developer's real token leaves a test and no local setting changes what it checks.
SCRUBBED_PREFIXES = ("DISCORD_", "SLACK_", "DEALBOT_")


def scrubbed_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a subprocess a test starts: this process's, without any
    ``DISCORD_*``, ``SLACK_*`` or ``DEALBOT_*`` variable, plus what the test sets."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
    return {**kept, **(extra or {})}


async def python(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run ``python *args`` in a subprocess; return its exit status, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=cwd,
        env=scrubbed_env(env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def run_until_it_stops(
    config: Path, polled: Callable[[], bool], then: Callable[[], object]
) -> tuple[int, str]:
    """``dealbot run`` closing its cycle every half second: once ``polled()`` says it polled,
    ``then()`` (what should stop it); its exit status and stderr, within 30 s."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c",
        "import bot.scheduler as s; s.HOUSEKEEPING_EVERY = 0.5\n"
        "from bot.launch import main; raise SystemExit(main())",
        "run", "--config", str(config),
        cwd=REPO, env=scrubbed_env(), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(200):
            if polled():
                break
            await asyncio.sleep(0.1)
        then()
        _out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await process.communicate()
    assert process.returncode is not None
    return process.returncode, err.decode()


async def dealbot(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run the ``dealbot`` command line (``python -m bot``) in a subprocess."""
    return await python("-m", "bot", *args, cwd=cwd, env=env)


def count_parses(app: Any) -> list[object]:
    """Wrap ``app.parser.parse`` so that every call is recorded; return the record."""
    calls: list[object] = []
    real_parse = app.parser.parse

    async def counting_parse(*args: object) -> object:
        calls.append(args)
        return await real_parse(*args)

    app.parser.parse = counting_parse
    return calls


def sample_alert(channel: str, **changes: Any) -> AlertMessage:
    """An alert message as the outbox hands it to a channel, with ``changes`` applied."""
    base = AlertMessage(
        id="a1b2c3d4e5f6a7b8c9d0e1f2a",
        channel=channel,
        rules=("samsung-xiaomi-ev",),
        feed="wire",
        title="Xiaomi SU7 EV deliveries double",
        url="https://news.example/su7",
        canonical_url="https://news.example/su7",
        published=datetime(2026, 11, 25, 8, 30, tzinfo=UTC),
        summary="Xiaomi said its SU7 EV sold twice as many.",
        topics=("ev", "xiaomi"),
        terms=("Xiaomi", "EV"),
        language="en",
    )
    return dataclasses.replace(base, **changes)


async def synced(
    store: Store, feeds: Sequence[FeedIdentity], now: datetime
) -> dict[str, FeedState]:
    """``store.sync_feeds(feeds, now)``, then every configured feed's state by name."""
    await store.sync_feeds(feeds, now)
    return await store.feed_states()
