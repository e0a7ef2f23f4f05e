"""The ``dealbot`` command line: once, run, check, news, health.

Every subcommand takes ``--config F`` before or after its own arguments (default:
``$DEALBOT_CONFIG``, else ``./feeds.yaml``). Alerts printed by the console channel go to
standard output; progress, errors and summaries go to standard error as log lines.

Exit status: 0 success (also when some feeds failed), 1 unhealthy or interrupted,
2 invalid configuration or arguments, 3 unusable database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot import __version__
from bot.app import HEARTBEAT_KEY, App
from bot.config import Config, default_config_path, format_duration, load_config, parse_duration
from bot.errors import ConfigError, StorageError
from bot.models import utcnow
from bot.parsepool import resolve_workers
from bot.scheduler import Scheduler
from bot.store import Store
from bot.text import display_url

log = logging.getLogger("dealbot")

EXIT_OK, EXIT_UNHEALTHY, EXIT_CONFIG, EXIT_STORAGE = 0, 1, 2, 3
MAX_NEWS_LIMIT = 200
MAX_NEWS_HOURS = 24 * 365


def _common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Options every subcommand accepts before or after its own arguments. A subcommand's
    copy has no default, so that it does not overwrite what came before the subcommand."""
    unset: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--config",
        metavar="F",
        type=Path,
        help="feeds.yaml to use (default: $DEALBOT_CONFIG, else ./feeds.yaml)",
        **({"default": None} if top else unset),
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details", **unset)
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="log warnings and errors only", **unset
    )


def _positive_int(limit: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not 1 <= value <= limit:
            raise argparse.ArgumentTypeError(f"{value} is out of range (1–{limit})")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealbot", description="Feed alerts for tech-industry news, to chat channels."
    )
    parser.add_argument("--version", action="version", version=f"dealbot {__version__}")
    _common_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    once = commands.add_parser("once", help="poll every enabled feed once, deliver, exit")
    once.add_argument(
        "--due", action="store_true", help="poll only the feeds that are due (for cron)"
    )
    commands.add_parser("run", help="run continuously, each feed on its own interval")
    commands.add_parser("check", help="validate the configuration and show what would run")

    news = commands.add_parser("news", help="recent alerts from the database")
    news.add_argument("query", nargs="*", help="words that must all appear")
    news.add_argument("--hours", type=_positive_int(MAX_NEWS_HOURS), default=24)
    news.add_argument("--limit", type=_positive_int(MAX_NEWS_LIMIT), default=10)
    news.add_argument("--alert", metavar="NAME", help="only this alert rule")

    health = commands.add_parser("health", help="exit 0 if a cycle completed recently")
    health.add_argument(
        "--max-age",
        default="5m",
        metavar="DURATION",
        help="how old the last completed cycle may be (default 5m)",
    )
    for sub in commands.choices.values():
        _common_options(sub, top=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose, args.quiet)
    config_path = args.config or default_config_path()
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"dealbot: {len(exc.problems)} problem(s) in the configuration", file=sys.stderr)
        return EXIT_CONFIG
    handlers = {
        "once": _once,
        "run": _run,
        "check": _check,
        "news": _news,
        "health": _health,
    }
    try:
        return handlers[args.command](config, args)
    except StorageError as exc:
        print(f"dealbot: database unusable: {exc}", file=sys.stderr)
        return EXIT_STORAGE
    except KeyboardInterrupt:
        return EXIT_UNHEALTHY


def _setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
        force=True,
    )
    for noisy in ("apscheduler", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


# ------------------------------------------------------------------------ subcommands


def _once(config: Config, args: argparse.Namespace) -> int:
    async def cycle() -> str:
        async with App.running(config) as app:
            report = await app.once(due_only=args.due)
            return report.summary()

    summary = asyncio.run(cycle())
    log.info("done: %s", summary)
    return EXIT_OK


def _run(config: Config, args: argparse.Namespace) -> int:
    async def forever() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # not on Windows
                loop.add_signal_handler(signum, stop.set)
        async with App.running(config) as app:
            await Scheduler(app).run(stop)

    asyncio.run(forever())
    return EXIT_OK


def _check(config: Config, args: argparse.Namespace) -> int:
    settings = config.settings
    out = [
        f"configuration {config.path} is valid",
        f"database: {config.database}",
        f"defaults: interval {format_duration(settings.interval)}, timeout "
        f"{format_duration(settings.timeout)}, backfill {settings.backfill}, private networks "
        f"{'allowed' if settings.allow_private_networks else 'refused'}, parsing in "
        f"{_parsing(config)}",
        f"feeds ({len(config.feeds)}):",
    ]
    for feed in config.feeds:
        state = "" if feed.enabled else "  [disabled]"
        url = display_url(feed.url)
        out.append(f"  {feed.name:<20} every {format_duration(feed.interval):<6} {url}{state}")
    out.append(f"topics ({len(config.topics)}):")
    for topic, terms in config.topics.items():
        out.append(f"  {topic:<20} {', '.join(terms)}")
    out.append(f"alerts ({len(config.alerts)}):")
    for alert in config.alerts:
        out.append(f"  {alert.name:<20} {alert.expression} -> {', '.join(alert.channels)}")
    if settings.admin_channels:
        out.append(f"admin reports -> {', '.join(settings.admin_channels)}")
    print("\n".join(out))
    return EXIT_OK


def _parsing(config: Config) -> str:
    workers = resolve_workers(config.settings.parse_workers, len(config.enabled_feeds()))
    return f"{workers} processes" if workers else "a thread"


def _news(config: Config, args: argparse.Namespace) -> int:
    if args.alert and args.alert not in {alert.name for alert in config.alerts}:
        known = ", ".join(alert.name for alert in config.alerts) or "none"
        print(f"dealbot: no alert named {args.alert!r} (known: {known})", file=sys.stderr)
        return EXIT_CONFIG

    async def query() -> list[str]:
        store = await Store.open(config.database)
        try:
            alerts = await store.recent_alerts(
                utcnow() - timedelta(hours=args.hours),
                limit=args.limit,
                words=args.query,
                rule=args.alert,
            )
        finally:
            await store.close()
        now = utcnow()
        return [
            f"{alert.title}\n  {alert.feed} · {_age(now - alert.published)} ago · "
            f"{', '.join(alert.rules)}\n  {alert.url or ''}"
            for alert in alerts
        ]

    lines = asyncio.run(query())
    if not lines:
        print(
            f"no alerts in the last {args.hours}h" + (" matching the query" if args.query else "")
        )
    print("\n".join(lines))
    return EXIT_OK


def _health(config: Config, args: argparse.Namespace) -> int:
    try:
        max_age = parse_duration(args.max_age)
    except ValueError as exc:
        print(f"dealbot: --max-age: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    async def last_cycle() -> str | None:
        store = await Store.open(config.database)
        try:
            return await store.get_meta(HEARTBEAT_KEY)
        finally:
            await store.close()

    beat = asyncio.run(last_cycle())
    if beat is None:
        print("unhealthy: no cycle has completed yet")
        return EXIT_UNHEALTHY
    finished = datetime.fromisoformat(json.loads(beat)["finished_at"])
    age = utcnow() - finished
    if age > max_age:
        print(f"unhealthy: last cycle finished {_age(age)} ago (limit {args.max_age})")
        return EXIT_UNHEALTHY
    print(f"healthy: last cycle finished {_age(age)} ago")
    return EXIT_OK


def _age(delta: timedelta) -> str:
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
