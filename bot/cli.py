"""The ``dealbot`` command line: once, run, check, news, health.

Every subcommand takes ``--config F`` before or after its own arguments (default:
``$DEALBOT_CONFIG``, else ``./feeds.yaml``). Alerts printed by the console channel go to
standard output; progress, errors and summaries go to standard error as log lines.

The commands of the command layer (news, search, status, feeds …, topics …, alerts …) are
subcommands too, generated from the same table the chat adapters use.

Exit status: 0 success (also when some feeds failed), 1 unhealthy, interrupted, or a
command refused, 2 invalid configuration or arguments, 3 unusable database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.adapters import frontends, platform_status
from bot.adapters import install as install_chat_platforms
from bot.app import App, Heartbeat, read_heartbeat
from bot.commands import COMMANDS, Caller, Commands, CommandSpec, Invocation, Param, Reply
from bot.config import Config, default_config_path, format_duration, load_config, parse_duration
from bot.errors import ConfigError, StorageError
from bot.ingest.parsepool import resolve_workers
from bot.models import utcnow
from bot.redact import RedactingFilter
from bot.scheduler import Scheduler
from bot.store import Store
from bot.text import display_channel, human_age

log = logging.getLogger("dealbot")

EXIT_OK, EXIT_UNHEALTHY, EXIT_CONFIG, EXIT_STORAGE = 0, 1, 2, 3


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


def _bounded_int(param: Param) -> Callable[[str], str]:
    def check(text: str) -> str:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not param.low <= value <= param.high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({param.low}–{param.high})")
        return text

    return check


def _add_command_parsers(commands: Any) -> None:
    """One subcommand per command of the command layer (``dealbot feeds add URL --name N``),
    from the same table chat uses."""
    groups: dict[str, Any] = {}
    for spec in COMMANDS:
        if len(spec.path) == 1:
            parser = commands.add_parser(spec.name, help=spec.summary)
        else:
            group, word = spec.path
            if group not in groups:
                holder = commands.add_parser(group, help=f"{group} commands (see: dealbot help)")
                groups[group] = holder.add_subparsers(
                    dest="subcommand", required=True, metavar="SUBCOMMAND"
                )
            parser = groups[group].add_parser(word, help=spec.summary)
            _common_options(parser, top=False)  # the group's own come with the top level
        parser.set_defaults(spec=spec)
        for param in spec.params:
            kind: dict[str, Any] = {"help": param.help or None}
            if param.kind == "int":
                kind["type"] = _bounded_int(param)
            if param.greedy:
                parser.add_argument(param.name, nargs="+" if param.required else "*", **kind)
            elif param.required:
                parser.add_argument(param.name, **kind)
            else:
                parser.add_argument(f"--{param.name}", dest=param.name, **kind)


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

    _add_command_parsers(commands)

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
    install_chat_platforms()
    config_path = args.config or default_config_path()
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"dealbot: {len(exc.problems)} problem(s) in the configuration", file=sys.stderr)
        return EXIT_CONFIG
    handlers = {"once": _once, "run": _run, "check": _check, "health": _health}
    try:
        if hasattr(args, "spec"):
            return _command(config, args)
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
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    for noisy in ("apscheduler", "aiosqlite", "asyncio", "discord", "slack_bolt", "slack_sdk"):
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
            listeners = frontends(app)  # slash commands, where a platform's token is set
            for listener in listeners:
                await listener.start()
            try:
                await Scheduler(app).run(stop)
            finally:
                for listener in listeners:
                    await listener.stop()

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
        url = feed.shown_url
        out.append(f"  {feed.name:<20} every {format_duration(feed.interval):<6} {url}{state}")
    out.append(f"topics ({len(config.topics)}):")
    for topic, terms in config.topics.items():
        out.append(f"  {topic:<20} {', '.join(terms)}")
    out.append(f"alerts ({len(config.alerts)}):")
    for alert in config.alerts:
        channels = ", ".join(display_channel(channel) for channel in alert.channels)
        out.append(f"  {alert.name:<20} {alert.expression} -> {channels}")
    if settings.admin_channels:
        shown = ", ".join(display_channel(channel) for channel in settings.admin_channels)
        out.append(f"admin reports -> {shown}")
    out.extend(platform_status(config))
    print("\n".join(out))
    return EXIT_OK


def _parsing(config: Config) -> str:
    workers = resolve_workers(config.settings.parse_workers, len(config.enabled_feeds()))
    return f"{workers} processes" if workers else "a thread"


def _command(config: Config, args: argparse.Namespace) -> int:
    """Run a command of the command layer as the (trusted) CLI caller; print the reply."""
    spec: CommandSpec = args.spec
    arguments: dict[str, str | list[str]] = {}
    for param in spec.params:
        value = getattr(args, param.name, None)
        if value is None or value == []:
            continue
        arguments[param.name] = " ".join(value) if param.kind == "text" else value
    if spec.name == "feeds import":  # the CLI may read a file; chat passes the content
        path = Path(str(arguments["file"]))
        try:
            arguments["file"] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"dealbot: cannot read {path}: {exc}", file=sys.stderr)
            return EXIT_CONFIG

    async def run() -> Reply:
        async with App.running(config) as app:
            return await Commands(app).run(Caller.cli(), Invocation(spec, arguments))

    reply = asyncio.run(run())
    print(reply.plain_text(), file=sys.stderr if reply.error else sys.stdout)
    return EXIT_UNHEALTHY if reply.error else EXIT_OK


def _health(config: Config, args: argparse.Namespace) -> int:
    try:
        max_age = parse_duration(args.max_age)
    except ValueError as exc:
        print(f"dealbot: --max-age: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    async def last_cycle() -> Heartbeat | None:
        store = await Store.open(config.database)
        try:
            return await read_heartbeat(store)
        finally:
            await store.close()

    beat = asyncio.run(last_cycle())
    if beat is None:
        print("unhealthy: no cycle has completed yet")
        return EXIT_UNHEALTHY
    age = utcnow() - beat.finished_at
    if age > max_age:
        print(f"unhealthy: last cycle finished {human_age(age)} ago (limit {args.max_age})")
        return EXIT_UNHEALTHY
    print(f"healthy: last cycle finished {human_age(age)} ago")
    return EXIT_OK
